import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TwoTierCache } from '@corestore/cache'
import { type CorestoreOptions, type GetInput, isCorestoreError } from '@corestore/core'
import type { Hypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { Keychain } from '@corestore/keychain'
import { FALSY_STORE_OPTIONS } from '@corestore/test-helpers'
import { memoryStore } from './helpers.ts'

// corestore 5 tests its options for truth, so an RPC layer's `{ key: null, name: '' }` (protobuf's
// unset fields) asks for a new core. Every form below is "nothing" there, and here.
const FALSY = [undefined, null, '', 0, false, Number.NaN]

const noCore: [string, unknown][] = [
  ...FALSY.map((v): [string, unknown] => [String(JSON.stringify(v) ?? 'undefined'), v]),
  ['{ key: null, name: "" }', { key: null, name: '' }],
  ['{ name: null }', { name: null }],
  ['{ name: 0 }', { name: 0 }],
  ['{ name: false }', { name: false }],
  ['{ key: "" }', { key: '' }],
  ['{ key: 0 }', { key: 0 }],
  ['{ discoveryKey: "" }', { discoveryKey: '' }],
  ['{ discoveryKey: null }', { discoveryKey: null }],
  ['{ keyPair: null }', { keyPair: null }],
  ['{ keyPair: "" }', { keyPair: '' }],
  ['{ keyPair: false }', { keyPair: false }],
  ['{ default: false }', { default: false }],
  ['{ default: null, name: "" }', { default: null, name: '' }],
]

async function opened(core: Hypercore): Promise<Hypercore> {
  await engine.ready(core)
  return core
}

for (const [label, opts] of noCore) {
  test(`get(${label}) gives a new writable core, as in corestore 5`, async (t) => {
    const store = await memoryStore(t)
    const root = await opened(store.default())
    const a = await opened(store.get(opts as GetInput))
    const b = await opened(store.get(opts as GetInput))
    assert.ok(a.writable && b.writable)
    assert.notDeepEqual(a.key, b.key, 'a fresh core each time')
    assert.notDeepEqual(a.key, root.key)
  })

  test(`default(${label}) gives the default core`, async (t) => {
    const store = await memoryStore(t)
    assert.equal(store.default(opts as GetInput), store.default())
  })

  test(`isLoaded(${label}) is false: it names a new core`, async (t) => {
    const store = await memoryStore(t)
    await opened(store.default())
    assert.equal(store.isLoaded(opts as GetInput), false)
  })
}

test('a falsy key or key pair gives way to the options after it', async (t) => {
  const store = await memoryStore(t)
  const named = await opened(store.get({ name: 'x' }))
  assert.equal(store.get({ key: '', name: 'x' }), named)
  assert.equal(store.get({ keyPair: null, key: named.key as Buffer }), named)
  assert.equal(store.get({ key: null, name: '', discoveryKey: named.discoveryKey as Buffer }), named)
  assert.equal(store.isLoaded({ key: '', name: 'x' }), true)
})

test('a key pair with a falsy secret key opens that public key read-only', async (t) => {
  const store = await memoryStore(t)
  const { publicKey } = new Keychain(Keychain.generateMasterKey()).keyPair('elsewhere')
  const core = await opened(store.get({ keyPair: { publicKey, secretKey: '' } }))
  assert.deepEqual(core.key, publicKey)
  assert.equal(core.writable, false)
})

test('default() ignores a hex string, as corestore 5 spreads it away, and takes a key Buffer', async (t) => {
  const store = await memoryStore(t)
  const other = await opened(store.get())
  const key = other.key as Buffer
  assert.equal(store.default(key.toString('hex')), store.default())
  assert.equal(store.default(key), other)
})

test('namespace() with a falsy name is a new random namespace each time', async (t) => {
  const store = await memoryStore(t)
  const root = await opened(store.default())
  for (const name of FALSY) {
    const a = store.namespace(name as string)
    const b = store.namespace(name as string)
    assert.match(a.name, /^[0-9a-f]{64}$/)
    assert.notEqual(a.name, b.name)
    assert.notDeepEqual((await opened(a.default())).key, root.key)
  }
})

function refused(code: string, argument: RegExp) {
  return (err: unknown) => isCorestoreError(err) && err.code === code && argument.test(err.message)
}

test('default: true still needs a name, and truthy bad values are still refused', async (t) => {
  const store = await memoryStore(t)
  assert.throws(() => store.get({ default: true, name: '' }), refused('INVALID_OPTION', /opts\.name/))
  assert.throws(() => store.isLoaded({ default: true, name: null }), refused('INVALID_OPTION', /opts\.name/))
  assert.throws(
    () => store.get({ default: 'yes' as unknown as boolean, name: 'x' }),
    refused('INVALID_OPTION', /opts\.default/),
  )
  assert.throws(() => store.get({ name: Buffer.alloc(0) }), refused('INVALID_NAME', /opts\.name/))
  assert.throws(() => store.get({ key: Buffer.alloc(0) }), refused('INVALID_KEY', /opts\.key/))
  assert.throws(() => store.get({ discoveryKey: 'nope' }), refused('INVALID_KEY', /opts\.discoveryKey/))
  assert.throws(() => store.get(7 as unknown as string), refused('INVALID_OPTION', /opts/))
  assert.throws(() => store.default(7 as unknown as string), refused('INVALID_OPTION', /opts/))
})

for (const [label, given] of FALSY_STORE_OPTIONS) {
  const opts = given as CorestoreOptions
  test(`new Corestore with ${label} takes the default, as corestore 5 does`, async (t) => {
    const store = await memoryStore(t, opts)
    assert.equal((store.cache as TwoTierCache<Hypercore>).maxSize, 1000)
    assert.equal((await opened(store.default())).writable, true)
  })
}
