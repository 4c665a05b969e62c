import { execFile } from 'node:child_process'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { delimiter, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Packed } from './registry.ts'

/** The repository root. */
export const root = fileURLToPath(new URL('../..', import.meta.url))

export type PackageManager = 'npm' | 'pnpm'

export interface Ran {
  /** The exit code; `null` when the process was killed (see `signal`). */
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

/**
 * The environment a user's shell would have: without what `pnpm test` and node's test runner add
 * (npm_* settings, the workspace's node_modules/.bin on PATH), so nothing of the workspace leaks in.
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(key) || key === 'PNPM_PACKAGE_NAME' || key === 'NODE_TEST_CONTEXT') continue
    env[key] = value
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.startsWith(root))
    .join(delimiter)
  return env
}

/**
 * Run a command in `cwd` as a user would (with `env` added to the user's environment); never throws,
 * so a test can assert the exit code and output.
 */
export function run(
  command: string,
  args: string[],
  cwd: string,
  timeout = 60_000,
  env: NodeJS.ProcessEnv = {},
): Promise<Ran> {
  return new Promise((resolve) => {
    const options = { cwd, env: { ...userEnv(), ...env }, timeout, maxBuffer: 16 << 20 }
    execFile(command, args, options, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
      resolve({ code, signal: err?.signal ?? null, stdout, stderr })
    })
  })
}

/** A failed command's whole story, for an assertion message. */
export function told(ran: Ran): string {
  return `exit ${ran.code ?? ran.signal}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`
}

export interface ConsumerOptions {
  /** The registry for the `@corestore` scope, as a user would set it once the packages are published. */
  registry: string
  /** pnpm's content-addressed store, shared with the workspace so installs link what it already has. */
  storeDir: string
  /**
   * pnpm's metadata cache for this run alone: pnpm files what a registry sent under its host and
   * port, so a port used by an earlier run would otherwise hand back that run's packages.
   */
  cacheDir: string
}

/**
 * An empty project in `dir` that installs `specs` with `pm`: a package.json with nothing but a name
 * and what `manifest` adds (no overrides, no resolutions unless it says so), and an .npmrc naming the
 * `@corestore` scope's registry.
 * Cached metadata is used as is (`--prefer-offline`): npm's own cache and the workspace's pnpm store;
 * the local registry makes sure none of it stands in for the packages packed in this run.
 */
export async function install(
  pm: PackageManager,
  dir: string,
  specs: string[],
  opts: ConsumerOptions,
  manifest: Record<string, unknown> = {},
): Promise<Ran> {
  await mkdir(dir, { recursive: true })
  const json = { name: 'consumer', private: true, ...manifest }
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(json, null, 2)}\n`)
  await writeFile(join(dir, '.npmrc'), `@corestore:registry=${opts.registry}\n`)
  const args =
    pm === 'npm'
      ? ['install', '--prefer-offline', '--no-audit', '--no-fund', ...specs]
      : ['add', '--prefer-offline', `--store-dir=${opts.storeDir}`, `--cache-dir=${opts.cacheDir}`, ...specs]
  return run(pm, args, dir, 180_000)
}

/** The command a user types to run an installed package's bin: `npx <bin>` or `pnpm exec <bin>`. */
export function binCommand(pm: PackageManager, bin: string, args: string[]): [string, string[]] {
  return pm === 'npm' ? ['npx', [bin, ...args]] : ['pnpm', ['exec', bin, ...args]]
}

/** The first ```ts block after `heading` in a Markdown file: an example as users copy it. */
export function readmeExample(file: string, heading: string): Promise<string> {
  return blockAfter(file, heading, 'ts')
}

/**
 * The first ```<lang> block after the line that starts with `line` in a Markdown file of the repository:
 * what users copy, as written.
 */
export async function blockAfter(file: string, line: string, lang: string): Promise<string> {
  const text = await readFile(join(root, file), 'utf8')
  const start = text.indexOf(`\n${line}`)
  const block = start === -1 ? null : new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(text.slice(start))
  if (!block?.[1]) throw new Error(`${file} has no \`\`\`${lang} block after "${line}"`)
  return block[1]
}

/**
 * Every installed copy of a packed package in the project in `dir` (npm's node_modules/<name>, pnpm's
 * node_modules/.pnpm/<name>@<version>…), each with the files whose bytes are not the tarball's.
 */
export async function installedCopies(
  dir: string,
  packed: Packed[],
): Promise<{ name: string; path: string; differing: string[] }[]> {
  const modules = join(dir, 'node_modules')
  const virtual = await readdir(join(modules, '.pnpm')).catch(() => [] as string[])
  const out: { name: string; path: string; differing: string[] }[] = []
  for (const { manifest, contents } of packed) {
    const id = `${manifest.name.replace('/', '+')}@${manifest.version}`
    const candidates = [
      join(modules, manifest.name),
      ...virtual
        .filter((entry) => entry === id || entry.startsWith(`${id}_`))
        .map((entry) => join(modules, '.pnpm', entry, 'node_modules', manifest.name)),
    ]
    for (const path of candidates) {
      if ((await readFile(join(path, 'package.json')).catch(() => null)) === null) continue
      const differing: string[] = []
      for (const [file, bytes] of contents) {
        const installed = await readFile(join(path, file)).catch(() => null)
        if (!installed?.equals(bytes)) differing.push(file)
      }
      out.push({ name: manifest.name, path: relative(dir, path), differing })
    }
  }
  return out
}
