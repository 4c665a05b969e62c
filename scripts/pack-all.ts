// `pnpm pack:all [folder]`: every publishable package's tarball in one folder (./packed by default),
// then the one `npm install …` line that installs them in another project, as its last line.
// Built once first, then packed one package at a time: each `pnpm pack` runs the package's prepack
// (`tsc -b`), and two of those at once would write the same dist/ files.
import { execFile } from 'node:child_process'
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const exec = promisify(execFile)

/** The repository root. */
export const root = fileURLToPath(new URL('..', import.meta.url))

/** Where `pnpm pack:all` puts the tarballs when not told. */
export const DEFAULT_FOLDER = join(root, 'packed')

export interface Publishable {
  /** Its folder under packages/. */
  dir: string
  name: string
  version: string
}

/** The packages under packages/ that are published: not the private ones (test helpers). */
export async function publishable(): Promise<Publishable[]> {
  const out: Publishable[] = []
  for (const dir of (await readdir(join(root, 'packages'))).sort()) {
    const file = join(root, 'packages', dir, 'package.json')
    const manifest = JSON.parse(await readFile(file, 'utf8')) as { name: string; version: string; private?: boolean }
    if (!manifest.private) out.push({ dir, name: manifest.name, version: manifest.version })
  }
  return out
}

/** A path as a POSIX shell reads it back: quoted when it holds anything but safe characters. */
export function shellQuote(word: string): string {
  return /^[\w./:@+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`
}

/** `npm install` of these tarballs: npm takes each one's dependencies on the others from the same line. */
export function installLine(tarballs: readonly string[]): string {
  return ['npm', 'install', ...tarballs.map(shellQuote)].join(' ')
}

/**
 * Pack every publishable package into `folder` (made if missing; earlier `corestore-*.tgz` there are
 * removed, so an old version is never installed by mistake) and resolve with the tarballs' paths.
 * @throws when the build or a pack fails, or a package's tarball is not where pnpm said
 */
export async function packAll(folder: string, log: (line: string) => void = () => {}): Promise<string[]> {
  await mkdir(folder, { recursive: true })
  for (const file of await readdir(folder)) {
    if (/^corestore-.*\.tgz$/.test(file)) await rm(join(folder, file))
  }
  log('building (tsc -b)…')
  await exec('pnpm', ['exec', 'tsc', '-b'], { cwd: root })
  const tarballs: string[] = []
  for (const pkg of await publishable()) {
    const cwd = join(root, 'packages', pkg.dir)
    const { stdout } = await exec('pnpm', ['pack', '--json', `--pack-destination=${folder}`], {
      cwd,
      maxBuffer: 16 << 20,
    })
    // The JSON follows whatever prepack printed.
    const { filename } = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { filename: string }
    const tarball = resolve(cwd, filename)
    if (!(await readdir(folder)).includes(basename(tarball))) {
      throw new Error(`pnpm pack said it wrote ${tarball} for ${pkg.name}, but ${folder} has no such file`)
    }
    log(`packed ${pkg.name}@${pkg.version}`)
    tarballs.push(tarball)
  }
  return tarballs
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
    console.error(`pack:all: unexpected argument ${JSON.stringify(args.find((a) => a.startsWith('-')) ?? args[1])}`)
    console.error('usage: pnpm pack:all [folder]   (default: ./packed)')
    process.exit(2)
  }
  // pnpm runs a script at the root; INIT_CWD is where the user typed it.
  const folder = args[0] === undefined ? DEFAULT_FOLDER : resolve(process.env.INIT_CWD ?? process.cwd(), args[0])
  try {
    const tarballs = await packAll(folder, (line) => console.error(line))
    console.log(`${tarballs.length} tarballs in ${folder}. In another project, install them with:`)
    console.log(installLine(tarballs))
  } catch (err) {
    const { stderr } = err as { stderr?: string }
    console.error(`pack:all: ${(err as Error).message.split('\n')[0]}${stderr ? `\n${stderr.trim()}` : ''}`)
    process.exit(1)
  }
}
