// The `corestore` command (bin/corestore.js loads this, from dist/ or through tsx).
import { run } from './cli.js'

// `corestore cat … | head -1`: the reader left, which is how a pipe ends, not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})

process.exitCode = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
})
// Every command closes what it opened; should a library leave a handle behind, do not hang on it.
setTimeout(() => process.exit(), 5_000).unref()
