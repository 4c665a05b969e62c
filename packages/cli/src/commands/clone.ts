import { once } from 'node:events'
import { Corestore } from '@corestore/core'
import type { Hypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { discoveryKey } from '@corestore/keychain'
import { Networker } from '@corestore/networker'
import { type Command, count, UsageError, write } from '../command.js'
import { checkDirectory } from '../directory.js'
import { Footprint } from '../footprint.js'
import { bytes, hex } from '../format.js'
import { interrupted, NETWORK_HELP, NETWORK_OPTIONS, networkOptions } from '../network.js'
import { Progress } from '../progress.js'
import { requireKey } from '../store.js'

const DEFAULT_TIMEOUT = 60

export const clone: Command = {
  name: 'clone',
  summary: 'look a core up on hyperswarm and download all of it into a store',
  help: `Usage: corestore clone <key> <dir> [--bootstrap host:port]... [--timeout seconds]

Looks the core with this key up on the HyperDHT, connects to the peers serving it, and downloads
every block it has, into the store in <dir> (created when it holds none yet). A progress bar on
standard error shows blocks and bytes, the rate and the time left. Run it again to fetch what was
appended since. Blocks are synced to disk as they arrive (a durable store). A clone that receives
nothing (no peer, interrupted) removes what it created: the folders, master_key, LOCK, JOURNAL
and the core's folder; nothing that was there before.

Options:
${NETWORK_HELP}
  --timeout seconds      give up when no peer has the core after this long (default ${DEFAULT_TIMEOUT})
  -h, --help             this help`,
  options: { ...NETWORK_OPTIONS, timeout: { type: 'string' } },
  positionals: { min: 2, max: 2 },
  async run(args, io) {
    const [given, dir] = args.positionals as [string, string]
    const key = requireKey(given).toString('hex')
    const options = networkOptions(args)
    const timeout = (count(args, 'timeout') ?? DEFAULT_TIMEOUT) * 1000
    await checkDirectory(dir, { create: true })
    // A clone that receives nothing takes back what it created: no store is left behind for nothing.
    const footprint = await Footprint.before(dir, discoveryKey(Buffer.from(key, 'hex')))
    const signal = interrupted(() => process.exit(2))
    const store = new Corestore(dir, { durable: true })
    let networker: Networker | null = null
    let progress: Progress | null = null
    let received = 0
    let cloned = false
    try {
      await store.ready()
      // Sparse: nothing downloads before download() below, so the progress bar sees every block.
      const core = store.get({ key, sparse: true })
      await engine.ready(core)
      networker = new Networker(store, options)
      // Listening before joining: the first peer may open the core while the look-up is still running.
      const opened = once(core, 'peer-open')
      opened.catch(() => {})
      // A reader only looks the key up: nobody needs to find it.
      await networker.join(core.discoveryKey as Buffer, { announce: false, lookup: true })
      await abortable(signal, found(core, opened, timeout))
      const length = core.length
      const have = core.downloaded(0, length)
      const size = bytes(core.byteLength)
      const plan =
        have === 0
          ? `downloading ${length} blocks, ${size}`
          : have === length
            ? `nothing new: all ${length} blocks (${size}) are here already`
            : `downloading ${length - have} of ${length} blocks (${size} in all)`
      await write(io.stderr, `${plan}\n`)
      const started = Date.now()
      // Nothing to fetch, nothing to show: a bar would only print its 100 % line.
      if (have < length) {
        progress = new Progress(io.stderr, length)
        const onblock = (index: number, data: Buffer) => {
          received++
          if (index < length) progress?.add(data.length)
        }
        core.on('download', onblock)
        progress.start(have)
        await abortable(
          signal,
          engine.call((cb) => core.download({ start: 0, end: length }, cb)),
        )
        core.off('download', onblock)
        progress.stop()
      }
      cloned = true
      const took = have === length ? ', nothing new' : ` in ${((Date.now() - started) / 1000).toFixed(1)} s`
      await write(
        io.stdout,
        `cloned ${hex(core.key as Buffer)} into ${dir}: ${length} blocks, ${size} (${core.byteLength} bytes)${took}\n`,
      )
    } finally {
      progress?.stop()
      await networker?.close()
      await store.close()
      // The error that ended the clone is the one to report, not a failure to tidy up after it.
      if (!cloned && received === 0) await footprint.undo().catch(() => false)
    }
  },
}

/**
 * Resolve once a peer serving the core has opened it with us (`opened`) and told us its length.
 * @throws {UsageError} after `ms` without such a peer
 */
async function found(core: Hypercore, opened: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UsageError(`no peer served this core within ${ms / 1000} s`)), ms)
  })
  try {
    await Promise.race([opened, late])
  } finally {
    clearTimeout(timer)
  }
  // Waits for the peer's length when it has more blocks than we do; fails at once when it has not.
  await engine.call((cb) => core.update({ ifAvailable: true, minLength: core.length + 1 }, cb)).catch(() => {})
}

/** `work`, unless SIGINT or SIGTERM comes first: then a user error, and the caller cleans up. */
function abortable<T>(signal: Promise<string>, work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    signal.then((name) => {
      throw new UsageError(`interrupted (${name}); what was downloaded is kept`)
    }),
  ])
}
