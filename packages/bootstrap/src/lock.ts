import { constants, promises as fs } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { CorestoreError } from '@corestore/errors'
import type { Storage } from './storage.js'

/** The file whose lock marks a directory store as open. corestore 5 ignores it. */
export const LOCK_FILE = 'LOCK'

interface NativeLocks {
  tryLock(fd: number, opts?: { shared?: boolean }): boolean
}

const require = createRequire(import.meta.url)
const locks = require('fs-native-extensions') as NativeLocks

export interface StoreLock {
  release(): Promise<void>
}

/**
 * Take the directory's exclusive lock, or refuse with `STORE_LOCKED` when another store (in this
 * process or another) holds it. The lock is the kernel's, on an open file: it goes away with the
 * process that held it, so a killed process never leaves a stale lock behind.
 * A storage function has no directory to lock: `null`.
 * @throws {CorestoreError} `STORE_LOCKED`
 */
export async function lockStore(storage: Storage): Promise<StoreLock | null> {
  if (storage.directory === null) return null
  await fs.mkdir(storage.directory, { recursive: true })
  const path = join(storage.directory, LOCK_FILE)
  const handle = await fs.open(path, constants.O_RDWR | constants.O_CREAT, 0o600)
  let locked = false
  try {
    locked = locks.tryLock(handle.fd)
  } finally {
    if (!locked) await handle.close()
  }
  if (!locked) {
    throw new CorestoreError(
      'STORE_LOCKED',
      `${storage.directory} is open in another Corestore (this process or another); close that one first`,
    )
  }
  let released: Promise<void> | null = null
  return {
    release: () => {
      released ??= handle.close()
      return released
    },
  }
}
