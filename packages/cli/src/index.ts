export { COMMANDS, EXIT, run } from './cli.js'
export { type Args, type Command, type Io, UsageError } from './command.js'
export type { InfoJson } from './commands/info.js'
