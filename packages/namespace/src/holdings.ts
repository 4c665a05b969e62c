import type { CoreCache } from '@corestore/cache'

/**
 * The cores one view holds: one cache reference per core, however often the view asks for it.
 * Releasing the view releases exactly those references, never another view's.
 */
export class Holdings<V extends object> {
  readonly #cache: Pick<CoreCache<V>, 'ref' | 'unref'>
  readonly #held = new Map<string, V>()

  constructor(cache: Pick<CoreCache<V>, 'ref' | 'unref'>) {
    this.#cache = cache
  }

  get size(): number {
    return this.#held.size
  }

  /** Hold `value` under `id`; references it in the cache the first time only. */
  hold(id: string, value: V): boolean {
    if (this.#held.has(id)) return false
    this.#held.set(id, value)
    this.#cache.ref(id)
    return true
  }

  has(id: string): boolean {
    return this.#held.has(id)
  }

  get(id: string): V | undefined {
    return this.#held.get(id)
  }

  /** Forget `id` without touching the cache: the entry is already gone (closed or failed). */
  forget(id: string): boolean {
    return this.#held.delete(id)
  }

  /** Forget every core without touching the cache: the store is closing and drops every entry itself. */
  forgetAll(): void {
    this.#held.clear()
  }

  /** Release every reference this view holds. */
  releaseAll(): void {
    const ids = [...this.#held.keys()]
    this.#held.clear()
    for (const id of ids) this.#cache.unref(id)
  }

  values(): IterableIterator<V> {
    return this.#held.values()
  }

  /** A copy: id → value. */
  toMap(): Map<string, V> {
    return new Map(this.#held)
  }
}
