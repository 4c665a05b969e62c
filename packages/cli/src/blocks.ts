import { readStoredSize, type Storage } from '@corestore/bootstrap'
import { corePath, openReadOnly, readWhole } from '@corestore/bootstrap/internal'
import { BlockReader, DamagedFiles } from '@corestore/engine/internal'
import { UsageError } from './command.js'

/**
 * The blocks of a stored core, read straight from its files (hypercore 9's format is the engine's
 * `BlockReader`), opened read-only: nothing is created, no lock is taken and the core is not opened,
 * so a store open in another process can be read.
 */
export class StoredBlocks {
  readonly #reader: BlockReader
  readonly #close: () => Promise<void>
  /** How messages name the core. */
  readonly #label: string

  private constructor(reader: BlockReader, close: () => Promise<void>, label: string) {
    this.#reader = reader
    this.#close = close
    this.#label = label
  }

  /**
   * Open the core stored under `discoveryKey` for reading.
   * @throws {UsageError} when its files are damaged (hypercore would refuse to open it too)
   */
  static async open(storage: Storage, discoveryKey: Buffer, label: string): Promise<StoredBlocks> {
    const dk = discoveryKey.toString('hex')
    const size = await readStoredSize(storage, discoveryKey)
    if (size === null) throw new UsageError(`the files of core ${label} are damaged: its length cannot be read`)
    const bitfield = await readWhole(storage, corePath(dk, 'bitfield'))
    const tree = openReadOnly(storage, corePath(dk, 'tree'))
    const data = openReadOnly(storage, corePath(dk, 'data'))
    const files = { tree: tree.read.bind(tree), data: data.read.bind(data) }
    const close = async () => {
      await Promise.all([tree.close(), data.close()])
    }
    return new StoredBlocks(new BlockReader(size.length, bitfield, files), close, label)
  }

  /** Blocks in the log, as `core.length` says. */
  get length(): number {
    return this.#reader.length
  }

  /** Whether block `index` is stored here (a sparse copy may lack some), as `core.has(index)`. */
  has(index: number): boolean {
    return this.#reader.has(index)
  }

  /**
   * Block `index`, which must be stored here (`has`).
   * @throws {UsageError} when the tree or data file does not hold it whole
   */
  async get(index: number): Promise<Buffer> {
    try {
      return await this.#reader.get(index)
    } catch (err) {
      if (err instanceof DamagedFiles)
        throw new UsageError(`the files of core ${this.#label} are damaged: ${err.message}`)
      throw err
    }
  }

  close(): Promise<void> {
    return this.#close()
  }
}
