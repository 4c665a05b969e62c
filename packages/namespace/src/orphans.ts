/**
 * Cores whose last holder was a view the program dropped (never closed): kept only as long as the
 * program still holds the core itself. `const core = store.namespace('a').default()` drops its view
 * at once; the core stays open and working, and the next `get()` of it finds it again. Once the
 * program lets go of the core too, it is collected, and its files are closed then.
 */
export class Orphans<V extends object> {
  readonly #refs = new Map<string, WeakRef<V>>()
  /** What closes a value's files once it is collected: made from the value, holding none of it. */
  readonly #closerOf: (value: V) => () => void
  readonly #collected = new FinalizationRegistry<{ id: string; ref: WeakRef<V>; close(): void }>(
    ({ id, ref, close }) => {
      if (this.#refs.get(id) === ref) this.#refs.delete(id)
      close()
    },
  )

  constructor(closerOf: (value: V) => () => void) {
    this.#closerOf = closerOf
  }

  get size(): number {
    return this.#refs.size
  }

  adopt(id: string, core: V): void {
    const ref = new WeakRef(core)
    this.#refs.set(id, ref)
    // What closes the core's files must not hold the core, or it would never be collected.
    this.#collected.register(core, { id, ref, close: this.#closerOf(core) }, core)
  }

  /** The orphan with this id if it is still alive (and no longer an orphan): a view holds it again. */
  take(id: string): V | undefined {
    const core = this.#refs.get(id)?.deref()
    this.#refs.delete(id)
    if (core) this.#collected.unregister(core)
    return core
  }

  has(id: string): boolean {
    return this.#refs.get(id)?.deref() !== undefined
  }

  /** Every orphan still alive (they stay orphans). */
  alive(): V[] {
    return [...this.#refs.values()].map((r) => r.deref()).filter((c): c is V => c !== undefined)
  }

  /** Every orphan still alive, taken: the store closes them with itself. */
  takeAll(): V[] {
    return [...this.#refs.keys()].map((id) => this.take(id)).filter((c): c is V => c !== undefined)
  }
}
