import { CorestoreError } from '@corestore/errors'
import { closeSync, constants, join, open, tryLock } from '#node'
import { storeLocked } from './errors.js'
import { makeDirectory, type Storage } from './storage.js'

/** The file whose lock marks a directory store as open. corestore 5 ignores it. */
export const LOCK_FILE = 'LOCK'

export interface StoreLock {
  release(): Promise<void>
}

/**
 * A store dropped without `close()` lets go of its lock when it is collected. The lock is held on
 * a plain descriptor, not a `FileHandle`: Node warns (DEP0137) when it closes a handle for us.
 */
const dropped = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd)
  } catch {
    // Already closed: nothing held.
  }
})

/**
 * Take the directory's exclusive lock, or refuse with `STORE_LOCKED` when another store (in this
 * process or another) holds it. The lock is the kernel's, on an open file: it goes away with the
 * process that held it, so a killed process never leaves a stale lock behind.
 * A storage function has no directory to lock: `null`.
 * @throws {CorestoreError} `STORE_LOCKED`; `INVALID_STORAGE` when the path is a file or below one;
 *   `STORAGE_ERROR` when the directory or its `LOCK` cannot be created or opened
 */
export async function lockStore(storage: Storage): Promise<StoreLock | null> {
  if (storage.directory === null) return null
  await makeDirectory(storage.directory)
  const path = join(storage.directory, LOCK_FILE)
  const fd = await new Promise<number>((resolve, reject) => {
    open(path, constants.O_RDWR | constants.O_CREAT, 0o600, (err, fd) => {
      if (err) reject(CorestoreError.storage(path, err))
      else resolve(fd)
    })
  })
  let locked = false
  try {
    locked = tryLock(fd)
  } finally {
    if (!locked) closeSync(fd)
  }
  if (!locked) {
    throw storeLocked(storage.directory)
  }
  const lock: StoreLock = {
    release: async () => {
      if (!dropped.unregister(lock)) return
      closeSync(fd)
    },
  }
  dropped.register(lock, fd, lock)
  return lock
}
