import { CorestoreError } from '@corestore/errors'
import { randomBytes } from '@corestore/keychain'

/** The root view's name: the root's `default()` core derives from `default`. */
export const ROOT_NAME = 'default'
export const SEPARATOR = ':'

/**
 * The name of a child view, as corestore 5 composes it: `a` under the root, `a:b` under `a`.
 * A Buffer name becomes its hex; no name (or an empty one) becomes 32 random bytes in hex.
 * @param parent the parent view's name, `null` for the root
 * @throws {CorestoreError} `INVALID_NAME` for anything but a string or bytes
 */
export function childName(parent: string | null, name?: unknown): string {
  const own = ownName(name)
  return parent === null ? own : `${parent}${SEPARATOR}${own}`
}

function ownName(name: unknown): string {
  if (name === undefined || name === null || name === '') return randomBytes(32).toString('hex')
  if (typeof name === 'string') return name
  if (name instanceof Uint8Array) {
    return name.byteLength === 0 ? randomBytes(32).toString('hex') : Buffer.from(name).toString('hex')
  }
  throw new CorestoreError('INVALID_NAME', `namespace name must be a string or a Buffer, got ${typeof name}`)
}
