import type { HypercoreConstructor, ProtocolOptions, ProtocolStream } from './hypercore-types.js'
import type { RandomAccessStorage, StorageHandlers } from './storage-types.js'

// The engine packages are CommonJS without types. `#node` loads them (node.ts in Node, with the
// noise-protocol and page-table hooks; browser.ts for bundlers, by static imports) and this file
// gives them their types, once.

export interface ProtocolConstructor {
  new (isInitiator: boolean, opts?: ProtocolOptions): ProtocolStream
  isProtocolStream(value: unknown): boolean
  keyPair(seed?: Buffer): { publicKey: Buffer; secretKey: Buffer }
}

export type StorageClass = new (handlers?: StorageHandlers) => RandomAccessStorage
export type FileStorage = (filename: string, opts?: { directory?: string; truncate?: boolean }) => RandomAccessStorage
export type MemoryStorage = (name?: string) => RandomAccessStorage
export type BitfieldConstructor = (pageSize: number, pages: Buffer[]) => { tree: unknown }
export type TreeIndexConstructor = (bits: unknown) => { blocks(): number }
export interface FlatTree {
  fullRoots(index: number): number[]
}

/** The engine packages, as `#node` hands them out. */
export interface EngineModules {
  hypercore: HypercoreConstructor
  protocol: ProtocolConstructor
  storage: StorageClass
  file: FileStorage
  memory: MemoryStorage
  /** hypercore 9's own bitfield, tree index and flat-tree, for reading a core's length from its files. */
  bitfield: BitfieldConstructor
  treeIndex: TreeIndexConstructor
  flat: FlatTree
}
