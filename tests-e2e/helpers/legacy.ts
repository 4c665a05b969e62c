import { createRequire } from 'node:module'
import type { Hypercore, ProtocolStream, StorageFactory } from '@corestore/engine'

/** The slice of corestore 5.8.2's API the interop tests drive. */
export interface LegacyCorestore {
  ready(): Promise<void>
  close(): Promise<void>
  default(opts?: object): Hypercore
  get(opts?: unknown): Hypercore
  namespace(name?: string | Buffer): LegacyCorestore
  replicate(isInitiator: boolean, opts?: object): ProtocolStream
  list(): Map<string, Hypercore>
  isLoaded(opts?: unknown): boolean
  /** refpool 1.2's pool, as corestore 5 programs reach it. */
  readonly cache: LegacyRefPool
  /** The shared state behind every view; programs reach into it for `_deriveSecret`. */
  readonly inner: { _deriveSecret(namespace: string, name: string | Buffer): Buffer; readonly cache: LegacyRefPool }
  /** A nanoresource emitter: its cores' close failures come as `'error'`, which throws with no listener. */
  on(event: 'error', listener: (err: Error) => void): this
}

/** The refpool methods corestore 5 programs call on `store.cache`. */
export interface LegacyRefPool {
  readonly size: number
  has(id: string): boolean
  entry(id: string): { refs: number; value: Hypercore } | undefined
  increment(id: string): void
  decrement(id: string): void
}

type LegacyConstructor = new (storage: StorageFactory | string, opts?: object) => LegacyCorestore

const require = createRequire(import.meta.url)

/** The real corestore@5.8.2 from the registry. */
export const LegacyCorestore = require('corestore') as LegacyConstructor
