import { createInterface } from 'node:readline'
import { engine } from '@corestore/engine/internal'
import { ArgumentError, type Command, text, write } from '../command.js'
import { checkDirectory } from '../directory.js'
import { hex } from '../format.js'
import { withStore } from '../store.js'

export const append: Command = {
  name: 'append',
  summary: "append blocks to a store's default core (or a namespace's)",
  help: `Usage: corestore append <dir> [--namespace name] <data...|->

Appends each data argument as one block to the store's default core, or to the default core of
the namespace given (a:b is namespace('a').namespace('b')). With -, reads standard input and
appends each line as a block. Creates the store when <dir> holds none yet. The blocks are synced
to disk before the command reports them: they survive a power loss.

Options:
  --namespace name  append to store.namespace(name).default()
  -h, --help        this help`,
  options: { namespace: { type: 'string' } },
  positionals: { min: 2, max: Number.POSITIVE_INFINITY },
  async run(args, io) {
    const [dir, ...data] = args.positionals as [string, ...string[]]
    const namespace = text(args, 'namespace')
    if (namespace === '') throw new ArgumentError('--namespace must not be empty')
    if (data.length > 1 && data.includes('-'))
      throw new ArgumentError('- (standard input) must be the only data argument')
    await checkDirectory(dir, { create: true })
    const blocks = data.length === 1 && data[0] === '-' ? await lines(io.stdin) : data.map((d) => Buffer.from(d))
    await withStore(dir, async (store) => {
      const core = (namespace === undefined ? store : store.namespace(namespace)).default()
      await engine.ready(core)
      if (blocks.length > 0) await engine.append(core, blocks)
      const where = namespace === undefined ? 'the default core' : `the default core of namespace ${namespace}`
      await write(
        io.stdout,
        `appended ${blocks.length} block${blocks.length === 1 ? '' : 's'} to ${where}\n` +
          `key     ${hex(core.key as Buffer)}\nlength  ${core.length}\n`,
      )
    })
  },
}

async function lines(input: NodeJS.ReadableStream): Promise<Buffer[]> {
  const out: Buffer[] = []
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) out.push(Buffer.from(line))
  return out
}
