import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import { test } from 'node:test'
import { Corestore, type Hypercore, isCorestoreError, type StoredCore } from '@corestore/core'
import { createMemoryStorage } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { Keychain } from '@corestore/keychain'
import { appendAll, link, opened, readAll, tmpDir, withStore } from '@corestore/test-helpers'
import { diskStore, memoryStore } from './helpers.ts'

async function collect(cores: AsyncIterable<StoredCore>): Promise<StoredCore[]> {
  const out: StoredCore[] = []
  for await (const core of cores) out.push(core)
  return out
}

const code = (expected: string) => (err: unknown) => isCorestoreError(err) && err.code === expected

test('storedCores lists what is on disk with names and writability, without opening anything', async (t) => {
  const dir = await tmpDir(t)
  const keyPair = new Keychain(Keychain.generateMasterKey()).keyPair('elsewhere')
  const cores = await withStore(new Corestore(dir), async (first) => {
    const cores = [
      first.default(),
      first.namespace('drive1').default(),
      first.namespace('drive1').namespace('photos').default(),
      first.get(),
      first.get({ keyPair }),
      first.get(new Keychain(Keychain.generateMasterKey()).keyPair('theirs').publicKey),
    ]
    for (const core of cores) await engine.ready(core)
    return cores
  })

  const store = await diskStore(t, dir)
  const listed = await collect(store.storedCores())
  assert.equal(store.stats().activeCores + store.stats().passiveCores, 0, 'no core was opened')
  const byKey = new Map(listed.map((c) => [c.key.toString('hex'), c]))
  assert.equal(listed.length, cores.length)
  const [main, drive, photos, random, pair, theirs] = cores.map((c) => byKey.get((c.key as Buffer).toString('hex')))
  assert.deepEqual([main?.name, drive?.name, photos?.name], ['default', 'drive1', 'drive1:photos'])
  assert.match(random?.name ?? '', /^[0-9a-f]{64}$/, 'random name bytes show as hex')
  assert.deepEqual([pair?.name, theirs?.name], [null, null])
  assert.deepEqual(
    [main, drive, photos, random, pair, theirs].map((c) => c?.writable),
    [true, true, true, true, true, false],
  )
  assert.deepEqual(main?.discoveryKey, cores[0]?.discoveryKey)
})

test('a namespace view lists its own cores: its name and the names below it', async (t) => {
  const store = await diskStore(t)
  for (const core of [
    store.default(),
    store.namespace('a').default(),
    store.namespace('a').namespace('b').default(),
    store.namespace('ab').default(),
  ]) {
    await engine.ready(core)
  }
  const names = async (cores: AsyncIterable<StoredCore>) => (await collect(cores)).map((c) => c.name).sort()
  assert.deepEqual(await names(store.namespace('a').storedCores()), ['a', 'a:b'])
  assert.deepEqual(await names(store.namespace('a').namespace('b').storedCores()), ['a:b'])
  assert.deepEqual(await names(store.storedCores({ namespace: 'a' })), ['a', 'a:b'])
  assert.deepEqual(await names(store.namespace('a').storedCores({ namespace: 'b' })), ['a:b'])
  assert.deepEqual(await names(store.storedCores()), ['a', 'a:b', 'ab', 'default'])
  assert.throws(() => store.storedCores({ namespace: '' }), code('INVALID_NAME'))
})

test("a root given a name (corestore 5's opts.name) lists and finds its namespaces below that name", async (t) => {
  const dir = await tmpDir(t)
  const store = await diskStore(t, dir, { name: 'app' })
  const child = store.namespace('a')
  for (const core of [store.default(), child.default(), child.namespace('b').default()]) await engine.ready(core)
  const names = async (cores: AsyncIterable<StoredCore>) => (await collect(cores)).map((c) => c.name).sort()
  assert.deepEqual(await names(store.storedCores()), ['app', 'app:a', 'app:a:b'], 'the root lists everything')
  assert.deepEqual(await names(store.storedCores({ namespace: 'a' })), ['app:a', 'app:a:b'])
  assert.equal(await store.namespaceOf(store.default()), store, 'its own default: the root itself')
  assert.equal((await store.namespaceOf(child.default())).name, 'app:a')
  assert.throws(() => new Corestore(dir, { name: 5 as unknown as string }), code('INVALID_OPTION'))
})

test('a store on a storage function cannot list: LISTING_UNSUPPORTED', async (t) => {
  const store = await memoryStore(t)
  await assert.rejects(collect(store.storedCores()), code('LISTING_UNSUPPORTED'))
})

test("namespaceOf gives back the view a derived core's default() came from, writable after a restart", async (t) => {
  const dir = await tmpDir(t)
  const nested = await withStore(new Corestore(dir), (before) =>
    appendAll(before.namespace('drive1').namespace('photos:2024').default(), ['a']),
  )
  const key = nested.key as Buffer

  const store = await diskStore(t, dir)
  const view = await store.namespaceOf(key)
  assert.equal(view.name, 'drive1:photos:2024')
  const core = view.default()
  await engine.ready(core)
  assert.deepEqual(core.key, key)
  assert.equal(core.writable, true)
  await appendAll(core, ['b'])
  assert.deepEqual(await readAll(core), ['a', 'b'])
  assert.equal(await store.namespaceOf(store.default()), store, 'default: the root itself')
  assert.equal((await view.namespaceOf(key.toString('hex'))).name, view.name, 'from any view')
})

test('namespaceOf knows the cores open in a store whose storage does not read back (random-access-memory)', async (t) => {
  const store = await memoryStore(t)
  const core = store.namespace('m').namespace('n').default()
  await engine.ready(core)
  assert.equal((await store.namespaceOf(core)).name, 'm:n')
})

test('namespaceOf refuses a core that is not derived, or derived from random bytes, with typed errors', async (t) => {
  const store = await opened(t, new Corestore(createMemoryStorage()))
  const random = store.get()
  const pair = store.get({ keyPair: new Keychain(Keychain.generateMasterKey()).keyPair('x') })
  await Promise.all([engine.ready(random), engine.ready(pair)])
  await assert.rejects(store.namespaceOf(random), code('NOT_A_NAMESPACE_DEFAULT'))
  await assert.rejects(store.namespaceOf(pair), code('NOT_DERIVED'))
  await assert.rejects(store.namespaceOf(Buffer.alloc(32, 9)), code('CORE_NOT_FOUND'))
  await assert.rejects(store.namespaceOf('nope'), code('INVALID_KEY'))
})

test('purge removes a core that nobody holds, with its emptied folders, and nothing else', async (t) => {
  const dir = await tmpDir(t)
  const store = await diskStore(t, dir)
  const view = store.namespace('scratch')
  const doomed = view.default()
  const kept = store.default()
  await appendAll(doomed, ['x'])
  await appendAll(kept, ['y'])
  const dk = (doomed.discoveryKey as Buffer).toString('hex')
  await assert.rejects(store.purge(doomed.key as Buffer), code('CORE_IN_USE'))
  await view.close()

  await store.purge(doomed.key as Buffer)
  assert.equal(doomed.closed, true, 'the passive core was closed first')
  const top = await readdir(dir)
  const keptDk = (kept.discoveryKey as Buffer).toString('hex')
  assert.equal(top.includes(dk.slice(0, 2)), dk.slice(0, 2) === keptDk.slice(0, 2))
  assert.ok(top.includes('master_key'))
  assert.deepEqual(
    (await collect(store.storedCores())).map((c) => c.name),
    ['default'],
  )
  assert.deepEqual(await readAll(kept), ['y'])
  await assert.rejects(store.purge(dk), code('CORE_NOT_FOUND'))
})

test('purge takes a discovery key too, and a core purged comes back empty when asked for again', async (t) => {
  const store = await diskStore(t)
  const core = store.namespace('n').get({ name: 'temp' })
  await appendAll(core, ['x', 'y'])
  await store.namespace('n').close()
  await engine.close(core)
  await store.purge(core.discoveryKey as Buffer)
  const again = store.get({ name: 'temp' })
  await engine.ready(again)
  assert.deepEqual(again.key, core.key)
  assert.equal(again.length, 0)
})

test('a core is not handed out while it is being purged', async (t) => {
  const store = await diskStore(t)
  const view = store.namespace('v')
  const core = view.get({ name: 'p' })
  await appendAll(core, ['x'])
  await view.close()
  const purged = store.purge(core.discoveryKey as Buffer)
  // The purge has begun (the passive core is closing): a get() now is refused, not handed a dying core.
  assert.throws(() => store.get({ name: 'p' }), code('CORE_IN_USE'))
  await assert.rejects(store.purge(core.discoveryKey as Buffer), code('CORE_IN_USE'))
  await purged
  const again = store.get({ name: 'p' })
  await engine.ready(again)
  assert.equal(again.length, 0)
})

test("'core-open' and 'core-close' tell every view about each core, besides 'feed'", async () => {
  const store = new Corestore(createMemoryStorage())
  await store.ready()
  const view = store.namespace('v')
  const seen: string[] = []
  for (const [label, s] of [
    ['root', store],
    ['view', view],
  ] as const) {
    s.on('core-open', (core: Hypercore) => seen.push(`${label} open ${core.key?.toString('hex').slice(0, 4)}`))
    s.on('core-close', (core: Hypercore) => seen.push(`${label} close ${core.key?.toString('hex').slice(0, 4)}`))
  }
  const feeds: Hypercore[] = []
  store.on('feed', (core: Hypercore) => feeds.push(core))
  const core = view.default()
  await engine.ready(core)
  const id = core.key?.toString('hex').slice(0, 4)
  assert.deepEqual(seen, [`root open ${id}`, `view open ${id}`])
  assert.deepEqual(feeds, [core])
  await view.close()
  await store.close()
  assert.deepEqual(seen, [`root open ${id}`, `view open ${id}`, `root close ${id}`], 'a closed view hears no more')
})

test('stats counts active and passive cores and live streams', async (t) => {
  const a = await memoryStore(t)
  const b = await memoryStore(t)
  assert.deepEqual(a.stats(), { activeCores: 0, passiveCores: 0, streams: 0 })
  const view = a.namespace('v')
  const held = view.default()
  const other = a.default()
  await appendAll(held, ['x'])
  await engine.ready(other)
  assert.deepEqual(a.stats(), { activeCores: 2, passiveCores: 0, streams: 0 })
  await view.close()
  assert.deepEqual(a.stats(), { activeCores: 1, passiveCores: 1, streams: 0 })
  const s1 = a.replicate(true, { live: true })
  const s2 = b.replicate(false, { live: true })
  link(s1, s2)
  assert.equal(a.stats().streams, 1)
  s1.destroy()
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(a.stats().streams, 0)
})
