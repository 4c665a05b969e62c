import { openStorage, storedCores } from '@corestore/bootstrap'
import { Keychain } from '@corestore/keychain'
import { StoredBlocks } from '../blocks.js'
import { ArgumentError, type Command, count, flag, UsageError, write } from '../command.js'
import { hex } from '../format.js'
import { findStored, requireStore } from '../store.js'

export const cat: Command = {
  name: 'cat',
  summary: "print a core's blocks",
  help: `Usage: corestore cat <dir> <key|name> [--start n] [--end n] [--raw]

Prints the blocks of a stored core, one per line. The core is named by its key or discovery key
(64 hex characters) or by its name as corestore info shows it (default, drive1:photos…).

Reads the files only, like corestore info: nothing is created or changed, no lock is taken, and a
store that is open in another process (corestore serve, an app) can be read.

Options:
  --start n   the first block to print (default 0); past the last block is an error
  --end n     print up to this block, not included (default, and at most: the core's length)
  --raw       write the blocks' bytes as they are, with nothing between them
  -h, --help  this help`,
  options: { start: { type: 'string' }, end: { type: 'string' }, raw: { type: 'boolean' } },
  positionals: { min: 2, max: 2 },
  async run(args, io) {
    const [dir, query] = args.positionals as [string, string]
    const raw = flag(args, 'raw')
    const start = count(args, 'start') ?? 0
    const last = count(args, 'end')
    const masterKey = await requireStore(dir)
    const storage = openStorage(dir)
    const found = await findStored(storedCores(storage, new Keychain(masterKey)), query, true)
    const blocks = await StoredBlocks.open(storage, found.discoveryKey, hex(found.key))
    try {
      if (last !== undefined && last < start) throw new ArgumentError(`--end ${last} is before --start ${start}`)
      if (start > 0 && start >= blocks.length) throw new UsageError(pastTheEnd(query, start, blocks.length))
      const end = Math.min(last ?? blocks.length, blocks.length)
      for (let i = start; i < end; i++) {
        if (!blocks.has(i)) throw new UsageError(`block ${i} is not stored here (this copy is sparse)`)
        const block = await blocks.get(i)
        await write(io.stdout, raw ? block : Buffer.concat([block, Buffer.from('\n')]))
      }
    } finally {
      await blocks.close()
    }
  },
}

/** `--start 5 is past the end: default has 3 blocks (the last is 2)`. */
function pastTheEnd(query: string, start: number, length: number): string {
  const has =
    length === 0 ? 'has no blocks' : `has ${length} block${length === 1 ? '' : 's'} (the last is ${length - 1})`
  return `--start ${start} is past the end: ${query} ${has}`
}
