import { randomBytes } from 'node:crypto'
import { close, closeSync, constants, promises as fs, fsync, open, write } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { randomAccessFile, type StorageCallback } from '@corestore/engine'
import { defaultMaxOpenFiles, FileBudget, syncRandomAccessFile } from './descriptor-budget/file-budget.js'
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
  const folders = new FolderSyncs()
  const syncDirectories = (paths: readonly string[]) => Promise.all(paths.map((p) => folders.sync(join(directory, p))))
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

/** Folder syncs running at once, at most: each holds a descriptor outside the store's file budget. */
const FOLDER_SYNCS = 8

/**
 * A store's folder syncs: a folder asked for while its sync runs is synced once more after it (what
 * was created meanwhile must be covered), by everybody who asked meanwhile together, and a few
 * folders at a time — thousands of cores closing at once share the root's and their `xx` folders'.
 */
class FolderSyncs {
  readonly #next = new Map<string, Promise<void>>()
  readonly #running = new Map<string, Promise<void>>()
  readonly #queue: (() => void)[] = []
  #active = 0

  sync(path: string): Promise<void> {
    const queued = this.#next.get(path)
    if (queued) return queued
    const after = (this.#running.get(path) ?? Promise.resolve()).catch(() => {})
    const run = after.then(async () => {
      this.#next.delete(path)
      this.#running.set(path, run)
      await this.#slot()
      try {
        await syncDirectory(path)
      } finally {
        this.#active--
        this.#queue.shift()?.()
        if (this.#running.get(path) === run) this.#running.delete(path)
      }
    })
    this.#next.set(path, run)
    return run
  }

  #slot(): Promise<void> {
    if (this.#active < FOLDER_SYNCS) {
      this.#active++
      return Promise.resolve()
    }
    return new Promise((resolve) =>
      this.#queue.push(() => {
        this.#active++
        resolve()
      }),
    )
  }
}

/**
 * Create `path`, which must not exist yet (`EEXIST` otherwise), holding `data` and fsync'd before it
 * resolves. On plain descriptors, not a `FileHandle`: Yarn's Plug'n'Play replaces `fs.promises`'
 * `FileHandle` with one that has no `sync()`, and would refuse to create a store.
 */
export function createSyncedFile(path: string, data: Buffer, mode: number): Promise<void> {
  return new Promise((resolve, reject) => {
    open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode, (err, fd) => {
      if (err) return reject(err)
      const done = (failed: Error | null) =>
        close(fd, (closeErr) => (failed || closeErr ? reject(failed ?? closeErr) : resolve()))
      write(fd, data, 0, data.length, 0, (writeErr, written) => {
        if (writeErr || written !== data.length) return done(writeErr ?? new Error(`${path}: short write`))
        fsync(fd, (syncErr) => done(syncErr))
      })
    })
  })
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
