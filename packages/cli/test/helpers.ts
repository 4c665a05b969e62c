import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { chmod, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Corestore, type Hypercore } from '@corestore/core'
import { engine } from '@corestore/engine/internal'
import { Keychain } from '@corestore/keychain'
import { type Hooks, withStore } from '@corestore/test-helpers'

/**
 * Teardown that runs last-registered first, so that processes started late are stopped before
 * the testnet and directories they use go away (node:test runs `t.after` hooks first-in first-out).
 */
export class Teardown implements Hooks {
  readonly #fns: (() => unknown)[] = []

  constructor(t: Hooks) {
    t.after(async () => {
      for (const fn of this.#fns.reverse()) await fn()
    })
  }

  after(fn: () => unknown): void {
    this.#fns.push(fn)
  }
}

import { fileURLToPath } from 'node:url'

/** The real binary, as `npm i -g` or `pnpm corestore` runs it. */
export const BIN = fileURLToPath(new URL('../bin/corestore.js', import.meta.url))

const AS_USER = fileURLToPath(new URL('fixtures/as-user.ts', import.meta.url))

/** Run the sources through tsx: a stale dist/ must not decide whether the tests pass. */
const ENV = { ...process.env, CORESTORE_FROM_SOURCE: '1' }

export interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Which user a command runs as (the test's own when left out). */
export interface User {
  readonly uid?: number
  readonly gid?: number
}

/**
 * Run `corestore ...args` to the end; `input` is written to its standard input, `as` says as whom.
 */
export function corestore(args: string[], opts: { input?: string; timeout?: number; as?: User } = {}): Promise<Result> {
  const { uid, gid } = opts.as ?? {}
  // As another user, the code is loaded first and the user switched after (see fixtures/as-user.ts).
  const argv =
    uid === undefined
      ? [BIN, ...args]
      : ['--conditions=source', '--import', 'tsx', AS_USER, String(uid), String(gid ?? uid), ...args]
  const child = spawn(process.execPath, argv, { env: ENV })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString()
  })
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  child.stdin.end(opts.input ?? '')
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 30_000)
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/**
 * A `corestore` that runs until told to stop (serve, testnet), or one whose output is followed as it
 * comes, read line by line from both streams; killed when the test ends.
 */
export class Running {
  readonly child: ChildProcessWithoutNullStreams
  /** Standard output, line by line, as printed so far. */
  readonly lines: string[] = []
  /** Standard error, line by line. */
  readonly errors: string[] = []
  readonly exited: Promise<number | null>
  /** `true` once the process has ended and both streams are read to the end. */
  ended = false
  /** Told of every line and of the end. */
  readonly #changed = new EventEmitter()

  constructor(t: Hooks, args: string[], opts: { cwd?: string } = {}) {
    this.child = spawn(process.execPath, [BIN, ...args], { env: ENV, cwd: opts.cwd })
    const read = (stream: NodeJS.ReadableStream, into: string[]) =>
      createInterface({ input: stream }).on('line', (line) => {
        into.push(line)
        this.#changed.emit('change')
      })
    read(this.child.stdout, this.lines)
    read(this.child.stderr, this.errors)
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code) => {
        this.ended = true
        this.#changed.emit('change')
        resolve(code)
      }),
    )
    t.after(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
      return this.exited
    })
  }

  get stderr(): string {
    return this.errors.map((line) => `${line}\n`).join('')
  }

  /** Call `listener` on each line the process prints and when it ends; the returned function stops it. */
  watch(listener: () => void): () => void {
    this.#changed.on('change', listener)
    return () => this.#changed.off('change', listener)
  }

  /** The first line matching `pattern`, waiting up to `ms` for it. */
  async line(pattern: RegExp, ms = 20_000): Promise<string> {
    return (await this.matching(pattern, 1, ms))[0] as string
  }

  /** The lines matching `pattern` once there are `n` of them, waiting up to `ms`. */
  async matching(pattern: RegExp, n: number, ms = 20_000): Promise<string[]> {
    const found = () => this.lines.filter((l) => pattern.test(l))
    await until([this], () => found().length >= n, ms, `${n} lines matching ${pattern}`)
    return found()
  }
}

/**
 * Resolve once `check()` holds. It is checked now and again whenever one of `processes` prints a
 * line or ends; rejects when all of them have ended or `ms` have passed without it holding, with
 * what they printed.
 */
export function until(processes: Running[], check: () => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stops: (() => void)[] = []
    const finish = (err?: Error) => {
      clearTimeout(timer)
      for (const stop of stops) stop()
      if (err) reject(err)
      else resolve()
    }
    const fail = (why: string) => {
      const printed = processes.map((p) => [...p.lines, ...p.errors].join('\n')).join('\n---\n')
      finish(new Error(`${why}, still not ${what}; printed:\n${printed}`))
    }
    const recheck = () => {
      if (check()) finish()
      else if (processes.every((p) => p.ended)) fail('every process ended')
    }
    const timer = setTimeout(() => fail(`${ms} ms passed`), ms)
    for (const p of processes) stops.push(p.watch(recheck))
    recheck()
  })
}

export { type Hooks, tmpDir } from '@corestore/test-helpers'

/**
 * Make `dir` and everything in it read-only for the user a command then runs as: the modes are
 * made read-only (files 0444, folders 0555) and, since root ignores modes, a test running as root
 * gets `nobody` to run the command (`root`, the test's temporary folder, is opened to others so
 * that nobody can reach `dir`; make it with `tmpDirOthersReach`, so that the folders above it let
 * nobody pass too). `t` gives the modes back for the folder's removal: pass a `Teardown` registered
 * after the folder's own removal.
 */
export async function readOnly(t: Hooks, root: string, dir: string): Promise<User> {
  const paths = [dir, ...(await readdir(dir, { recursive: true })).map((p) => join(dir, p))]
  const modes = new Map<string, number>()
  for (const path of paths) {
    const st = await stat(path)
    modes.set(path, st.mode & 0o7777)
    await chmod(path, st.isDirectory() ? 0o555 : 0o444)
  }
  t.after(async () => {
    for (const [path, mode] of modes) await chmod(path, mode)
  })
  if (process.getuid?.() !== 0) return {}
  await chmod(root, 0o755)
  return { uid: 65534, gid: 65534 }
}

export interface Written {
  readonly dir: string
  readonly masterKey: Buffer
  readonly cores: Record<'main' | 'photos' | 'random' | 'copy', Hypercore>
}

/** A closed store with a default core, a nested namespace's, a random-named one and a read-only copy. */
export async function writeStore(dir: string): Promise<Written> {
  const masterKey = Keychain.generateMasterKey()
  const other = new Keychain(Keychain.generateMasterKey()).keyPair('theirs').publicKey
  const cores = await withStore(new Corestore(dir, { masterKey }), async (store) => {
    const cores = {
      main: store.default(),
      photos: store.namespace('drive1').namespace('photos').default(),
      random: store.get(),
      copy: store.get(other),
    }
    for (const core of Object.values(cores)) await engine.ready(core)
    await engine.append(cores.main, [Buffer.from('hello'), Buffer.from('world')])
    await engine.append(cores.photos, Buffer.from('<cat.png>'))
    return cores
  })
  await writeFile(join(dir, 'master_key'), masterKey)
  return { dir, masterKey, cores }
}
