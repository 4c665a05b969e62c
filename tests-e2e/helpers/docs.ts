// The docs' code blocks as programs: found in the Markdown, written to a temporary folder, type-checked
// together by one compiler program, and run one by one. The conventions are in tests-e2e/test/docs.test.ts.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** What a fenced block's language says the file is; other fences (sh, console, none) are not code. */
const EXTENSIONS: Record<string, string> = {
  ts: '.ts',
  typescript: '.ts',
  mts: '.mts',
  cts: '.cts',
  js: '.js',
  javascript: '.js',
  mjs: '.mjs',
  cjs: '.cjs',
}

/** A line of a program and the line of the Markdown file it came from (1-based). */
export interface Line {
  text: string
  at: number
}

/** The HTML comment right before a fence that makes a block a fragment: `<!-- fragment: why … -->`. */
export interface Fragment {
  /** The rest of the comment's first line: why the block cannot run. */
  reason: string
  /** The declared context: the lines before the line `...`, where the block goes, and after it. */
  before: Line[]
  after: Line[]
}

/** A fenced TypeScript or JavaScript block. */
export interface Block {
  file: string
  /** The line of the opening fence. */
  line: number
  ext: string
  code: Line[]
  fragment: Fragment | null
}

/** The Markdown files whose code is checked: the root README, docs/ and every package's README. */
export async function docFiles(): Promise<string[]> {
  const docs = (await readdir(join(root, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)
  const packages: string[] = []
  for (const dir of await readdir(join(root, 'packages'))) {
    const readme = `packages/${dir}/README.md`
    if ((await readdir(join(root, 'packages', dir))).includes('README.md')) packages.push(readme)
  }
  return ['README.md', ...docs.sort(), ...packages.sort()]
}

export async function readBlocks(file: string): Promise<Block[]> {
  return parseBlocks(file, await readFile(join(root, file), 'utf8'))
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)(.*)$/

/** Every fenced block of a supported language in `text`, and the fragment comment before it, if any. */
export function parseBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '')
    if (!open) continue
    const [, indent = '', fence = '', lang = ''] = open
    let end = i + 1
    while (end < lines.length && !isClosing(lines[end] ?? '', fence)) end++
    const ext = EXTENSIONS[lang.toLowerCase()]
    if (ext) {
      const code = lines.slice(i + 1, end).map((text, k) => ({ text: dedent(text, indent.length), at: i + 2 + k }))
      blocks.push({ file, line: i + 1, ext: moduleKind(ext, code), code, fragment: fragmentBefore(lines, i) })
    }
    i = end
  }
  return blocks
}

function isClosing(line: string, fence: string): boolean {
  const trimmed = line.trim()
  return trimmed.length >= fence.length && [...trimmed].every((c) => c === fence[0])
}

function dedent(line: string, width: number): string {
  let k = 0
  while (k < width && line[k] === ' ') k++
  return line.slice(k)
}

/** A `js` block is CommonJS when it calls `require()` and imports nothing, else an ES module. */
function moduleKind(ext: string, code: Line[]): string {
  if (ext !== '.js') return ext
  const text = code.map((l) => l.text).join('\n')
  return /\brequire\s*\(/.test(text) && !/^\s*(import|export)\b/m.test(text) ? '.cjs' : '.mjs'
}

const FRAGMENT = /^<!--\s*fragment\b\s*:?\s*(.*?)\s*(-->)?\s*$/

/** The `<!-- fragment … -->` comment ending on the last non-blank line before the fence at `fence`, if any. */
function fragmentBefore(lines: string[], fence: number): Fragment | null {
  let last = fence - 1
  while (last >= 0 && (lines[last] ?? '').trim() === '') last--
  if (last < 0 || !(lines[last] ?? '').trim().endsWith('-->')) return null
  let first = last
  while (first >= 0 && !(lines[first] ?? '').trimStart().startsWith('<!--')) {
    if (FENCE.test(lines[first] ?? '')) return null
    first--
  }
  const head = FRAGMENT.exec((lines[first] ?? '').trim())
  if (!head) return null
  const context = lines.slice(first + 1, last + 1).map((text, k) => ({ text, at: first + 2 + k }))
  const closing = context.at(-1)
  if (closing) closing.text = closing.text.replace(/\s*-->\s*$/, '')
  if (closing?.text.trim() === '') context.pop()
  const slot = context.findIndex((l) => ['...', '…'].includes(l.text.trim()))
  return {
    reason: head[1] ?? '',
    before: slot === -1 ? context : context.slice(0, slot),
    after: slot === -1 ? [] : context.slice(slot + 1),
  }
}

/** `file:line` of the block's opening fence: what a failure points at. */
export function nameOf(block: Block): string {
  return `${block.file}:${block.line}`
}

/** The lines of the program a block is, as written to its file: a fragment within its context. */
export function sourceOf(block: Block): Line[] {
  return [...(block.fragment?.before ?? []), ...block.code, ...(block.fragment?.after ?? [])]
}

/** Where the docs' programs are written: one folder each (its working directory when it runs). */
export interface Workspace {
  dir: string
  /** The block's file, absolute. */
  fileOf(block: Block): string
}

/**
 * A temporary folder with one folder per program, a package.json making `.ts` files ES modules, a
 * tsconfig with the workspace's strict settings, and a node_modules that links every package the
 * end-to-end tests and the examples can import (the `@corestore/*` packages resolve to their sources
 * through the `source` condition, as in `pnpm test`).
 */
export async function writeWorkspace(blocks: Block[]): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'corestore-docs-'))
  const folder = (b: Block) => `${b.file.replaceAll('/', '-')}-${b.line}`
  const fileOf = (b: Block) => join(dir, folder(b), `example${b.ext}`)
  await linkModules(join(dir, 'node_modules'))
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n')
  const tsconfig = {
    extends: join(root, 'tsconfig.base.json'),
    compilerOptions: {
      composite: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      noEmit: true,
      allowJs: true,
      checkJs: true,
      customConditions: ['source'],
      typeRoots: [join(root, 'node_modules/@types')],
    },
    files: blocks.map((b) => `${folder(b)}/example${b.ext}`),
  }
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`)
  for (const block of blocks) {
    await mkdir(join(dir, folder(block)))
    const lines = sourceOf(block).map((l) => l.text)
    await writeFile(fileOf(block), `${lines.join('\n')}\n`)
  }
  return { dir, fileOf }
}

async function linkModules(target: string): Promise<void> {
  await mkdir(target)
  const linked = new Set<string>()
  for (const from of ['tests-e2e/node_modules', 'examples/node_modules']) {
    const base = join(root, from)
    for (const entry of await readdir(base)) {
      if (entry.startsWith('.')) continue
      const names = entry.startsWith('@') ? (await readdir(join(base, entry))).map((n) => `${entry}/${n}`) : [entry]
      for (const name of names) {
        if (linked.has(name)) continue
        linked.add(name)
        if (name.includes('/')) await mkdir(join(target, name.split('/')[0] ?? ''), { recursive: true })
        await symlink(join(base, name), join(target, name))
      }
    }
  }
}

/** A compiler error, placed in the Markdown. */
export interface Diagnostic {
  /** `file:line` in the Markdown. */
  where: string
  code: string
  message: string
}

export interface TypeCheck {
  /** The errors in each block, by its name. */
  byBlock: Map<string, Diagnostic[]>
  /** Errors of the configuration or of no file. */
  elsewhere: string[]
}

/**
 * One compiler program over every block; each error mapped back to the Markdown line it is on.
 * Through the API rather than `tsc`, which stops at syntax errors: a block with one must not keep
 * the others from being checked.
 */
export function typeCheck(workspace: Workspace, blocks: Block[]): TypeCheck {
  const elsewhere: string[] = []
  const text = (d: ts.Diagnostic) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d: ts.Diagnostic) => elsewhere.push(text(d)) }
  const config = ts.getParsedCommandLineOfConfigFile(join(workspace.dir, 'tsconfig.json'), {}, host)
  const byBlock = new Map<string, Diagnostic[]>(blocks.map((b) => [nameOf(b), []]))
  if (!config) return { byBlock, elsewhere }
  const compiler = ts.createProgram({ rootNames: config.fileNames, options: config.options })
  const global = [...config.errors, ...compiler.getOptionsDiagnostics(), ...compiler.getGlobalDiagnostics()]
  elsewhere.push(...global.map(text))
  for (const block of blocks) {
    const file = compiler.getSourceFile(workspace.fileOf(block))
    if (!file) {
      elsewhere.push(`${nameOf(block)}: not in the compiler's program`)
      continue
    }
    const lines = sourceOf(block)
    for (const d of [...compiler.getSyntacticDiagnostics(file), ...compiler.getSemanticDiagnostics(file)]) {
      const line = file.getLineAndCharacterOfPosition(d.start ?? 0).line
      const [code = '', message = ''] = text(d).split(/: ([\s\S]*)/)
      byBlock.get(nameOf(block))?.push({ where: `${block.file}:${lines[line]?.at ?? '?'}`, code, message })
    }
  }
  return { byBlock, elsewhere }
}

export interface Ran {
  /** The exit code, or `null` when the process was killed. */
  code: number | null
  /** The process outlived its time and was killed. */
  timedOut: boolean
  stdout: string
  stderr: string
}

const tsx = import.meta.resolve('tsx')

/** Run a block as `pnpm test` runs TypeScript (`node --conditions=source --import tsx`), in its folder. */
export function runBlock(workspace: Workspace, block: Block, ms: number): Promise<Ran> {
  const file = workspace.fileOf(block)
  return exec(['--conditions=source', '--import', tsx, file], join(file, '..'), ms)
}

/** Run node with `args`; killed after `ms`. Never rejects: the caller asserts on what happened. */
function exec(args: string[], cwd: string, ms: number): Promise<Ran> {
  // Without the test runner's variables, the program runs as a user's would.
  const env = { ...process.env }
  delete env.NODE_TEST_CONTEXT
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s))
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, ms)
  return new Promise((done) => {
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, timedOut, stdout, stderr })
    })
  })
}
