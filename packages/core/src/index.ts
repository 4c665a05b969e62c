import { Corestore } from './corestore.js'

export type { StorageInput, StoredCore } from '@corestore/bootstrap'
export type { CacheEntry, CoreCache } from '@corestore/cache'
export type {
  CallbackHypercore,
  DownloadRange,
  Hypercore,
  HypercoreOptions,
  ProtocolStream,
  ReplicationOptions,
  UpdateOptions,
  ValueEncoding,
} from '@corestore/engine'
export { createMemoryStorage, randomAccessMemory } from '@corestore/engine'
export { CorestoreError, type ErrorCode, isCorestoreError } from '@corestore/errors'
export type { CorestoreOptions, GetInput, GetOptions, KeyInput } from './options.js'
export type { CorestoreInner, StoreStats } from './shared-store.js'
export { Corestore }
export default Corestore
// `require('@corestore/core')` (Node ≥ 20.19 loads ES modules from CommonJS) gives the class
// itself, as `require('corestore')` does: corestore 5 programs run unchanged.
export { Corestore as 'module.exports' }
