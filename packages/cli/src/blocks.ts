import {
  corePath,
  openReadOnly,
  type ReadOnlyFile,
  readStoredSize,
  readWhole,
  type Storage,
} from '@corestore/bootstrap'
import { UsageError } from './command.js'

// hypercore 9's files, as its lib/storage.js and lib/bitfield.js lay them out.
/** `tree` and `bitfield` start with a 32-byte header. */
const HEADER_SIZE = 32
/** A `tree` node: a 32-byte hash, then the byte size of the blocks below it (uint64, big-endian). */
const NODE_SIZE = 40
/** A `bitfield` page: 1024 bytes of data bits (one per block, high bit first), then tree and index bits. */
const DEFAULT_PAGE_SIZE = 3584
const DATA_BITS_PER_PAGE = 1024 * 8

/**
 * The blocks of a stored core, read straight from its files, opened read-only: nothing is created,
 * no lock is taken and the core is not opened (hypercore rewrites file headers when it opens one),
 * so a store open in another process can be read. `data` holds the blocks end to end; block `i`'s
 * size is in its leaf node (flat-tree index `2i`) of `tree`, its offset is the sum of the sizes of
 * the roots of the blocks before it; `bitfield` says which blocks are here.
 */
export class StoredBlocks {
  /** Blocks in the log, as `core.length` says. */
  readonly length: number
  /** How messages name the core. */
  readonly #label: string
  readonly #bitfield: Buffer
  readonly #pageSize: number
  readonly #tree: ReadOnlyFile
  readonly #data: ReadOnlyFile
  /** Where the next block of a sequential read starts, to read each leaf only once. */
  #next: { index: number; offset: number } | null = null

  private constructor(label: string, length: number, bitfield: Buffer, tree: ReadOnlyFile, data: ReadOnlyFile) {
    this.#label = label
    this.length = length
    this.#bitfield = bitfield
    this.#pageSize = bitfield.length > HEADER_SIZE ? bitfield.readUInt16BE(5) || DEFAULT_PAGE_SIZE : DEFAULT_PAGE_SIZE
    this.#tree = tree
    this.#data = data
  }

  /**
   * Open the core stored under `discoveryKey` for reading.
   * @throws {UsageError} when its files are damaged (hypercore would refuse to open it too)
   */
  static async open(storage: Storage, discoveryKey: Buffer, label: string): Promise<StoredBlocks> {
    const dk = discoveryKey.toString('hex')
    const size = await readStoredSize(storage, discoveryKey)
    if (size === null) throw new UsageError(`the files of core ${label} are damaged: its length cannot be read`)
    const bitfield = (await readWhole(storage, corePath(dk, 'bitfield'))) ?? Buffer.alloc(0)
    return new StoredBlocks(
      label,
      size.length,
      bitfield,
      openReadOnly(storage, corePath(dk, 'tree')),
      openReadOnly(storage, corePath(dk, 'data')),
    )
  }

  /** Whether block `index` is stored here (a sparse copy may lack some), as `core.has(index)`. */
  has(index: number): boolean {
    const page = Math.floor(index / DATA_BITS_PER_PAGE)
    const bit = index % DATA_BITS_PER_PAGE
    const byte = this.#bitfield[HEADER_SIZE + page * this.#pageSize + (bit >> 3)] ?? 0
    return (byte & (0x80 >> (bit & 7))) !== 0
  }

  /**
   * Block `index`, which must be stored here (`has`).
   * @throws {UsageError} when the tree or data file does not hold it whole
   */
  async get(index: number): Promise<Buffer> {
    const offset = this.#next?.index === index ? this.#next.offset : await this.#offset(index)
    const size = await this.#size(2 * index)
    const block = size === 0 ? Buffer.alloc(0) : await this.#data.read(offset, size)
    if (block === null) throw this.#damaged(`data holds no ${size} bytes at ${offset} for block ${index}`)
    this.#next = { index: index + 1, offset: offset + size }
    return block
  }

  async close(): Promise<void> {
    await Promise.all([this.#tree.close(), this.#data.close()])
  }

  /** The bytes before block `index`: the sizes of the full roots of the first `index` blocks. */
  async #offset(index: number): Promise<number> {
    let offset = 0
    for (const root of fullRoots(index)) offset += await this.#size(root)
    return offset
  }

  /** The byte size in tree node `node` (flat-tree index). */
  async #size(node: number): Promise<number> {
    const buf = await this.#tree.read(HEADER_SIZE + NODE_SIZE * node, NODE_SIZE)
    // hypercore's "No node found": a node never written is all zeros.
    if (buf === null || buf.every((b) => b === 0)) throw this.#damaged(`tree has no node ${node}`)
    return Number(buf.readBigUInt64BE(32))
  }

  #damaged(detail: string): UsageError {
    return new UsageError(`the files of core ${this.#label} are damaged: ${detail}`)
  }
}

/**
 * The flat-tree indexes of the roots of the smallest full trees covering the first `blocks` blocks,
 * left to right: one per bit set in `blocks`, the subtree of `2^k` leaves from leaf `start` being
 * node `2 * start + 2^k - 1`.
 */
export function fullRoots(blocks: number): number[] {
  const roots: number[] = []
  let start = 0
  let largest = 1
  while (largest * 2 <= blocks) largest *= 2
  for (let span = largest; span >= 1; span /= 2) {
    if (blocks - start >= span) {
      roots.push(2 * start + span - 1)
      start += span
    }
  }
  return roots
}
