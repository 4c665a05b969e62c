import { CorestoreError } from '@corestore/errors'
import { checkOption, describe, OPTION_CHECKS, type OptionCheck } from '@corestore/errors/internal'
import { parseKey } from '@corestore/keychain/internal'
import { type Hyperswarm, type HyperswarmOptions, isSwarm, type KeyPair } from './hyperswarm.js'

export interface NetworkerOptions extends HyperswarmOptions {
  /** A swarm of your own: the networker uses it and leaves it open on `close()`. */
  swarm?: Hyperswarm
}

export interface JoinOptions {
  /** Announce this peer under the topic so that others find it (default true). */
  announce?: boolean
  /** Look the topic up and connect to the peers found (default true). */
  lookup?: boolean
}

const { number: count, boolean: flag, object } = OPTION_CHECKS
const bytes =
  (n: number): ((v: unknown) => boolean) =>
  (v) =>
    v instanceof Uint8Array && v.byteLength === n

/** Every option a networker passes to hyperswarm 4 (or to the DHT node it makes), with its type check. */
const SWARM_OPTIONS: Record<keyof HyperswarmOptions, OptionCheck> = {
  bootstrap: [isBootstrapList, "an array of { host, port } objects or 'host:port' strings"],
  keyPair: [
    (v) => object[0](v) && bytes(32)((v as KeyPair).publicKey) && bytes(64)((v as KeyPair).secretKey),
    'a { publicKey (32 bytes), secretKey (64 bytes) } object',
  ],
  seed: [bytes(32), '32 bytes'],
  maxPeers: count,
  maxClientConnections: count,
  maxServerConnections: count,
  maxParallel: count,
  firewall: [(v) => typeof v === 'function', 'a function'],
  port: count,
  host: [(v) => typeof v === 'string' && v.length > 0, 'an IP address'],
  dht: [object[0], 'a HyperDHT node'],
  nodes: [Array.isArray, 'an array'],
  relayThrough: [(v) => v === null || typeof v === 'function' || v instanceof Uint8Array, 'a key or a function'],
  deferRandomPunch: flag,
  randomPunchInterval: count,
  handshakeClearWait: count,
  backoffs: [(v) => Array.isArray(v) && v.every((b) => count[0](b)), 'an array of numbers'],
  jitter: count,
}

function isBootstrapList(value: unknown): boolean {
  return Array.isArray(value) && value.every((node: unknown) => typeof node === 'string' || isHostPort(node))
}

function isHostPort(node: unknown): boolean {
  const { host, port } = (node ?? {}) as { host?: unknown; port?: unknown }
  return typeof host === 'string' && Number.isInteger(port)
}

/**
 * A 32-byte discovery key from a Buffer, a Uint8Array or 64 hex characters.
 * @throws {CorestoreError} `INVALID_KEY` naming `argument`
 */
export function parseDiscoveryKey(value: unknown, argument = 'discoveryKey'): Buffer {
  return parseKey(value, argument)
}

/**
 * `join()`'s options with their defaults.
 * @throws {CorestoreError} `INVALID_OPTION`
 */
export function parseJoinOptions(opts: unknown): Required<JoinOptions> {
  if (opts === undefined || opts === null) return { announce: true, lookup: true }
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    throw CorestoreError.invalidOption('opts', `an object, not ${describe(opts)}`)
  }
  const { announce = true, lookup = true, ...rest } = opts as Record<string, unknown>
  for (const [name, value] of [
    ['announce', announce],
    ['lookup', lookup],
  ] as const) {
    if (typeof value !== 'boolean')
      throw CorestoreError.invalidOption(`opts.${name}`, `a boolean, not ${describe(value)}`)
  }
  const unknown = Object.keys(rest)[0]
  if (unknown !== undefined)
    throw CorestoreError.invalidOption(`opts.${unknown}`, 'left out: join takes announce and lookup')
  if (!announce && !lookup) {
    throw CorestoreError.invalidOption('opts', 'announce, look up or both (to stop both, call leave())')
  }
  return { announce: announce as boolean, lookup: lookup as boolean }
}

/**
 * The networker's options: a swarm to use, or the options of the one it makes.
 * An unknown option is refused rather than ignored: a misspelt `bootstrap` would otherwise join
 * the public DHT.
 * @throws {CorestoreError} `INVALID_OPTION`
 */
export function parseNetworkerOptions(opts: unknown): { swarm: Hyperswarm | null; swarmOptions: HyperswarmOptions } {
  if (opts === undefined || opts === null) return { swarm: null, swarmOptions: {} }
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    throw CorestoreError.invalidOption('opts', `an object, not ${describe(opts)}`)
  }
  const { swarm, ...swarmOptions } = opts as NetworkerOptions
  if (swarm !== undefined && swarm !== null && !isSwarm(swarm)) {
    throw CorestoreError.invalidOption('opts.swarm', 'a Hyperswarm instance')
  }
  for (const [name, value] of Object.entries(swarmOptions)) {
    const check = SWARM_OPTIONS[name as keyof HyperswarmOptions]
    if (check === undefined) {
      throw CorestoreError.invalidOption(
        `opts.${name}`,
        'left out: it is not an option of hyperswarm 4 or the networker',
      )
    }
    if (value === undefined) continue
    if (swarm) {
      throw CorestoreError.invalidOption(`opts.${name}`, 'left out when opts.swarm is given (set it on that swarm)')
    }
    checkOption(value, `opts.${name}`, check)
  }
  if (swarmOptions.host !== undefined && swarmOptions.dht !== undefined) {
    throw CorestoreError.invalidOption('opts.host', 'left out when opts.dht is given (bind that node yourself)')
  }
  return { swarm: swarm ?? null, swarmOptions }
}
