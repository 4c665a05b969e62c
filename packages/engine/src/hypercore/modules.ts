import type { RandomAccessStorage, StorageHandlers } from './storage-types.js'
import type { HypercoreConstructor, ProtocolOptions, ProtocolStream } from './types.js'

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
/** A sparse-bitfield over some of a bitfield's pages. */
export interface SparseBits {
  get(index: number): boolean
  set(index: number, value: boolean): boolean
}
/** hypercore 9's bitfield: data bits (and their index) plus the tree bits, in shared pages. */
export interface HypercoreBitfield {
  readonly tree: SparseBits
  readonly pages: { readonly length: number; get(index: number, noAllocate?: boolean): { buffer: Buffer } | undefined }
  get(index: number): boolean
  set(index: number, value: boolean): boolean
  /** Data bits set in `[start, end)`. */
  total(start: number, end: number): number
}
export type BitfieldConstructor = (pageSize: number, pages: Buffer[]) => HypercoreBitfield
/** hypercore 9's tree index over `bits` (a fresh sparse bitfield when none is given). */
export type TreeIndexConstructor = (bits?: SparseBits) => { blocks(): number; set(index: number): boolean }
export interface FlatTree {
  fullRoots(index: number): number[]
  leftChild(index: number): number
  rightChild(index: number): number
  /** The leftmost and rightmost leaf (even) index below `index`. */
  spans(index: number): [number, number]
}
/** A node of a core's Merkle tree, as hypercore 9 stores it in `tree`. */
export interface TreeNode {
  readonly index: number
  readonly hash: Buffer
  readonly size: number
}
/** hypercore-crypto 2, as hypercore 9 uses it. */
export interface HypercoreCrypto {
  data(data: Buffer): Buffer
  parent(a: TreeNode, b: TreeNode): Buffer
  tree(roots: TreeNode[]): Buffer
  signable(roots: TreeNode[], length: number): Buffer
  sign(message: Buffer, secretKey: Buffer): Buffer
  verify(message: Buffer, signature: Buffer, publicKey: Buffer): boolean
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
  /** The hypercore-crypto hypercore 9 signs and hashes with. */
  crypto: HypercoreCrypto
}
