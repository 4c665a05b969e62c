import type { CoreCache } from '@corestore/cache'
import { CorestoreError } from '@corestore/errors'

/** What a store lends its `inner`. */
export interface InnerHost<C> {
  readonly cache: CoreCache<C>
  readonly opened: boolean
  /** The store's secret for `namespace` and `name` (its keychain's). */
  secret(namespace: string, name: string | Uint8Array): Buffer
  /** Add a core to every live replication stream of the store, whichever view made it. */
  inject(core: C): void
  /** Emit `event` on every view of the store. */
  emitOnViews(event: string, args: unknown[]): void
}

/**
 * The part of corestore 5's `store.inner` (its InnerCorestore, shared by every view) that programs
 * written for it reach into. A compatibility surface, not an API to build on: docs/api.md lists
 * what is here and what is not.
 */
export interface CorestoreInner<C> {
  /** The store's core cache: `store.cache`, as in corestore 5. */
  readonly cache: CoreCache<C>
  /**
   * A 32-byte secret derived from the master key in `namespace`, as corestore 5's
   * `inner._deriveSecret(namespace, name)`: daemons seed their network identity with it
   * (hyperspace: `_deriveSecret('@hypercore-protocol/hyperspace', 'replication-keypair')`).
   * @throws {CorestoreError} `STORE_NOT_READY` before `ready()`; `INVALID_NAME` for a namespace
   *   that is not a string, or a name that is neither a string nor bytes
   */
  _deriveSecret(namespace: string, name: string | Uint8Array): Buffer
  /**
   * Replicate a core the store did not open (dat-sdk's in-memory cores) over every live stream of
   * the store, as corestore 5's `inner._injectIntoReplicationStreams(core)`; it joins once ready.
   */
  _injectIntoReplicationStreams(core: C): void
  /**
   * corestore 5's inner is an event emitter whose `'feed'` and `'error'` every view re-emits:
   * `inner.emit('feed', core)` makes every view emit `'feed'` (dat-sdk announces its in-memory cores
   * so). Other events have no listener here and return `false`.
   */
  emit(event: string | symbol, ...args: unknown[]): boolean
}

/** The `inner` of a store: made once, by the shared store, so every view gives the same object. */
export function createInner<C>(host: InnerHost<C>): CorestoreInner<C> {
  return {
    get cache() {
      return host.cache
    },
    _deriveSecret(namespace, name) {
      // corestore 5 hashes with no key at all before its master key is loaded; refuse instead.
      if (!host.opened) throw CorestoreError.notReady('inner._deriveSecret')
      return host.secret(namespace, name)
    },
    _injectIntoReplicationStreams(core) {
      host.inject(core)
    },
    emit(event, ...args) {
      if (event !== 'feed' && event !== 'error') return false
      host.emitOnViews(event, args)
      return true
    },
  }
}
