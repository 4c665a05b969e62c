import type { NetworkerOptions } from '@corestore/networker'

/**
 * The networker options of the examples: `--bootstrap host:port` (repeatable) for a local testnet,
 * on loopback only; without it, hyperswarm's public bootstrap nodes.
 */
export function networkOptions(argv: string[]): NetworkerOptions {
  const bootstrap = argv.flatMap((arg, i) => (argv[i - 1] === '--bootstrap' ? [arg] : []))
  if (bootstrap.length === 0) return {}
  const local = bootstrap.every((node) => node.startsWith('127.'))
  return local ? { bootstrap, host: '127.0.0.1' } : { bootstrap }
}
