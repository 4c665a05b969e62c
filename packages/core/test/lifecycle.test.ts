import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openStorage } from '@corestore/bootstrap'
import { lockStore } from '@corestore/bootstrap/internal'
import { TwoTierCache } from '@corestore/cache'
import { Corestore, isCorestoreError } from '@corestore/core'
import { createMemoryStorage, type Hypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { defer, opened, readAll, tmpDir, withStore } from '@corestore/test-helpers'

const closedError = (err: unknown) => isCorestoreError(err) && err.code === 'STORE_CLOSED'

/** A second store on `dir` opens: nobody holds the directory's lock. */
async function assertUnlocked(dir: string): Promise<void> {
  await withStore(new Corestore(dir), () => {})
}

test('ready() after close() rejects with STORE_CLOSED and takes no lock', async (t) => {
  const dir = await tmpDir(t)
  const store = new Corestore(dir)
  await store.ready()
  await store.close()
  await assert.rejects(store.ready(), closedError)
  await assert.rejects(store.open(), closedError)
  await assertUnlocked(dir)

  const never = new Corestore(dir)
  await never.close()
  await assert.rejects(never.ready(), closedError, 'a store closed before it opened never opens')
  await assertUnlocked(dir)
})

test('ready() after close() also fails through the callback, as in corestore 5', async (t) => {
  const store = new Corestore(await tmpDir(t))
  await store.close()
  const err = await new Promise<Error | null>((resolve) => store.ready(resolve).catch(() => {}))
  assert.ok(closedError(err))
})

test('ready() twice opens once; close() twice closes once', async (t) => {
  const dir = await tmpDir(t)
  const store = new Corestore(dir)
  const [a, b] = [store.ready(), store.ready()]
  await Promise.all([a, b])
  await store.ready()
  const key = (await engine.ready(store.default()).then(() => store.default().key)) as Buffer
  const [c, d] = [store.close(), store.close()]
  assert.equal(c, d)
  await Promise.all([c, d])
  await store.close()
  assert.equal(store.closed, true)
  await withStore(new Corestore(dir), async (again) => {
    const core = again.default()
    await engine.ready(core)
    assert.ok(core.key?.equals(key))
  })
})

test('close() during ready() lets the open finish, then closes and gives the lock back', async (t) => {
  const dir = await tmpDir(t)
  const store = new Corestore(dir)
  const opening = store.ready()
  const closing = store.close()
  await assert.rejects(store.ready(), closedError, 'a ready() after close() is refused while the open runs')
  await opening
  await closing
  assert.equal(store.closed, true)
  assert.equal(store.opened, false)
  await assertUnlocked(dir)
})

test('an error while opening rejects every ready(), releases the lock, and close() still works', async (t) => {
  const dir = await tmpDir(t)
  await writeFile(join(dir, 'master_key'), Buffer.alloc(7))
  const store = new Corestore(dir)
  const corrupt = (err: unknown) => isCorestoreError(err) && err.code === 'CORRUPT_MASTER_KEY'
  await assert.rejects(store.ready(), corrupt)
  await assert.rejects(store.ready(), corrupt)
  assert.throws(
    () => store.get(),
    (err: unknown) => isCorestoreError(err) && err.code === 'STORE_NOT_READY',
  )
  const lock = await lockStore(openStorage(dir))
  assert.ok(lock, 'the failed open let go of the lock')
  await lock.release()
  await store.close()
  assert.equal(store.closed, true)
})

test('a namespace view has the same life: ready twice, close twice, ready after close refused', async (t) => {
  const store = new Corestore(createMemoryStorage())
  defer(t, () => store.close())
  const ns = store.namespace('a')
  await Promise.all([ns.ready(), ns.ready()])
  assert.equal(ns.opened, true)
  const core = ns.default()
  await engine.ready(core)
  await Promise.all([ns.close(), ns.close()])
  assert.equal(ns.closed, true)
  await assert.rejects(ns.ready(), closedError)
  assert.equal(store.opened, true, 'closing a view leaves the store open')
  await store.close()
  const other = store.namespace.bind(store)
  assert.throws(() => other('b'), closedError)
})

test("a cache given to a store is handed back clean: a second store's evictions never reach the first", async () => {
  const cache = new TwoTierCache<Hypercore>({ maxSize: 1 })
  const first = new Corestore(createMemoryStorage(), { cache })
  await first.ready()
  const heard: Error[] = []
  first.on('error', (err) => heard.push(err))
  await first.close()
  assert.equal(cache.listenerCount('evict'), 0, 'the store removed its listener')

  const second = new Corestore(createMemoryStorage(), { cache })
  await second.ready()
  assert.equal(cache.listenerCount('evict'), 1)
  for (let i = 0; i < 3; i++) {
    const core = second.get()
    await engine.ready(core)
    // Let go of it: the next one evicts it, and only `second` closes it.
    second.cache.unref((core.discoveryKey as Buffer).toString('hex'))
  }
  assert.equal(second.cache.passiveSize, 1)
  await second.close()
  assert.deepEqual(heard, [])
})

test('a store dropped without close() prints no warning and lets go of its lock when collected', async (t) => {
  const dir = await tmpDir(t)
  const core = fileURLToPath(new URL('../src/index.ts', import.meta.url))
  const bootstrap = fileURLToPath(new URL('../../bootstrap/src/index.ts', import.meta.url))
  const internal = fileURLToPath(new URL('../../bootstrap/src/internal.ts', import.meta.url))
  const script = `
    const { Corestore } = await import(${JSON.stringify(core)})
    const { openStorage } = await import(${JSON.stringify(bootstrap)})
    const { lockStore } = await import(${JSON.stringify(internal)})
    const dir = ${JSON.stringify(dir)}
    await (async () => { const store = new Corestore(dir); await store.ready() })()
    let lock = null
    for (let i = 0; i < 50 && !lock; i++) {
      globalThis.gc()
      await new Promise((r) => setTimeout(r, 10))
      lock = await lockStore(openStorage(dir)).catch(() => null)
    }
    console.log(lock ? 'unlocked' : 'still locked')
    await lock?.release()
  `
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: fileURLToPath(new URL('.', import.meta.url)), encoding: 'utf8', timeout: 60_000 },
  )
  assert.equal(child.status, 0, child.stderr)
  assert.equal(child.stdout.trim(), 'unlocked')
  assert.doesNotMatch(child.stderr, /Closing file descriptor|DEP0137/)
})

test('get() of a core its holder is closing gives a new core that works, once the old one has closed', async (t) => {
  const store = await opened(t, new Corestore(createMemoryStorage()))
  const a = store.get({ name: 'x' })
  await engine.ready(a)
  await engine.append(a, Buffer.from('before'))
  const closing = engine.close(a)
  const b = store.get({ name: 'x' })
  assert.notEqual(b, a, 'not the core that is closing')
  assert.equal(b.closing, false)
  await engine.append(b, Buffer.from('after'))
  await closing
  assert.deepEqual(await readAll(b), ['before', 'after'])
  assert.equal(store.get({ name: 'x' }), b, 'the new one is the cached one')
  assert.equal(store.list().get((b.discoveryKey as Buffer).toString('hex')), b, 'and the view holds it')
})

test('an operation on a closed core, or an append to one that is not writable, is a typed error in hypercore words', async (t) => {
  const store = await opened(t, new Corestore(createMemoryStorage()))
  const core = store.get({ name: 'closing' })
  await engine.append(core, Buffer.from('a'))
  await engine.close(core)
  const closed = (err: unknown) => isCorestoreError(err) && err.code === 'CORE_CLOSED' && /closed/.test(err.message)
  await assert.rejects(core.append(Buffer.from('b')), closed)
  await assert.rejects(core.get(0), closed)
  await new Promise<void>((resolve) =>
    core.append(Buffer.from('c'), (err) => {
      assert.ok(closed(err), 'the callback form is typed too')
      resolve()
    }),
  )
  const reader = store.get({ key: Buffer.alloc(32, 7) })
  await engine.ready(reader)
  await assert.rejects(
    reader.append(Buffer.from('x')),
    (err: unknown) => isCorestoreError(err) && err.code === 'NOT_WRITABLE' && /not writable/.test(err.message),
  )
  await assert.rejects(
    reader.get(0, { wait: false }),
    (err: unknown) => isCorestoreError(err) && err.code === 'BLOCK_NOT_AVAILABLE',
  )
})

test('views dropped without close() let go of their cores once collected; a core the program keeps stays working', () => {
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--conditions=source',
      '--import',
      'tsx',
      fileURLToPath(new URL('./fixtures/dropped-views.ts', import.meta.url)),
      '2000',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  )
  assert.equal(child.status, 0, child.stderr)
  const r = JSON.parse(child.stdout) as {
    before: number
    loaded: { activeCores: number; heap: number }
    after: { activeCores: number; passiveCores: number; heap: number }
    keptServed: boolean
    keptWorks: boolean
    keptClosed: boolean
  }
  assert.ok(r.loaded.activeCores >= 2000, `the views held their cores: ${r.loaded.activeCores}`)
  assert.equal(r.after.activeCores, 0, 'no dropped view holds a core')
  assert.ok(r.after.passiveCores <= 10, `passive cores within cacheSize: ${r.after.passiveCores}`)
  const grew = (r.loaded.heap - r.before) / 2000
  const left = (r.after.heap - r.before) / 2000
  assert.ok(left < grew / 4, `heap per dropped view: ${Math.round(left)} B left of ${Math.round(grew)} B`)
  assert.equal(r.keptServed, true, 'a peer is served the core kept by the program')
  assert.equal(r.keptWorks, true, 'the core kept by the program appends, and get() finds it')
  assert.equal(r.keptClosed, true, 'and the store closes it')
})
