import { Corestore, type CorestoreOptions } from '@corestore/core'
import {
  createHypercore,
  type Hypercore,
  type HypercoreOptions,
  type ProtocolStream,
  type StorageFactory,
} from '@corestore/engine'
import { LegacyCorestore } from '../helpers/legacy.ts'

/** What the store scenarios need of a corestore: ours and corestore 5.8.2 both fit. */
export interface StoreLike {
  ready(): Promise<void>
  close(): Promise<void>
  get(opts?: object | Buffer): Hypercore
  default(): Hypercore
  list(): Map<string, Hypercore>
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
): Hypercore {
  return createHypercore(storage as StorageFactory, key, opts)
}
