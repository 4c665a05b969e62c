import type { CoreCache } from '@corestore/cache'
import type { Hypercore } from '@corestore/engine'
import { CorestoreError } from '@corestore/errors'
import type { SharedStore } from './shared-store.js'

/**
 * The part of corestore 5's `store.inner` (its InnerCorestore, shared by every view) that programs
 * written for it reach into. A compatibility surface, not an API to build on: docs/api.md lists
 * what is here and what is not.
 */
export interface CorestoreInner {
  /** The store's core cache: `store.cache`, as in corestore 5. */
  readonly cache: CoreCache<Hypercore>
  /**
   * A 32-byte secret derived from the master key in `namespace`, as corestore 5's
   * `inner._deriveSecret(namespace, name)`: daemons seed their network identity with it
   * (hyperspace: `_deriveSecret('@hypercore-protocol/hyperspace', 'replication-keypair')`).
   * @throws {CorestoreError} `STORE_NOT_READY` before `ready()`; `INVALID_NAME` for a namespace
   *   that is not a string, or a name that is neither a string nor bytes
   */
  _deriveSecret(namespace: string, name: string | Uint8Array): Buffer
}

/** The `inner` of a store: made once, by the shared store, so every view gives the same object. */
export function createInner(store: SharedStore): CorestoreInner {
  return {
    get cache() {
      return store.cache
    },
    _deriveSecret(namespace, name) {
      // corestore 5 hashes with no key at all before its master key is loaded; refuse instead.
      if (!store.opened) throw CorestoreError.notReady('inner._deriveSecret')
      return store.keychain.secret(namespace, name)
    },
  }
}
