export type {
  Callback,
  ChannelHandlers,
  GetOptions,
  Hypercore,
  HypercoreConstructor,
  HypercoreOptions,
  ProtocolOptions,
  ProtocolStream,
  ReplicationOptions,
  ValueEncoding,
} from './hypercore-types.js'
export {
  createHypercore,
  createProtocolStream,
  HypercoreProtocol,
  isProtocolStream,
  RandomAccessStorageClass,
  randomAccessFile,
  randomAccessMemory,
} from './load.js'
export { createMemoryStorage, type MemoryStorage, notFound } from './memory.js'
export {
  checkHypercoreOptions,
  checkProtocolOptions,
  type HypercoreCacheOption,
  perCoreCache,
} from './options.js'
export * as engine from './promise.js'
export type {
  RandomAccessStorage,
  StorageCallback,
  StorageFactory,
  StorageHandlers,
  StorageRequest,
} from './storage-types.js'
export { type HypercoreFiles, lengthFromBitfield, type StoredSize, storedSize } from './stored-size.js'
