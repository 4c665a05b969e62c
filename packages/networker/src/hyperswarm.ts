import type { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import type { Duplex } from 'node:stream'

// hyperswarm 4 is CommonJS without types: load it here and describe only what the networker uses.
const require = createRequire(import.meta.url)

export interface KeyPair {
  publicKey: Buffer
  secretKey: Buffer
}

/** A DHT node to bootstrap from: `{ host, port }` or `'host:port'`. */
export type BootstrapNode = { host: string; port: number } | string

/** The options of `new Hyperswarm(opts)` (hyperswarm 4.17). */
export interface HyperswarmOptions {
  /** DHT nodes to join through; hyperswarm's public bootstrap nodes when left out. */
  bootstrap?: BootstrapNode[]
  /** This peer's Noise key pair (the identity peers see as `remotePublicKey`). */
  keyPair?: KeyPair
  /** A 32-byte seed for the key pair, when no `keyPair` is given. */
  seed?: Buffer
  maxPeers?: number
  maxClientConnections?: number
  maxServerConnections?: number
  maxParallel?: number
  /** Return true to refuse a peer. */
  firewall?: (remotePublicKey: Buffer, payload: unknown) => boolean
  /** The UDP port of the DHT node. */
  port?: number
  /**
   * The address the DHT node binds to (all interfaces by default). `'127.0.0.1'` keeps every packet
   * on this machine, which is what a local testnet wants. Not a hyperswarm option: the networker
   * makes the DHT node itself then.
   */
  host?: string
  /** A hyperdht node of your own (the swarm destroys it with itself). */
  dht?: unknown
  nodes?: unknown[]
  relayThrough?: unknown
  deferRandomPunch?: boolean
  randomPunchInterval?: number
  handshakeClearWait?: number
  backoffs?: number[]
  jitter?: number
}

/** An encrypted connection to one peer (hyperswarm's `@hyperswarm/secret-stream`, a streamx duplex). */
export interface SwarmConnection extends Duplex {
  readonly publicKey: Buffer
  readonly remotePublicKey: Buffer
  readonly isInitiator: boolean
  /**
   * secret-stream 6: a buffer of `length` bytes that `write()` encrypts where it lies, inside the
   * frame it allocated around it, instead of copying it into one. Absent on other transports.
   */
  alloc?(length: number): Buffer
}

/** What hyperswarm knows of a peer, handed over with each connection. */
export interface SwarmPeerInfo {
  readonly publicKey: Buffer
  /** True when we dialed the peer (we found it by looking a topic up). */
  readonly client: boolean
  /** Topics we found the peer under (only for peers we dialed). */
  readonly topics: Buffer[]
}

/** One `swarm.join()` of a topic; several may share a topic. */
export interface DiscoverySession {
  refresh(opts: { server: boolean; client: boolean }): Promise<void>
  /** Resolves once the current announce / look-up has finished; false if it failed. */
  flushed(): Promise<boolean>
  /** Ends this session; the topic is left (and unannounced) when it was the last one. */
  destroy(): Promise<void>
}

/** A hyperswarm 4 swarm: finds peers by topic on the DHT and opens encrypted connections to them. */
export interface Hyperswarm extends EventEmitter {
  readonly keyPair: KeyPair
  readonly connections: Set<SwarmConnection>
  readonly destroyed: boolean
  join(topic: Buffer, opts?: { server?: boolean; client?: boolean }): DiscoverySession
  leave(topic: Buffer): Promise<void>
  /** Resolves once every topic is announced / looked up and the peers found are connected. */
  flush(): Promise<boolean>
  /** Start accepting connections (announcing does it too); resolves once the server listens. */
  listen(): Promise<unknown>
  destroy(): Promise<void>
  on(event: 'connection', listener: (conn: SwarmConnection, info: SwarmPeerInfo) => void): this
  on(event: string | symbol, listener: (...args: never[]) => void): this
}

type HyperswarmConstructor = new (opts?: Omit<HyperswarmOptions, 'host'>) => Hyperswarm

/** The options of `new HyperDHT(opts)` the networker passes on. */
interface DHTOptions {
  bootstrap?: BootstrapNode[]
  nodes?: unknown[]
  port?: number
  host?: string
  firewalled?: boolean
  deferRandomPunch?: boolean
  randomPunchInterval?: number
}

type HyperDHTConstructor = new (opts?: DHTOptions) => unknown

const HyperswarmClass = require('hyperswarm') as HyperswarmConstructor
const HyperDHTClass = require('hyperdht') as HyperDHTConstructor

/** A hyperswarm; with `host`, on a DHT node bound to that address (hyperswarm alone always binds all). */
export function createSwarm(opts: HyperswarmOptions): Hyperswarm {
  const { host, ...swarmOptions } = opts
  if (host !== undefined) {
    const { bootstrap, nodes, port, deferRandomPunch, randomPunchInterval } = opts
    // Bound to loopback, the node is behind no NAT: every peer that can reach it at all is on this
    // machine. Saying so up front lets peers connect straight away; a node that first believes it is
    // firewalled goes through hole-punching, which on loopback can stall the first connections.
    const firewalled = !/^127\./.test(host)
    const dht = { bootstrap, nodes, port, host, firewalled, deferRandomPunch, randomPunchInterval }
    swarmOptions.dht = new HyperDHTClass(dht)
  }
  return new HyperswarmClass(swarmOptions)
}

/** Whether `value` looks like a hyperswarm (duck-typed: a user's copy may come from another install). */
export function isSwarm(value: unknown): value is Hyperswarm {
  const s = value as Partial<Record<keyof Hyperswarm, unknown>> | null
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.join === 'function' &&
    typeof s.flush === 'function' &&
    typeof s.destroy === 'function' &&
    typeof s.on === 'function'
  )
}
