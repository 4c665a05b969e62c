import type { RandomAccessStorage, StorageFactory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { describe } from '@corestore/errors/internal'
import { directoryStorage, fs } from '#node'
import type { FileBudget } from './descriptor-budget/file-budget.js'
import { checkMaxOpenFiles } from './descriptor-budget/max-open-files.js'
import { invalidStorage } from './errors.js'
import { MASTER_KEY_FILE } from './layout/paths.js'
import type { Journal } from './power-loss/journal.js'

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
  /** Whether its files can be synced (a directory's always; a storage function's when they have `sync`). */
  readonly syncable: boolean
  /** `durable: true`: an acknowledged write survives a power loss. */
  readonly durable: boolean
  /** fsync these folders (relative to the store), so what was created in them stays; nothing without folders. */
  syncDirectories(paths: readonly string[]): Promise<unknown>
  /** The store's recovery journal once the store is open; `null` when the files cannot be synced. */
  journal: Journal | null
}

/** The parts of `Storage` that depend on where the files are. */
export type StorageBase = Omit<Storage, 'durable' | 'journal'>

export interface StorageOptions {
  /**
   * A directory store keeps at most this many of its files open at once (`Infinity`: no bound);
   * default: half the process's soft limit on open files, or 512 where it cannot be read.
   */
  maxOpenFiles?: number | undefined
  /** Sync every acknowledged write (see `Storage.durable`). */
  durable?: boolean | null | undefined
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
  const durable = durableOf(opts)
  if (typeof storage === 'string' && storage.length > 0) {
    return { ...directoryStorage(storage, maxOpenFilesOf(opts)), durable, journal: null }
  }
  if (typeof storage === 'function') {
    const factory = storage as StorageFactory
    maxOpenFilesOf(opts)
    // Asked of one file, before anything is written: a durable store refuses files it cannot sync.
    const syncable = durable ? probeSync(factory) : true
    if (durable && !syncable) {
      throw CorestoreError.invalidOption(
        'opts.durable',
        "a storage whose files have sync(cb): this storage function's files cannot be synced",
      )
    }
    return {
      directory: null,
      budget: null,
      file: (path) => factory(path),
      syncable,
      durable,
      journal: null,
      syncDirectories: async () => {},
    }
  }
  throw invalidStorage(describe(storage))
}

function durableOf(opts: unknown): boolean {
  const given = typeof opts === 'object' && opts !== null ? (opts as StorageOptions).durable : undefined
  if (given === undefined || given === null) return false
  if (typeof given !== 'boolean')
    throw CorestoreError.invalidOption('opts.durable', `a boolean, not ${describe(given)}`)
  return given
}

function probeSync(factory: StorageFactory): boolean {
  const file = factory(MASTER_KEY_FILE)
  const syncable = engine.canSync(file)
  file.close(() => {})
  return syncable
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
