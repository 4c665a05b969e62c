import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { isCorestoreError } from '@corestore/errors'
import { ArgumentError, type Command, type Io, UsageError } from './command.js'
import { append } from './commands/append.js'
import { cat } from './commands/cat.js'
import { clone } from './commands/clone.js'
import { info } from './commands/info.js'
import { rm } from './commands/rm.js'
import { serve } from './commands/serve.js'
import { testnet } from './commands/testnet.js'
import { reasonOf } from './directory.js'
import { missing, optionError, usageOf } from './usage.js'

export const COMMANDS: readonly Command[] = [info, cat, append, rm, serve, clone, testnet]

/** What `corestore` exits with. */
export const EXIT = { ok: 0, usage: 1, internal: 2 } as const

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version

const USAGE = 'corestore <command> [arguments] [options]'

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return `Usage: ${USAGE}

Look inside a corestore (a directory written by @corestore/core or corestore 5), serve it on
hyperswarm, or clone a core from there.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run corestore <command> --help for a command's arguments and options.
Exit codes: 0 done, 1 a mistake in the command or a refusal (the message says which), 2 an internal error.
`
}

/**
 * Run `corestore` with these arguments (without the program name); resolves to the exit code.
 * Errors become one line on `io.stderr`: a `CorestoreError` as its code and message.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.stdout.write(mainHelp())
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`)
    return EXIT.ok
  }
  const command = COMMANDS.find((c) => c.name === (name === 'help' ? rest[0] : name))
  if (!command) {
    const typed = JSON.stringify(name === 'help' ? rest[0] : name)
    io.stderr.write(`corestore: unknown command ${typed}\nusage: ${USAGE} (corestore --help lists the commands)\n`)
    return EXIT.usage
  }
  if (name === 'help') {
    io.stdout.write(`${command.help}\n`)
    return EXIT.ok
  }
  try {
    const { values, positionals } = parseCommand(command, rest)
    if (values.help === true) {
      io.stdout.write(`${command.help}\n`)
      return EXIT.ok
    }
    await command.run({ values, positionals }, io)
    return EXIT.ok
  } catch (err) {
    return report(command, err, io)
  }
}

function parseCommand(command: Command, args: string[]) {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    })
  } catch (err) {
    throw optionError(err)
  }
  const { values, positionals } = parsed
  if (values.help !== true) {
    const { min, max } = command.positionals
    if (positionals.length < min) throw missing(usageOf(command), positionals.length)
    if (positionals.length > max) throw new ArgumentError(`unexpected argument ${JSON.stringify(positionals[max])}`)
  }
  return { values, positionals }
}

function report(command: Command, err: unknown, io: Io): number {
  const prefix = `corestore ${command.name}`
  if (err instanceof ArgumentError) {
    io.stderr.write(`${prefix}: ${err.message}\nusage: ${usageOf(command)}\n`)
    return EXIT.usage
  }
  if (err instanceof UsageError) {
    io.stderr.write(`${prefix}: ${err.message}\n`)
    return EXIT.usage
  }
  if (isCorestoreError(err)) {
    io.stderr.write(`${prefix}: ${err.code}: ${oneLine(err.message)}\n`)
    return EXIT.usage
  }
  const refused = systemRefusal(err)
  if (refused !== null) {
    io.stderr.write(`${prefix}: ${refused}\n`)
    return EXIT.usage
  }
  const detail = err instanceof Error ? (err.stack ?? err.message) : String(err)
  io.stderr.write(`${prefix}: internal error (a bug: please report it)\n${detail}\n`)
  return EXIT.internal
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ')
}

/** What the machine refused rather than what the code got wrong: no room, no permission, no such folder. */
const REFUSALS = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EMFILE',
  'ENFILE',
  'ENOTDIR',
  'EISDIR',
  'ELOOP',
  'ENAMETOOLONG',
])

/**
 * A file system error that is the machine's answer, not a bug, as one line
 * (`cannot open /x/LOCK: permission denied`); `null` for any other error.
 */
function systemRefusal(err: unknown): string | null {
  if (!(err instanceof Error)) return null
  const { code, syscall, path } = err as NodeJS.ErrnoException
  if (typeof code !== 'string' || !REFUSALS.has(code) || typeof syscall !== 'string') return null
  const reason = reasonOf(err as NodeJS.ErrnoException)
  return typeof path === 'string' ? `cannot ${syscall} ${path}: ${reason}` : `${syscall}: ${reason}`
}
