import { ArgumentError, type Command } from './command.js'

/** A command's usage line, from the first line of its help: `corestore cat <dir> <key|name> [--start n] …`. */
export function usageOf(command: Command): string {
  return command.help.split('\n')[0]?.replace(/^Usage: /, '') ?? `corestore ${command.name}`
}

/** The positional arguments a usage line names, in order: `<dir>`, `<key|name>` (not those inside `[…]`). */
export function positionalNames(usage: string): string[] {
  return usage.replace(/\[[^\]]*\]/g, '').match(/<[^>]+>/g) ?? []
}

/** `missing <key|name>`, `missing <dir> and <key|name>`: the positionals after the `given` ones. */
export function missing(usage: string, given: number): ArgumentError {
  const names = positionalNames(usage).slice(given)
  const list = names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
  return new ArgumentError(`missing ${list || 'arguments'}`)
}

/** node's `util.parseArgs` error as the command line's mistake, in the CLI's words, the option named as typed. */
export function optionError(err: unknown): ArgumentError {
  const { code, message } = err as NodeJS.ErrnoException
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? 'an option'
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new ArgumentError(`unknown option ${option}`)
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(message)) return new ArgumentError(`${option} takes no value`)
      if (/ambiguous/.test(message)) {
        return new ArgumentError(`${option} needs a value (one that starts with - is written ${option}=-…)`)
      }
      return new ArgumentError(`${option} needs a value`)
    default:
      return new ArgumentError((message.split(/\.\s|\n/)[0] ?? message).replace(/\.$/, ''))
  }
}
