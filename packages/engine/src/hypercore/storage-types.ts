/** Callback of a random-access-storage operation. */
export type StorageCallback<T = void> = (err: Error | null, value?: T) => void

/** A random-access-storage 1.x instance: one file of a core, on disk, in memory or anywhere. */
export interface RandomAccessStorage {
  readonly opened?: boolean
  readonly closed?: boolean
  readonly writable?: boolean
  read(offset: number, size: number, cb: StorageCallback<Buffer>): void
  write(offset: number, data: Buffer, cb?: StorageCallback): void
  del(offset: number, size: number, cb?: StorageCallback): void
  stat(cb: StorageCallback<{ size: number }>): void
  close(cb?: StorageCallback): void
  destroy(cb?: StorageCallback): void
  /**
   * Make every write before it survive a power loss (fsync). Optional in random-access-storage 1; a
   * durable store needs it, and without it a store can promise nothing across a power loss.
   */
  sync?(cb?: StorageCallback): void
}

/** What a storage function gives back for a file name (corestore passes paths like `ab/cd/abcd…/tree`). */
export type StorageFactory = (name: string) => RandomAccessStorage

/** A request handed to the methods of a storage built with `new RandomAccessStorage({...})`. */
export interface StorageRequest<T = unknown> {
  readonly offset: number
  readonly size: number
  readonly data: Buffer | null
  callback(err: Error | null, value?: T): void
}

/** The handlers random-access-storage 1.x accepts to build a storage of one's own. */
export interface StorageHandlers {
  open?(req: StorageRequest): void
  read?(req: StorageRequest<Buffer>): void
  write?(req: StorageRequest): void
  del?(req: StorageRequest): void
  stat?(req: StorageRequest<{ size: number }>): void
  close?(req: StorageRequest): void
  destroy?(req: StorageRequest): void
}
