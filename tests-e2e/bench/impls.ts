import { Corestore, type CorestoreOptions } from '@corestore/core'
import {
  bareHypercore,
  type CallbackHypercore,
  type HypercoreOptions,
  type ProtocolStream,
  type StorageFactory,
} from '@corestore/engine'
import { LegacyCorestore } from '../helpers/legacy.ts'

/** What the store scenarios need of a corestore: ours and corestore 5.8.2 both fit. */
export interface StoreLike {
  ready(): Promise<void>
  close(): Promise<void>
  get(opts?: object | Buffer | string): CallbackHypercore
  default(): CallbackHypercore
  list(): Map<string, CallbackHypercore>
  isLoaded(opts: object): boolean
  replicate(isInitiator: boolean, opts?: object): ProtocolStream
  namespace(name: string): StoreLike
}

export type Impl = 'ours' | 'legacy' | 'bare'
export const IMPLS: Impl[] = ['bare', 'legacy', 'ours']

export function openStore(
  impl: Exclude<Impl, 'bare'>,
  storage: string | StorageFactory,
  opts: CorestoreOptions = {},
): StoreLike {
  return impl === 'ours'
    ? (new Corestore(storage, opts) as unknown as StoreLike)
    : (new LegacyCorestore(storage, opts) as unknown as StoreLike)
}

export function bareCore(
  storage: string | StorageFactory,
  key: Buffer | null = null,
  opts: HypercoreOptions = {},
): CallbackHypercore {
  // hypercore 9 itself, without the store's promise forms: the floor the store is measured against.
  return bareHypercore(storage as StorageFactory, key, opts)
}
