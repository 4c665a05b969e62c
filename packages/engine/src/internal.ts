// `@corestore/engine/internal`: what the other corestore packages share, not a promise to users (it
// may change in any release). The user API is index.ts. Grouped by what it knows:
// hypercore/ the typed surface, hypercore-files/ the file format, wire/ the protocol stream.

export { hypercoreError } from './hypercore/errors.js'
export { lazyNoiseKeyPair, type NoiseKeyPair } from './hypercore/load.js'
export { notFound } from './hypercore/memory-storage.js'
export {
  checkHypercoreOptions,
  checkProtocolOptions,
  perCoreCache,
  streamOptions,
} from './hypercore/options.js'
export * as engine from './hypercore/promise.js'
export { type BlockFiles, BlockReader, DamagedFiles } from './hypercore-files/blocks.js'
export {
  type Recovery,
  type RecoveryFiles,
  type RecoveryOptions,
  recoverCore,
} from './hypercore-files/recover.js'
export {
  BITFIELD_PAGE_SIZE,
  bitfieldPageSize,
  type CoreFileName,
  HEADER_SIZE,
  HYPERCORE_FILES,
  type HypercoreFiles,
  hypercoreHeader,
  lengthFromBitfield,
  statedPageSize,
  storedSize,
  withPageSize,
} from './hypercore-files/stored-size.js'
export { createFifo, type Fifo } from './wire/fifo.js'
export { remoteAnswer } from './wire/remote-answer.js'
export { limitUploads, outgoingBytes, uploadBacklog, uploadBacklogBelow } from './wire/upload-limit.js'
