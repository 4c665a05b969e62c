import { createRequire } from 'node:module'
import type { GetInput } from '@corestore/core'
import type { Hypercore, ProtocolStream, StorageFactory } from '@corestore/engine'

/** The slice of corestore 5.8.2's API the interop tests drive. */
export interface LegacyCorestore {
  ready(): Promise<void>
  close(): Promise<void>
  default(opts?: object): Hypercore
  get(opts?: GetInput): Hypercore
  namespace(name?: string | Buffer): LegacyCorestore
  replicate(isInitiator: boolean, opts?: object): ProtocolStream
  list(): Map<string, Hypercore>
}

type LegacyConstructor = new (storage: StorageFactory | string, opts?: object) => LegacyCorestore

const require = createRequire(import.meta.url)

/** The real corestore@5.8.2 from the registry. */
export const LegacyCorestore = require('corestore') as LegacyConstructor
