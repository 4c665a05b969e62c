import { between, type Command, write } from '../command.js'
import { interrupted } from '../network.js'
import { LOOPBACK, Testnet } from '../testnet.js'

const DEFAULT_NODES = 3
/** More nodes than this is a typo, not a trial: each is two sockets and a routing table. */
const MAX_NODES = 64

export const testnet: Command = {
  name: 'testnet',
  summary: 'run a small DHT on 127.0.0.1, for serve and clone on this machine, until interrupted',
  help: `Usage: corestore testnet [--nodes n] [--port port]

Starts a HyperDHT of its own, every node bound to ${LOOPBACK}: nothing on another machine can reach
it, and serve and clone given its address keep every packet on this machine too. Prints the
--bootstrap option that serve and clone take to use it. Ctrl-C (SIGINT) or SIGTERM stops the
nodes and exits 0.

Options:
  --nodes n      how many DHT nodes to run (default ${DEFAULT_NODES}, at most ${MAX_NODES})
  --port port    the UDP port of the node serve and clone bootstrap from (default: 49737, or the
                 next free one)
  -h, --help     this help`,
  options: { nodes: { type: 'string' }, port: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const size = between(args, 'nodes', 1, MAX_NODES) ?? DEFAULT_NODES
    const port = between(args, 'port', 1, 65535)
    const say = (line: string) => void write(io.stdout, `${line}\n`)
    const signal = interrupted(() => {
      io.stderr.write('corestore testnet: interrupted again while closing, exiting now\n')
      process.exit(2)
    })
    const net = await Testnet.start({ size, port })
    try {
      say(`a DHT of ${size} node${size === 1 ? '' : 's'} on ${LOOPBACK}, for this machine only`)
      say('serve and clone on this machine join it with:')
      say(`  corestore serve <dir> --bootstrap ${net.bootstrap}`)
      say(`  corestore clone <key> <dir> --bootstrap ${net.bootstrap}`)
      say('ready: press Ctrl-C to stop')
      say(`${await signal}: closing`)
    } finally {
      await net.close()
    }
    say('closed')
  },
}
