// `pnpm api`: every published package's API report, written by API Extractor from its built .d.ts into
// packages/<dir>/api/ (one report per entry point of its `exports` that has types).
// `pnpm api:check`: the same analysis, failing when an export differs from the committed report.
// Both run after `tsc -b` (the package scripts do it): the reports describe dist/, what users install.
// Why these settings: docs/api-reports.md.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  CompilerState,
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  type ExtractorMessage,
  type IConfigFile,
} from '@microsoft/api-extractor'

/** The repository root. */
export const root = fileURLToPath(new URL('..', import.meta.url))

/** One entry point of a package that has its own types, and where its report lives. */
export interface Entry {
  /** The package's name, `@corestore/cache`. */
  name: string
  /** Its `exports` key: `.`, `./compliance`. */
  subpath: string
  /** The package's folder. */
  folder: string
  /** The built declaration file its `types` condition names. */
  dts: string
  /** The report's file name without `.api.md`: `cache`, `cache-compliance`. */
  reportName: string
}

interface Manifest {
  name: string
  private?: boolean
  exports?: Record<string, string | Record<string, unknown>>
}

/** The folders of the packages under packages/, sorted. */
export function packageFolders(): string[] {
  const dir = join(root, 'packages')
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name))
}

/** The entry points with types of the package in `folder`; none when it is private. */
export function entries(folder: string): Entry[] {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest
  if (manifest.private) return []
  const unscoped = manifest.name.replace(/^@[^/]+\//, '')
  const out: Entry[] = []
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target !== 'object' || typeof target.types !== 'string') continue
    const suffix = subpath === '.' ? '' : `-${subpath.replace(/^\.\//, '').replaceAll('/', '-')}`
    out.push({
      name: manifest.name,
      subpath,
      folder,
      dts: resolve(folder, target.types),
      reportName: unscoped + suffix,
    })
  }
  return out
}

/** The report's path for an entry. */
export function reportPath(entry: Entry): string {
  return join(entry.folder, 'api', `${entry.reportName}.api.md`)
}

/** How an entry is named in messages: `@corestore/cache/compliance`. */
function label(entry: Entry): string {
  return entry.subpath === '.' ? entry.name : `${entry.name}/${entry.subpath.replace(/^\.\//, '')}`
}

/**
 * The compiler options the analysis uses: the ones the packages are built with, for the .d.ts alone.
 * Node's types come from the workspace, so a package copied elsewhere (the test does) analyses the same.
 */
function tsconfig(files: string[]): IConfigFile['compiler'] {
  return {
    overrideTsconfig: {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
      },
      files,
    },
  }
}

function config(entry: Entry, reportFolder: string, tempFolder: string, files: string[]): ExtractorConfig {
  const configObject: IConfigFile = {
    projectFolder: entry.folder,
    mainEntryPointFilePath: entry.dts,
    compiler: tsconfig(files),
    apiReport: {
      enabled: true,
      reportFileName: entry.reportName,
      reportFolder,
      reportTempFolder: tempFolder,
      // A type users meet through an export (a parameter, a return type) but cannot import is part of
      // the API too: its declaration is in the report, so changing it shows up like any other change.
      includeForgottenExports: true,
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    newlineKind: 'lf',
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Warning },
        // We publish no @alpha/@beta/@internal tiers: every export is public, and a tag on each is noise.
        'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
        // The report marks an item without a doc comment `(undocumented)`; that is enough.
        'ae-undocumented': { logLevel: ExtractorLogLevel.None },
        // Listed in the report (a `Warning:` line under the declaration) rather than failing the run.
        'ae-forgotten-export': { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: true },
      },
      // Our doc comments are for editors and readers, not a TSDoc site: their syntax is not checked here.
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
    },
  }
  return ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: undefined,
    packageJsonFullPath: join(entry.folder, 'package.json'),
  })
}

export interface Outcome {
  /** Entries whose report was written (local) or differs from the committed one (check). */
  changed: Entry[]
  /** Report files in an api/ folder that no entry point writes any more. */
  stale: string[]
  /** Errors and warnings, each naming its package. */
  problems: string[]
}

/**
 * Analyse the entry points of the packages in `folders` with one TypeScript program. `check`: compare
 * with the committed reports and change nothing; otherwise write the reports that changed and remove
 * stale ones. `log` gets the diff of each report that differs.
 */
export function run(folders: string[], check: boolean, log: (line: string) => void = () => {}): Outcome {
  const all = folders.flatMap(entries)
  const outcome: Outcome = { changed: [], stale: [], problems: [] }
  if (all.length === 0) return outcome
  const temp = mkdtempSync(join(tmpdir(), 'corestore-api-'))
  try {
    const files = all.map((e) => e.dts)
    let compilerState: CompilerState | undefined
    for (const [i, entry] of all.entries()) {
      // API Extractor writes the report into a folder of its own; we compare and copy it (see `normalize`).
      const fresh = join(temp, String(i))
      mkdirSync(fresh)
      const extractorConfig = config(entry, fresh, temp, files)
      compilerState ??= CompilerState.create(extractorConfig, { additionalEntryPoints: files })
      const messageCallback = (message: ExtractorMessage) => {
        message.handled = true
        // Its own console lines (the report it wrote to the temporary folder…) are about files we replace.
        if (message.messageId.startsWith('console-')) return
        if (message.logLevel === ExtractorLogLevel.Error || message.logLevel === ExtractorLogLevel.Warning) {
          outcome.problems.push(`${label(entry)}: ${message.formatMessageWithLocation(root)}`)
        }
      }
      Extractor.invoke(extractorConfig, { localBuild: true, compilerState, messageCallback })
      const made = join(fresh, `${entry.reportName}.api.md`)
      if (!existsSync(made)) continue // its errors are in outcome.problems
      const report = normalize(readFileSync(made, 'utf8'))
      const committedPath = reportPath(entry)
      const committed = existsSync(committedPath) ? readFileSync(committedPath, 'utf8') : ''
      if (report === committed) continue
      outcome.changed.push(entry)
      if (check) {
        for (const line of diff(committed, report)) log(`${label(entry)}: ${line}`)
      } else {
        mkdirSync(dirname(committedPath), { recursive: true })
        writeFileSync(committedPath, report)
      }
    }
    const written = new Set(all.map(reportPath))
    for (const folder of new Set(all.map((e) => e.folder))) {
      const api = join(folder, 'api')
      for (const file of existsSync(api) ? readdirSync(api) : []) {
        const path = join(api, file)
        if (!file.endsWith('.api.md') || written.has(path)) continue
        outcome.stale.push(path)
        if (!check) rmSync(path)
      }
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
  return outcome
}

/**
 * A report without what moves when unrelated code does. API Extractor writes a warning it cannot attach
 * to an item at the end of the report with its place in the sources, through the declaration maps
 * (`// src/corestore.ts:56:17 - (ae-forgotten-export) …`): the line and column go, the file stays.
 */
export function normalize(report: string): string {
  return report.replace(/^(\/\/ [^\s:]+):\d+:\d+ - \(/gm, '$1 - (')
}

/** The lines that differ between two texts, `-` removed and `+` added, in order (longest common subsequence). */
export function diff(before: string, after: string): string[] {
  const a = before === '' ? [] : before.split('\n')
  const b = after.split('\n')
  // common[i][j]: the longest common subsequence of a[i..] and b[j..].
  const common = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = common[i] as number[]
      row[j] = a[i] === b[j] ? (common[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(common[i + 1]?.[j] ?? 0, row[j + 1] ?? 0)
    }
  }
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++
      j++
    } else if (j < b.length && (i === a.length || (common[i]?.[j + 1] ?? 0) >= (common[i + 1]?.[j] ?? 0))) {
      out.push(`+${b[j++]}`)
    } else {
      out.push(`-${a[i++]}`)
    }
  }
  return out
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const check = args.includes('--check')
  const unknown = args.find((arg) => arg.startsWith('-') && arg !== '--check')
  if (unknown) {
    console.error(`api: unexpected option ${unknown}`)
    console.error('usage: pnpm api            write every published package’s API report (packages/*/api/)')
    console.error('       pnpm api:check      fail when an exported API differs from its committed report')
    process.exit(2)
  }
  // Package folders may be named (the test does, with a copy); by default, every package.
  const named = args.filter((arg) => !arg.startsWith('-')).map((arg) => resolve(arg))
  const folders = named.length > 0 ? named : packageFolders()
  const started = Date.now()
  const { changed, stale, problems } = run(folders, check, (line) => console.error(line))
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const show = (path: string) => relative(process.cwd(), path) || path
  for (const problem of problems) console.error(problem)
  if (check) {
    for (const entry of changed) {
      console.error(
        `api:check: the API of ${label(entry)} differs from ${show(reportPath(entry))}. ` +
          'If the change is meant, run `pnpm api` and commit the report with it.',
      )
    }
    for (const path of stale) {
      console.error(`api:check: ${show(path)} is the report of no entry point. Run \`pnpm api\` to remove it.`)
    }
    if (changed.length > 0 || stale.length > 0 || problems.length > 0) process.exit(1)
    console.error(`api:check: every API report is up to date (${seconds} s)`)
  } else {
    for (const entry of changed) console.error(`api: wrote ${show(reportPath(entry))}`)
    for (const path of stale) console.error(`api: removed ${show(path)}`)
    if (problems.length > 0) process.exit(1)
    console.error(
      `api: ${changed.length === 0 ? 'every report was up to date' : 'review the reports and commit them'} (${seconds} s)`,
    )
  }
}
