import { modules } from '#node'

// hypercore 9's own in-memory structures, so that a length read from the files is the one hypercore
// itself computes when it opens the core. They only parse buffers: nothing here touches a file.
const createBitfield = modules.bitfield
const createTreeIndex = modules.treeIndex
const flat = modules.flat

/** Every hypercore 9 file (`bitfield`, `tree`, `signatures`) starts with a 32-byte header. */
export const HEADER_SIZE = 32
/** A `tree` node: a 32-byte hash and the byte size of the blocks below it (uint64, big-endian). */
export const NODE_SIZE = 40
/** A `signatures` slot: the ed25519 signature of the core at one length. */
export const SIGNATURE_SIZE = 64
/** The page size hypercore 9 writes in new `bitfield` headers. */
export const BITFIELD_PAGE_SIZE = 3584
/** Where a header keeps its entry size (a bitfield's page size), a uint16 big-endian. */
const ENTRY_SIZE_OFFSET = 5

/** hypercore 9's files of a core (besides its `key` and `secret_key`). */
export const HYPERCORE_FILES = ['bitfield', 'tree', 'data', 'signatures'] as const
export type CoreFileName = (typeof HYPERCORE_FILES)[number]

/** The page size a `bitfield` header states; 0 when it states none (a short header, or one a crash zeroed). */
export function statedPageSize(header: Buffer): number {
  return header.length >= HEADER_SIZE ? header.readUInt16BE(ENTRY_SIZE_OFFSET) : 0
}

/** The page size to read a `bitfield` with: the one its header states, else 3584, all hypercore 9 writes. */
export function bitfieldPageSize(header: Buffer): number {
  return statedPageSize(header) || BITFIELD_PAGE_SIZE
}

/** A copy of `header` stating `pageSize`. */
export function withPageSize(header: Buffer, pageSize = BITFIELD_PAGE_SIZE): Buffer {
  const copy = Buffer.from(header)
  copy.writeUInt16BE(pageSize, ENTRY_SIZE_OFFSET)
  return copy
}

/**
 * The byte size a `tree` node (as read, `NODE_SIZE` bytes) holds for the blocks below it; `null` when
 * it is not there: absent, short, or never written (hypercore's "No node found": all zeros).
 */
export function nodeSize(node: Buffer | null): number | null {
  if (!node || node.length < NODE_SIZE || node.every((b) => b === 0)) return null
  return Number(node.readBigUInt64BE(32))
}

const HEADERS = {
  bitfield: { type: 0, size: BITFIELD_PAGE_SIZE, name: '' },
  signatures: { type: 1, size: SIGNATURE_SIZE, name: 'Ed25519' },
  tree: { type: 2, size: NODE_SIZE, name: 'BLAKE2b' },
} as const

/**
 * The 32-byte header hypercore 9 writes at the start of `file`: a magic number, the file's type,
 * its entry size (a bitfield's page size) and the algorithm's name.
 */
export function hypercoreHeader(file: keyof typeof HEADERS, pageSize?: number): Buffer {
  const { type, size, name } = HEADERS[file]
  const buf = Buffer.alloc(HEADER_SIZE)
  buf.set([5, 2, 87, type, 0])
  buf.writeUInt16BE(pageSize ?? size, ENTRY_SIZE_OFFSET)
  if (name) {
    buf[7] = name.length
    buf.write(name, 8)
  }
  return buf
}

/** Read access to one core's files; both resolve `null` where the file is absent or too short. */
export interface HypercoreFiles {
  /** The whole `bitfield` file, header included. */
  bitfield(): Promise<Buffer | null>
  /** `size` bytes of the `tree` file at `offset`. */
  tree(offset: number, size: number): Promise<Buffer | null>
}

export interface StoredSize {
  /** Blocks in the log, as `core.length` would say once opened. */
  readonly length: number
  /** Bytes in those blocks, as `core.byteLength` would say (counted whether downloaded or not). */
  readonly byteLength: number
}

/**
 * A core's length and byte length computed from its files alone, as hypercore 9 computes them on
 * open: the length from the tree bits of `bitfield`, the byte length from the sizes of the root
 * nodes in `tree`. Like hypercore, a length whose roots are missing is tried once more one block
 * shorter; `null` when that fails too (hypercore would refuse to open the core).
 */
export async function storedSize(files: HypercoreFiles): Promise<StoredSize | null> {
  let length = lengthFromBitfield(await files.bitfield())
  for (let attempt = 0; attempt < 2; attempt++) {
    const byteLength = await rootsSize(files, length)
    if (byteLength !== null) return { length, byteLength }
    length--
  }
  return null
}

/** The length hypercore 9 gives a core from its `bitfield` file (absent: 0). */
export function lengthFromBitfield(file: Buffer | null): number {
  if (!file || file.length <= HEADER_SIZE) return 0
  const pageSize = bitfieldPageSize(file)
  const pages: Buffer[] = []
  for (let offset = HEADER_SIZE; offset < file.length; offset += pageSize) {
    pages.push(file.subarray(offset, offset + pageSize))
  }
  return createTreeIndex(createBitfield(pageSize, pages).tree).blocks()
}

async function rootsSize(files: HypercoreFiles, length: number): Promise<number | null> {
  if (length <= 0) return 0
  let total = 0
  for (const index of flat.fullRoots(2 * length)) {
    const size = nodeSize(await files.tree(HEADER_SIZE + NODE_SIZE * index, NODE_SIZE))
    if (size === null) return null
    total += size
  }
  return total
}
