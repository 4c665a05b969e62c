import Module, { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPageTable } from './page-table.js'

// hypercore 9 makes two memory-pager tables per core (lib/bitfield.js directly, `_reserved` through
// sparse-bitfield), and memory-pager 1.5.0 gives each a 32,768-slot array up front: 512 KiB per open
// core. While the engine loads hypercore, the memory-pager those two packages would load is swapped
// for the engine's page table, which behaves the same and grows on demand (page-table.ts).

interface Parent {
  filename?: string | null
}
type ResolveFilename = (this: unknown, request: string, parent: Parent | undefined, ...rest: unknown[]) => string
// Node 20 has no public hook for CommonJS resolution; this is the one module-aliasing tools use (as noise.ts).
const loader = Module as unknown as {
  _resolveFilename: ResolveFilename
  _cache: Record<string, Module>
}

/** The version whose behaviour the page table reproduces: any other memory-pager is left in place. */
const REPLACED_VERSION = '1.5.0'

/** The module id the page table is registered under: next to this file, not a file on disk. */
const MODULE_ID = join(dirname(fileURLToPath(import.meta.url)), 'page-table.memory-pager.cjs')

function packageDir(from: string, name: string): string {
  return dirname(createRequire(from).resolve(`${name}/package.json`))
}

/** The folders of the hypercore this engine loads and of its sparse-bitfield: the requests to take over. */
function parentDirs(): string[] {
  const hypercore = packageDir(import.meta.url, 'hypercore')
  const sparse = packageDir(join(hypercore, 'index.js'), 'sparse-bitfield')
  return [hypercore, sparse].map((dir) => dir + sep)
}

const replaceable = new Map<string, boolean>()

/** Whether `file` is memory-pager 1.5.0's entry point. */
function isReplaceable(file: string): boolean {
  let known = replaceable.get(file)
  if (known === undefined) {
    try {
      const pkg = createRequire(file)('./package.json') as { name?: string; version?: string }
      known = pkg.name === 'memory-pager' && pkg.version === REPLACED_VERSION
    } catch {
      known = false
    }
    replaceable.set(file, known)
  }
  return known
}

/** The page table as a loaded CommonJS module, so `require` hands it out like any cached module. */
function registerModule(): void {
  if (loader._cache[MODULE_ID]) return
  const mod = new Module(MODULE_ID)
  mod.filename = MODULE_ID
  mod.exports = createPageTable
  mod.loaded = true
  loader._cache[MODULE_ID] = mod
}

/**
 * Run `load` (which requires hypercore) with every `memory-pager` request from hypercore's and
 * sparse-bitfield's own files that would load memory-pager 1.5.0 answered with the engine's page
 * table. Other requests, and every request once `load` returns, resolve as before.
 */
export function withPageTables<T>(load: () => T): T {
  const dirs = parentDirs()
  registerModule()
  const original = loader._resolveFilename
  const resolve: ResolveFilename = function (request, parent, ...rest) {
    const resolved = original.call(this, request, parent, ...rest)
    const from = parent?.filename
    if (request !== 'memory-pager' || !from || !dirs.some((dir) => from.startsWith(dir))) return resolved
    return isReplaceable(resolved) ? MODULE_ID : resolved
  }
  loader._resolveFilename = resolve
  try {
    return load()
  } finally {
    if (loader._resolveFilename === resolve) loader._resolveFilename = original
  }
}
