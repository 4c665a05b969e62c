import type { Callback, Hypercore } from './hypercore-types.js'
import type { RandomAccessStorage } from './storage-types.js'

/** Run a callback-style call as a promise. */
export function call<T = void>(fn: (cb: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn((err, value) => {
      if (err) reject(err)
      else resolve(value as T)
    })
  })
}

export const ready = (core: Hypercore): Promise<void> => call((cb) => core.ready(cb))
export const close = (core: Hypercore): Promise<void> => call((cb) => core.close(cb))
export const append = <B>(core: Hypercore<B>, data: B | B[]): Promise<number> =>
  call<number>((cb) => core.append(data, cb))
export const get = <B>(
  core: Hypercore<B>,
  index: number,
  opts: { wait?: boolean; timeout?: number } = {},
): Promise<B> => call<B>((cb) => core.get(index, opts, cb))

/**
 * Whether a storage error only says the bytes are not there: the file does not exist (`ENOENT`)
 * or is too short (random-access-file and -memory report that without a code).
 * Anything else (`EACCES`, `EMFILE`, `EIO`…) is a real failure.
 */
export function isAbsent(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code
  return code === undefined || code === 'ENOENT'
}

/** Read `size` bytes at `offset`; resolves `null` where the file does not exist or is too short. */
export function readMaybe(file: RandomAccessStorage, offset: number, size: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    file.read(offset, size, (err, data) => {
      if (err && !isAbsent(err)) reject(err)
      else resolve(err || !data ? null : data)
    })
  })
}

/** The file's size, `null` where it does not exist. */
export function statMaybe(file: RandomAccessStorage): Promise<number | null> {
  return new Promise((resolve, reject) => {
    file.stat((err, st) => {
      if (err && !isAbsent(err)) reject(err)
      else resolve(err || !st ? null : st.size)
    })
  })
}

export const write = (file: RandomAccessStorage, offset: number, data: Buffer): Promise<void> =>
  call((cb) => file.write(offset, data, cb))

export const closeStorage = (file: RandomAccessStorage): Promise<void> => call((cb) => file.close(cb))
