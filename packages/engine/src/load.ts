import { modules } from '#node'
import type { Hypercore, HypercoreOptions, ProtocolOptions, ProtocolStream } from './hypercore-types.js'
import { withPromises } from './promise-core.js'
import type { StorageFactory } from './storage-types.js'

// `#node` loads the engine packages: in Node with the noise-protocol and page-table hooks (node.ts),
// elsewhere by static imports a bundler can follow (browser.ts).
/** The engine's hypercore 9: its callback API only. */
export const bareHypercore = modules.hypercore
export const HypercoreProtocol = modules.protocol

/** A hypercore 9 core whose methods also return promises when called without a callback. */
export function createHypercore<Block = Buffer>(
  storage: StorageFactory,
  key: Buffer | null,
  opts?: HypercoreOptions,
): Hypercore<Block> {
  return withPromises<Block>(bareHypercore(storage, key, opts))
}
export const RandomAccessStorageClass = modules.storage
export const randomAccessFile = modules.file
export const randomAccessMemory = modules.memory

export function createProtocolStream(isInitiator: boolean, opts?: ProtocolOptions): ProtocolStream {
  return new HypercoreProtocol(isInitiator, opts)
}

export function isProtocolStream(value: unknown): value is ProtocolStream {
  return HypercoreProtocol.isProtocolStream(value)
}

let noiseKeyPair: { publicKey: Buffer; secretKey: Buffer } | null = null

/** One Noise key pair for the process, for cores whose own streams are never used (the store's streams carry theirs). */
export function sharedNoiseKeyPair(): { publicKey: Buffer; secretKey: Buffer } {
  noiseKeyPair ??= HypercoreProtocol.keyPair()
  return noiseKeyPair
}
