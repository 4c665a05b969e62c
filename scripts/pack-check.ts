// `pnpm pack:check [folder]`: pack every publishable package as `pnpm pack:all` does (into a temporary
// folder), then lint each tarball with publint (package.json against the files it ships) and
// Are the Types Wrong (attw: how TypeScript resolves its types under each module resolution). Fails
// when either reports an error. With a folder, checks the tarballs already there instead of packing.
// What they report and why: docs/packaging.md.
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { packAll, root } from './pack-all.ts'

export interface TarballReport {
  /** The tarball's file name. */
  tarball: string
  /** publint's messages, worded, each with its level: `error: …`, `warning: …`, `suggestion: …`. */
  publint: string[]
  /** attw's exit code: 0 when it found nothing its configuration (.attw.json) counts as a problem. */
  attwCode: number
  /** What attw printed. */
  attw: string
  /** Whether either tool reported an error. */
  failed: boolean
}

/** attw as the workspace installs it, with the root's .attw.json. */
function attw(tarball: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const bin = join(root, 'node_modules/.bin/attw')
    const options = { cwd: root, maxBuffer: 16 << 20, env: { ...process.env, FORCE_COLOR: '0' } }
    execFile(
      bin,
      [tarball, '--format', 'table-flipped', '--no-emoji', '--no-color'],
      options,
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        done({ code, output: `${stdout}${stderr}`.trim() })
      },
    )
  })
}

/** publint and attw on one packed tarball. */
export async function checkTarball(tarball: string): Promise<TarballReport> {
  const data = await readFile(tarball)
  const bytes = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer
  const [linted, typed] = await Promise.all([publint({ pack: { tarball: bytes }, level: 'suggestion' }), attw(tarball)])
  const publintLines = linted.messages.map(
    (message) => `${message.type}: ${formatMessage(message, linted.pkg, { color: false }) ?? message.code}`,
  )
  const publintFailed = linted.messages.some((message) => message.type === 'error')
  return {
    tarball: basename(tarball),
    publint: publintLines,
    attwCode: typed.code,
    attw: typed.output,
    failed: publintFailed || typed.code !== 0,
  }
}

/** Every `corestore-*.tgz` in `folder`, checked two at a time (attw starts a TypeScript of its own). */
export async function checkFolder(folder: string): Promise<TarballReport[]> {
  const tarballs = (await readdir(folder))
    .filter((file) => /^corestore-.*\.tgz$/.test(file))
    .sort()
    .map((file) => join(folder, file))
  const reports: TarballReport[] = new Array(tarballs.length)
  let next = 0
  const worker = async () => {
    while (next < tarballs.length) {
      const i = next++
      reports[i] = await checkTarball(tarballs[i] as string)
    }
  }
  await Promise.all([worker(), worker()])
  return reports
}

/** A report as the developer reads it. */
export function formatReport(report: TarballReport): string {
  const publintLines = report.publint.length === 0 ? ['no messages'] : report.publint
  return [
    `${report.tarball}: ${report.failed ? 'FAILED' : 'ok'}`,
    ...publintLines.map((line) => `  publint: ${line}`),
    `  attw (exit ${report.attwCode}):`,
    ...report.attw.split('\n').map((line) => `    ${line}`),
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  if (args.length > 1 || args.some((arg) => arg.startsWith('-'))) {
    console.error('usage: pnpm pack:check [folder]   (no folder: pack every package into a temporary one first)')
    process.exit(2)
  }
  const given = args[0] === undefined ? undefined : resolve(process.env.INIT_CWD ?? process.cwd(), args[0])
  const folder = given ?? (await mkdtemp(join(tmpdir(), 'corestore-pack-check-')))
  try {
    if (!given) await packAll(folder, (line) => console.error(line))
    const reports = await checkFolder(folder)
    for (const report of reports) console.log(formatReport(report))
    const failed = reports.filter((r) => r.failed)
    if (reports.length === 0) {
      console.error(`pack:check: no corestore-*.tgz in ${folder}`)
      process.exit(1)
    }
    if (failed.length > 0) {
      console.error(`pack:check: ${failed.map((r) => r.tarball).join(', ')} failed (see above; docs/packaging.md)`)
      process.exit(1)
    }
    console.error(`pack:check: ${reports.length} tarballs pass publint and attw`)
  } finally {
    if (!given) await rm(folder, { recursive: true, force: true })
  }
}
