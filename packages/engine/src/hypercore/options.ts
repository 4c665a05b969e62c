import { type OptionCheck as Check, checkOptions, OPTION_CHECKS } from '@corestore/errors/internal'
import { isProtocolStream } from './load.js'
import type { HypercoreOptions, ReplicationOptions } from './types.js'

const { boolean, count, function: fn, object } = OPTION_CHECKS
const names: Check = [(v) => Array.isArray(v) && v.every((e) => typeof e === 'string'), 'an array of extension names']

/** What hypercore 9's constructor reads, with the type it needs. */
const HYPERCORE_OPTIONS: Record<string, Check> = {
  sparse: boolean,
  eagerUpdate: boolean,
  createIfMissing: boolean,
  overwrite: boolean,
  storeSecretKey: boolean,
  live: boolean,
  stats: boolean,
  indexing: boolean,
  ifAvailable: boolean,
  allowPush: boolean,
  downloading: boolean,
  uploading: boolean,
  writable: boolean,
  storageCacheSize: count,
  maxRequests: count,
  valueEncoding: [
    (v) => typeof v === 'string' || isCodec(v),
    "a name like 'utf-8' or 'json', or an { encode, decode } codec",
  ],
  extensions: names,
  onwrite: fn,
  crypto: object,
  cache: object,
}

/** What hypercore-protocol 8's stream (and hypercore's `replicate()`) reads, with the type it needs. */
const PROTOCOL_OPTIONS: Record<string, Check> = {
  live: boolean,
  download: boolean,
  upload: boolean,
  sparse: boolean,
  encrypt: boolean,
  encrypted: boolean,
  noise: boolean,
  keepAlive: boolean,
  ack: boolean,
  // hypercore 9 throws on any `extensions` given to replicate(), an empty list included.
  extensions: [
    () => false,
    'left out: hypercore 9 registers extensions per core (core.registerExtension), not per stream',
  ],
  timeout: [(v) => v === false || (typeof v === 'number' && v >= 0), 'a number of milliseconds or false'],
  onauthenticate: fn,
  ondiscoverykey: fn,
  onchannelclose: fn,
  onhandshake: fn,
  keyPair: [
    (v) => {
      const kp = v as { publicKey?: unknown; secretKey?: unknown } | null
      return typeof kp === 'object' && kp !== null && Buffer.isBuffer(kp.publicKey) && Buffer.isBuffer(kp.secretKey)
    },
    'a Noise key pair { publicKey, secretKey } of Buffers',
  ],
  stream: [isProtocolStream, 'a hypercore-protocol stream'],
}

/**
 * Type checks for the hypercore 9 options passed through to cores, so a wrong type is refused
 * where it enters, by name, rather than failing later inside hypercore. Options it does not know
 * are left alone (corestore 5 passes them on).
 * @param argument the options' name in errors (`opts`)
 * @throws {CorestoreError} `INVALID_OPTION` naming `<argument>.<option>`
 */
export function checkHypercoreOptions(options: object, argument: string): void {
  check(options, argument, HYPERCORE_OPTIONS)
}

/**
 * The same for a replication stream's options (`replicate(isInitiator, opts)`).
 * @throws {CorestoreError} `INVALID_OPTION` naming `<argument>.<option>`
 */
export function checkProtocolOptions(options: object, argument: string): void {
  check(options, argument, PROTOCOL_OPTIONS)
}

/** The options each table checks, for a look that allocates nothing when none of them is given. */
const CHECKED = new Map<Record<string, Check>, Set<string>>([
  [HYPERCORE_OPTIONS, new Set(Object.keys(HYPERCORE_OPTIONS))],
  [PROTOCOL_OPTIONS, new Set(Object.keys(PROTOCOL_OPTIONS))],
])

function check(options: object, argument: string, checks: Record<string, Check>): void {
  // Most calls carry only the store's own options ({ key }, { name }): nothing to check, nothing made.
  const checked = CHECKED.get(checks) as Set<string>
  let any = false
  for (const name in options) {
    if (checked.has(name)) {
      any = true
      break
    }
  }
  if (!any) return
  checkOptions(options, argument, checks)
}

function isCodec(value: unknown): boolean {
  const c = value as { encode?: unknown; decode?: unknown } | null
  return typeof c === 'object' && c !== null && typeof c.encode === 'function' && typeof c.decode === 'function'
}

/** hypercore 9's `cache` option as corestore 5 takes it store-wide: block and tree caches (hypercore-cache). */
export interface HypercoreCacheOption {
  data?: { namespace(): unknown }
  tree?: { namespace(): unknown }
}

/**
 * One core's share of store-wide hypercore caches, as corestore 5 hands them out: its own namespace
 * of each, unless the core's `get()` options turned one off (`cache: { data: false }`).
 */
export function perCoreCache(
  shared: HypercoreCacheOption,
  wanted: { data?: boolean; tree?: boolean } = {},
): { data?: unknown; tree?: unknown } {
  return {
    data: wanted.data === false ? undefined : shared.data?.namespace(),
    tree: wanted.tree === false ? undefined : shared.tree?.namespace(),
  }
}

/**
 * The store-wide hypercore options as a replication stream takes them (corestore 5 gives its streams
 * the store's options too): all but `extensions`, which hypercore 9 takes per core and throws on per stream.
 */
export function streamOptions(options: HypercoreOptions): ReplicationOptions {
  const { extensions: _perCore, ...rest } = options
  return rest as ReplicationOptions
}
