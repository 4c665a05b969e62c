import { randomBytes } from 'node:crypto'
import { close, closeSync, constants, promises as fs, fsync, open } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { randomAccessFile, type StorageCallback } from '@corestore/engine'
import { defaultMaxOpenFiles, FileBudget, syncRandomAccessFile } from './file-budget.js'
import type { StorageBase } from './storage.js'

// Node: `#node` resolves here. Everything a directory store needs from the platform (files, paths,
// the kernel's lock, random bytes for temporary names, the descriptor budget) comes from this module,
// so that a bundle for browsers (browser.ts) carries none of it.

export { closeSync, constants, fs, join, open, randomBytes }

interface NativeLocks {
  tryLock(fd: number, opts?: { shared?: boolean }): boolean
}

const locks = createRequire(import.meta.url)('fs-native-extensions') as NativeLocks

/** Take the kernel's exclusive lock on an open file; `false` when another holder has it. */
export function tryLock(fd: number): boolean {
  return locks.tryLock(fd)
}

/** A directory store's files, opened within a budget of `maxOpenFiles` descriptors (see `FileBudget`). */
export function directoryStorage(directory: string, maxOpenFiles: number | undefined): StorageBase {
  const max = maxOpenFiles ?? defaultMaxOpenFiles()
  const syncDirectories = (paths: readonly string[]) => Promise.all(paths.map((p) => syncDirectory(join(directory, p))))
  if (max === Number.POSITIVE_INFINITY) {
    const file = (path: string) => {
      const raf = randomAccessFile(path, { directory })
      return Object.assign(raf, { sync: (cb: StorageCallback) => syncRandomAccessFile(raf, cb) })
    }
    return { directory, budget: null, file, syncable: true, syncDirectories }
  }
  const budget = new FileBudget(max)
  return { directory, budget, file: (path) => budget.file(path, directory), syncable: true, syncDirectories }
}

/** fsync a directory, so that the files created (or removed) in it stay so after a power loss. */
export function syncDirectory(directory: string): Promise<void> {
  return new Promise((resolve, reject) => {
    open(directory, constants.O_RDONLY, (err, fd) => {
      if (err) return reject(err)
      fsync(fd, (syncErr) => close(fd, (closeErr) => (syncErr || closeErr ? reject(syncErr ?? closeErr) : resolve())))
    })
  })
}
