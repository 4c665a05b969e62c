import { createInterface } from 'node:readline'
import { type Command, flag, type Io, UsageError, write } from '../command.js'
import { hex } from '../format.js'
import { findStored, requireStore, withStore } from '../store.js'

export const rm: Command = {
  name: 'rm',
  summary: "delete a core's files from a store",
  help: `Usage: corestore rm <dir> <key> [--yes]

Deletes the files of one stored core (named by its key or discovery key), and the folders that
leaves empty; nothing else in the store is touched. A core this store can write to is only
removed after you confirm: its blocks exist nowhere else unless a peer copied them, and cannot
be recovered. The store must not be open in another process.

Options:
  -y, --yes   remove without asking, even a writable core
  -h, --help  this help`,
  options: { yes: { type: 'boolean', short: 'y' } },
  positionals: { min: 2, max: 2 },
  async run(args, io) {
    const [dir, query] = args.positionals as [string, string]
    await requireStore(dir)
    await withStore(dir, async (store) => {
      const core = await findStored(store.storedCores(), query, false)
      const label = `${hex(core.key)}${core.name === null ? '' : ` (${core.name})`}`
      if (core.writable && !flag(args, 'yes')) {
        const answer = await ask(io, `core ${label} is writable: its blocks cannot be recovered. Remove it? [y/N] `)
        if (!/^y(es)?$/i.test(answer?.trim() ?? '')) {
          throw new UsageError('not removed (answer y, or pass --yes, to remove a writable core)')
        }
      }
      await store.purge(core.key)
      await write(io.stdout, `removed ${label}\n`)
    })
  },
}

/**
 * One line from standard input, or `null` when it ends first. The prompt's line is ended here unless a
 * terminal echoed the answer with its newline: an answer from a pipe or a file is not shown, and
 * Ctrl-D echoes nothing, so what is printed next would otherwise join the prompt.
 */
async function ask(io: Io, question: string): Promise<string | null> {
  io.stderr.write(question)
  const rl = createInterface({ input: io.stdin })
  const answer = await new Promise<string | null>((resolve) => {
    rl.once('line', (line) => {
      resolve(line)
      rl.close()
    })
    rl.once('close', () => resolve(null))
  })
  const echoed = (io.stdin as { isTTY?: boolean }).isTTY === true && answer !== null
  if (!echoed) io.stderr.write('\n')
  return answer
}
