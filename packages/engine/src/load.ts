import { createRequire } from 'node:module'
import type {
  Hypercore,
  HypercoreConstructor,
  HypercoreOptions,
  ProtocolOptions,
  ProtocolStream,
} from './hypercore-types.js'
import { withKnownGoodNoise } from './noise.js'
import { withPageTables } from './page-table-hook.js'
import { withPromises } from './promise-core.js'
import type { RandomAccessStorage, StorageFactory, StorageHandlers } from './storage-types.js'

// The engine packages are CommonJS without types: load them once, here, and give them their types.
const require = createRequire(import.meta.url)

interface ProtocolConstructor {
  new (isInitiator: boolean, opts?: ProtocolOptions): ProtocolStream
  isProtocolStream(value: unknown): boolean
  keyPair(seed?: Buffer): { publicKey: Buffer; secretKey: Buffer }
}

type StorageClass = new (handlers?: StorageHandlers) => RandomAccessStorage
type FileStorage = (filename: string, opts?: { directory?: string; truncate?: boolean }) => RandomAccessStorage
type MemoryStorage = (name?: string) => RandomAccessStorage

// Both load hypercore-protocol 8's Noise handshake, which needs noise-protocol 3.0.1 (see noise.ts);
// hypercore's bitfields get page tables that grow on demand (see page-table-hook.ts).
/** The engine's hypercore 9: its callback API only. */
export const [bareHypercore, HypercoreProtocol] = withKnownGoodNoise(() =>
  withPageTables(() => [
    require('hypercore') as HypercoreConstructor,
    require('hypercore-protocol') as ProtocolConstructor,
  ]),
)

/** A hypercore 9 core whose methods also return promises when called without a callback. */
export function createHypercore<Block = Buffer>(
  storage: StorageFactory,
  key: Buffer | null,
  opts?: HypercoreOptions,
): Hypercore<Block> {
  return withPromises<Block>(bareHypercore(storage, key, opts))
}
export const RandomAccessStorageClass = require('random-access-storage') as StorageClass
export const randomAccessFile = require('random-access-file') as FileStorage
export const randomAccessMemory = require('random-access-memory') as MemoryStorage

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
