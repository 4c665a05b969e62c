import type { NetworkerOptions } from '@corestore/networker'
import { type Args, ArgumentError, texts } from './command.js'

/** The options every network command takes. */
export const NETWORK_OPTIONS = { bootstrap: { type: 'string', multiple: true } } as const

export const NETWORK_HELP = `  --bootstrap host:port  a DHT node to join through (repeatable); hyperswarm's public ones if left out.
                         Nodes on 127.x.x.x keep every packet on this machine (a local testnet).`

/**
 * `--bootstrap host:port`… as networker options. When every node is on loopback, the DHT node is
 * bound to 127.0.0.1 too: it then knows it is not behind a NAT, and peers connect at once.
 */
export function networkOptions(args: Args): NetworkerOptions {
  const bootstrap = texts(args, 'bootstrap')
  for (const node of bootstrap) {
    const match = /^(.+):(\d{1,5})$/.exec(node)
    if (!match || Number(match[2]) > 65535) {
      throw new ArgumentError(`--bootstrap must be host:port, got ${JSON.stringify(node)}`)
    }
  }
  if (bootstrap.length === 0) return {}
  return bootstrap.every((node) => node.startsWith('127.')) ? { bootstrap, host: '127.0.0.1' } : { bootstrap }
}

/**
 * Resolve once SIGINT or SIGTERM arrives. A second signal while closing exits at once (code 2),
 * so a close that hangs never traps the user.
 */
export function interrupted(onforce: () => void): Promise<string> {
  return new Promise((resolve) => {
    const first = (signal: string) => {
      process.off('SIGINT', first)
      process.off('SIGTERM', first)
      process.once('SIGINT', onforce)
      process.once('SIGTERM', onforce)
      resolve(signal)
    }
    process.on('SIGINT', first)
    process.on('SIGTERM', first)
  })
}
