import { engine } from '@corestore/engine'
import { type Command, count, flag, UsageError, write } from '../command.js'
import { findStored, requireStore, withStore } from '../store.js'

export const cat: Command = {
  name: 'cat',
  summary: "print a core's blocks",
  help: `Usage: corestore cat <dir> <key|name> [--start n] [--end n] [--raw]

Prints the blocks of a stored core, one per line. The core is named by its key or discovery key
(64 hex characters) or by its name as corestore info shows it (default, drive1:photos…).

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
    await requireStore(dir)
    await withStore(dir, async (store) => {
      const found = await findStored(store.storedCores(), query, true)
      const core = store.get({ key: found.key })
      await engine.ready(core)
      const end = Math.min(last ?? core.length, core.length)
      for (let i = start; i < end; i++) {
        if (!core.has(i)) throw new UsageError(`block ${i} is not stored here (this copy is sparse)`)
        const block = await engine.get(core, i, { wait: false })
        await write(io.stdout, raw ? block : Buffer.concat([block, Buffer.from('\n')]))
      }
    })
  },
}
