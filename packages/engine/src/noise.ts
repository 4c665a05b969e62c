import Module, { createRequire } from 'node:module'
import { dirname, sep } from 'node:path'

// hypercore-protocol 8 reaches noise-protocol through two packages that read its building blocks by
// deep path: simple-hypercore-protocol (`noise-protocol/dh`: `PKLEN`, `SKLEN`, `generateKeypair`) and
// simple-handshake (`noise-protocol/hash`, `noise-protocol/symmetric-state`). noise-protocol 3.0.2 made
// each of those files export a factory of its algorithms instead of the object, which `^3.0.1` lets an
// installer pick: hypercore 9 then fails in its constructor (`Buffer.alloc(DH.PKLEN)` on `undefined`).
// The engine depends on noise-protocol 3.0.1 exactly and, while it loads hypercore and
// hypercore-protocol, points those two packages' noise-protocol requests at that copy.

const require = createRequire(import.meta.url)

interface Parent {
  filename?: string | null
}
type ResolveFilename = (this: unknown, request: string, parent: Parent | undefined, ...rest: unknown[]) => string
// Node 20 has no public hook for CommonJS resolution; this is the one module-aliasing tools use.
const loader = Module as unknown as { _resolveFilename: ResolveFilename }

function packageDir(from: string, name: string): string {
  return dirname(createRequire(from).resolve(`${name}/package.json`))
}

/** The folders of the simple-hypercore-protocol and simple-handshake copies this engine's hypercore and hypercore-protocol load. */
function handshakeDirs(): Set<string> {
  const protocols = new Set([
    packageDir(import.meta.url, 'hypercore-protocol'),
    packageDir(require.resolve('hypercore'), 'hypercore-protocol'),
  ])
  const dirs = new Set<string>()
  for (const protocol of protocols) {
    const simple = packageDir(`${protocol}${sep}index.js`, 'simple-hypercore-protocol')
    dirs.add(simple)
    dirs.add(packageDir(`${simple}${sep}index.js`, 'simple-handshake'))
  }
  return dirs
}

function isNoiseRequest(request: string): boolean {
  return request === 'noise-protocol' || request.startsWith('noise-protocol/')
}

/**
 * Run `load` (which requires hypercore and hypercore-protocol) with noise-protocol requests from their
 * handshake packages resolved to the engine's own noise-protocol 3.0.1. Nothing else resolves differently,
 * and the hook is gone when `load` returns.
 */
export function withKnownGoodNoise<T>(load: () => T): T {
  const dirs = [...handshakeDirs()].map((dir) => dir + sep)
  const original = loader._resolveFilename
  const resolve: ResolveFilename = function (request, parent, ...rest) {
    const from = parent?.filename
    if (isNoiseRequest(request) && from && dirs.some((dir) => from.startsWith(dir))) return require.resolve(request)
    return original.call(this, request, parent, ...rest)
  }
  loader._resolveFilename = resolve
  try {
    return load()
  } finally {
    if (loader._resolveFilename === resolve) loader._resolveFilename = original
  }
}
