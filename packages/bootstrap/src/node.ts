import { randomBytes } from 'node:crypto'
import { closeSync, constants, promises as fs, open } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { randomAccessFile } from '@corestore/engine'
import { defaultMaxOpenFiles, FileBudget } from './file-budget.js'
import type { Storage } from './storage.js'

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
export function directoryStorage(directory: string, maxOpenFiles: number | undefined): Storage {
  const max = maxOpenFiles ?? defaultMaxOpenFiles()
  if (max === Number.POSITIVE_INFINITY) {
    return { directory, budget: null, file: (path) => randomAccessFile(path, { directory }) }
  }
  const budget = new FileBudget(max)
  return { directory, budget, file: (path) => budget.file(path, directory) }
}
