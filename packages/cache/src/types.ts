/** One cached value and how many holders reference it (0: passive, evictable). */
export interface CacheEntry<V> {
  readonly id: string
  readonly value: V
  readonly refs: number
}

export type EvictListener<V> = (id: string, value: V) => void

/**
 * What a corestore needs of its core cache. Values are opaque: the cache knows nothing of hypercore.
 *
 * - An entry with at least one reference is *active* and is never evicted.
 * - An entry with none is *passive*; passive entries are bounded, and the cache evicts some
 *   when there are too many, emitting `'evict'` with the entry (the store then closes it).
 * - `delete` removes an entry without `'evict'`: the caller already knows it is gone.
 */
export interface CoreCache<V> {
  /** Entries in the cache, active and passive. */
  readonly size: number
  readonly activeSize: number
  readonly passiveSize: number
  /** How many passive entries the cache keeps at most, if it says (the store sizes its peer opens by it). */
  readonly maxSize?: number
  /** Look an entry up; counts as a use of a passive entry. */
  get(id: string): V | undefined
  has(id: string): boolean
  /** Add a new entry as passive (no references). Replaces nothing: `id` must not be cached. */
  set(id: string, value: V): void
  /** Add one reference; returns the new count. A passive entry becomes active. */
  ref(id: string): number
  /** Drop one reference; returns the new count. At 0 the entry becomes passive (and evictable). */
  unref(id: string): number
  /**
   * corestore 5's `store.cache.increment(id)` (refpool's): add one reference if `id` is cached,
   * nothing otherwise. Programs (hyperspace's sessions) use it to keep a core open while they
   * serve it. The store never calls it; in a cache of your own it is one line:
   * `if (this.has(id)) this.ref(id)`.
   */
  increment(id: string): void
  /**
   * corestore 5's `store.cache.decrement(id)`: drop one reference; nothing for an unknown or
   * passive entry (refpool would count below zero). Same as `unref(id)`, without a result.
   */
  decrement(id: string): void
  /** References held on `id` (0 when passive or absent). */
  refs(id: string): number
  /** The entry with its reference count, without counting as a use (corestore 5's `cache.entry(id)`). */
  entry(id: string): CacheEntry<V> | undefined
  delete(id: string): boolean
  /** Every entry, active and passive, with its reference count. */
  entries(): IterableIterator<CacheEntry<V>>
  on(event: 'evict', listener: EvictListener<V>): this
  off(event: 'evict', listener: EvictListener<V>): this
}

/** Whether `value` can serve as a store's core cache (duck-typed: a user's class need not extend ours). */
export function isCoreCache<V>(value: unknown): value is CoreCache<V> {
  const c = value as Partial<Record<keyof CoreCache<V>, unknown>> | null
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.get === 'function' &&
    typeof c.set === 'function' &&
    typeof c.ref === 'function' &&
    typeof c.unref === 'function' &&
    typeof c.entry === 'function' &&
    typeof c.on === 'function'
  )
}
