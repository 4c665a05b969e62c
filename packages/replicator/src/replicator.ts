import {
  createProtocolStream,
  type Hypercore,
  type ProtocolStream,
  type ReplicationOptions,
  type UploadLimits,
} from '@corestore/engine'
import { limitUploads, remoteAnswer, uploadBacklogBelow } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { LookupQueue } from './lookup-queue.js'

/** What the replicator needs from its store. */
export interface ReplicationHost {
  /**
   * The core with this discovery key: the loaded one, or one opened passively from disk.
   * `null` when the store has no such core (and then nothing must have been created).
   */
  lookup(discoveryKey: Buffer): Promise<Hypercore | null>
}

export interface ReplicatorOptions {
  /** Look-ups of requested discovery keys run at once per stream (default: from `passiveBound`, else 16). */
  lookupConcurrency?: number
  /** How many cores the store keeps open for peers at most (its cache's passive bound), if known. */
  passiveBound?: number
  /** What a stream may hold for a peer that asks and does not read (default `DEFAULT_UPLOAD_LIMITS`). */
  uploadLimits?: UploadLimits
}

/** Peer requests opened at once per stream, at most (a quarter of the passive bound below that). */
const MAX_LOOKUPS_IN_FLIGHT = 128
/** Peer requests opened at once per stream when the passive bound is not known. */
const DEFAULT_LOOKUPS_IN_FLIGHT = 16

/**
 * No core is opened for a peer while this many of its requests (or twice the look-up concurrency,
 * if more) wait to be answered: two hypercore 9 cores' worth of requests in flight (32 each), so a
 * peer downloading a large core still gets the cores it asks for meanwhile. With the default
 * `cacheSize` (look-ups 250 at once) at most 500 requests a peer, so one peer has at most 750 cores
 * with work to do while 1,000 are kept: the LRU evicts idle cores, not ones whose blocks are on their
 * way. The pacing is per peer and the bound store-wide: several such peers together can outrun it
 * (docs/replication.md).
 */
const MIN_BACKLOG = 64

/**
 * Opens for peers run in parallel for speed (on disk they wait on file operations), but stay well
 * under the passive bound: an open evicted before it finishes is a request the peer loses.
 */
function lookupConcurrency(passiveBound: number | undefined): number {
  if (passiveBound === undefined) return DEFAULT_LOOKUPS_IN_FLIGHT
  return Math.max(1, Math.min(MAX_LOOKUPS_IN_FLIGHT, Math.floor(passiveBound / 4)))
}

/** Which cores opened later join a stream: all of them for the root, a view's own for a namespace. */
export type StreamScope = (core: Hypercore) => boolean

interface StreamState {
  readonly stream: ProtocolStream
  readonly isInitiator: boolean
  readonly opts: ReplicationOptions
  readonly scope: StreamScope
  /** Made by the replicator (not passed in as `opts.stream`): destroyed when the store closes. */
  readonly owned: boolean
  readonly lookups: LookupQueue<Hypercore | null>
  forget(): void
}

const ALL: StreamScope = () => true

/** The replication streams of one store. */
export class Replicator {
  readonly #host: ReplicationHost
  readonly #concurrency: number
  /** Requests of a peer waiting to be answered past which no more cores are opened for it. */
  readonly #backlog: number
  readonly #uploadLimits: UploadLimits
  readonly #streams = new Set<StreamState>()

  constructor(host: ReplicationHost, opts: ReplicatorOptions = {}) {
    this.#host = host
    this.#concurrency = opts.lookupConcurrency ?? lookupConcurrency(opts.passiveBound)
    this.#backlog = Math.max(MIN_BACKLOG, 2 * this.#concurrency)
    this.#uploadLimits = opts.uploadLimits ?? {}
  }

  /** Streams currently live. */
  get size(): number {
    return this.#streams.size
  }

  /**
   * One stream replicating `cores` now, the cores `scope` admits as they are offered later, and any
   * core the remote asks for that the host can find.
   */
  replicate(
    isInitiator: boolean,
    cores: Iterable<Hypercore>,
    opts: ReplicationOptions = {},
    scope: StreamScope = ALL,
  ): ProtocolStream {
    const { stream: given, ...streamOpts } = opts
    const stream = given ?? newStream(isInitiator, streamOpts)
    // hypercore 9 answers every request at once: bound what a peer that does not read makes us hold.
    limitUploads(stream, this.#uploadLimits)
    const streams = this.#streams

    const lookups = new LookupQueue<Hypercore | null>(
      this.#concurrency,
      (dk) => this.#host.lookup(dk),
      (dk, core) => {
        // A core evicted or closed between its look-up and now cannot be attached: answer the
        // channel anyway ("not here"), or the peer would wait on it for ever.
        if (!core || core.closed || core.closing) {
          if (!stream.destroyed) stream.close(dk)
          return
        }
        attach(state, core)
        // The slot is held until the peer answers the channel, and until the peer's requests
        // already here are mostly answered: a peer that reads slower than the store opens cores
        // would otherwise have it open (and its LRU evict, closing) cores whose channels the peer
        // has not read yet or whose blocks still wait their turn, and those never reach it.
        return untilAnswered(stream, dk, core).then(() => uploadBacklogBelow(stream, this.#backlog))
      },
    )
    const ondiscoverykey = (dk: Buffer) => lookups.push(dk)
    const onclose = () => state.forget()

    const state: StreamState = {
      stream,
      isInitiator,
      opts: streamOpts,
      scope,
      owned: !given,
      lookups,
      forget() {
        if (!streams.delete(state)) return
        lookups.stop()
        stream.removeListener('discovery-key', ondiscoverykey)
        for (const event of ['end', 'finish', 'close', 'error']) stream.removeListener(event, onclose)
      },
    }
    streams.add(state)
    stream.on('discovery-key', ondiscoverykey)
    for (const event of ['end', 'finish', 'close', 'error']) stream.on(event, onclose)

    for (const core of cores) attach(state, core)
    return stream
  }

  /** A core was opened or newly held: it joins every live stream whose scope admits it. */
  offer(core: Hypercore): void {
    for (const state of this.#streams) {
      if (state.scope(core)) attach(state, core)
    }
  }

  /** A core from outside the store joins every live stream, whatever its scope (corestore 5's `inner._injectIntoReplicationStreams`). */
  inject(core: Hypercore): void {
    for (const state of this.#streams) attach(state, core)
  }

  /**
   * A core is opening and will be offered once open (or fail): as corestore 5 does, a peer's
   * `ifAvailable` request waits until then, so "not available" never means "not open yet".
   * @returns call it when the core was offered or failed to open
   */
  opening(core: Hypercore): () => void {
    core.ifAvailable.wait()
    return () => process.nextTick(() => core.ifAvailable.continue())
  }

  /** Destroy the streams the replicator made and let go of the ones it was given. */
  destroy(): void {
    for (const state of [...this.#streams]) {
      state.forget()
      if (state.owned) state.stream.destroy()
    }
  }
}

/** A protocol stream, with anything hypercore-protocol itself rejects reported as a typed error. */
function newStream(isInitiator: boolean, opts: ReplicationOptions): ProtocolStream {
  try {
    return createProtocolStream(isInitiator, opts)
  } catch (err) {
    throw CorestoreError.invalidOption(
      'opts',
      `options hypercore-protocol accepts (it said: ${(err as Error).message})`,
    )
  }
}

function attach(state: StreamState, core: Hypercore): void {
  if (core.closed || core.closing || state.stream.destroyed) return
  if (!core.opened) {
    core.ready((err) => {
      if (!err) attach(state, core)
    })
    return
  }
  if (core.key && state.stream.opened(core.key)) return
  core.replicate(state.isInitiator, { ...state.opts, stream: state.stream })
}

/** Until the remote answers the channel of `discoveryKey` (or closes it, or the stream or `core` closes). */
function untilAnswered(stream: ProtocolStream, discoveryKey: Buffer, core: Hypercore): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      core.removeListener('close', done)
      resolve()
    }
    core.once('close', done)
    remoteAnswer(stream, discoveryKey).then(done)
  })
}
