import Module, { createRequire } from 'node:module'
import { dirname, sep } from 'node:path'
import { CorestoreError } from '@corestore/errors'

// The one place the engine reaches into Node's CommonJS resolution. hypercore 9 and hypercore-protocol 8
// are CommonJS and pick their own dependencies; twice the engine must hand them another module than
// the one an installer put next to them (noise-pin.ts: noise-protocol 3.0.1; page-tables.ts: page
// tables instead of memory-pager 1.5.0). Node 20 has no public hook for CommonJS resolution, so both
// go through `Module._resolveFilename`, the function module-aliasing tools and Yarn's Plug'n'Play
// loader replace too: a redirect is installed only while the engine loads those packages (a few
// milliseconds at import), calls the resolver it found for everything else, and is removed after.

interface Parent {
  filename?: string | null
}
type ResolveFilename = (this: unknown, request: string, parent: Parent | undefined, ...rest: unknown[]) => string

const loader = Module as unknown as { _resolveFilename?: ResolveFilename; _cache: Record<string, Module> }

/**
 * Where one request should go instead: the file to load, or `undefined` to keep what Node (or the
 * resolver installed before, such as Plug'n'Play's) answers. `from` is the requiring file;
 * `resolved()` computes the usual answer when a rule needs it.
 */
export type Redirect = (request: string, from: string, resolved: () => string) => string | undefined

/** Thrown when this Node has no `Module._resolveFilename` to hook (a bundler's Node build, say). */
export class ResolutionHookUnavailable extends CorestoreError<'MODULE_HOOK_UNAVAILABLE'> {
  constructor(what: string) {
    super(
      'MODULE_HOOK_UNAVAILABLE',
      `@corestore/engine cannot load ${what}: this runtime has no Module._resolveFilename (the engine needs Node's CommonJS loader; see @corestore/engine's README, "Module hooks")`,
    )
    this.name = 'ResolutionHookUnavailable'
  }
}

/**
 * Throw `ResolutionHookUnavailable` (naming `what`) unless this runtime has the resolver the hooks wrap.
 * The engine calls it first, before anything asks the resolver.
 */
export function requireResolutionHook(what: string): void {
  if (typeof loader._resolveFilename !== 'function') throw new ResolutionHookUnavailable(what)
}

/**
 * Run `load` with `redirect` consulted for every CommonJS request made from a file under one of
 * `folders`; requests from elsewhere, and every request once `load` returns, resolve as before.
 */
export function whileLoading<T>(what: string, folders: readonly string[], redirect: Redirect, load: () => T): T {
  requireResolutionHook(what)
  const original = loader._resolveFilename as ResolveFilename
  const prefixes = folders.map((dir) => (dir.endsWith(sep) ? dir : dir + sep))
  const resolve: ResolveFilename = function (request, parent, ...rest) {
    const usual = () => original.call(this, request, parent, ...rest)
    const from = parent?.filename
    if (!from || !prefixes.some((dir) => from.startsWith(dir))) return usual()
    return redirect(request, from, usual) ?? usual()
  }
  loader._resolveFilename = resolve
  try {
    return load()
  } finally {
    if (loader._resolveFilename === resolve) loader._resolveFilename = original
  }
}

/** The folder of package `name` as the file (or URL) `from` would load it. */
export function packageDir(from: string, name: string): string {
  return dirname(createRequire(from).resolve(`${name}/package.json`))
}

/** Make `exports` loadable by `require(id)` while a redirect answers `id`: a module in Node's cache, no file. */
export function registerModule(id: string, exports: unknown): void {
  if (loader._cache[id]) return
  const mod = new Module(id)
  mod.filename = id
  mod.exports = exports
  mod.loaded = true
  loader._cache[id] = mod
}
