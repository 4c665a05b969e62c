// @corestore/cli's user API, besides the `corestore` command: run it from code. The commands' table and
// their parsing are the package's own (src/cli.ts, src/command.ts).
export { EXIT, run } from './cli.js'
export type { Io } from './command.js'
export type { InfoJson } from './commands/info.js'
