import { EventEmitter } from 'events'
import { LRUCache } from 'lru-cache'
import type { CacheEntry, CoreCache, EvictListener } from './types.js'

export interface TwoTierCacheOptions {
  /** How many passive (unreferenced) entries to keep at most. corestore 5's `cacheSize`; default 1000. */
  maxSize?: number
}

export const DEFAULT_CACHE_SIZE = 1000

/**
 * The default cache: active entries in a Map, passive ones in an LRU of `maxSize` entries.
 * Exactly `maxSize` at most: lru-cache evicts one entry per insertion past the bound.
 */
export class TwoTierCache<V extends object> extends EventEmitter implements CoreCache<V> {
  readonly maxSize: number
  readonly #active = new Map<string, { value: V; refs: number }>()
  readonly #passive: LRUCache<string, V>

  constructor(opts: TwoTierCacheOptions = {}) {
    super()
    const maxSize = opts.maxSize ?? DEFAULT_CACHE_SIZE
    if (!Number.isSafeInteger(maxSize) || maxSize < 1) {
      throw new RangeError(`maxSize must be a positive integer, got ${String(maxSize)}`)
    }
    this.maxSize = maxSize
    this.#passive = new LRUCache<string, V>({
      // Counted through maxSize rather than max: lru-cache preallocates `max` slots up front,
      // and a large cacheSize must not cost memory before there are cores to hold.
      maxSize,
      sizeCalculation: () => 1,
      dispose: (value, id, reason) => {
        if (reason === 'evict') this.emit('evict', id, value)
      },
    })
  }

  get size(): number {
    return this.#active.size + this.#passive.size
  }

  get activeSize(): number {
    return this.#active.size
  }

  get passiveSize(): number {
    return this.#passive.size
  }

  get(id: string): V | undefined {
    return this.#active.get(id)?.value ?? this.#passive.get(id)
  }

  has(id: string): boolean {
    return this.#active.has(id) || this.#passive.has(id)
  }

  set(id: string, value: V): void {
    if (this.has(id)) throw new Error(`id ${id} is already cached`)
    this.#passive.set(id, value)
  }

  ref(id: string): number {
    const active = this.#active.get(id)
    if (active) return ++active.refs
    const value = this.#passive.peek(id)
    if (value === undefined) throw new Error(`id ${id} is not cached`)
    this.#passive.delete(id)
    this.#active.set(id, { value, refs: 1 })
    return 1
  }

  unref(id: string): number {
    const active = this.#active.get(id)
    if (!active) return 0
    if (--active.refs > 0) return active.refs
    this.#active.delete(id)
    this.#passive.set(id, active.value)
    return 0
  }

  increment(id: string): void {
    if (this.has(id)) this.ref(id)
  }

  decrement(id: string): void {
    this.unref(id)
  }

  refs(id: string): number {
    return this.#active.get(id)?.refs ?? 0
  }

  entry(id: string): CacheEntry<V> | undefined {
    const active = this.#active.get(id)
    if (active) return { id, value: active.value, refs: active.refs }
    const value = this.#passive.peek(id)
    return value === undefined ? undefined : { id, value, refs: 0 }
  }

  delete(id: string): boolean {
    return this.#active.delete(id) || this.#passive.delete(id)
  }

  *entries(): IterableIterator<CacheEntry<V>> {
    for (const [id, { value, refs }] of this.#active) yield { id, value, refs }
    for (const [id, value] of this.#passive.entries()) yield { id, value, refs: 0 }
  }

  override on(event: 'evict', listener: EvictListener<V>): this {
    return super.on(event, listener)
  }

  override off(event: 'evict', listener: EvictListener<V>): this {
    return super.off(event, listener)
  }
}
