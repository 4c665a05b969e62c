import { openStorage, storedCores } from '@corestore/bootstrap'
import { Keychain } from '@corestore/keychain'
import { StoredBlocks } from '../blocks.js'
import { type Command, count, flag, UsageError, write } from '../command.js'
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
  --start n   the first block to print (default 0)
  --end n     print up to this block, not included (default: the core's length)
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
