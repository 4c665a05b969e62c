import { CorestoreError } from '@corestore/errors'
import { randomBytes } from '@corestore/keychain'

/** The root view's name: the root's `default()` core derives from `default`. */
export const ROOT_NAME = 'default'
export const SEPARATOR = ':'

/**
 * The name of a child view, as corestore 5 composes it: `a` under the root, `a:b` under `a`.
 * A Buffer name becomes its hex; no name (any falsy value, as in corestore 5, or empty bytes)
 * becomes 32 random bytes in hex.
 * @param parent the parent view's name, `null` for the root
 * @throws {CorestoreError} `INVALID_NAME` for anything but a string or bytes
 */
export function childName(parent: string | null, name?: unknown): string {
  const own = ownName(name)
  return parent === null ? own : `${parent}${SEPARATOR}${own}`
}

function ownName(name: unknown): string {
  if (!name) return randomBytes(32).toString('hex')
  if (typeof name === 'string') return name
  if (name instanceof Uint8Array) {
    return name.byteLength === 0 ? randomBytes(32).toString('hex') : Buffer.from(name).toString('hex')
  }
  throw new CorestoreError('INVALID_NAME', `namespace name must be a string or a Buffer, got ${typeof name}`)
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * The name of the view whose `default()` a core derived from `name` is: the name's text, since
 * views compose their names as text (`a:b` is `namespace('a').namespace('b')`, `default` the root).
 * Any text name is some view's default: `get({ name: 'x' })` is `namespace('x').default()`.
 * @param name the bytes the core's key pair derives from (its `name` file)
 * @throws {CorestoreError} `NOT_A_NAMESPACE_DEFAULT` when they are not UTF-8 text: a `get()` with
 *   no name derives from 32 random bytes, which no view's name produces
 */
export function viewNameOf(name: Uint8Array): string {
  try {
    return utf8.decode(name)
  } catch {
    throw new CorestoreError(
      'NOT_A_NAMESPACE_DEFAULT',
      `the core's name (${Buffer.from(name).toString('hex')}) is not text: it comes from get() with no name, not from a namespace's default()`,
    )
  }
}
