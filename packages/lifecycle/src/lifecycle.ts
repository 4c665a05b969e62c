/** What a resource does when it opens and closes; the `Lifecycle` decides when. */
export interface LifecycleHooks {
  /**
   * Take what the resource needs. On failure it must leave nothing held: `ready()` rejects with
   * the error (again on every later call) and `close()` still runs the close hook.
   */
  open(): Promise<void>
  /**
   * Release whatever is held, whatever state the resource reached: never opened, opened, or
   * failed while opening. Runs once, after any open in flight has settled.
   */
  close(): Promise<void>
  /** The error `ready()` rejects with once `close()` has been called (e.g. `STORE_CLOSED`). */
  closedError(): Error
}

/**
 * The one open/close state machine of the corestore packages:
 * - `ready()` opens once; concurrent and later calls share that promise (and its error);
 * - `close()` closes once and is safe to repeat; it waits for an open in flight, then closes;
 * - `ready()` called once `close()` has been called rejects with `closedError()` and opens
 *   nothing, so a closed resource never takes anything (a lock, a file) again (as corestore 5's
 *   nanoresource does); a `ready()` already in flight when `close()` comes still settles;
 * - `active()` / `inactive()` count operations in flight, as nanoresource's do: `close()` waits
 *   until every `active()` has had its `inactive()`, and `active()` refuses once closing.
 */
export class Lifecycle {
  readonly #hooks: LifecycleHooks
  #opening: Promise<void> | null = null
  #closing: Promise<void> | null = null
  #opened = false
  #settled = false
  #closed = false
  #actives = 0
  #idle: (() => void) | null = null

  constructor(hooks: LifecycleHooks) {
    this.#hooks = hooks
  }

  /** An open is in flight: `ready()` was called and has not settled. */
  get opening(): boolean {
    return this.#opening !== null && !this.#settled
  }

  /** Operations begun with `active()` and not yet ended with `inactive()`. */
  get actives(): number {
    return this.#actives
  }

  /** Begin an operation `close()` waits for: `false` (nothing counted) once closing. */
  active(): boolean {
    if (this.#closing) return false
    this.#actives++
    return true
  }

  /** End an operation begun with `active()`; the last one lets a waiting `close()` go on. */
  inactive(): void {
    if (this.#actives > 0 && --this.#actives === 0) this.#idle?.()
  }

  /** Open, and not closing. */
  get opened(): boolean {
    return this.#opened && this.#closing === null
  }

  /** `close()` has been called. */
  get closing(): boolean {
    return this.#closing !== null
  }

  /** `close()` has finished. */
  get closed(): boolean {
    return this.#closed
  }

  ready(): Promise<void> {
    if (this.#closing) return Promise.reject(this.#hooks.closedError())
    if (this.#opening) return this.#opening
    this.#opening = this.#hooks.open().then(
      () => {
        this.#opened = true
        this.#settled = true
      },
      (err: unknown) => {
        this.#settled = true
        throw err
      },
    )
    return this.#opening
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#opening?.catch(() => {})
      if (this.#actives > 0) await new Promise<void>((resolve) => (this.#idle = resolve))
      try {
        await this.#hooks.close()
      } finally {
        this.#opened = false
        this.#closed = true
      }
    })()
    return this.#closing
  }
}
