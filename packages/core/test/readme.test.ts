// The corestore 5 README's examples, as a user of this package runs them.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import Corestore from '@corestore/core'
import { randomAccessMemory as ram } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { appendAll, link, opened, readAll, tmpDir, withStore } from '@corestore/test-helpers'

test('README: a store from random-access-memory is ready to use', async () => {
  const store = new Corestore(ram)
  await store.ready()
  assert.equal(store.opened, true)
  await store.close()
})

test('README: the first core made with default() bootstraps the store after a restart', async (t) => {
  const dir = await tmpDir(t)
  const core1 = await withStore(new Corestore(dir), (store1) => appendAll(store1.default(), ['bootstrap']))

  await withStore(new Corestore(dir), async (reopened) => {
    const same = reopened.default()
    assert.deepEqual(await readAll(same), ['bootstrap'])
    assert.deepEqual(same.key, core1.key)
  })
})

test('README: replicate two stores and every common core comes across', async (t) => {
  const [store1, store2] = await Promise.all([opened(t, new Corestore(ram)), opened(t, new Corestore(ram))])

  const core1 = store1.get()
  await appendAll(core1, ['replicated'])
  const core2 = store2.get({ key: core1.key })
  const stream = store1.replicate(true, { live: true })
  link(stream, store2.replicate(false, { live: true })) // This will replicate all common cores.
  assert.equal((await engine.get(core2, 0, { timeout: 5000 })).toString(), 'replicated')
})

test('README: namespaces give each data structure its own default feed', async (t) => {
  const store = await opened(t, new Corestore(ram))
  const drive1 = store.namespace('drive1').default()
  const drive2 = store.namespace('drive2').default()
  await Promise.all([engine.ready(drive1), engine.ready(drive2)])
  assert.notDeepEqual(drive1.key, drive2.key)
  assert.ok(drive1.writable && drive2.writable)
})

test('README: a namespace saved next to its key makes the structure writable after a restart', async (t) => {
  const dir = await tmpDir(t)
  const saved = new Map<string, string>() // key → namespace, as the README's saveNamespace keeps it
  const drive = await withStore(new Corestore(dir), async (store) => {
    const namespace = 'drive-42'
    const drive = store.namespace(namespace).default()
    await appendAll(drive, ['file'])
    saved.set((drive.key as Buffer).toString('hex'), namespace)
    return drive
  })

  await withStore(new Corestore(dir), async (again) => {
    const looked = saved.get((drive.key as Buffer).toString('hex')) as string
    const reopened = again.namespace(looked).default()
    await appendAll(reopened, ['more'])
    assert.deepEqual(await readAll(reopened), ['file', 'more'])
  })
})

test("README: 'feed' is emitted the first time a core is loaded, with the options given to get", async (t) => {
  const store = await opened(t, new Corestore(ram))
  const events: unknown[][] = []
  store.on('feed', (...args) => events.push(args))
  const opts = { valueEncoding: 'utf-8' }
  const core = store.get(opts)
  await engine.ready(core)
  store.get(core.key as Buffer)
  await new Promise((r) => setImmediate(r))
  assert.deepEqual(events, [[core, opts]])
})

test('corestore 5: a namespace holding a core again does not add a second reference (cache.entry(id).refs)', async (t) => {
  const store = await opened(t, new Corestore(ram))
  const a = store.namespace('a')
  const b = store.namespace('b')
  const core = a.default()
  await engine.ready(core)
  for (let i = 0; i < 3; i++) assert.equal(b.get({ key: core.key as Buffer }), core)
  assert.equal(store.cache.entry((core.discoveryKey as Buffer).toString('hex'))?.refs, 2)
  assert.equal(store.cache.has((core.discoveryKey as Buffer).toString('hex')), true)
})

test('corestore 5: default(key) of another store gives that core, and a non-live stream ends when done', async (t) => {
  const [store1, store2] = await Promise.all([opened(t, new Corestore(ram)), opened(t, new Corestore(ram))])
  const core1 = store1.default()
  await appendAll(core1, ['hello', 'world'])
  const copy = store2.default(core1.key as Buffer)
  await engine.ready(copy)
  assert.deepEqual(copy.key, core1.key)
  const stream = store1.replicate(true)
  const ended = new Promise((r) => stream.once('end', r))
  link(stream, store2.replicate(false))
  await ended
  assert.deepEqual(await readAll(copy), ['hello', 'world'])
})

test('corestore 5: keys are there synchronously, so isLoaded works before the cores are ready', async (t) => {
  const store = await opened(t, new Corestore(ram))
  const feed1 = store.default()
  const feed2 = store.get()
  assert.equal(store.isLoaded({ key: feed1.key as Buffer }), true)
  assert.equal(store.isLoaded({ discoveryKey: feed1.discoveryKey as Buffer }), true)
  assert.equal(store.isLoaded({ discoveryKey: feed2.discoveryKey as Buffer }), true)
  assert.equal(store.isLoaded({ key: Buffer.alloc(32, 1) }), false)
})
