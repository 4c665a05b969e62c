import { Corestore, type CorestoreOptions } from '@corestore/core'
import type {
  CallbackHypercore,
  ProtocolStream,
  RandomAccessStorage,
  StorageCallback,
  StorageFactory,
} from '@corestore/engine'
import type { SimulatedFile } from '@corestore/test-helpers'
import { LegacyCorestore } from '../../helpers/legacy.ts'

/** What the power-loss scenarios do with a store: ours and corestore 5.8.2's both have it. */
export interface StoreLike {
  ready(): Promise<void>
  close(): Promise<void>
  default(): CallbackHypercore
  get(opts: { name: string } | { key: Buffer }): CallbackHypercore
  namespace(name: string): StoreLike
  replicate(isInitiator: boolean): ProtocolStream
  /** Ours only: 5.8.2 has no purge. */
  purge?(key: Buffer): Promise<void>
  on(event: 'error', listener: (err: Error) => void): unknown
}

/** The store a trial runs: how to make one on a storage function, in one durability mode. */
export interface Implementation {
  readonly name: string
  /** Whether it takes `durable: true` (5.8.2 has no such option: it runs non-durable only). */
  readonly durableOption: boolean
  open(storage: (path: string) => SimulatedFile, durable: boolean): StoreLike
}

/** `@corestore/core`. `durable` goes in through a variable: the option is newer than these types may be. */
export const ours: Implementation = {
  name: '@corestore/core',
  durableOption: true,
  open(storage, durable) {
    const opts: CorestoreOptions & { durable: boolean } = { durable }
    return new Corestore(storage, opts)
  },
}

/** The real corestore@5.8.2, for the "before" column. */
export const legacy: Implementation = {
  name: 'corestore 5.8.2',
  durableOption: false,
  open: (storage) => new LegacyCorestore(storage),
}

/**
 * `@corestore/core` on a disk that syncs every write and delete before it calls back: nothing a
 * store acknowledged can be lost, whatever the store does. The suite runs it to show that it
 * blames no store for a loss the disk caused.
 */
export const writeThrough: Implementation = {
  name: '@corestore/core on write-through files',
  durableOption: false,
  open: (storage) => new Corestore(syncingEveryWrite(storage)),
}

function syncingEveryWrite(storage: (path: string) => SimulatedFile): StorageFactory {
  return (path) => {
    const file = storage(path)
    const synced =
      (cb: StorageCallback = () => {}) =>
      (err: Error | null) => {
        if (err || !file.sync) cb(err)
        else file.sync(cb)
      }
    const wrapped: RandomAccessStorage & { statable: true } = {
      // hypercore 9 reads a file without `statable` page by page until a read fails: a bitfield
      // header the crash zeroed (page size 0) would make that loop forever.
      statable: true,
      read: (offset, size, cb) => file.read(offset, size, cb),
      write: (offset, data, cb) => file.write(offset, data, synced(cb)),
      del: (offset, size, cb) => file.del(offset, size, synced(cb)),
      stat: (cb) => file.stat(cb),
      close: (cb) => file.close(cb),
      destroy: (cb) => file.destroy(cb),
    }
    return wrapped
  }
}
