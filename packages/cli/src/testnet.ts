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

/** What the testnet uses of a hyperdht 6 node (CommonJS without types). */
export interface DHTNode {
  /** The node's socket that others reach it on. */
  address(): SocketAddress | null
  fullyBootstrapped(): Promise<void>
  destroy(): Promise<void>
}

interface DHTOptions {
  host: string
  bootstrap: string[]
  ephemeral: boolean
  firewalled: boolean
}

interface HyperDHTClass {
  new (opts: DHTOptions): DHTNode
  /**
   * A first node, which needs no other to go on: it knows its own address up front (`host:port`,
   * so it binds exactly `port`), where a plain node learns it from the nodes it pings.
   */
  bootstrapper(port: number, host: string, opts: { host: string }): DHTNode
}

const HyperDHT = createRequire(import.meta.url)('hyperdht') as HyperDHTClass

/** hyperdht's own default port; taken, the next ones are tried. */
export const DEFAULT_PORT = 49737
const PORTS_TRIED = 10

/**
 * A small HyperDHT of its own on 127.0.0.1: a bootstrap node, which `serve` and `clone` (and the
 * other nodes) join through, then `size - 1` more nodes, so that an announcement is kept on several.
 * Every node binds to 127.0.0.1, which `hyperdht --bootstrap --host 127.0.0.1` does not (its `--host`
 * is only the address the node tells others; it binds 0.0.0.0).
 */
export class Testnet {
  readonly nodes: readonly DHTNode[]
  /** The bootstrap node, as `--bootstrap` takes it: `127.0.0.1:49737`. */
  readonly bootstrap: string
  #closing: Promise<void> | null = null

  private constructor(nodes: DHTNode[], bootstrap: string) {
    this.nodes = nodes
    this.bootstrap = bootstrap
  }

  /**
   * Start `size` nodes, the bootstrap node on `port` or, when none is given, on the first free
   * port from 49737 on.
   * @throws {UsageError} when the bootstrap node cannot have its port
   */
  static async start({ size, port }: { size: number; port?: number }): Promise<Testnet> {
    const [first, bound] = await bootstrapNode(port)
    const nodes = [first]
    try {
      const bootstrap = `${LOOPBACK}:${bound}`
      while (nodes.length < size) {
        // Persistent and not firewalled from the start: on loopback nothing is behind a NAT, and
        // only a persistent node keeps announcements.
        const node = new HyperDHT({ host: LOOPBACK, bootstrap: [bootstrap], ephemeral: false, firewalled: false })
        nodes.push(node)
        await node.fullyBootstrapped()
      }
      return new Testnet(nodes, bootstrap)
    } catch (err) {
      await destroy(nodes)
      throw err
    }
  }

  /** Destroy every node, the first one last (as hyperdht's testnet does). Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= destroy(this.nodes)
    return this.#closing
  }
}

async function destroy(nodes: readonly DHTNode[]): Promise<void> {
  for (const node of [...nodes].reverse()) await node.destroy()
}

/**
 * The bootstrap node, bound to 127.0.0.1 on `port`, or on the first free one from 49737 on.
 * @throws {UsageError} when no port it may take can be bound
 */
async function bootstrapNode(port: number | undefined): Promise<[DHTNode, number]> {
  const ports = port === undefined ? Array.from({ length: PORTS_TRIED }, (_, i) => DEFAULT_PORT + i) : [port]
  let refused: NodeJS.ErrnoException | null = null
  for (const candidate of ports) {
    // Asked first, with a socket of node's own: a hyperdht node that fails to bind leaves a handle
    // open, which would keep the process from exiting.
    refused = await bindError(candidate)
    if (refused) continue
    const node = HyperDHT.bootstrapper(candidate, LOOPBACK, { host: LOOPBACK })
    try {
      await node.fullyBootstrapped()
      return [node, candidate]
    } catch (err) {
      // Free when asked, taken since by another process (two testnets starting at once): on to the
      // next port, as if the check had seen it taken. The failed node may keep a handle open; the
      // command's exit backstop (main.ts) then ends the process when it is done.
      await node.destroy().catch(() => {})
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
      refused = err as NodeJS.ErrnoException
    }
  }
  const which = ports.length === 1 ? `${ports[0]}` : `${ports[0]} to ${ports.at(-1)}`
  throw new UsageError(`cannot bind ${LOOPBACK}:${which}: ${reason(refused as NodeJS.ErrnoException)}`)
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
