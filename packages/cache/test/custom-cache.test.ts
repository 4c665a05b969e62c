import { EventEmitter } from 'node:events'
import type { CacheEntry, CoreCache, EvictListener } from '@corestore/cache'
import { cacheCompliance } from '@corestore/cache/compliance'

/** A deliberately simple cache: passive entries leave in insertion order (FIFO), not LRU. */
export class FifoCache extends EventEmitter implements CoreCache<object> {
  readonly #entries = new Map<string, { value: object; refs: number }>()
  readonly #passive = new Set<string>()

  constructor(readonly maxPassive: number) {
    super()
  }

  get size() {
    return this.#entries.size
  }
  get activeSize() {
    return this.#entries.size - this.#passive.size
  }
  get passiveSize() {
    return this.#passive.size
  }
  get(id: string) {
    return this.#entries.get(id)?.value
  }
  has(id: string) {
    return this.#entries.has(id)
  }
  set(id: string, value: object) {
    this.#entries.set(id, { value, refs: 0 })
    this.#makePassive(id)
  }
  ref(id: string) {
    const e = this.#entries.get(id)
    if (!e) throw new Error('not cached')
    this.#passive.delete(id)
    return ++e.refs
  }
  unref(id: string) {
    const e = this.#entries.get(id)
    if (!e || e.refs === 0) return 0
    if (--e.refs === 0) this.#makePassive(id)
    return e.refs
  }
  increment(id: string) {
    if (this.has(id)) this.ref(id)
  }
  decrement(id: string) {
    this.unref(id)
  }
  refs(id: string) {
    return this.#entries.get(id)?.refs ?? 0
  }
  entry(id: string) {
    const e = this.#entries.get(id)
    return e ? { id, value: e.value, refs: e.refs } : undefined
  }
  delete(id: string) {
    this.#passive.delete(id)
    return this.#entries.delete(id)
  }
  *entries(): IterableIterator<CacheEntry<object>> {
    for (const [id, { value, refs }] of this.#entries) yield { id, value, refs }
  }
  override on(event: 'evict', listener: EvictListener<object>) {
    return super.on(event, listener)
  }
  override off(event: 'evict', listener: EvictListener<object>) {
    return super.off(event, listener)
  }
  #makePassive(id: string) {
    this.#passive.add(id)
    if (this.#passive.size <= this.maxPassive) return
    const oldest = this.#passive.values().next().value as string
    const value = this.#entries.get(oldest)?.value
    this.delete(oldest)
    this.emit('evict', oldest, value)
  }
}

cacheCompliance('a custom FIFO cache', (maxPassive) => new FifoCache(maxPassive))
