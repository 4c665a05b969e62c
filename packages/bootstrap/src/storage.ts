import type { RandomAccessStorage, StorageFactory } from '@corestore/engine'
import { CorestoreError, describe } from '@corestore/errors'
import { directoryStorage, fs } from '#node'
import type { FileBudget } from './file-budget.js'
import { checkMaxOpenFiles } from './max-open-files.js'

/** What `new Corestore(storage)` accepts: a directory path, or a function from a file path to a storage. */
export type StorageInput = string | StorageFactory

/** The store's storage, normalised: one way to open a file, and the directory when there is one. */
export interface Storage {
  /** Open the file at `path` (relative to the store, `/`-separated). */
  file(path: string): RandomAccessStorage
  /** The store's directory when `storage` was a path; `null` for a storage function. */
  readonly directory: string | null
  /** The descriptor budget of a directory store's files; `null` without one. */
  readonly budget: FileBudget | null
}

export interface StorageOptions {
  /**
   * A directory store keeps at most this many of its files open at once (`Infinity`: no bound);
   * default: half the process's soft limit on open files, or 512 where it cannot be read.
   */
  maxOpenFiles?: number | undefined
}

/** The checked `maxOpenFiles` option; `undefined` (the platform's default) when not given. */
function maxOpenFilesOf(opts: unknown): number | undefined {
  const given = typeof opts === 'object' && opts !== null ? (opts as StorageOptions).maxOpenFiles : undefined
  return checkMaxOpenFiles(given)
}

/**
 * Normalise the `storage` argument as corestore 5 takes it. A directory store's files are opened
 * within a descriptor budget (`opts.maxOpenFiles`, see `FileBudget`).
 * @throws {CorestoreError} `INVALID_STORAGE` for anything but a non-empty string or a function, and
 *   for a string outside Node (a browser has no directories);
 *   `INVALID_OPTION` for a `maxOpenFiles` that is not a positive integer or `Infinity`
 */
export function openStorage(storage: unknown, opts?: StorageOptions | null): Storage {
  if (typeof storage === 'string' && storage.length > 0) {
    return directoryStorage(storage, maxOpenFilesOf(opts))
  }
  if (typeof storage === 'function') {
    const factory = storage as StorageFactory
    maxOpenFilesOf(opts)
    return { directory: null, budget: null, file: (path) => factory(path) }
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
