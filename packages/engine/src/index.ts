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
export { createMemoryStorage, type MemoryStorage } from './memory.js'
export * as engine from './promise.js'
export type {
  RandomAccessStorage,
  StorageCallback,
  StorageFactory,
  StorageHandlers,
  StorageRequest,
} from './storage-types.js'
export { type HypercoreFiles, lengthFromBitfield, type StoredSize, storedSize } from './stored-size.js'
