import type { CoreCache } from '@corestore/cache'
import type { Hypercore, HypercoreOptions } from '@corestore/engine'
import { CorestoreError } from '@corestore/errors'
import { randomBytes } from '@corestore/keychain'

/** A 32-byte key as a Buffer/Uint8Array or 64 hex characters (optionally as a `dat://`-style URL). */
export type KeyInput = Uint8Array | string

/** hypercore 9's `cache` option: per-store block and tree caches (hypercore-cache instances). */
export interface HypercoreCacheOption {
  data?: { namespace(): unknown }
  tree?: { namespace(): unknown }
}

export interface CorestoreOptions extends Omit<HypercoreOptions, 'cache'> {
  /** How many passive cores (opened for peers, held by no one) stay open. corestore 5's option; default 1000. */
  cacheSize?: number
  /** Use this 32-byte master key instead of the store's `master_key` file. */
  masterKey?: Uint8Array
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
}

export interface GetOptions extends HypercoreOptions {
  key?: KeyInput | null
  discoveryKey?: KeyInput | null
  keyPair?: { publicKey: KeyInput; secretKey?: KeyInput | null } | null
  name?: string | Uint8Array
  default?: boolean
  cache?: { data?: boolean; tree?: boolean }
}

/** What `get()` accepts: options, a key (Buffer or hex), or nothing for a new core. */
export type GetInput = GetOptions | Uint8Array | string | undefined | null

/** How a core is identified, in corestore 5's order of precedence. */
export type CoreRequest =
  | { readonly kind: 'keyPair'; readonly publicKey: Buffer; readonly secretKey: Buffer | null }
  | { readonly kind: 'key'; readonly publicKey: Buffer }
  | { readonly kind: 'name'; readonly name: string | Buffer; readonly random: boolean }
  | { readonly kind: 'discoveryKey'; readonly discoveryKey: Buffer }

const KEY_PATTERN = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([0-9a-f]{64})(?:[/?#].*)?$/i

/**
 * A 32-byte key from a Buffer, a Uint8Array or hex.
 * @throws {CorestoreError} `INVALID_KEY` naming `argument`
 */
export function parseKey(value: unknown, argument: string, length = 32): Buffer {
  if (value instanceof Uint8Array) {
    if (value.byteLength !== length) {
      throw CorestoreError.invalidKey(argument, `must be ${length} bytes, got ${value.byteLength}`)
    }
    return Buffer.isBuffer(value) ? value : Buffer.from(value)
  }
  if (typeof value === 'string') {
    if (length === 32) {
      const match = KEY_PATTERN.exec(value)
      if (match?.[1]) return Buffer.from(match[1], 'hex')
    } else if (value.length === length * 2 && /^[0-9a-f]*$/i.test(value)) {
      return Buffer.from(value, 'hex')
    }
    throw CorestoreError.invalidKey(
      argument,
      `must be ${length * 2} hex characters, got ${JSON.stringify(value.slice(0, 80))}`,
    )
  }
  throw CorestoreError.invalidKey(argument, `must be a Buffer, a Uint8Array or a hex string, got ${describe(value)}`)
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

function parseName(value: unknown): string | Buffer {
  if (typeof value === 'string' && value.length > 0) return value
  if (value instanceof Uint8Array && value.byteLength > 0) return Buffer.isBuffer(value) ? value : Buffer.from(value)
  throw new CorestoreError('INVALID_NAME', `opts.name must be a non-empty string or Buffer, got ${describe(value)}`)
}

/**
 * `get()`'s argument as corestore 5 reads it: a key pair, else a key, else a name, else a
 * discovery key, else a new core with 32 random bytes as its name.
 * @throws {CorestoreError} `INVALID_OPTION`, `INVALID_KEY` or `INVALID_NAME` naming the culprit
 */
export function parseGetInput(input: unknown): { request: CoreRequest; options: GetOptions } {
  if (input === undefined || input === null) return { request: randomName(), options: {} }
  if (typeof input === 'string' || input instanceof Uint8Array) {
    return { request: { kind: 'key', publicKey: parseKey(input, 'key') }, options: {} }
  }
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw CorestoreError.invalidOption('opts', `an options object, a key Buffer or a hex key, not ${describe(input)}`)
  }
  const options = input as GetOptions
  checkHypercoreOptions(options, 'opts')
  return { request: requestOf(options), options }
}

function requestOf(o: GetOptions): CoreRequest {
  if (o.keyPair !== undefined && o.keyPair !== null) {
    if (typeof o.keyPair !== 'object')
      throw CorestoreError.invalidOption('opts.keyPair', 'a { publicKey, secretKey } object')
    const publicKey = parseKey(o.keyPair.publicKey, 'opts.keyPair.publicKey')
    const sk = o.keyPair.secretKey
    const secretKey = sk === undefined || sk === null ? null : parseKey(sk, 'opts.keyPair.secretKey', 64)
    return { kind: 'keyPair', publicKey, secretKey }
  }
  if (o.key !== undefined && o.key !== null) return { kind: 'key', publicKey: parseKey(o.key, 'opts.key') }
  if (o.default || o.name !== undefined) {
    if (o.name === undefined) throw CorestoreError.invalidOption('opts.name', 'set when opts.default is')
    return { kind: 'name', name: parseName(o.name), random: false }
  }
  if (o.discoveryKey !== undefined && o.discoveryKey !== null) {
    return { kind: 'discoveryKey', discoveryKey: parseKey(o.discoveryKey, 'opts.discoveryKey') }
  }
  return randomName()
}

function randomName(): CoreRequest {
  return { kind: 'name', name: randomBytes(32), random: true }
}

const BOOLEAN_OPTIONS = [
  'sparse',
  'eagerUpdate',
  'createIfMissing',
  'overwrite',
  'storeSecretKey',
  'live',
  'stats',
  'indexing',
  'ifAvailable',
  'allowPush',
  'downloading',
  'uploading',
  'writable',
  'default',
]

/**
 * Type checks for the hypercore options corestore passes through, so a wrong type is refused
 * here, by name, rather than failing later inside hypercore.
 * @throws {CorestoreError} `INVALID_OPTION`
 */
export function checkHypercoreOptions(o: Record<string, unknown>, argument: string): void {
  for (const name of BOOLEAN_OPTIONS) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean') {
      throw CorestoreError.invalidOption(`${argument}.${name}`, `a boolean, not ${describe(o[name])}`)
    }
  }
  for (const name of ['storageCacheSize', 'maxRequests']) {
    const v = o[name]
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
      throw CorestoreError.invalidOption(`${argument}.${name}`, 'a non-negative integer')
    }
  }
  const enc = o.valueEncoding
  if (enc !== undefined && typeof enc !== 'string' && !isCodec(enc)) {
    throw CorestoreError.invalidOption(
      `${argument}.valueEncoding`,
      "a name like 'utf-8' or 'json', or an { encode, decode } codec",
    )
  }
  if (
    o.extensions !== undefined &&
    !(Array.isArray(o.extensions) && o.extensions.every((e) => typeof e === 'string'))
  ) {
    throw CorestoreError.invalidOption(`${argument}.extensions`, 'an array of strings')
  }
  for (const name of ['onwrite', 'crypto']) {
    if (o[name] !== undefined && typeof o[name] !== (name === 'crypto' ? 'object' : 'function')) {
      throw CorestoreError.invalidOption(`${argument}.${name}`, name === 'crypto' ? 'an object' : 'a function')
    }
  }
  if (o.cache !== undefined && (typeof o.cache !== 'object' || o.cache === null)) {
    throw CorestoreError.invalidOption(`${argument}.cache`, 'an object')
  }
}

function isCodec(value: unknown): boolean {
  const c = value as { encode?: unknown; decode?: unknown } | null
  return typeof c === 'object' && c !== null && typeof c.encode === 'function' && typeof c.decode === 'function'
}

/** True for a core cache (as opposed to hypercore's `{ data, tree }` cache option). */
export function isCoreCache(value: unknown): value is CoreCache<Hypercore> {
  const c = value as Partial<CoreCache<Hypercore>> | null
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.get === 'function' &&
    typeof c.set === 'function' &&
    typeof c.ref === 'function' &&
    typeof c.unref === 'function' &&
    typeof c.entry === 'function' &&
    typeof c.on === 'function'
  )
}

export interface ParsedStoreOptions {
  cacheSize: number | undefined
  masterKey: Buffer | null
  coreCache: CoreCache<Hypercore> | null
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
  // maxOpenFiles is the storage's option (checked by openStorage), never hypercore's.
  const { cacheSize, masterKey, coreCache, cache, maxOpenFiles: _storageOption, ...rest } = input as CorestoreOptions
  if (cacheSize !== undefined && !(Number.isSafeInteger(cacheSize) && cacheSize > 0)) {
    throw CorestoreError.invalidOption('opts.cacheSize', `a positive integer, not ${String(cacheSize)}`)
  }
  if (
    masterKey !== undefined &&
    masterKey !== null &&
    !(masterKey instanceof Uint8Array && masterKey.byteLength === 32)
  ) {
    throw new CorestoreError('INVALID_MASTER_KEY', 'opts.masterKey must be a Buffer or Uint8Array of 32 bytes')
  }
  if (coreCache !== undefined && !isCoreCache(coreCache)) {
    throw CorestoreError.invalidOption('opts.coreCache', 'a CoreCache (see @corestore/cache)')
  }
  checkHypercoreOptions(rest, 'opts')
  const ownCache = coreCache ?? (isCoreCache(cache) ? cache : null)
  if (cache !== undefined && !isCoreCache(cache) && (typeof cache !== 'object' || cache === null)) {
    throw CorestoreError.invalidOption('opts.cache', 'hypercore cache options ({ data, tree }) or a CoreCache')
  }
  return {
    cacheSize,
    masterKey: masterKey ? Buffer.from(masterKey) : null,
    coreCache: ownCache,
    hypercoreCache: cache && !isCoreCache(cache) ? (cache as HypercoreCacheOption) : null,
    hypercore: rest,
  }
}
