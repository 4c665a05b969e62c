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
} from './hypercore-types.js'
export {
  bareHypercore,
  createHypercore,
  createProtocolStream,
  HypercoreProtocol,
  isProtocolStream,
  lazyNoiseKeyPair,
  type NoiseKeyPair,
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
  streamOptions,
} from './options.js'
export * as engine from './promise.js'
export { withPromises } from './promise-core.js'
export {
  type CoreFileName,
  type Recovery,
  type RecoveryFiles,
  type RecoveryOptions,
  recoverCore,
} from './recover.js'
export { remoteAnswer } from './remote-answer.js'
export type {
  RandomAccessStorage,
  StorageCallback,
  StorageFactory,
  StorageHandlers,
  StorageRequest,
} from './storage-types.js'
export {
  BITFIELD_PAGE_SIZE,
  HEADER_SIZE,
  type HypercoreFiles,
  hypercoreHeader,
  lengthFromBitfield,
  type StoredSize,
  storedSize,
} from './stored-size.js'
export {
  DEFAULT_UPLOAD_LIMITS,
  limitUploads,
  outgoingBytes,
  type UploadLimits,
  uploadBacklog,
  uploadBacklogBelow,
} from './upload-limit.js'
