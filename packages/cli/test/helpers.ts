import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { chmod, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Corestore, type Hypercore } from '@corestore/core'
import { engine } from '@corestore/engine'
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
  const child = spawn(process.execPath, [BIN, ...args], { env: ENV, ...opts.as })
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

/** A `corestore` that runs until told to stop (serve), read line by line; killed when the test ends. */
export class Running {
  readonly child: ChildProcessWithoutNullStreams
  readonly lines: string[] = []
  readonly exited: Promise<number | null>
  #stderr = ''

  constructor(t: Hooks, args: string[]) {
    this.child = spawn(process.execPath, [BIN, ...args], { env: ENV })
    this.child.stderr.on('data', (d: Buffer) => {
      this.#stderr += d.toString()
    })
    createInterface({ input: this.child.stdout }).on('line', (line) => this.lines.push(line))
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)))
    t.after(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
      return this.exited
    })
  }

  get stderr(): string {
    return this.#stderr
  }

  /** The first line matching `pattern`, waiting up to `ms` for it. */
  async line(pattern: RegExp, ms = 20_000): Promise<string> {
    return (await this.matching(pattern, 1, ms))[0] as string
  }

  /** The lines matching `pattern` once there are `n` of them, waiting up to `ms`. */
  async matching(pattern: RegExp, n: number, ms = 20_000): Promise<string[]> {
    const deadline = Date.now() + ms
    for (;;) {
      const found = this.lines.filter((l) => pattern.test(l))
      if (found.length >= n) return found
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `not ${n} lines matching ${pattern} within ${ms} ms; got:\n${this.lines.join('\n')}\n${this.#stderr}`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
}

/**
 * Make `dir` and everything in it read-only for the user a command then runs as: the modes are
 * made read-only (files 0444, folders 0555) and, since root ignores modes, a test running as root
 * gets `nobody` to run the command (`root`, the test's temporary folder, is opened to others so
 * that nobody can reach `dir`). `t` gives the modes back for the folder's removal: pass a
 * `Teardown` registered after the folder's own removal.
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
