import { createRequire } from 'node:module'
import { sep } from 'node:path'
import { packageDir, whileLoading } from './resolve.js'

// hypercore-protocol 8 reaches noise-protocol through two packages that read its building blocks by
// deep path: simple-hypercore-protocol (`noise-protocol/dh`: `PKLEN`, `SKLEN`, `generateKeypair`) and
// simple-handshake (`noise-protocol/hash`, `noise-protocol/symmetric-state`). noise-protocol 3.0.2 made
// each of those files export a factory of its algorithms instead of the object, which `^3.0.1` lets an
// installer pick: hypercore 9 then fails in its constructor (`Buffer.alloc(DH.PKLEN)` on `undefined`).
// The engine depends on noise-protocol 3.0.1 exactly and, while it loads hypercore and
// hypercore-protocol, points those two packages' noise-protocol requests at that copy.

const require = createRequire(import.meta.url)

/** The folders of the simple-hypercore-protocol and simple-handshake copies this engine's hypercore and hypercore-protocol load. */
function handshakeDirs(): string[] {
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
  return [...dirs]
}

function isNoiseRequest(request: string): boolean {
  return request === 'noise-protocol' || request.startsWith('noise-protocol/')
}

/**
 * Run `load` (which requires hypercore and hypercore-protocol) with noise-protocol requests from their
 * handshake packages resolved to the engine's own noise-protocol 3.0.1.
 */
export function withKnownGoodNoise<T>(load: () => T): T {
  const toOwnCopy = (request: string) => (isNoiseRequest(request) ? require.resolve(request) : undefined)
  return whileLoading('noise-protocol 3.0.1', handshakeDirs(), toOwnCopy, load)
}
