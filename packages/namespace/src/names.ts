import { CorestoreError } from '@corestore/errors'
import { describe } from '@corestore/errors/internal'
import { checkName, randomBytes } from '@corestore/keychain/internal'

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
  throw CorestoreError.invalidName('namespace name', 'a string or a Buffer', name)
}

/**
 * The root view's name, from `new Corestore(storage, { name })`: `ROOT_NAME` when none is given (any
 * falsy value, as corestore 5 reads `opts.name || 'default'`). A root given a name is named as a view
 * is: its `default()` derives from the name, its namespaces are `name:a`.
 * @throws {CorestoreError} `INVALID_OPTION` naming `opts.name` for anything but a string
 */
export function rootName(opts: { name?: unknown } | null | undefined): string {
  if (!opts?.name) return ROOT_NAME
  if (typeof opts.name === 'string') return opts.name
  throw CorestoreError.invalidOption('opts.name', `a string, not ${describe(opts.name)}`)
}

/**
 * The namespace a view's listing covers: the view's own (`null` at the root: everything), or
 * `opts.namespace` below `prefix` when given (`a` then `b` lists `a:b`).
 * @param prefix what the view's namespaces are named below: `view`, or a named root's name
 * @throws {CorestoreError} `INVALID_OPTION` when `opts` is not an object
 * @throws {KeychainError} `INVALID_NAME` naming `opts.namespace` for an empty or non-name value
 */
export function listedNamespace(view: string | null, opts: unknown, prefix = view): string | null {
  if (typeof opts !== 'object' || opts === null) throw CorestoreError.invalidOption('opts', 'an options object')
  const { namespace } = opts as { namespace?: unknown }
  if (namespace === undefined) return view
  return childName(prefix, checkName(namespace, 'opts.namespace'))
}

/**
 * The options of a view's `default()` as corestore 5 builds them: `opts` with the view's name. A
 * key Buffer is kept as `key` (and wins over the name); anything else that is not an options
 * object counts as none, as corestore 5 spreads it away (a hex string included).
 * @throws {CorestoreError} `INVALID_OPTION` for a truthy number, boolean, function or array
 */
export function defaultOptions<O extends object>(input: unknown, name: string): O & { name: string } {
  if (input instanceof Uint8Array) return { key: input, name } as unknown as O & { name: string }
  if (!input || typeof input === 'string') return { name } as O & { name: string }
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw CorestoreError.invalidOption('opts', `an options object or a key Buffer, not ${describe(input)}`)
  }
  return { ...(input as O), name }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * A core's name as text, when it is some view's name: well-formed UTF-8 (`default`, `a:b`, any
 * string a program passed to `namespace()` or `get({ name })`); `null` for other bytes (a `get()`
 * with no name derives from 32 random bytes). The one rule for "is this name text?".
 */
export function nameText(name: Uint8Array): string | null {
  try {
    return utf8.decode(name)
  } catch {
    return null
  }
}

/** Whether a core named `name` was derived in the view `namespace`: its `default()` or below it (`a`, `a:b`; not `ab`). */
export function isInNamespace(name: Uint8Array, namespace: string): boolean {
  const text = nameText(name)
  return text !== null && (text === namespace || text.startsWith(namespace + SEPARATOR))
}

/**
 * The name of the view whose `default()` a core derived from `name` is: the name's text, since
 * views compose their names as text (`a:b` is `namespace('a').namespace('b')`, `default` the root).
 * Any text name is some view's default: `get({ name: 'x' })` is `namespace('x').default()`.
 * @param name the bytes the core's key pair derives from (its `name` file)
 * @throws {CorestoreError} `NOT_A_NAMESPACE_DEFAULT` when they are not UTF-8 text: a `get()` with
 *   no name derives from 32 random bytes, which no view's name produces
 */
export function viewNameOf(name: Uint8Array): string {
  const text = nameText(name)
  if (text === null) {
    throw new CorestoreError(
      'NOT_A_NAMESPACE_DEFAULT',
      `the core's name (${Buffer.from(name).toString('hex')}) is not text: it comes from get() with no name, not from a namespace's default()`,
    )
  }
  return text
}
