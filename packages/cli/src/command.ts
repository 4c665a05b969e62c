import { once } from 'node:events'
import type { ParseArgsConfig } from 'node:util'

/** Where a command reads and writes: the process's streams, or a test's. */
export interface Io {
  readonly stdin: NodeJS.ReadableStream
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
}

export type OptionValue = string | boolean | (string | boolean)[] | undefined

/** A command's arguments, as `util.parseArgs` split them. */
export interface Args {
  readonly values: Record<string, OptionValue>
  readonly positionals: string[]
}

/** One `corestore <name>` command. */
export interface Command {
  readonly name: string
  /** One line for `corestore --help`. */
  readonly summary: string
  /** The whole of `corestore <name> --help`. */
  readonly help: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  /** How many positional arguments it takes: at least `min`, at most `max`. */
  readonly positionals: { readonly min: number; readonly max: number }
  run(args: Args, io: Io): Promise<void>
}

/** A mistake of the person at the keyboard, or a refusal: a one-line message, exit code 1. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError'
}

/**
 * A mistake in the command line itself (an argument missing, an option unknown or malformed): its
 * line is followed by the command's usage line, exit code 1.
 */
export class ArgumentError extends UsageError {
  override readonly name = 'ArgumentError'
}

export function flag(args: Args, name: string): boolean {
  return args.values[name] === true
}

export function text(args: Args, name: string): string | undefined {
  const value = args.values[name]
  return typeof value === 'string' ? value : undefined
}

export function texts(args: Args, name: string): string[] {
  const value = args.values[name]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return typeof value === 'string' ? [value] : []
}

/** A non-negative integer option (`--start 3`), or `undefined` when not given. */
export function count(args: Args, name: string): number | undefined {
  const value = text(args, name)
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ArgumentError(`--${name} must be a non-negative integer, got ${JSON.stringify(value)}`)
  }
  return Number(value)
}

/** An integer option from `min` to `max` (`--port 49737`), or `undefined` when not given. */
export function between(args: Args, name: string, min: number, max: number): number | undefined {
  const value = text(args, name)
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ArgumentError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`)
  }
  return Number(value)
}

/**
 * Write and wait for the stream to take it, so a large output never piles up in memory. A stream
 * that fails or closes instead of draining (a pipe whose reader went away) rejects, never hangs.
 */
export async function write(stream: NodeJS.WritableStream, data: string | Uint8Array): Promise<void> {
  if (stream.write(data)) return
  const stop = new AbortController()
  const { signal } = stop
  try {
    // once() rejects on 'error' too; a 'close' without an error is a reader gone all the same.
    await Promise.race([
      once(stream, 'drain', { signal }),
      once(stream, 'close', { signal }).then(() => {
        throw Object.assign(new Error('the output was closed'), { code: 'EPIPE' })
      }),
    ])
  } finally {
    stop.abort()
  }
}

/**
 * Lines written in order, one wait for the stream at a time, from code that cannot wait (event
 * handlers): a burst of lines adds one 'drain' listener, not one per line. Failures end the output.
 */
export function lineWriter(stream: NodeJS.WritableStream): (line: string) => void {
  let last: Promise<void> = Promise.resolve()
  let failed = false
  return (line) => {
    if (failed) return
    last = last
      .then(() => write(stream, `${line}\n`))
      .catch(() => {
        failed = true
      })
  }
}
