import { promises as fs } from 'node:fs'
import { type RandomAccessStorage, randomAccessFile, type StorageFactory } from '@corestore/engine'
import { CorestoreError, describe } from '@corestore/errors'

/** What `new Corestore(storage)` accepts: a directory path, or a function from a file path to a storage. */
export type StorageInput = string | StorageFactory

/** The store's storage, normalised: one way to open a file, and the directory when there is one. */
export interface Storage {
  /** Open the file at `path` (relative to the store, `/`-separated). */
  file(path: string): RandomAccessStorage
  /** The store's directory when `storage` was a path; `null` for a storage function. */
  readonly directory: string | null
}

/**
 * Normalise the `storage` argument as corestore 5 takes it.
 * @throws {CorestoreError} `INVALID_STORAGE` for anything but a non-empty string or a function
 */
export function openStorage(storage: unknown): Storage {
  if (typeof storage === 'string' && storage.length > 0) {
    const directory = storage
    return { directory, file: (path) => randomAccessFile(path, { directory }) }
  }
  if (typeof storage === 'function') {
    const factory = storage as StorageFactory
    return { directory: null, file: (path) => factory(path) }
  }
  throw CorestoreError.invalidStorage(describe(storage))
}

/**
 * Create a directory store's folder (and its parents) if needed.
 * @throws {CorestoreError} `INVALID_STORAGE` when the path is a file or lies below one,
 *   `STORAGE_ERROR` (with the cause) when it cannot be created, e.g. for lack of permission
 */
export async function makeDirectory(directory: string): Promise<void> {
  try {
    await fs.mkdir(directory, { recursive: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      const where = code === 'EEXIST' ? 'is a file, not a directory' : 'lies below a file, not a directory'
      throw new CorestoreError('INVALID_STORAGE', `storage ${directory} ${where}`, { argument: 'storage', cause: err })
    }
    throw CorestoreError.storage(directory, err)
  }
}
