import { engine } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { fs, join } from '#node'
import type { Storage } from '../storage.js'

/** One file of a store, opened for reading only: on a directory nothing is created, not even the file. */
export interface ReadOnlyFile {
  /** `size` bytes at `offset`; `null` where the file is absent or too short. */
  read(offset: number, size: number): Promise<Buffer | null>
  /** The whole file; `null` when it is absent. */
  readAll(): Promise<Buffer | null>
  close(): Promise<void>
}

/**
 * Open `path` (relative to the store) for reading. On a directory the file is opened read-only,
 * so reading a store never changes a byte of it; through a storage function it is whatever
 * the function returns, read and never written.
 * Failures other than "absent" are `STORAGE_ERROR`, naming the file.
 */
export function openReadOnly(storage: Storage, path: string): ReadOnlyFile {
  return storage.directory === null ? new StorageFile(storage, path) : new DirectoryFile(storage.directory, path)
}

/** Read a whole file of the store, read-only; `null` when it is absent. */
export async function readWhole(storage: Storage, path: string): Promise<Buffer | null> {
  const file = openReadOnly(storage, path)
  try {
    return await file.readAll()
  } finally {
    await file.close()
  }
}

class DirectoryFile implements ReadOnlyFile {
  readonly #path: string
  readonly #name: string
  #handle: Promise<fs.FileHandle | null> | null = null

  constructor(directory: string, path: string) {
    this.#path = join(directory, path)
    this.#name = path
  }

  async read(offset: number, size: number): Promise<Buffer | null> {
    const handle = await this.#open()
    if (!handle) return null
    const buf = Buffer.alloc(size)
    const { bytesRead } = await this.#guard(handle.read(buf, 0, size, offset))
    return bytesRead === size ? buf : null
  }

  async readAll(): Promise<Buffer | null> {
    const handle = await this.#open()
    return handle && this.#guard(handle.readFile())
  }

  async close(): Promise<void> {
    const handle = await this.#handle?.catch(() => null)
    await handle?.close()
  }

  #open(): Promise<fs.FileHandle | null> {
    this.#handle ??= fs.open(this.#path, 'r').catch((err: unknown) => {
      if (engine.isAbsent(err)) return null
      throw CorestoreError.storage(this.#name, err)
    })
    return this.#handle
  }

  async #guard<T>(op: Promise<T>): Promise<T> {
    try {
      return await op
    } catch (err) {
      throw CorestoreError.storage(this.#name, err)
    }
  }
}

class StorageFile implements ReadOnlyFile {
  readonly #storage: Storage
  readonly #name: string
  #file: ReturnType<Storage['file']> | null = null

  constructor(storage: Storage, path: string) {
    this.#storage = storage
    this.#name = path
  }

  get #opened(): ReturnType<Storage['file']> {
    this.#file ??= this.#storage.file(this.#name)
    return this.#file
  }

  async read(offset: number, size: number): Promise<Buffer | null> {
    try {
      const buf = await engine.readMaybe(this.#opened, offset, size)
      return buf && buf.length === size ? Buffer.from(buf) : null
    } catch (err) {
      throw CorestoreError.storage(this.#name, err)
    }
  }

  async readAll(): Promise<Buffer | null> {
    let size: number | null
    try {
      size = await engine.statMaybe(this.#opened)
    } catch (err) {
      throw CorestoreError.storage(this.#name, err)
    }
    if (size === null) return null
    return size === 0 ? Buffer.alloc(0) : this.read(0, size)
  }

  async close(): Promise<void> {
    if (this.#file) await engine.closeStorage(this.#file).catch(() => {})
  }
}
