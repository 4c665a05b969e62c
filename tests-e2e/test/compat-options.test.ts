import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import { Corestore, type CorestoreOptions, type GetInput } from '@corestore/core'
import { type Hypercore, randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { keyPairFromSeed } from '@corestore/keychain'
import { FALSY_STORE_OPTIONS, opened, tmpDir, withStore } from '@corestore/test-helpers'
import { LegacyCorestore } from '../helpers/legacy.ts'

/** What a program sees of `get()` / `default()` / `namespace()`, on either store. */
interface Store {
  get(opts?: unknown): Hypercore
  default(opts?: unknown): Hypercore
  isLoaded(opts?: unknown): boolean
  namespace(name?: unknown): { default(): Hypercore }
}

/** The core a call gives, named by what it is to the store: so both stores can be compared. */
async function outcome(store: Store, call: (s: Store) => Hypercore, known: Hypercore): Promise<string> {
  let core: Hypercore
  try {
    core = call(store)
  } catch {
    return 'throws'
  }
  await engine.ready(core)
  const root = store.default()
  const named = store.get({ name: 'x' })
  await Promise.all([engine.ready(root), engine.ready(named)])
  if (core === root) return 'the default core'
  if (core === named) return "the core named 'x'"
  if (core === known) return 'the given core'
  return core.writable ? 'a new writable core' : 'a read-only core'
}

async function both(t: TestContext) {
  const [ours, legacy] = await Promise.all([
    opened(t, new Corestore(randomAccessMemory)),
    opened(t, new LegacyCorestore(randomAccessMemory)),
  ])
  // One core each store has: its key and discovery key are the "given" core below.
  const known = { ours: ours.get(), legacy: legacy.get() }
  await Promise.all([engine.ready(known.ours), engine.ready(known.legacy)])
  return { ours: ours as unknown as Store, legacy: legacy as unknown as Store, known }
}

type Form = (known: Hypercore) => unknown
const hex = (core: Hypercore) => (core.key as Buffer).toString('hex')

const getForms: [string, Form][] = [
  ['undefined', () => undefined],
  ["''", () => ''],
  ['0', () => 0],
  ['false', () => false],
  ['NaN', () => Number.NaN],
  ["{ key: null, name: '' }", () => ({ key: null, name: '' })],
  ['{ name: null }', () => ({ name: null })],
  ['{ name: 0 }', () => ({ name: 0 })],
  ["{ key: '' }", () => ({ key: '' })],
  ['{ key: 0 }', () => ({ key: 0 })],
  ["{ discoveryKey: '' }", () => ({ discoveryKey: '' })],
  ['{ discoveryKey: false }', () => ({ discoveryKey: false })],
  ['{ keyPair: null }', () => ({ keyPair: null })],
  ["{ keyPair: '' }", () => ({ keyPair: '' })],
  ['{ keyPair: 0 }', () => ({ keyPair: 0 })],
  ['{ default: false }', () => ({ default: false })],
  ['{ default: 0, name: null }', () => ({ default: 0, name: null })],
  ["{ key: '', name: 'x' }", () => ({ key: '', name: 'x' })],
  ['{ key: null, discoveryKey }', (k) => ({ key: null, discoveryKey: k.discoveryKey })],
  ["{ name: '', discoveryKey }", (k) => ({ name: '', discoveryKey: k.discoveryKey })],
  ['{ keyPair: null, key }', (k) => ({ keyPair: null, key: k.key })],
  ["{ default: true, name: '' }", () => ({ default: true, name: '' })],
  ['{ key: <0 bytes> }', () => ({ key: Buffer.alloc(0) })],
  ['{ key: 5 }', () => ({ key: 5 })],
  ['{ name: 5 }', () => ({ name: 5 })],
  ['a hex key', (k) => hex(k)],
  // Keys as programs read them from a file, a prompt or a drive URL: 5.8.2 takes the first run of
  // 64 hex characters in a `{ key }` string (dat-encoding), and a leading one in a key string.
  ['a hex key and a newline', (k) => `${hex(k)}\n`],
  ['an upper-case hex key', (k) => hex(k).toUpperCase()],
  ["{ key: '<hex>\\n' }", (k) => ({ key: `${hex(k)}\n` })],
  ["{ key: ' <hex> ' }", (k) => ({ key: ` ${hex(k)} ` })],
  ["{ key: 'hyper://<hex>+5' }", (k) => ({ key: `hyper://${hex(k)}+5` })],
  ["{ key: 'dat://<hex>+5/a.txt' }", (k) => ({ key: `dat://${hex(k)}+5/a.txt` })],
  ["{ discoveryKey: '<hex>\\r\\n' }", (k) => ({ discoveryKey: `${(k.discoveryKey as Buffer).toString('hex')}\r\n` })],
]

for (const [label, form] of getForms) {
  test(`get(${label}) gives what corestore 5.8.2 gives`, async (t) => {
    const { ours, legacy, known } = await both(t)
    const theirs = await outcome(legacy, (s) => s.get(form(known.legacy)), known.legacy)
    assert.equal(await outcome(ours, (s) => s.get(form(known.ours) as GetInput), known.ours), theirs)
  })

  test(`isLoaded(${label}) answers as corestore 5.8.2 does`, async (t) => {
    const { ours, legacy, known } = await both(t)
    const answer = (s: Store, k: Hypercore) => {
      try {
        return String(s.isLoaded(form(k)))
      } catch {
        return 'throws'
      }
    }
    assert.equal(answer(ours, known.ours), answer(legacy, known.legacy))
  })
}

test('get(null) is a new writable core here; corestore 5.8.2 throws a TypeError (it reads null.cache)', async (t) => {
  const { ours, legacy, known } = await both(t)
  assert.equal(await outcome(legacy, (s) => s.get(null), known.legacy), 'throws')
  assert.equal(await outcome(ours, (s) => s.get(null), known.ours), 'a new writable core')
})

const defaultForms: [string, Form][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ["''", () => ''],
  ['0', () => 0],
  ['false', () => false],
  ["{ key: null, name: '' }", () => ({ key: null, name: '' })],
  ["{ default: true, name: '' }", () => ({ default: true, name: '' })],
  ['a hex key (spread away)', (k) => hex(k)],
  ['a key Buffer', (k) => k.key],
  ['{ key }', (k) => ({ key: k.key })],
]

for (const [label, form] of defaultForms) {
  test(`default(${label}) gives what corestore 5.8.2 gives`, async (t) => {
    const { ours, legacy, known } = await both(t)
    const theirs = await outcome(legacy, (s) => s.default(form(known.legacy)), known.legacy)
    assert.equal(await outcome(ours, (s) => s.default(form(known.ours)), known.ours), theirs)
  })
}

for (const [label, name] of [
  ['undefined', undefined],
  ['null', null],
  ["''", ''],
  ['0', 0],
  ['false', false],
] as [string, unknown][]) {
  test(`namespace(${label}) is a new random namespace, as in corestore 5.8.2`, async (t) => {
    const { ours, legacy, known } = await both(t)
    for (const [store, k] of [
      [ours, known.ours],
      [legacy, known.legacy],
    ] as [Store, Hypercore][]) {
      const a = store.namespace(name).default()
      const b = store.namespace(name).default()
      assert.equal(await outcome(store, () => a, k), 'a new writable core')
      assert.notEqual(a, b)
    }
  })
}

for (const [label, given] of FALSY_STORE_OPTIONS) {
  const opts = given as CorestoreOptions
  test(`new Corestore(storage, { ${label} }) opens with the default, as corestore 5.8.2 does`, async (t) => {
    const [ours, legacy] = await Promise.all([
      opened(t, new Corestore(randomAccessMemory, opts)),
      opened(t, new LegacyCorestore(randomAccessMemory, opts)),
    ])
    const maxSize = (cache: unknown) => (cache as { maxSize: number }).maxSize
    assert.equal(maxSize(ours.cache), 1000)
    assert.equal(maxSize(legacy.cache), 1000)
    for (const core of [ours.default(), legacy.default()]) {
      await engine.ready(core)
      assert.equal(core.writable, true)
    }
  })
}

test('isLoaded() before ready() is false, as in corestore 5.8.2 (nothing is loaded yet)', async (t) => {
  const key = Buffer.alloc(32, 7)
  for (const store of [new Corestore(randomAccessMemory), new LegacyCorestore(randomAccessMemory)]) {
    for (const form of [key, key.toString('hex'), { key }, { discoveryKey: key }]) {
      assert.equal(store.isLoaded(form), false)
    }
    await opened(t, store)
  }
})

test('new Corestore(storage, { name }) names the root view: its default() and namespaces, as in corestore 5.8.2', async (t) => {
  const dir = await tmpDir(t)
  interface Named {
    readonly name: string
    default(): Hypercore
    get(opts: { name: string }): Hypercore
    namespace(name: string): { readonly name: string; default(): Hypercore }
  }
  const views = async (store: LegacyCorestore | Corestore) => {
    const named = store as unknown as Named
    const root = named.default()
    const child = named.namespace('x')
    const cores = [root, child.default()]
    await Promise.all(cores.map((c) => engine.ready(c)))
    assert.equal(root, named.get({ name: 'app' }))
    assert.equal(root.writable, true)
    return { names: [named.name, child.name], keys: cores.map(hex) }
  }
  const theirs = await withStore(new LegacyCorestore(dir, { name: 'app' }), views)
  assert.deepEqual(theirs.names, ['app', 'app:x'])
  // The same directory, so the same master key: the same default keys, writable.
  assert.deepEqual(await withStore(new Corestore(dir, { name: 'app' }), views), theirs)
})

test('a core corestore 5.8.2 derived from a name of zero bytes opens here writable, by the key pair docs/migrating.md gives', async (t) => {
  const masterKey = Buffer.alloc(32, 9)
  const legacy = await opened(t, new LegacyCorestore(randomAccessMemory, { masterKey }))
  const theirs = legacy.get({ name: Buffer.alloc(0) })
  await engine.ready(theirs)
  const store = await opened(t, new Corestore(randomAccessMemory, { masterKey }))
  assert.throws(() => store.get({ name: Buffer.alloc(0) }), { code: 'INVALID_NAME' })
  // As docs/migrating.md writes it.
  const keyPair = keyPairFromSeed(store.inner._deriveSecret('corestore', Buffer.alloc(0)))
  const core = store.get({ keyPair })
  await engine.ready(core)
  assert.equal(hex(core), hex(theirs))
  assert.equal(core.writable, true)
  // And 5.8.2's namespace(<0 bytes>) is its root's default core, which here is the store itself.
  const view = legacy.namespace(Buffer.alloc(0)).default()
  await engine.ready(view)
  assert.equal(hex(view), hex(legacy.default()))
})
