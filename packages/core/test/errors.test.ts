import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Corestore, type CorestoreOptions, isCorestoreError } from '@corestore/core'
import { createProtocolStream, randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { appendAll, readAll, tmpDir, withStore } from '@corestore/test-helpers'
import { memoryStore } from './helpers.ts'

/** The error a user sees: a CorestoreError with this code whose message names the argument. */
function refusedWith(code: string, argument: RegExp) {
  return (err: unknown) => {
    assert.ok(isCorestoreError(err), `expected a CorestoreError, got ${String(err)}`)
    assert.equal(err.code, code)
    assert.match(err.message, argument)
    return true
  }
}

const badStorage: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 7],
  ['a plain object', {}],
]
for (const [label, storage] of badStorage) {
  test(`new Corestore with storage that is ${label} is INVALID_STORAGE`, () => {
    assert.throws(() => new Corestore(storage as string), refusedWith('INVALID_STORAGE', /storage/))
  })
}

const badStoreOptions: [string, unknown, string, RegExp][] = [
  ['cacheSize -1', { cacheSize: -1 }, 'INVALID_OPTION', /opts\.cacheSize/],
  ['cacheSize "10"', { cacheSize: '10' }, 'INVALID_OPTION', /opts\.cacheSize/],
  ['a 31-byte masterKey', { masterKey: Buffer.alloc(31) }, 'INVALID_MASTER_KEY', /opts\.masterKey/],
  ['a hex string masterKey', { masterKey: 'ab'.repeat(32) }, 'INVALID_MASTER_KEY', /opts\.masterKey/],
  ['sparse "yes"', { sparse: 'yes' }, 'INVALID_OPTION', /opts\.sparse/],
  ['valueEncoding 5', { valueEncoding: 5 }, 'INVALID_OPTION', /opts\.valueEncoding/],
  ['options that are a string', 'opts', 'INVALID_OPTION', /opts/],
]
for (const [label, opts, code, argument] of badStoreOptions) {
  test(`new Corestore with ${label} is ${code} naming the option`, () => {
    assert.throws(() => new Corestore(randomAccessMemory, opts as CorestoreOptions), refusedWith(code, argument))
  })
}

const badGets: [string, unknown, string, RegExp][] = [
  ['a 31-byte key', Buffer.alloc(31), 'INVALID_KEY', /key must be 32 bytes/],
  ['a non-hex string', 'zz'.repeat(32), 'INVALID_KEY', /key must be 64 hex/],
  ['a short hex string', 'abcd', 'INVALID_KEY', /key/],
  ['{ key } of 33 bytes', { key: Buffer.alloc(33) }, 'INVALID_KEY', /opts\.key/],
  ['{ key: 42 }', { key: 42 }, 'INVALID_KEY', /opts\.key/],
  ['{ discoveryKey: "nope" }', { discoveryKey: 'nope' }, 'INVALID_KEY', /opts\.discoveryKey/],
  [
    '{ keyPair } with a short public key',
    { keyPair: { publicKey: Buffer.alloc(3) } },
    'INVALID_KEY',
    /keyPair\.publicKey/,
  ],
  [
    '{ keyPair } with a 32-byte secret key',
    { keyPair: { publicKey: Buffer.alloc(32), secretKey: Buffer.alloc(32) } },
    'INVALID_KEY',
    /keyPair\.secretKey must be 64 bytes/,
  ],
  ['{ name: empty bytes }', { name: Buffer.alloc(0) }, 'INVALID_NAME', /opts\.name/],
  ['{ name: 5 }', { name: 5 }, 'INVALID_NAME', /opts\.name/],
  ['{ default: true } without a name', { default: true }, 'INVALID_OPTION', /opts\.name/],
  ['{ sparse: 1 }', { sparse: 1 }, 'INVALID_OPTION', /opts\.sparse/],
  ['{ valueEncoding: {} }', { valueEncoding: {} }, 'INVALID_OPTION', /opts\.valueEncoding/],
  ['a number', 12, 'INVALID_OPTION', /opts/],
  ['an array', [1, 2], 'INVALID_OPTION', /opts/],
]
for (const [label, opts, code, argument] of badGets) {
  test(`get(${label}) is ${code} naming the argument, and the store stays usable`, async (t) => {
    const store = await memoryStore(t)
    assert.throws(() => store.get(opts as Buffer), refusedWith(code, argument))
    const core = store.default()
    await appendAll(core, ['fine'])
    assert.deepEqual(await readAll(core), ['fine'])
    assert.equal(store.cache.size, 1, 'the refused call left nothing in the cache')
  })
}

test('default() with a bad option is refused the same way', async (t) => {
  const store = await memoryStore(t)
  assert.throws(
    () => store.default({ sparse: 'no' as unknown as boolean }),
    refusedWith('INVALID_OPTION', /opts\.sparse/),
  )
  assert.throws(() => store.default(42 as unknown as Buffer), refusedWith('INVALID_OPTION', /opts/))
})

test('namespace() with a name that is not a string or bytes is INVALID_NAME', async (t) => {
  const store = await memoryStore(t)
  assert.throws(() => store.namespace(42 as unknown as string), refusedWith('INVALID_NAME', /namespace name/))
  assert.throws(() => store.namespace({} as unknown as string), refusedWith('INVALID_NAME', /namespace name/))
})

const badReplicate: [string, unknown, unknown, RegExp][] = [
  ['isInitiator "yes"', 'yes', undefined, /isInitiator/],
  ['opts that are a number', true, 3, /opts/],
  ['live: "true"', true, { live: 'true' }, /opts\.live/],
  ['timeout: -1', true, { timeout: -1 }, /opts\.timeout/],
  ['stream: {}', true, { stream: {} }, /opts\.stream/],
]
for (const [label, isInitiator, opts, argument] of badReplicate) {
  test(`replicate(${label}) is INVALID_OPTION naming the argument`, async (t) => {
    const store = await memoryStore(t)
    assert.throws(
      () => store.replicate(isInitiator as boolean, opts as object),
      refusedWith('INVALID_OPTION', argument),
    )
    assert.equal(store.replicate(true, { stream: createProtocolStream(true) }).destroyed, false)
  })
}

test('get() before ready() is STORE_NOT_READY, as corestore 5 also refuses it', () => {
  const store = new Corestore(randomAccessMemory)
  assert.throws(() => store.get(), refusedWith('STORE_NOT_READY', /ready\(\)/))
})

test('get(), default(), namespace() and replicate() after close() are STORE_CLOSED', async () => {
  const store = new Corestore(randomAccessMemory)
  await store.ready()
  await store.close()
  assert.throws(() => store.get(), refusedWith('STORE_CLOSED', /closed/))
  assert.throws(() => store.default(), refusedWith('STORE_CLOSED', /closed/))
  assert.throws(() => store.namespace('a'), refusedWith('STORE_CLOSED', /closed/))
  assert.throws(() => store.replicate(true), refusedWith('STORE_CLOSED', /closed/))
})

test('a closed namespace refuses get(), while its root carries on', async (t) => {
  const store = await memoryStore(t)
  const ns = store.namespace('n')
  await ns.close()
  assert.throws(() => ns.get(), refusedWith('STORE_CLOSED', /closed/))
  await engine.ready(store.get())
})

test('views of a closed root are closed too', async () => {
  const store = new Corestore(randomAccessMemory)
  await store.ready()
  const ns = store.namespace('n')
  await store.close()
  assert.equal(ns.closed, true)
  assert.throws(() => ns.get(), refusedWith('STORE_CLOSED', /closed/))
})

test('a discovery key with no core on disk fails the core with CORE_NOT_FOUND and leaves no entry', async (t) => {
  const store = await memoryStore(t)
  const core = store.get({ discoveryKey: Buffer.alloc(32, 9) })
  await assert.rejects(engine.ready(core), refusedWith('CORE_NOT_FOUND', /discoveryKey 0909/))
  assert.equal(store.isLoaded({ discoveryKey: Buffer.alloc(32, 9) }), false)
  assert.equal(store.list().size, 0)
})

test('a second Corestore on an open directory is STORE_LOCKED until the first closes', async (t) => {
  const dir = await tmpDir(t)
  const first = new Corestore(dir)
  await first.ready()
  const second = new Corestore(dir)
  await assert.rejects(second.ready(), refusedWith('STORE_LOCKED', /open in another Corestore/))
  await second.close()
  await first.close()
  await withStore(new Corestore(dir), (third) => engine.ready(third.default()))
})

test('per-stream extensions, which hypercore 9 throws on, are INVALID_OPTION; a store with per-core extensions replicates', async (t) => {
  const store = await memoryStore(t)
  await appendAll(store.default(), ['held'])
  assert.throws(
    () => store.replicate(false, { extensions: [] } as object),
    refusedWith('INVALID_OPTION', /opts\.extensions/),
  )
  const withExtensions = await memoryStore(t, { extensions: ['chat'] })
  await appendAll(withExtensions.default(), ['held'])
  withExtensions.replicate(true).destroy()
})
