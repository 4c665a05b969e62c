import { Corestore, type CorestoreOptions } from '@corestore/core'
import type { CallbackHypercore, ProtocolStream, StorageFactory } from '@corestore/engine'
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
  open(storage: StorageFactory, durable: boolean): StoreLike
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
