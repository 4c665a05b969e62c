import { modules } from '#node'
import type { DataMessage, RequestMessage } from '../hypercore/types.js'

type Done<T> = (err: Error | null, value?: T) => void

/** The parts of a hypercore 9 feed that answering a peer's request uses. */
interface ServingFeed {
  proof(
    index: number,
    opts: { digest?: number; hash?: boolean; tree: unknown },
    cb: Done<Pick<DataMessage, 'nodes' | 'signature'>>,
  ): void
  readonly bitfield: { get(index: number): boolean }
  _getBuffer(index: number, cb: Done<Buffer>): void
  seek(bytes: number, opts: { wait: false }, cb: Done<number>): void
  emit(event: 'upload', index: number, value: Buffer, peer: HypercorePeer): boolean
  readonly _stats: { uploadedBlocks: number; uploadedBytes: number } | null
}

/**
 * hypercore 9's `Peer` (lib/replicate.js): the handlers of one core's channel on a protocol stream.
 * Only what answering a request reads and writes.
 */
export interface HypercorePeer {
  readonly feed: ServingFeed
  readonly uploading: boolean
  readonly stats: { uploadedBlocks: number; uploadedBytes: number } | null
  /** The tree nodes the remote has been sent, made on its first request. */
  remoteTree: unknown
  remoteLength: number
  _lastBytes: number
  /** Its channel. */
  readonly stream: { data(message: DataMessage): boolean }
  destroy(err?: Error | null): void
  _updateEnd(): void
}

/** Whether a channel's handlers are a hypercore 9 peer that this module can answer for. */
export function isHypercorePeer(handlers: unknown): handlers is HypercorePeer {
  const peer = handlers as Partial<HypercorePeer> | null
  return (
    typeof peer === 'object' &&
    peer !== null &&
    typeof peer.uploading === 'boolean' &&
    typeof peer.destroy === 'function' &&
    typeof peer._updateEnd === 'function' &&
    typeof peer.feed?.proof === 'function' &&
    typeof peer.feed._getBuffer === 'function'
  )
}

/**
 * Answer one request as hypercore 9.12's `Peer.prototype.onrequest` does — a proof, then the block
 * if it is here, in one `data` message — and call `done` once that message is sent or known never to
 * be. hypercore answers with no such signal; the upload limit needs it to count answers in flight.
 */
export function answerRequest(peer: HypercorePeer, request: RequestMessage, done: () => void): void {
  if (!peer.uploading) done()
  else if (request.bytes) answerByteOffset(peer, request, done)
  else answerIndex(peer, request, done)
}

function answerIndex(peer: HypercorePeer, request: RequestMessage, done: () => void): void {
  const { feed } = peer
  peer.remoteTree ??= modules.treeIndex()
  feed.proof(request.index, { digest: request.nodes, hash: request.hash, tree: peer.remoteTree }, (err, proof) => {
    if (err || !proof) return fail(peer, err, done)
    const send = (err: Error | null, value: Buffer | null = null) => {
      if (!peer.uploading) return done()
      if (err) return fail(peer, err, done)
      if (value) counted(peer, request.index, value)
      if (request.index + 1 > peer.remoteLength) {
        peer.remoteLength = request.index + 1
        peer._updateEnd()
      }
      peer.stream.data({ index: request.index, value, nodes: proof.nodes, signature: proof.signature })
      done()
    }
    if (request.hash) send(null)
    else if (feed.bitfield.get(request.index)) feed._getBuffer(request.index, send)
    else done()
  })
}

/** A request by byte offset: the block holding it, each offset once in a row (as hypercore's `_onbytes`). */
function answerByteOffset(peer: HypercorePeer, request: RequestMessage, done: () => void): void {
  const bytes = request.bytes as number
  peer.feed.seek(bytes, { wait: false }, (err, index) => {
    if (err || index === undefined) return answerRequest(peer, { ...request, bytes: 0 }, done)
    if (peer._lastBytes === bytes) return done()
    peer._lastBytes = bytes
    answerRequest(peer, { ...request, bytes: 0, index, nodes: 0 }, done)
  })
}

/** A block sent: the peer's and the feed's upload figures, and the feed's `upload` event. */
function counted(peer: HypercorePeer, index: number, value: Buffer): void {
  if (peer.stats) {
    peer.stats.uploadedBlocks += 1
    peer.stats.uploadedBytes += value.length
    if (peer.feed._stats) {
      peer.feed._stats.uploadedBlocks += 1
      peer.feed._stats.uploadedBytes += value.length
    }
  }
  peer.feed.emit('upload', index, value, peer)
}

/** As hypercore does on a failed read: the peer is destroyed, which destroys its stream. */
function fail(peer: HypercorePeer, err: Error | null, done: () => void): void {
  peer.destroy(err)
  done()
}
