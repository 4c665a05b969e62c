import { modules } from '#node'
import { withFirstPutsAlone } from './first-puts.js'
import { withPromises } from './promise-core.js'
import type { StorageFactory } from './storage-types.js'
import type { Hypercore, HypercoreOptions, ProtocolOptions, ProtocolStream } from './types.js'

// `#node` loads the engine packages: in Node with the noise-protocol and page-table hooks (node.ts),
// elsewhere by static imports a bundler can follow (browser.ts).
/** The engine's hypercore 9: its callback API only. */
export const bareHypercore = modules.hypercore
export const HypercoreProtocol = modules.protocol

/**
 * A hypercore 9 core whose methods also return promises when called without a callback, and whose
 * first downloaded blocks are verified one after the other (see first-puts.ts).
 */
export function createHypercore<Block = Buffer>(
  storage: StorageFactory,
  key: Buffer | null,
  opts?: HypercoreOptions,
): Hypercore<Block> {
  return withPromises<Block>(withFirstPutsAlone(bareHypercore(storage, key, opts)))
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

/** A Noise key pair, as hypercore-protocol 8 makes them. */
export interface NoiseKeyPair {
  readonly publicKey: Buffer
  readonly secretKey: Buffer
}

/**
 * A Noise key pair of its own for one core, made the first time it is used: hypercore 9 makes one per
 * core in its constructor (a curve25519 key generation per open), for the streams the core makes
 * itself (`core.replicate(true)`); cores the store replicates on its own streams never use it.
 * One per core, as hypercore's, so no two cores (nor two connections) can be linked by their key.
 */
export function lazyNoiseKeyPair(): NoiseKeyPair {
  return new LazyNoiseKeyPair()
}

/** Getters on the prototype and one field: a few words per core, not a closure and two accessors each. */
class LazyNoiseKeyPair implements NoiseKeyPair {
  #pair: NoiseKeyPair | null = null

  get publicKey(): Buffer {
    return this.#made().publicKey
  }

  get secretKey(): Buffer {
    return this.#made().secretKey
  }

  #made(): NoiseKeyPair {
    this.#pair ??= HypercoreProtocol.keyPair()
    return this.#pair
  }
}
