import { createSocket } from 'node:dgram'
import { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'

// @corestore/networker 1.x runs on hyperswarm 2 (@hyperswarm/network, @hyperswarm/discovery,
// @hyperswarm/dht 4). Kept on loopback, that stack needs three things done for it here:
// - discovery always opens a multicast-dns socket (224.0.0.251 on every interface) and takes no
//   option to skip it: the module is replaced, before it loads, by one that sends nothing;
// - hyperswarm 2 listens on every interface (server.listen(port)) and takes no host: each swarm's
//   TCP and UTP servers are made to listen on loopback addresses instead;
// - networker 1.x drops every connection from 127.0.0.1 (it takes them for its own), and TCP
//   connections on loopback all come from 127.0.0.1: so each swarm's UTP socket (which also
//   carries its DHT traffic, and so its announced address) is bound to an address of its own,
//   127.0.0.2, 127.0.0.3…, TCP stays on 127.0.0.1 where no peer dials it, and peers connect over
//   UTP, from their own address. Linux routes all of 127.0.0.0/8 to lo; elsewhere the test skips.

const require = createRequire(import.meta.url)

/** Resolve `chain[0]` from here, then each next module from the one before it (pnpm nests them). */
function resolveThrough(chain: string[]): string {
  let from = import.meta.url
  let path = ''
  for (const name of chain) {
    path = createRequire(from).resolve(name)
    from = path
  }
  return path
}

const NETWORKER = 'corestore-networker-v1'

function silenceMulticast(): void {
  const path = resolveThrough([
    NETWORKER,
    'hyperswarm',
    '@hyperswarm/network',
    '@hyperswarm/discovery',
    'multicast-dns',
  ])
  const quiet = () => Object.assign(new EventEmitter(), { query() {}, respond() {}, response() {}, destroy() {} })
  require.cache[path] = { id: path, filename: path, loaded: true, exports: quiet } as unknown as NodeJS.Module
}

silenceMulticast()

/** hyperswarm 2, as networker 1.x uses it. */
export interface Swarm2 {
  readonly network: {
    readonly tcp: { listen(port: number, host: string): unknown }
    readonly utp: { listen(port: number, host: string): unknown }
  }
}
type Hyperswarm2 = (opts: { bootstrap: string[]; queue: { multiplex: boolean } }) => Swarm2
const hyperswarm = createRequire(resolveThrough([NETWORKER]))('hyperswarm') as Hyperswarm2

/** @corestore/networker 1.x: the networker hyperspace and hyperdrive-daemon ran. */
export interface NetworkerV1 extends EventEmitter {
  listen(): Promise<void>
  configure(discoveryKey: Buffer, opts: { announce: boolean; lookup: boolean }): Promise<void>
  close(): Promise<void>
}
export const NetworkerV1 = require(NETWORKER) as new (
  store: unknown,
  opts: { keyPair?: { publicKey: Buffer; secretKey: Buffer }; swarm?: Swarm2 },
) => NetworkerV1

interface Dht4 {
  listen(port: number, host: string, cb: () => void): void
  address(): { port: number }
  destroy(): void
}
const dht = require('@hyperswarm/dht') as (opts: { bootstrap: false; ephemeral: false }) => Dht4

/** A DHT bootstrap node of our own on 127.0.0.1, so no swarm asks the public ones. */
export async function startBootstrap(): Promise<{ bootstrap: string[]; destroy(): void }> {
  const node = dht({ bootstrap: false, ephemeral: false })
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve))
  return { bootstrap: [`127.0.0.1:${node.address().port}`], destroy: () => node.destroy() }
}

/** A hyperswarm 2 swarm on `bootstrap` whose sockets listen on loopback only, UTP on `host`. */
export function loopbackSwarm(bootstrap: string[], host: string): Swarm2 {
  const swarm = hyperswarm({ bootstrap, queue: { multiplex: true } })
  const { tcp, utp } = swarm.network
  const listenTcp = tcp.listen.bind(tcp)
  const listenUtp = utp.listen.bind(utp)
  Object.assign(tcp, { listen: (port: number) => listenTcp(port, '127.0.0.1') })
  Object.assign(utp, { listen: (port: number) => listenUtp(port, host) })
  return swarm
}

/** Whether a UDP socket binds to `host` (127.0.0.2 and up exist on Linux, not on macOS by default). */
export function canBind(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    socket.once('error', () => resolve(false))
    socket.bind(0, host, () => socket.close(() => resolve(true)))
  })
}
