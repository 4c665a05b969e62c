import { EventEmitter } from 'node:events'
import type { Corestore } from '@corestore/core'
import type { ProtocolStream } from '@corestore/engine'
import { CorestoreError, type ErrorCode } from '@corestore/errors'
import { Lifecycle } from '@corestore/lifecycle'
import {
  createSwarm,
  type DiscoverySession,
  type Hyperswarm,
  type SwarmConnection,
  type SwarmPeerInfo,
} from './hyperswarm.js'
import {
  type JoinOptions,
  type NetworkerOptions,
  parseDiscoveryKey,
  parseJoinOptions,
  parseNetworkerOptions,
} from './options.js'
import { Peer } from './peer.js'

/** What the networker needs of a store: one replication stream per connection. */
export type ReplicatingStore = Pick<Corestore, 'replicate'>

export interface NetworkerEvents {
  /** A connection opened and its replication stream is piped over it. */
  'peer-add': [peer: Peer]
  /** The connection or its replication stream closed; the peer is gone from `peers`. */
  'peer-remove': [peer: Peer]
  /** The first error of a peer's connection or stream (informational: the peer is then removed). */
  'peer-error': [err: Error, peer: Peer]
}

interface Topic {
  readonly session: DiscoverySession
  announce: boolean
  lookup: boolean
}

/**
 * Finds peers for discovery keys on hyperswarm and replicates the store with each of them over
 * one stream per connection. A peer asking for any other core the store holds gets it too.
 */
export class Networker extends EventEmitter<NetworkerEvents> {
  readonly store: ReplicatingStore
  readonly swarm: Hyperswarm
  readonly #ownsSwarm: boolean
  readonly #peers = new Set<Peer>()
  readonly #topics = new Map<string, Topic>()
  readonly #onconnection = (conn: SwarmConnection, info: SwarmPeerInfo) => this.#connect(conn, info)
  readonly #life = new Lifecycle({
    open: () => this.#open(),
    close: () => this.#close(),
    closedError: () => closedError(),
  })

  /**
   * @param store a corestore (or a namespace view: then its streams carry that view's cores)
   * @param opts `swarm`, a hyperswarm of your own; otherwise hyperswarm's options (`bootstrap`,
   *   `keyPair`, `seed`, `maxPeers`, `firewall`…) for the one the networker makes
   * @throws {CorestoreError} `INVALID_OPTION` naming the argument
   */
  constructor(store: ReplicatingStore, opts?: NetworkerOptions) {
    super()
    if (typeof store !== 'object' || store === null || typeof store.replicate !== 'function') {
      throw CorestoreError.invalidOption('store', 'a Corestore')
    }
    const { swarm, swarmOptions } = parseNetworkerOptions(opts)
    this.store = store
    this.#ownsSwarm = swarm === null
    this.swarm = swarm ?? createSwarm(swarmOptions)
    this.swarm.on('connection', this.#onconnection)
  }

  /** The peers connected now, each with its `remotePublicKey` and replication `stream`. */
  get peers(): ReadonlySet<Peer> {
    return this.#peers
  }

  /** The discovery keys joined, as hex. */
  get topics(): string[] {
    return [...this.#topics.keys()]
  }

  get opened(): boolean {
    return this.#life.opened
  }

  get closing(): boolean {
    return this.#life.closing
  }

  get closed(): boolean {
    return this.#life.closed
  }

  /**
   * Start accepting connections before any topic is announced (joining does not need it).
   * Concurrent calls share one; after `close()` it rejects with `NETWORKER_CLOSED`.
   * @throws {CorestoreError} `NETWORKER_CLOSED`, also when the swarm was destroyed
   */
  ready(): Promise<void> {
    return this.#life.ready()
  }

  async #open(): Promise<void> {
    this.#guard()
    await this.swarm.listen()
  }

  /**
   * Announce a discovery key, look it up, or both; resolves once the first announce and look-up
   * have finished (peers found meanwhile are being connected). Joining again changes the options.
   * @param discoveryKey 32 bytes or 64 hex characters, usually `core.discoveryKey`
   * @throws {CorestoreError} `INVALID_KEY`, `INVALID_OPTION`, `NETWORKER_CLOSED`
   */
  async join(discoveryKey: Uint8Array | string, opts?: JoinOptions): Promise<void> {
    const topic = parseDiscoveryKey(discoveryKey)
    const { announce, lookup } = parseJoinOptions(opts)
    this.#guard()
    const id = topic.toString('hex')
    let joined = this.#topics.get(id)
    if (!joined) {
      joined = { session: this.swarm.join(topic, { server: announce, client: lookup }), announce, lookup }
      this.#topics.set(id, joined)
    } else if (joined.announce !== announce || joined.lookup !== lookup) {
      joined.announce = announce
      joined.lookup = lookup
      // Refresh failures are retried by hyperswarm; flushed() below reports nothing more useful.
      await joined.session.refresh({ server: announce, client: lookup }).catch(() => {})
    }
    await joined.session.flushed()
  }

  /**
   * Stop announcing and looking up a discovery key (unannounced when no one else on this swarm
   * joined it). Connections stay: they replicate every core both sides share.
   * @throws {CorestoreError} `INVALID_KEY`
   */
  async leave(discoveryKey: Uint8Array | string): Promise<void> {
    const id = parseDiscoveryKey(discoveryKey).toString('hex')
    const joined = this.#topics.get(id)
    if (!joined) return
    this.#topics.delete(id)
    await leaveQuietly(joined)
  }

  /**
   * Resolves once every topic is announced and looked up and the peers found are connected.
   * @throws {CorestoreError} `NETWORKER_CLOSED`
   */
  async flush(): Promise<void> {
    this.#guard()
    await this.swarm.flush()
  }

  /**
   * Leave every topic, close every peer's connection and stream, and destroy the swarm if the
   * networker made it (a swarm passed in stays open). Safe to call more than once.
   */
  close(): Promise<void> {
    return this.#life.close()
  }

  async #close(): Promise<void> {
    this.swarm.removeListener('connection', this.#onconnection)
    const topics = [...this.#topics.values()]
    this.#topics.clear()
    await Promise.all([...this.#peers].map((peer) => peer.close()))
    if (this.#ownsSwarm) await this.swarm.destroy()
    else await Promise.all(topics.map(leaveQuietly))
  }

  #connect(conn: SwarmConnection, info: SwarmPeerInfo): void {
    let stream: ProtocolStream
    try {
      if (this.#life.closing) throw closedError()
      stream = this.store.replicate(info.client, { live: true })
    } catch {
      // A closed store or networker refuses the peer; hyperswarm may retry later.
      conn.on('error', () => {})
      conn.destroy()
      return
    }
    const peer = new Peer(conn, stream, info.client, {
      onerror: (p, err) => this.emit('peer-error', err, p),
      onclose: (p) => {
        if (this.#peers.delete(p)) this.emit('peer-remove', p)
      },
    })
    this.#peers.add(peer)
    this.emit('peer-add', peer)
  }

  #guard(): void {
    if (this.#life.closing) throw closedError()
    if (this.swarm.destroyed) {
      throw new CorestoreError<NetworkerErrorCode>('NETWORKER_CLOSED', "the networker's swarm was destroyed")
    }
  }
}

/** The codes the networker throws with: the store's, and its own `NETWORKER_CLOSED`. */
export type NetworkerErrorCode = ErrorCode | 'NETWORKER_CLOSED'

function closedError(): CorestoreError<NetworkerErrorCode> {
  return new CorestoreError<NetworkerErrorCode>('NETWORKER_CLOSED', 'the networker is closed')
}

/** Leaving unannounces over the network; a failure there must not fail the caller's teardown. */
async function leaveQuietly(topic: Topic): Promise<void> {
  await topic.session.destroy().catch(() => {})
}
