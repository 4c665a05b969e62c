import { modules } from '#node'
import { BITFIELD_PAGE_SIZE, bitfieldPageSize, HEADER_SIZE, NODE_SIZE, nodeSize } from './stored-size.js'

// Reading a core's blocks straight from hypercore 9's files, without opening it (hypercore rewrites
// file headers on open): `data` holds the blocks end to end; block `i`'s size is in its leaf node
// (flat-tree index `2i`) of `tree`, its offset the sum of the sizes of the full roots of the blocks
// before it; the data bits of `bitfield` say which blocks are here.

/** A bitfield page starts with 1024 bytes of data bits (one per block, high bit first). */
const DATA_BITS_PER_PAGE = 1024 * 8

/** Read access to one core's files; reads resolve `null` where a file is absent or too short. */
export interface BlockFiles {
  tree(offset: number, size: number): Promise<Buffer | null>
  data(offset: number, size: number): Promise<Buffer | null>
}

/** What a read found missing, for the caller's error: "tree has no node 6". */
export class DamagedFiles extends Error {
  constructor(detail: string) {
    super(detail)
    this.name = 'DamagedFiles'
  }
}

/** The blocks of one stored core, `length` of them (as its stored size says), read in any order. */
export class BlockReader {
  readonly length: number
  readonly #bitfield: Buffer
  readonly #pageSize: number
  readonly #files: BlockFiles
  /** Where the next block of a sequential read starts, to read each leaf only once. */
  #next: { index: number; offset: number } | null = null

  /** `bitfield` is the whole `bitfield` file (`null` when absent: no block is here). */
  constructor(length: number, bitfield: Buffer | null, files: BlockFiles) {
    this.length = length
    this.#bitfield = bitfield ?? Buffer.alloc(0)
    this.#pageSize = this.#bitfield.length > HEADER_SIZE ? bitfieldPageSize(this.#bitfield) : BITFIELD_PAGE_SIZE
    this.#files = files
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
   * @throws {DamagedFiles} when the tree or data file does not hold it whole
   */
  async get(index: number): Promise<Buffer> {
    const offset = this.#next?.index === index ? this.#next.offset : await this.#offset(index)
    const size = await this.#size(2 * index)
    const block = size === 0 ? Buffer.alloc(0) : await this.#files.data(offset, size)
    if (block === null) throw new DamagedFiles(`data holds no ${size} bytes at ${offset} for block ${index}`)
    this.#next = { index: index + 1, offset: offset + size }
    return block
  }

  /** The bytes before block `index`: the sizes of the full roots of the first `index` blocks. */
  async #offset(index: number): Promise<number> {
    let offset = 0
    for (const root of modules.flat.fullRoots(2 * index)) offset += await this.#size(root)
    return offset
  }

  /** The byte size in tree node `node` (flat-tree index). */
  async #size(node: number): Promise<number> {
    const size = nodeSize(await this.#files.tree(HEADER_SIZE + NODE_SIZE * node, NODE_SIZE))
    if (size === null) throw new DamagedFiles(`tree has no node ${node}`)
    return size
  }
}
