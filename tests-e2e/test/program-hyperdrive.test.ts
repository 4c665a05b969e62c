import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { type TestContext, test } from 'node:test'
import { Corestore } from '@corestore/core'
import { randomAccessMemory } from '@corestore/engine'
import { defer, link, opened, tmpDir } from '@corestore/test-helpers'
import { LegacyCorestore } from '../helpers/legacy.ts'

// hyperdrive 10.21, the last hyperdrive on hypercore-protocol 8, is a real corestore 5 program: it
// calls default({ key, keyPair, … }), get({ name }), get({ key, cache: { data: false } }),
// namespace(), replicate(isInitiator, { stream }), and closes the store it is given.

/** The slice of hyperdrive 10's promise API the tests drive. */
interface Drive {
  readonly key: Buffer
  readonly writable: boolean
  readonly promises: {
    ready(): Promise<void>
    close(): Promise<void>
    writeFile(path: string, data: string): Promise<void>
    readFile(path: string, encoding: 'utf8'): Promise<string>
    readdir(path: string): Promise<string[]>
    mount(path: string, key: Buffer): Promise<void>
  }
}
type Hyperdrive = (store: unknown, key?: Buffer | null, opts?: { namespace?: string }) => Drive

const hyperdrive = createRequire(import.meta.url)('hyperdrive') as Hyperdrive
const TIMEOUT = { timeout: 20_000 }

async function drive(t: TestContext, store: unknown, key: Buffer | null = null, namespace?: string): Promise<Drive> {
  const d = hyperdrive(store, key, namespace ? { namespace } : {})
  await d.promises.ready()
  // Closing a drive closes the store (view) it was given, as it does with corestore 5.
  defer(t, () => d.promises.close())
  return d
}

function store(t: TestContext, storage: string | typeof randomAccessMemory = randomAccessMemory) {
  return opened(t, new Corestore(storage))
}

test('hyperdrive 10 writes, reads and mounts drives on our store', TIMEOUT, async (t) => {
  const s = await store(t)
  const root = await drive(t, s)
  assert.equal(root.writable, true)
  await root.promises.writeFile('/hello.txt', 'world')
  assert.equal(await root.promises.readFile('/hello.txt', 'utf8'), 'world')

  const photos = await drive(t, s, null, 'photos')
  assert.notDeepEqual(photos.key, root.key)
  await photos.promises.writeFile('/cat.txt', 'meow')
  await root.promises.mount('/photos', photos.key)
  assert.deepEqual((await root.promises.readdir('/')).sort(), ['hello.txt', 'photos'])
  assert.equal(await root.promises.readFile('/photos/cat.txt', 'utf8'), 'meow')
})

test('a hyperdrive on our store replicates over store.replicate, mounts included', TIMEOUT, async (t) => {
  const [a, b] = [await store(t), await store(t)]
  const root = await drive(t, a)
  const inner = await drive(t, a, null, 'inner')
  await inner.promises.writeFile('/deep.txt', 'mounted')
  await root.promises.writeFile('/hello.txt', 'world')
  await root.promises.mount('/inner', inner.key)

  link(a.replicate(true, { live: true }), b.replicate(false, { live: true }))
  const copy = await drive(t, b, root.key)
  assert.equal(copy.writable, false)
  assert.equal(await copy.promises.readFile('/hello.txt', 'utf8'), 'world')
  assert.equal(await copy.promises.readFile('/inner/deep.txt', 'utf8'), 'mounted')
})

test('a hyperdrive on our store reopens writable after a restart, from its key alone', TIMEOUT, async (t) => {
  const dir = await tmpDir(t)
  const first = new Corestore(dir)
  const written = hyperdrive(first, null)
  await written.promises.ready()
  await written.promises.writeFile('/kept.txt', 'across restarts')
  const key = written.key
  await written.promises.close() // closes `first` too
  await first.close()

  const reopened = await drive(t, await store(t, dir), key)
  assert.equal(reopened.writable, true)
  assert.equal(await reopened.promises.readFile('/kept.txt', 'utf8'), 'across restarts')
  await reopened.promises.writeFile('/more.txt', 'still writable')
})

test('a hyperdrive made on our store is read by hyperdrive on corestore 5.8.2, over one stream', TIMEOUT, async (t) => {
  const ours = await store(t)
  const legacy = await opened(t, new LegacyCorestore(randomAccessMemory))
  const root = await drive(t, ours)
  await root.promises.writeFile('/hello.txt', 'from ours')

  link(ours.replicate(true, { live: true }), legacy.replicate(false, { live: true }))
  const copy = await drive(t, legacy, root.key)
  assert.equal(await copy.promises.readFile('/hello.txt', 'utf8'), 'from ours')
})
