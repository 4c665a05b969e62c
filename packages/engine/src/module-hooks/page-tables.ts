import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPageTable } from '../page-table.js'
import { packageDir, registerModule, whileLoading } from './resolve.js'

// hypercore 9 makes two memory-pager tables per core (lib/bitfield.js directly, `_reserved` through
// sparse-bitfield), and memory-pager 1.5.0 gives each a 32,768-slot array up front: 512 KiB per open
// core. While the engine loads hypercore, the memory-pager those two packages would load is swapped
// for the engine's page table, which behaves the same and grows on demand (page-table.ts).

/** The version whose behaviour the page table reproduces: any other memory-pager is left in place. */
const REPLACED_VERSION = '1.5.0'

/** The module id the page table is registered under: next to this file, not a file on disk. */
const MODULE_ID = join(dirname(fileURLToPath(import.meta.url)), 'page-table.memory-pager.cjs')

/** The folders of the hypercore this engine loads and of its sparse-bitfield: the requests to take over. */
function parentDirs(): string[] {
  const hypercore = packageDir(import.meta.url, 'hypercore')
  return [hypercore, packageDir(join(hypercore, 'index.js'), 'sparse-bitfield')]
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

/**
 * Run `load` (which requires hypercore) with every `memory-pager` request from hypercore's and
 * sparse-bitfield's own files that would load memory-pager 1.5.0 answered with the engine's page
 * table.
 */
export function withPageTables<T>(load: () => T): T {
  registerModule(MODULE_ID, createPageTable)
  const toPageTable = (request: string, _from: string, resolved: () => string) =>
    request === 'memory-pager' && isReplaceable(resolved()) ? MODULE_ID : undefined
  return whileLoading('page tables', parentDirs(), toPageTable, load)
}
