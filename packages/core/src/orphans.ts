import type { Hypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'

/**
 * Cores whose last holder was a view the program dropped (never closed): kept only as long as the
 * program still holds the core itself. `const core = store.namespace('a').default()` drops its view
 * at once; the core stays open and working, and the next `get()` of it finds it again. Once the
 * program lets go of the core too, it is collected, and its files are closed then.
 */
export class Orphans {
  readonly #refs = new Map<string, WeakRef<Hypercore>>()
  readonly #collected = new FinalizationRegistry<{ id: string; ref: WeakRef<Hypercore>; close(): void }>(
    ({ id, ref, close }) => {
      if (this.#refs.get(id) === ref) this.#refs.delete(id)
      close()
    },
  )

  get size(): number {
    return this.#refs.size
  }

  adopt(id: string, core: Hypercore): void {
    const ref = new WeakRef(core)
    this.#refs.set(id, ref)
    // What closes the core's files must not hold the core, or it would never be collected.
    this.#collected.register(core, { id, ref, close: engine.filesCloser(core) }, core)
  }

  /** The orphan with this id if it is still alive (and no longer an orphan): a view holds it again. */
  take(id: string): Hypercore | undefined {
    const core = this.#refs.get(id)?.deref()
    this.#refs.delete(id)
    if (core) this.#collected.unregister(core)
    return core
  }

  has(id: string): boolean {
    return this.#refs.get(id)?.deref() !== undefined
  }

  /** Every orphan still alive (they stay orphans). */
  alive(): Hypercore[] {
    return [...this.#refs.values()].map((r) => r.deref()).filter((c): c is Hypercore => c !== undefined)
  }

  /** Every orphan still alive, taken: the store closes them with itself. */
  takeAll(): Hypercore[] {
    return [...this.#refs.keys()].map((id) => this.take(id)).filter((c): c is Hypercore => c !== undefined)
  }
}
