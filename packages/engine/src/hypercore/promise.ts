import { modules } from '#node'
import type { RandomAccessStorage } from './storage-types.js'
import type { Callback, CallbackHypercore, Hypercore } from './types.js'

/** Run a callback-style call as a promise. */
export function call<T = void>(fn: (cb: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn((err, value) => {
      if (err) reject(err)
      else resolve(value as T)
    })
  })
}

/**
 * corestore 5's dual API: the promise, and `cb(err)` when a callback is given. A failure then goes
 * to the callback; the promise the caller ignores does not count as an unhandled rejection.
 */
export function withCallback(promise: Promise<void>, cb?: (err: Error | null) => void): Promise<void> {
  if (cb) promise.then(() => cb(null), cb)
  return promise
}

/** Whether `value` is a hypercore (duck-typed: another install's hypercore 9 is one too). */
export function isHypercore(value: unknown): value is Hypercore {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    typeof (value as { ready?: unknown }).ready === 'function' &&
    typeof (value as { replicate?: unknown }).replicate === 'function'
  )
}

/**
 * A function that closes a core's files, holding the files and not the core: for a core the program
 * dropped, to close what it held once it is collected (hypercore 9 keeps them in `_storage`).
 */
export function filesCloser(core: CallbackHypercore<unknown>): () => void {
  const storage = (core as unknown as { _storage: { close(cb: (err?: Error | null) => void): void } })._storage
  return () => storage.close(() => {})
}

export const ready = (core: CallbackHypercore<unknown>): Promise<void> => call((cb) => core.ready(cb))
export const close = (core: CallbackHypercore<unknown>): Promise<void> => call((cb) => core.close(cb))
export const append = <B>(core: CallbackHypercore<B>, data: B | B[]): Promise<number> =>
  call<number>((cb) => core.append(data, cb))
export const get = <B>(
  core: CallbackHypercore<B>,
  index: number,
  opts: { wait?: boolean; timeout?: number } = {},
): Promise<B> => call<B>((cb) => core.get(index, opts, cb))

/**
 * Whether a storage error proves the file is not there: `ENOENT`, or `ENOTDIR` (a path below a file).
 * Nothing else does. An error without a code is what random-access-idb, -web and most network
 * storages report on any failure, transient ones included: it proves nothing, and treating it as
 * "absent" is how a store would write a new master key over an unreadable old one.
 */
export function isAbsent(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

/** The file's size, `null` only where the storage proves it absent; any other failure rejects. */
export function statMaybe(file: RandomAccessStorage): Promise<number | null> {
  return new Promise((resolve, reject) => {
    file.stat((err, st) => {
      if (err) {
        if (isAbsent(err)) resolve(null)
        else reject(err)
      } else resolve(st ? st.size : 0)
    })
  })
}

/**
 * Read `size` bytes at `offset`; `null` only where the storage proves them absent: the file does
 * not exist, or its size (asked when a read fails as a short read does: without a code in
 * random-access-memory, `EPARTIALREAD` in random-access-file) ends before `offset + size`. Any other
 * failure rejects: a file a crash left short is absent past its end, never a reason to fail.
 */
export function readMaybe(file: RandomAccessStorage, offset: number, size: number): Promise<Buffer | null> {
  return new Promise<Buffer | null>((resolve, reject) => {
    file.read(offset, size, (err, data) => {
      if (!err) resolve(data ?? null)
      else if (isAbsent(err)) resolve(null)
      else if (!isShortRead(err)) reject(err)
      else {
        statMaybe(file).then(
          (length) => (length === null || length < offset + size ? resolve(null) : reject(err)),
          () => reject(err),
        )
      }
    })
  })
}

/**
 * Whether a failed read may only have been short: an error without a code (random-access-memory) or
 * random-access-file's `EPARTIALREAD`. Only the file's size can tell.
 */
function isShortRead(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code
  return code === undefined || code === 'EPARTIALREAD'
}

export const write = (file: RandomAccessStorage, offset: number, data: Buffer): Promise<void> =>
  call((cb) => file.write(offset, data, cb))

export const closeStorage = (file: RandomAccessStorage): Promise<void> => call((cb) => file.close(cb))

/** Cut the file to `size` bytes (random-access-storage's `del` up to the end truncates). */
export const truncate = (file: RandomAccessStorage, size: number): Promise<void> =>
  call((cb) => file.del(size, Number.MAX_SAFE_INTEGER, cb))

/** Sync the file (it must have `sync`: see `canSync`). */
export const sync = (file: RandomAccessStorage): Promise<void> =>
  call((cb) => (file.sync as NonNullable<RandomAccessStorage['sync']>)(cb))

/** Whether the file can be synced: random-access-storage 1 leaves `sync` to each storage. */
export function canSync(file: RandomAccessStorage): boolean {
  return typeof file.sync === 'function'
}

/** A short checksum of `data` (the first 8 bytes of the BLAKE2b hash hypercore 9 gives a block). */
export function checksum(data: Buffer): Buffer {
  return modules.crypto.data(data).subarray(0, 8)
}
