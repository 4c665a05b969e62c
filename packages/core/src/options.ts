import type { CoreCache } from '@corestore/cache'
import { cacheFromOptions } from '@corestore/cache/internal'
import type { Hypercore, HypercoreCacheOption, HypercoreOptions } from '@corestore/engine'
import { checkHypercoreOptions } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { describe } from '@corestore/errors/internal'
import type { KeyInput } from '@corestore/keychain'
import { assertMasterKey, type CoreRequest, findKey, randomName, requestOf } from '@corestore/keychain/internal'

export type { CoreRequest, KeyInput }

export interface CorestoreOptions extends Omit<HypercoreOptions, 'cache'> {
  /** The root view's name, as a namespace's: its `default()` derives from it, namespaces are `name:a`. */
  name?: string | null
  /** How many passive cores (opened for peers, held by no one) stay open. corestore 5's option; default 1000 (also for 0 or null, as there). */
  cacheSize?: number | null
  /** Use this 32-byte master key instead of the store's `master_key` file. */
  masterKey?: Uint8Array | null
  /** A core cache of your own instead of the default two-tier cache (see `@corestore/cache`). */
  coreCache?: CoreCache<Hypercore>
  /** hypercore 9's block/tree caches as corestore 5 takes them, or a `CoreCache` (same as `coreCache`). */
  cache?: HypercoreCacheOption | CoreCache<Hypercore>
  /**
   * A directory store keeps at most this many of its files open at once, reopening others when used
   * (`Infinity`: no bound). Default: half the process's soft limit on open files (512 if unknown).
   * No effect with a storage function.
   */
  maxOpenFiles?: number
  /**
   * `true`: an append (or a block downloaded) whose promise or callback has resolved survives a power
   * loss — each commit is synced (fdatasync) before it is acknowledged or announced to peers, and
   * concurrent appends share one sync. A storage function's files must have `sync(cb)`.
   * Default `false`: as fast as hypercore 9 alone, and still consistent after a power loss (every
   * core opens and reads back what was appended), but the last appends before it may be lost.
   */
  durable?: boolean | null
}

export interface GetOptions extends HypercoreOptions {
  key?: KeyInput | null
  discoveryKey?: KeyInput | null
  keyPair?: { publicKey: KeyInput; secretKey?: KeyInput | null } | null
  name?: string | Uint8Array | null
  default?: boolean | null
  cache?: { data?: boolean; tree?: boolean }
}

/** What `get()` accepts: options, a key (Buffer or hex), or nothing for a new core. */
export type GetInput = GetOptions | Uint8Array | string | undefined | null

/**
 * `get()`'s argument as corestore 5 reads it: a key pair, else a key, else a name, else a
 * discovery key, else a new core with 32 random bytes as its name. As in corestore 5, a falsy
 * value (`undefined`, `null`, `''`, `0`, `false`, `NaN`) is absent, both as the argument and as
 * `key`, `keyPair`, `keyPair.secretKey`, `name`, `default` and `discoveryKey`: RPC layers send
 * `{ key: null, name: '' }` for "a new core".
 * @throws {CorestoreError} `INVALID_OPTION`, `INVALID_KEY` or `INVALID_NAME` naming the culprit
 */
export function parseGetInput(input: unknown): { request: CoreRequest; options: GetOptions } {
  if (!input) return { request: randomName(), options: {} }
  if (typeof input === 'string' || input instanceof Uint8Array) {
    return { request: { kind: 'key', publicKey: findKey(input, 'key') }, options: {} }
  }
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw CorestoreError.invalidOption('opts', `an options object, a key Buffer or a hex key, not ${describe(input)}`)
  }
  const options = input as GetOptions
  checkHypercoreOptions(options, 'opts')
  return { request: requestOf(options), options }
}

export interface ParsedStoreOptions {
  masterKey: Buffer | null
  coreCache: CoreCache<Hypercore>
  hypercoreCache: HypercoreCacheOption | null
  /** Everything else: passed to every hypercore the store opens, as corestore 5 does. */
  hypercore: HypercoreOptions
}

/**
 * @throws {CorestoreError} `INVALID_OPTION`, `INVALID_MASTER_KEY`
 */
export function parseStoreOptions(input: unknown): ParsedStoreOptions {
  if (input === undefined || input === null) input = {}
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw CorestoreError.invalidOption('opts', `an options object, not ${describe(input)}`)
  }
  // maxOpenFiles and durable are the storage's options (checked by openStorage), never hypercore's.
  const {
    cacheSize,
    masterKey,
    coreCache,
    cache,
    maxOpenFiles: _maxOpenFiles,
    durable: _durable,
    ...rest
  } = input as CorestoreOptions
  // corestore 5 reads `opts.masterKey || null`: a falsy key is none.
  if (masterKey) assertMasterKey(masterKey, 'opts.masterKey')
  const caches = cacheFromOptions<Hypercore>({ cacheSize, coreCache, cache })
  checkHypercoreOptions(rest, 'opts')
  return {
    masterKey: masterKey ? Buffer.from(masterKey) : null,
    coreCache: caches.coreCache,
    hypercoreCache: caches.hypercoreCache as HypercoreCacheOption | null,
    hypercore: rest,
  }
}
