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
    connection.pipe(stream).pipe(connection)
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

function closed(side: SwarmConnection | ProtocolStream): Promise<void> {
  return new Promise((resolve) => side.once('close', () => resolve()))
}
