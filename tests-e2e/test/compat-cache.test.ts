import assert from 'node:assert/strict'
import { once } from 'node:events'
import { type TestContext, test } from 'node:test'
import { Corestore } from '@corestore/core'
import { type Hypercore, randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { discoveryKey } from '@corestore/keychain'
import { appendAll, link, opened, readAll, tmpDir, within, withStore } from '@corestore/test-helpers'
import { LegacyCorestore } from '../helpers/legacy.ts'

/** What a corestore 5 program (hyperspace's sessions) uses: views, and the refpool methods of `cache`. */
interface Store {
  get(opts?: unknown): Hypercore
  isLoaded(opts?: unknown): boolean
  namespace(name?: string): Store
  close(): Promise<void>
  readonly cache: {
    get(id: string): Hypercore | undefined
    increment(id: string): void
    decrement(id: string): void
    entry(id: string): { refs: number } | undefined
  }
}

const CACHE_SIZE = 2
type Kind = 'ours' | 'corestore 5.8.2'

function create(
  kind: Kind,
  storage: string | typeof randomAccessMemory,
  opts = {},
): Store & { ready(): Promise<void> } {
  const store = kind === 'ours' ? new Corestore(storage, opts) : new LegacyCorestore(storage, opts)
  return store as unknown as Store & { ready(): Promise<void> }
}

function open(t: TestContext, kind: Kind, storage: string | typeof randomAccessMemory = randomAccessMemory) {
  return opened(t, create(kind, storage, { cacheSize: CACHE_SIZE }))
}

/** A directory holding `count` cores of one block each, written by a store of `kind`; their keys. */
async function storedCores(t: TestContext, kind: Kind, count: number): Promise<{ dir: string; keys: Buffer[] }> {
  const dir = await tmpDir(t)
  const keys: Buffer[] = []
  await withStore(create(kind, dir), async (writer) => {
    for (let i = 0; i < count; i++) {
      const core = writer.get()
      await appendAll(core, [`block ${i}`])
      keys.push(core.key as Buffer)
    }
  })
  return { dir, keys }
}

/** A peer that asks `store` for cores by key over one live stream: the store opens them passively. */
async function peerOf(t: TestContext, store: Store) {
  const peer = await opened(t, new Corestore(randomAccessMemory))
  link(peer.replicate(true, { live: true }), (store as unknown as Corestore).replicate(false, { live: true }))
  return {
    async fetch(keys: Buffer[]) {
      for (const key of keys) await readAll(peer.get(key), 1)
    },
  }
}

async function closed(core: Hypercore | undefined): Promise<boolean> {
  if (!core) return true
  if (!core.closed) await within(once(core, 'close'), 'the evicted core to close')
  return core.closed
}

for (const kind of ['ours', 'corestore 5.8.2'] as const) {
  test(`${kind}: a passive core a program increments is not evicted, and is once decremented`, async (t) => {
    const { dir, keys } = await storedCores(t, kind, 10)
    const store = await open(t, kind, dir)
    const peer = await peerOf(t, store)
    const [first, ...rest] = keys as [Buffer, ...Buffer[]]

    await peer.fetch([first])
    const id = discoveryKey(first).toString('hex')
    const core = store.cache.get(id)
    assert.equal(store.isLoaded({ key: first }), true, 'opened for the peer')
    assert.equal(store.cache.entry(id)?.refs, 0, 'passive')

    store.cache.increment(id)
    await peer.fetch(rest.slice(0, 4))
    assert.equal(core?.closed, false, 'the program holds it: four more passive cores did not evict it')
    assert.equal(store.isLoaded({ key: first }), true)

    store.cache.decrement(id)
    await peer.fetch(rest.slice(4))
    assert.equal(await closed(core), true, 'passive again: evicted in its turn, and closed')
    assert.equal(store.isLoaded({ key: first }), false)
  })

  test(`${kind}: a core held by the store and incremented by a program counts both references`, async (t) => {
    const store = await open(t, kind)
    const core = store.get()
    await engine.ready(core)
    const id = (core.discoveryKey as Buffer).toString('hex')
    store.cache.increment(id)
    assert.equal(store.cache.entry(id)?.refs, 2)
    store.cache.decrement(id)
    assert.equal(store.cache.entry(id)?.refs, 1)
  })

  test(`${kind}: increment and decrement of an id the store has not loaded do nothing`, async (t) => {
    const store = await open(t, kind)
    const id = 'ab'.repeat(32)
    store.cache.increment(id)
    store.cache.decrement(id)
    assert.equal(store.cache.entry(id), undefined)
    assert.equal(store.isLoaded({ discoveryKey: id }), false)
  })
}

test("closing a view releases its cores here; corestore 5.8.2's view close releases none", async (t) => {
  for (const [kind, refsAfterClose] of [
    ['ours', 0],
    // Its _close() decrements each [id, core] pair of a Map instead of each id: no entry matches.
    ['corestore 5.8.2', 1],
  ] as const) {
    const store = await open(t, kind)
    const view = store.namespace('v')
    const core = view.get()
    await engine.ready(core)
    await view.close()
    assert.equal(store.cache.entry((core.discoveryKey as Buffer).toString('hex'))?.refs, refsAfterClose, kind)
  }
})
