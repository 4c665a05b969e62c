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
 *   nanoresource does); a `ready()` already in flight when `close()` comes still settles.
 */
export class Lifecycle {
  readonly #hooks: LifecycleHooks
  #opening: Promise<void> | null = null
  #closing: Promise<void> | null = null
  #opened = false
  #closed = false

  constructor(hooks: LifecycleHooks) {
    this.#hooks = hooks
  }

  /** `ready()` has been called (it may still be in flight, or have failed). */
  get opening(): boolean {
    return this.#opening !== null
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
    this.#opening = this.#hooks.open().then(() => {
      this.#opened = true
    })
    return this.#opening
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#opening?.catch(() => {})
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
