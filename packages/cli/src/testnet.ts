import { createSocket } from 'node:dgram'
import { createRequire } from 'node:module'
import { getSystemErrorMap } from 'node:util'
import { UsageError } from './command.js'

/** Where every node of a testnet binds: this machine only, unreachable from any other. */
export const LOOPBACK = '127.0.0.1'

/** A UDP socket's address, as udx reports it. */
export interface SocketAddress {
  readonly host: string
  readonly family: number
  readonly port: number
}

/** What the command and its tests use of a hyperdht 6 node. */
export interface DHTNode {
  /** The node's socket that others reach it on. */
  address(): SocketAddress | null
}

/** What the command uses of hyperdht 6's `testnet` (CommonJS without types). */
interface HyperdhtTestnet {
  readonly nodes: readonly DHTNode[]
  readonly bootstrap: readonly { host: string; port: number }[]
  destroy(): Promise<void>
}
type CreateTestnet = (size: number, opts: { host: string; port: number }) => Promise<HyperdhtTestnet>

// hyperdht's own testnet: a first node on `host:port` that the others bootstrap from, all persistent
// and not firewalled (on loopback nothing is behind a NAT, and only a persistent node keeps
// announcements), every one bound to 127.0.0.1 when `host` is.
const createTestnet = createRequire(import.meta.url)('hyperdht/testnet') as CreateTestnet

/** hyperdht's own default port; taken, the next ones are tried. */
export const DEFAULT_PORT = 49737
const PORTS_TRIED = 10

/**
 * A small HyperDHT of its own on 127.0.0.1 (`hyperdht/testnet`): a bootstrap node, which `serve` and
 * `clone` join through, then `size - 1` more nodes, so that an announcement is kept on several.
 * Every node binds to 127.0.0.1, which `hyperdht --bootstrap --host 127.0.0.1` does not (its `--host`
 * is only the address the node tells others; it binds 0.0.0.0).
 */
export class Testnet {
  /** The bootstrap node, as `--bootstrap` takes it: `127.0.0.1:49737`. */
  readonly bootstrap: string
  readonly #net: HyperdhtTestnet
  #closing: Promise<void> | null = null

  private constructor(net: HyperdhtTestnet, bootstrap: string) {
    this.#net = net
    this.bootstrap = bootstrap
  }

  /** The nodes, the bootstrap node first. */
  get nodes(): readonly DHTNode[] {
    return this.#net.nodes
  }

  /**
   * Start `size` nodes, the bootstrap node on `port` or, when none is given, on the first free
   * port from 49737 on.
   * @throws {UsageError} when the bootstrap node cannot have its port
   */
  static async start({ size, port }: { size: number; port?: number }): Promise<Testnet> {
    const ports = port === undefined ? Array.from({ length: PORTS_TRIED }, (_, i) => DEFAULT_PORT + i) : [port]
    let refused: NodeJS.ErrnoException | null = null
    for (const candidate of ports) {
      // Asked first, with a socket of node's own: a hyperdht node that fails to bind leaves a handle
      // open, which would keep the process from exiting.
      refused = await bindError(candidate)
      if (refused) continue
      try {
        const net = await createTestnet(size, { host: LOOPBACK, port: candidate })
        return new Testnet(net, `${LOOPBACK}:${candidate}`)
      } catch (err) {
        // Free when asked, taken since by another process (two testnets starting at once): on to the
        // next port, as if the check had seen it taken. The failed node may keep a handle open; the
        // command's exit backstop (main.ts) then ends the process when it is done.
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
        refused = err as NodeJS.ErrnoException
      }
    }
    const which = ports.length === 1 ? `${ports[0]}` : `${ports[0]} to ${ports.at(-1)}`
    throw new UsageError(`cannot bind ${LOOPBACK}:${which}: ${reason(refused as NodeJS.ErrnoException)}`)
  }

  /** Destroy every node, the first one last (as hyperdht's testnet does). Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#net.destroy()
    return this.#closing
  }
}

/** Why `port` on 127.0.0.1 cannot be bound now, or `null` when it can. */
async function bindError(port: number): Promise<NodeJS.ErrnoException | null> {
  const socket = createSocket('udp4')
  const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    socket.once('error', resolve)
    socket.bind(port, LOOPBACK, () => resolve(null))
  })
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return error
}

/** The system's words for a socket error (`address already in use`); node's message is `bind EADDRINUSE …`. */
function reason(err: NodeJS.ErrnoException): string {
  return (err.errno !== undefined && getSystemErrorMap().get(err.errno)?.[1]) || err.message
}
