import type { ProtocolStream } from '@corestore/engine'
import { Lifecycle } from '@corestore/lifecycle'
import type { SwarmConnection } from './hyperswarm.js'

/** What the networker hears from a peer's pair of streams. */
export interface PeerEvents {
  onerror(peer: Peer, err: Error): void
  onclose(peer: Peer): void
}

/**
 * One connected peer: its hyperswarm connection and the store's replication stream piped over it.
 * Whichever side closes or fails first takes the other down with it, once.
 */
export class Peer {
  /** The peer's Noise public key: the same for every connection to it. */
  readonly remotePublicKey: Buffer
  /** True when we dialed the peer (then we are the replication initiator). */
  readonly client: boolean
  readonly connection: SwarmConnection
  readonly stream: ProtocolStream
  /** A peer is open from the start: only its close goes through the shared state machine. */
  readonly #life: Lifecycle

  constructor(connection: SwarmConnection, stream: ProtocolStream, client: boolean, events: PeerEvents) {
    this.remotePublicKey = connection.remotePublicKey
    this.client = client
    this.connection = connection
    this.stream = stream

    const bothClosed = Promise.all([closed(connection), closed(stream)]).then(() => {})
    this.#life = new Lifecycle({
      open: async () => {},
      close: () => {
        this.#destroy()
        return bothClosed
      },
      closedError: () => new Error('the peer is closed'),
    })
    // A failing peer is expected (it went away, its network dropped): report it, never throw.
    let reported = false
    const onerror = (err: Error) => {
      if (!reported && !this.#life.closing) events.onerror(this, err)
      reported = true
    }
    let gone = false
    const onclose = () => {
      if (gone) return
      gone = true
      this.close().catch(() => {})
      events.onclose(this)
    }
    for (const side of [connection, stream]) {
      side.on('error', onerror)
      side.once('close', onclose)
    }
    connection.pipe(stream)
    sendCoalesced(stream, connection)
  }

  /** The connection or the stream closed (or `close()` was called). */
  get closed(): boolean {
    return this.#life.closing
  }

  /** Close the connection and the replication stream; resolves once both have closed. Safe to repeat. */
  close(): Promise<void> {
    return this.#life.close()
  }

  #destroy(): void {
    if (!this.connection.destroyed) this.connection.destroy()
    if (!this.stream.destroyed) this.stream.destroy()
  }
}

/** The most bytes one write to the connection carries (well under secret-stream's 16 MiB atomic write). */
export const MAX_COALESCED_BYTES = 64 * 1024

/**
 * Pipe the replication stream into the connection, the messages it emits before the event loop
 * turns written as one buffer. hypercore-protocol emits one chunk per message (a block, a request,
 * a have), and every write to the connection is encrypted, framed and handed to UDX on its own:
 * a writer answering requests as its disk reads complete emits dozens of messages a turn. The
 * bytes are the same stream; only its chunking changes. Backpressure as with pipe(): the stream
 * pauses while the connection is full, and the connection ends when the stream does. It is the
 * transport's cost per write that this saves (secret-stream's encryption and framing, a UDX send),
 * so it lives here: a stream a program pipes into a socket of its own is left as hypercore-protocol
 * chunks it.
 */
function sendCoalesced(stream: ProtocolStream, connection: SwarmConnection): void {
  let chunks: Buffer[] = []
  let bytes = 0
  let scheduled: NodeJS.Immediate | null = null
  let paused = false
  const flush = () => {
    if (scheduled !== null) clearImmediate(scheduled)
    scheduled = null
    if (bytes === 0) return
    const data = chunks.length === 1 ? (chunks[0] as Buffer) : joined(chunks, bytes, connection)
    chunks = []
    bytes = 0
    if (connection.destroyed) return
    if (!connection.write(data) && !paused) {
      paused = true
      stream.pause()
      connection.once('drain', () => {
        paused = false
        stream.resume()
      })
    }
  }
  stream.on('data', (chunk: Buffer) => {
    chunks.push(chunk)
    bytes += chunk.byteLength
    if (bytes >= MAX_COALESCED_BYTES) flush()
    else if (scheduled === null) scheduled = setImmediate(flush)
  })
  stream.once('end', () => {
    flush()
    if (!connection.destroyed) connection.end()
  })
  stream.once('close', () => {
    if (scheduled !== null) clearImmediate(scheduled)
    scheduled = null
  })
}

/**
 * `chunks` as one buffer of `bytes`: one the connection allocated when it can, which secret-stream
 * then encrypts in place (its frame header and tag are around it), instead of a buffer of ours it
 * would copy into one of its own. A writer serving many peers sends its every byte through here:
 * one allocation and one copy of each 64 KiB fewer.
 */
function joined(chunks: Buffer[], bytes: number, connection: SwarmConnection): Buffer {
  if (!connection.alloc) return Buffer.concat(chunks, bytes)
  const data = connection.alloc(bytes)
  let offset = 0
  for (const chunk of chunks) {
    data.set(chunk, offset)
    offset += chunk.byteLength
  }
  return data
}

function closed(side: SwarmConnection | ProtocolStream): Promise<void> {
  return new Promise((resolve) => side.once('close', () => resolve()))
}
