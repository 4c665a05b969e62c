import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { test } from 'node:test'
import type { CacheEntry, CoreCache, Hypercore } from '@corestore/core'
import { engine } from '@corestore/engine/internal'
import { memoryStore } from './helpers.ts'

test('cores a view releases become passive and are closed once more than cacheSize are passive', async (t) => {
  const store = await memoryStore(t, { cacheSize: 2 })
  const ns = store.namespace('temp')
  const cores = [ns.get(), ns.get(), ns.get(), ns.get()]
  await Promise.all(cores.map(engine.ready))
  await ns.close()
  assert.equal(store.cache.passiveSize, 2)
  assert.equal(cores.filter((c) => c.closed || c.closing).length, 2, 'the two least recently used were closed')
})

test('an active core is never evicted, however many passive ones there are', async (t) => {
  const store = await memoryStore(t, { cacheSize: 1 })
  const held = store.default()
  await engine.ready(held)
  const ns = store.namespace('churn')
  for (let i = 0; i < 5; i++) await engine.ready(ns.get())
  await ns.close()
  assert.equal(held.closed, false)
  assert.equal(store.cache.activeSize, 1)
  assert.equal(store.cache.passiveSize, 1)
})

test('a core evicted and closed opens afresh on the next get()', async (t) => {
  const store = await memoryStore(t, { cacheSize: 1 })
  const ns = store.namespace('n')
  const first = ns.get({ name: 'again' })
  await engine.ready(first)
  await ns.close()
  const other = store.namespace('m')
  await engine.ready(other.get())
  await other.close()
  await new Promise((r) => setImmediate(r))
  assert.equal(first.closed, true)
  const second = store.get({ name: 'again' })
  await engine.ready(second)
  assert.notEqual(second, first)
  assert.deepEqual(second.key, first.key)
})

/** The smallest cache a user could write: no eviction at all, everything kept. */
class KeepEverything extends EventEmitter implements CoreCache<Hypercore> {
  readonly map = new Map<string, { value: Hypercore; refs: number }>()
  get size() {
    return this.map.size
  }
  get activeSize() {
    return [...this.map.values()].filter((e) => e.refs > 0).length
  }
  get passiveSize() {
    return this.size - this.activeSize
  }
  get(id: string) {
    return this.map.get(id)?.value
  }
  has(id: string) {
    return this.map.has(id)
  }
  set(id: string, value: Hypercore) {
    this.map.set(id, { value, refs: 0 })
  }
  ref(id: string) {
    const e = this.map.get(id)
    if (!e) throw new Error('not cached')
    return ++e.refs
  }
  unref(id: string) {
    const e = this.map.get(id)
    return e && e.refs > 0 ? --e.refs : 0
  }
  increment(id: string) {
    if (this.has(id)) this.ref(id)
  }
  decrement(id: string) {
    this.unref(id)
  }
  refs(id: string) {
    return this.map.get(id)?.refs ?? 0
  }
  entry(id: string) {
    const e = this.map.get(id)
    return e ? { id, value: e.value, refs: e.refs } : undefined
  }
  delete(id: string) {
    return this.map.delete(id)
  }
  *entries(): IterableIterator<CacheEntry<Hypercore>> {
    for (const [id, { value, refs }] of this.map) yield { id, value, refs }
  }
}

test('a store uses a cache of your own, given as coreCache or as cache', async (t) => {
  for (const key of ['coreCache', 'cache'] as const) {
    const mine = new KeepEverything()
    const store = await memoryStore(t, { [key]: mine })
    assert.equal(store.cache, mine)
    const core = store.default()
    await engine.ready(core)
    assert.equal(mine.refs((core.discoveryKey as Buffer).toString('hex')), 1)
    const ns = store.namespace('n')
    for (let i = 0; i < 3; i++) await engine.ready(ns.get())
    await ns.close()
    assert.equal(mine.size, 4, 'this cache never evicts, so every core stays')
    await store.close()
    assert.equal(mine.size, 0)
    assert.equal(core.closed, true)
  }
})

test("hypercore's own { data, tree } cache option is still passed through, namespaced per core", async (t) => {
  let namespaces = 0
  const fakeCache = {
    namespace() {
      namespaces++
      return { get: () => undefined, set: () => {}, del: () => {} }
    },
  }
  const store = await memoryStore(t, { cache: { data: fakeCache, tree: fakeCache } })
  await engine.ready(store.get())
  await engine.ready(store.get({ cache: { data: false } }))
  assert.equal(namespaces, 3)
})
