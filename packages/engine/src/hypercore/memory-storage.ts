import { RandomAccessStorageClass, randomAccessMemory } from './load.js'
import type { RandomAccessStorage, StorageFactory, StorageRequest } from './storage-types.js'

export type MemoryStorage = StorageFactory & { readonly files: ReadonlyMap<string, RandomAccessStorage> }

/** The error a storage gives for a file that does not exist: `ENOENT`, which `isAbsent` takes as proof. */
export function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file, ${path}`), { code: 'ENOENT' })
}

/**
 * An in-memory storage function whose files outlive `close()`: open the same path again and the
 * bytes are still there. `random-access-memory` alone loses a file when its instance is dropped,
 * so a store on it cannot be closed and reopened; this one can, within the process.
 * Like a directory, a file exists once written: reading or stat-ing a missing one fails with ENOENT,
 * and `destroy()` removes it.
 */
export function createMemoryStorage(): MemoryStorage {
  const files = new Map<string, RandomAccessStorage>()
  const open = (path: string): RandomAccessStorage => {
    const existing = (): RandomAccessStorage | undefined => files.get(path)
    const created = (): RandomAccessStorage => {
      let file = files.get(path)
      if (!file) {
        file = randomAccessMemory()
        files.set(path, file)
      }
      return file
    }
    const done =
      <T>(req: StorageRequest<T>) =>
      (err: Error | null, value?: T) =>
        req.callback(err, value)
    return new RandomAccessStorageClass({
      read(req) {
        const file = existing()
        if (file) file.read(req.offset, req.size, done(req as StorageRequest<Buffer>))
        else req.callback(notFound(path))
      },
      write: (req) => created().write(req.offset, req.data as Buffer, done(req)),
      del(req) {
        const file = existing()
        if (file) file.del(req.offset, req.size, done(req))
        else req.callback(null)
      },
      destroy(req) {
        files.delete(path)
        req.callback(null)
      },
      stat(req) {
        const file = existing()
        if (file) file.stat(done(req as StorageRequest<{ size: number }>))
        else req.callback(notFound(path))
      },
    })
  }
  return Object.assign(open, { files })
}
