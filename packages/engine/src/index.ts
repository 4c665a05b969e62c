// @corestore/engine's user API: hypercore 9, hypercore-protocol 8 and random-access-storage, typed,
// with promises. What the other corestore packages share besides is in internal.ts
// (`@corestore/engine/internal`), outside semver.

export {
  bareHypercore,
  createHypercore,
  createProtocolStream,
  HypercoreProtocol,
  isProtocolStream,
  RandomAccessStorageClass,
  randomAccessFile,
  randomAccessMemory,
} from './hypercore/load.js'
export { createMemoryStorage, type MemoryStorage } from './hypercore/memory-storage.js'
export type { HypercoreCacheOption } from './hypercore/options.js'
export { withPromises } from './hypercore/promise-core.js'
export type {
  RandomAccessStorage,
  StorageCallback,
  StorageFactory,
  StorageHandlers,
  StorageRequest,
} from './hypercore/storage-types.js'
export type {
  Callback,
  CallbackHypercore,
  ChannelHandlers,
  DataMessage,
  DownloadRange,
  GetOptions,
  Hypercore,
  HypercoreConstructor,
  HypercoreOptions,
  ProtocolChannel,
  ProtocolOptions,
  ProtocolStream,
  ReplicationOptions,
  RequestMessage,
  UpdateOptions,
  ValueEncoding,
} from './hypercore/types.js'
export type { StoredSize } from './hypercore-files/stored-size.js'
export { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './wire/upload-limit.js'
