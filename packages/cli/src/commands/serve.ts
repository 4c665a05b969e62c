import { Corestore, type StoredCore } from '@corestore/core'
import { Networker, type Peer } from '@corestore/networker'
import { type Command, lineWriter, UsageError } from '../command.js'
import { hex } from '../format.js'
import { interrupted, NETWORK_HELP, NETWORK_OPTIONS, networkOptions } from '../network.js'
import { requireStore } from '../store.js'

export const serve: Command = {
  name: 'serve',
  summary: 'announce every stored core on hyperswarm and replicate with whoever asks, until interrupted',
  help: `Usage: corestore serve <dir> [--bootstrap host:port]...

Announces the discovery key of every core stored in <dir> on the HyperDHT and replicates with each
peer that connects: a peer gets any core it knows the key of (cores are opened when asked for).
Prints peers as they come and go. Ctrl-C (SIGINT) or SIGTERM leaves the DHT, closes every
connection and the store, and exits 0.

Options:
${NETWORK_HELP}
  -h, --help             this help`,
  options: { ...NETWORK_OPTIONS },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const dir = args.positionals[0] as string
    const options = networkOptions(args)
    await requireStore(dir)
    const say = lineWriter(io.stdout)
    const signal = interrupted(() => {
      io.stderr.write('corestore serve: interrupted again while closing, exiting now\n')
      process.exit(2)
    })
    const store = new Corestore(dir)
    let networker: Networker | null = null
    try {
      await store.ready()
      const cores: StoredCore[] = []
      for await (const core of store.storedCores()) cores.push(core)
      if (cores.length === 0) throw new UsageError(`${dir} holds no cores: nothing to serve`)

      const swarm = new Networker(store, options)
      networker = swarm
      const who = (peer: Peer) => `${hex(peer.remotePublicKey).slice(0, 16)}…`
      swarm.on('peer-add', (peer) => say(`peer ${who(peer)} connected (${swarm.peers.size} connected)`))
      swarm.on('peer-remove', (peer) => say(`peer ${who(peer)} left (${swarm.peers.size} connected)`))
      say(`serving ${cores.length} core${cores.length === 1 ? '' : 's'} from ${dir}`)
      // An owner only needs to be found: it announces, and readers dial it.
      const joined = Promise.all(
        cores.map(async ({ discoveryKey, key, name }) => {
          await swarm.join(discoveryKey, { announce: true, lookup: false })
          say(`announced ${hex(key)}${name === null ? '' : `  ${name}`}`)
        }),
      ).then(() => say('ready: press Ctrl-C to stop'))
      joined.catch(() => {})
      const stop = await Promise.race([signal, joined.then(() => signal)])
      say(`${stop}: closing`)
    } finally {
      await networker?.close()
      await store.close()
    }
    say('closed')
  },
}
