import type { CallbackHypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { variedBlockFor } from '../fixtures/blocks.ts'
import type { StoreLike } from './stores.ts'

/** A core a scenario made, with what it promised about it, for the checks after the crash. */
export interface TrackedCore {
  readonly label: string
  readonly core: CallbackHypercore
  /** How the scenario asked for it, to ask the reopened store the same way. */
  readonly reopen: (store: StoreLike) => CallbackHypercore
  /** Appended to by this store: it must reopen writable and take one more block. */
  readonly writable: boolean
  /** Its acknowledged appends must survive with `durable: true` (not so for a core being purged). */
  readonly keepsAcks: boolean
  /** A store to fetch it from again after the crash (a replicated core). */
  readonly source: StoreLike | null
  /** Blocks handed to `append` so far: the most it may hold. */
  issued: number
  /** Blocks whose append had resolved: with `durable: true`, the least it may hold. */
  acked: number
}

export interface TrackOptions {
  writable?: boolean
  keepsAcks?: boolean
  source?: StoreLike
  issued?: number
}

/** The block at `index` of the core labelled `label`, as every scenario appends it. */
export const blockOf = variedBlockFor

/**
 * What one run of a scenario did, as it went: the store it opened, whether `ready()` had resolved,
 * the default core's key, and every core with the blocks issued to it and acknowledged.
 */
export class Trial {
  readonly store: StoreLike
  readonly cores: TrackedCore[] = []
  ready = false
  defaultKey: Buffer | null = null
  /** Errors the store reported through its `'error'` event. */
  readonly errors: Error[] = []
  readonly #cleanups: (() => void)[] = []

  constructor(store: StoreLike) {
    this.store = store
    store.on('error', (err) => this.errors.push(err))
  }

  /** Open the store and its default core (every scenario starts so), noting the default key. */
  async open(): Promise<TrackedCore> {
    await this.store.ready()
    this.ready = true
    const core = this.track('default', this.store.default(), (s) => s.default())
    this.defaultKey = core.core.key
    await engine.ready(core.core)
    return core
  }

  track(label: string, core: CallbackHypercore, reopen: TrackedCore['reopen'], opts: TrackOptions = {}): TrackedCore {
    // A core that fails to open emits 'error'; nobody else may be listening.
    core.on('error', () => {})
    const tracked: TrackedCore = {
      label,
      core,
      reopen,
      writable: opts.writable ?? true,
      keepsAcks: opts.keepsAcks ?? true,
      source: opts.source ?? null,
      issued: opts.issued ?? 0,
      acked: 0,
    }
    this.cores.push(tracked)
    return tracked
  }

  /** `store.get({ name })`, tracked under its name. */
  named(name: string): TrackedCore {
    return this.track(name, this.store.get({ name }), (s) => s.get({ name }))
  }

  /** `store.namespace(name).default()`, tracked under the namespace's name. */
  namespaceDefault(name: string): TrackedCore {
    return this.track(name, this.store.namespace(name).default(), (s) => s.namespace(name).default())
  }

  /** Append `n` blocks in one call (a batch when `n` > 1), resolving when it is acknowledged. */
  async append(c: TrackedCore, n = 1): Promise<void> {
    const start = c.issued
    c.issued += n
    const blocks = Array.from({ length: n }, (_, i) => blockOf(c.label, start + i))
    await engine.append(c.core, n === 1 ? (blocks[0] as Buffer) : blocks)
    c.acked = Math.max(c.acked, start + n)
  }

  /** Run `fn` once the trial is over (the power is lost): end streams to stores that live on. */
  defer(fn: () => void): void {
    this.#cleanups.push(fn)
  }

  cleanup(): void {
    for (const fn of this.#cleanups.splice(0)) fn()
  }
}
