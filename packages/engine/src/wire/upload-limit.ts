import type { ProtocolStream, RequestMessage } from '../hypercore/types.js'
import { answerRequest, type HypercorePeer, isHypercorePeer } from './answer-request.js'
import { type Channel, type Channelizer, channelizerOf } from './channelizer.js'
import { createFifo } from './fifo.js'

/** How much a protocol stream may take on for a peer that asks and does not read. */
export interface UploadLimits {
  /** Answered bytes the stream may hold for its reader; past it, requests wait until the reader catches up. */
  maxBuffered?: number
  /** Requests being answered at once (each holds its block while it is read and sent). */
  concurrency?: number
  /**
   * Requests one core's channel may have outstanding (waiting or being answered) before the stream
   * stops reading from the peer. hypercore 9 keeps at most 32 out per core (`maxRequests` + 16).
   */
  maxPending?: number
}

export const DEFAULT_UPLOAD_LIMITS: Readonly<Required<UploadLimits>> = {
  maxBuffered: 4 * 2 ** 20,
  concurrency: 32,
  maxPending: 256,
}

type Callback = (err?: Error | null) => void

/** What of hypercore-protocol 8's stream (a streamx Duplex) the limit hooks into. */
interface StreamInternals {
  readonly _readableState: { readonly buffered: number }
  /** Set from the moment `destroy()` is called (streamx). */
  readonly destroying: boolean
  _write(data: Buffer, cb: Callback): void
  _read(cb: Callback): void
  /** Run by streamx's `destroy()` before anything else. */
  _predestroy(): void
  readonly channelizer: Channelizer
}

/** Bytes a protocol stream has queued for its reader (the socket it is piped to) and not handed on. */
export function outgoingBytes(stream: ProtocolStream): number {
  return internals(stream)?._readableState.buffered ?? 0
}

const limited = new WeakMap<ProtocolStream, UploadLimit>()

/**
 * Requests of the remote that `limitUploads` holds on `stream`, waiting or being answered (0 on a
 * stream without the limit).
 */
export function uploadBacklog(stream: ProtocolStream): number {
  return limited.get(stream)?.backlog ?? 0
}

/**
 * Resolves once fewer than `count` of the remote's requests wait or are being answered on `stream`
 * (at once on a stream without the limit, and when the stream is destroyed).
 */
export function uploadBacklogBelow(stream: ProtocolStream, count: number): Promise<void> {
  return limited.get(stream)?.below(count) ?? Promise.resolve()
}

/**
 * Bound what `stream` holds for a peer that sends requests and does not read the answers: requests
 * are answered `concurrency` at a time and only while fewer than `maxBuffered` answered bytes wait
 * for the reader; the rest wait as requests (a few bytes each). A peer with more than `maxPending`
 * requests outstanding on one core is not read from until they are answered, so the transport's own
 * backpressure stops it. hypercore 9 answers every request at once, whatever the reader does.
 * Installing it twice on one stream does nothing more.
 */
export function limitUploads(stream: ProtocolStream, limits: UploadLimits = {}): void {
  const hooks = internals(stream)
  if (!hooks || limited.has(stream)) return
  limited.set(stream, new UploadLimit(hooks, { ...DEFAULT_UPLOAD_LIMITS, ...limits }))
}

/** The stream's internals, or null: a stream passed in may come from another hypercore-protocol. */
function internals(stream: ProtocolStream): StreamInternals | null {
  const s = stream as unknown as Partial<StreamInternals>
  const known =
    typeof s._readableState?.buffered === 'number' &&
    typeof s._write === 'function' &&
    typeof s._read === 'function' &&
    typeof s._predestroy === 'function' &&
    typeof s.destroying === 'boolean' &&
    channelizerOf(stream) !== null
  return known ? (s as StreamInternals) : null
}

interface Job {
  readonly channel: Channel
  readonly peer: HypercorePeer
  readonly request: RequestMessage
}

class UploadLimit {
  readonly #hooks: StreamInternals
  readonly #limits: Required<UploadLimits>
  readonly #waiting = createFifo<Job>()
  #answering = 0
  #pumping = false
  /** Requests outstanding per channel, waiting or being answered. */
  readonly #pending = new Map<Channel, number>()
  /** Channels with more than `maxPending` outstanding: while any, the peer is not read from. */
  #crowded = 0
  #heldWrite: (() => void) | null = null
  /** Who waits for the backlog to fall below a count. */
  #belowWaiters: { count: number; resolve: () => void }[] = []
  /** The highest `count` anyone waits for: a backlog at or above it has nobody to wake. */
  #highestWaited = 0

  constructor(hooks: StreamInternals, limits: Required<UploadLimits>) {
    this.#hooks = hooks
    this.#limits = limits
    const { channelizer } = hooks
    const onrequest = channelizer.onrequest
    channelizer.onrequest = (channelId, message) => {
      const channel = channelizer.remote[channelId]
      // A channel that is not a hypercore 9 core's (opened by hand on a stream passed in) is answered as before.
      if (!channel || !isHypercorePeer(channel.handlers)) return onrequest.call(channelizer, channelId, message)
      this.#admit({ channel, peer: channel.handlers, request: message as RequestMessage })
    }
    // hypercore-protocol handles a chunk synchronously and calls back at once; holding the callback
    // stops streamx from taking more, and a piped socket from reading.
    const write = hooks._write
    hooks._write = (data, cb) =>
      write.call(hooks, data, (err) => {
        if (err || this.#crowded === 0 || hooks.destroying) cb(err)
        else this.#heldWrite = () => cb(null)
      })
    // streamx asks for more once the reader took what was queued: time to answer again.
    const read = hooks._read
    hooks._read = (cb) => {
      read.call(hooks, cb)
      this.#pump()
    }
    // streamx finishes a destroy only once no write is in progress: let the held one go.
    const predestroy = hooks._predestroy
    hooks._predestroy = () => {
      predestroy.call(hooks)
      this.#waiting.clear()
      this.#release()
      for (const { resolve } of this.#belowWaiters.splice(0)) resolve()
      this.#highestWaited = 0
    }
  }

  /** Requests waiting or being answered. */
  get backlog(): number {
    return this.#waiting.length + this.#answering
  }

  below(count: number): Promise<void> {
    if (this.backlog < count || this.#hooks.destroying) return Promise.resolve()
    this.#highestWaited = Math.max(this.#highestWaited, count)
    return new Promise((resolve) => this.#belowWaiters.push({ count, resolve }))
  }

  #admit(job: Job): void {
    const pending = (this.#pending.get(job.channel) ?? 0) + 1
    this.#pending.set(job.channel, pending)
    if (pending === this.#limits.maxPending + 1) this.#crowded++
    this.#waiting.push(job)
    this.#pump()
  }

  #pump(): void {
    // An answer that completes at once calls back into here: the loop below carries on for it.
    if (this.#pumping) return
    this.#pumping = true
    const hooks = this.#hooks
    while (
      this.#waiting.length > 0 &&
      this.#answering < this.#limits.concurrency &&
      hooks._readableState.buffered < this.#limits.maxBuffered
    ) {
      const job = this.#waiting.shift() as Job
      // Closed since it asked: hypercore-protocol would have dropped the request.
      if (this.#hooks.destroying || job.channel.localId === -1) {
        this.#settle(job.channel)
        continue
      }
      this.#answering++
      answerRequest(job.peer, job.request, () => {
        this.#answering--
        this.#settle(job.channel)
        this.#pump()
      })
    }
    this.#pumping = false
  }

  #settle(channel: Channel): void {
    const pending = (this.#pending.get(channel) ?? 1) - 1
    if (pending === this.#limits.maxPending) this.#crowded--
    if (pending === 0) this.#pending.delete(channel)
    else this.#pending.set(channel, pending)
    if (this.#crowded === 0) this.#release()
    if (this.backlog < this.#highestWaited) this.#wake()
  }

  #wake(): void {
    const backlog = this.backlog
    const still: { count: number; resolve: () => void }[] = []
    for (const waiter of this.#belowWaiters) {
      if (backlog < waiter.count) waiter.resolve()
      else still.push(waiter)
    }
    this.#belowWaiters = still
    this.#highestWaited = highest(still)
  }

  #release(): void {
    const held = this.#heldWrite
    if (!held) return
    this.#heldWrite = null
    // Not from inside an answer's callback: streamx may hand over the next chunk synchronously.
    queueMicrotask(held)
  }
}

/** The highest `count` of the waiters; 0 (nobody to wake) when there are none. */
function highest(waiters: readonly { count: number }[]): number {
  let max = 0
  for (const { count } of waiters) max = Math.max(max, count)
  return max
}
