import { CorestoreError } from '@corestore/errors'
import { LRUCache } from 'lru-cache'
import { checkName, discoveryKey, randomBytes } from './derive.js'
import type { Keychain } from './keychain.js'
import { findKey, type KeyInput, parseKey } from './keys.js'

// Which core a request names: corestore 5's `get()` options read as a request, and the request
// resolved to the core's discovery key and what is known of its keys (deriving them from a name),
// with the answers remembered, so that a cache hit derives nothing.

/** What the caller knows of a core before opening it, by how it was asked for. */
export type CoreIdentity =
  /** Derived from the master key and `name` (written to the core's `name` file). */
  | {
      readonly kind: 'derived'
      readonly discoveryKey: Buffer
      readonly publicKey: Buffer
      readonly secretKey: Buffer
      readonly name: Buffer
    }
  /** An explicit key pair: hypercore keeps the secret key in `secret_key`. */
  | { readonly kind: 'keyPair'; readonly discoveryKey: Buffer; readonly publicKey: Buffer; readonly secretKey: Buffer }
  /** A public key: writable again if a stored `name` derives to it. */
  | { readonly kind: 'key'; readonly discoveryKey: Buffer; readonly publicKey: Buffer }
  /** A discovery key alone: the public key is read from the core's `key` file. */
  | { readonly kind: 'discoveryKey'; readonly discoveryKey: Buffer }

/** How a core is identified, in corestore 5's order of precedence. */
export type CoreRequest =
  | { readonly kind: 'keyPair'; readonly publicKey: Buffer; readonly secretKey: Buffer | null }
  | { readonly kind: 'key'; readonly publicKey: Buffer }
  | { readonly kind: 'name'; readonly name: string | Buffer; readonly random: boolean }
  | { readonly kind: 'discoveryKey'; readonly discoveryKey: Buffer }

/**
 * Whether an open core (its key and discovery key, `null` while it opens) is the one `request` names:
 * a key Buffer remembered by identity may have been rewritten since it was first seen.
 */
export function requestMatches(
  request: CoreRequest,
  core: { key: Buffer | null; discoveryKey: Buffer | null },
): boolean {
  if ('publicKey' in request)
    return core.key === null || core.key === request.publicKey || core.key.equals(request.publicKey)
  if (request.kind === 'discoveryKey')
    return core.discoveryKey === null || core.discoveryKey.equals(request.discoveryKey)
  return true
}

/** The fields of corestore 5's `get()` options that name a core. */
export interface RequestOptions {
  key?: KeyInput | null
  discoveryKey?: KeyInput | null
  keyPair?: { publicKey: KeyInput; secretKey?: KeyInput | null } | null
  name?: string | Uint8Array | null
  default?: boolean | null
}

/**
 * The core `get()`'s options name, in corestore 5's order of precedence: a key pair, else a key, else
 * a name (`default` needs one), else a discovery key, else a new core with 32 random bytes as its
 * name. A falsy value is absent, as in corestore 5.
 * @throws {CorestoreError} `INVALID_OPTION`, `INVALID_KEY` or `INVALID_NAME` naming the culprit
 */
export function requestOf(o: RequestOptions): CoreRequest {
  if (o.keyPair) {
    if (typeof o.keyPair !== 'object')
      throw CorestoreError.invalidOption('opts.keyPair', 'a { publicKey, secretKey } object')
    const publicKey = parseKey(o.keyPair.publicKey, 'opts.keyPair.publicKey')
    const sk = o.keyPair.secretKey
    const secretKey = sk ? parseKey(sk, 'opts.keyPair.secretKey', 64) : null
    return { kind: 'keyPair', publicKey, secretKey }
  }
  if (o.key) return { kind: 'key', publicKey: findKey(o.key, 'opts.key') }
  if (o.default && typeof o.default !== 'boolean') throw CorestoreError.invalidOption('opts.default', 'a boolean')
  if (o.default || o.name) {
    if (!o.name) throw CorestoreError.invalidOption('opts.name', 'set when opts.default is')
    return { kind: 'name', name: checkName(o.name, 'opts.name'), random: false }
  }
  if (o.discoveryKey) return { kind: 'discoveryKey', discoveryKey: findKey(o.discoveryKey, 'opts.discoveryKey') }
  return randomName()
}

/** A new core: named by 32 random bytes. */
export function randomName(): CoreRequest {
  return { kind: 'name', name: randomBytes(32), random: true }
}

/**
 * What a request names, for the cache and for the storage: the id (hex discovery key) and what is
 * known of the core's keys. The store's one place for "which core is this?".
 */
export class Identities {
  readonly keychain: Keychain
  readonly #ids = new IdIndex()

  constructor(keychain: Keychain) {
    this.keychain = keychain
  }

  /** The discovery key a request names, and what is known of the core's keys. */
  identify(request: CoreRequest): CoreIdentity {
    switch (request.kind) {
      case 'name': {
        const name = typeof request.name === 'string' ? Buffer.from(request.name) : request.name
        const { publicKey, secretKey } = this.keychain.keyPair(name)
        const identity = { kind: 'derived', discoveryKey: discoveryKey(publicKey), publicKey, secretKey, name } as const
        if (!request.random) this.#ids.rememberName(request.name, identity.discoveryKey.toString('hex'))
        return identity
      }
      case 'keyPair':
        return request.secretKey
          ? {
              kind: 'keyPair',
              discoveryKey: discoveryKey(request.publicKey),
              publicKey: request.publicKey,
              secretKey: request.secretKey,
            }
          : { kind: 'key', discoveryKey: discoveryKey(request.publicKey), publicKey: request.publicKey }
      case 'key':
        return { kind: 'key', discoveryKey: discoveryKey(request.publicKey), publicKey: request.publicKey }
      case 'discoveryKey':
        return { kind: 'discoveryKey', discoveryKey: request.discoveryKey }
    }
  }

  /** The cache id (hex discovery key) of the core a request names. Cheap for keys and names seen before. */
  idOf(request: CoreRequest): string {
    return this.knownId(request, true) ?? this.identify(request).discoveryKey.toString('hex')
  }

  /**
   * The id a request names when no derivation is needed: a key's (remembered), a discovery key's,
   * a name's derived before; `undefined` for a name not derived yet or a random one.
   * @param byContent read a key buffer's bytes rather than trust what was remembered for the object
   */
  knownId(request: CoreRequest, byContent: boolean): string | undefined {
    switch (request.kind) {
      case 'key':
      case 'keyPair':
        return this.#ids.ofKey(request.publicKey, byContent)
      case 'discoveryKey':
        return this.#ids.ofDiscoveryKey(request.discoveryKey, byContent)
      case 'name':
        return request.random ? undefined : this.#ids.ofName(request.name)
    }
  }

  /** The id a key given as a string named before (see `rememberString`); no parsing. */
  ofString(input: string): string | undefined {
    return this.#ids.ofInput(input)
  }

  /** Remember the id a key string names: strings cannot change, so the next get() of it skips parsing. */
  rememberString(input: string, id: string): void {
    this.#ids.rememberInput(input, id)
  }
}

/**
 * The cache id (hex discovery key) of keys and names already seen. Both are pure functions of
 * their input (and the store's master key), so remembering them is always right; it spares a
 * BLAKE2b or an ed25519 key derivation on every cache hit. Bounded: the least used go first.
 */
class IdIndex {
  readonly #byBuffer = new WeakMap<Uint8Array, string>()
  readonly #dkHex = new WeakMap<Uint8Array, string>()
  /** Key strings as given to get() (hex, a URL…): looked up as they are, no prefix to build. */
  readonly #byInput = new LRUCache<string, string>({ maxSize: 4096, sizeCalculation: () => 1 })
  // Bounded through maxSize, not max: lru-cache preallocates `max` slots, 400 KB before any core.
  readonly #byString = new LRUCache<string, string>({ maxSize: 16_384, sizeCalculation: () => 1 })

  /**
   * The id of the core with this public key. The answer remembered for this very Buffer object is
   * fastest, but a caller may have rewritten the buffer since: `byContent` skips that shortcut.
   */
  ofKey(publicKey: Buffer, byContent = false): string {
    const seen = byContent ? undefined : this.#byBuffer.get(publicKey)
    if (seen !== undefined) return seen
    const hex = publicKey.toString('hex')
    let id = this.#byString.get(hex)
    if (id === undefined) {
      id = discoveryKey(publicKey).toString('hex')
      this.#byString.set(hex, id)
    }
    this.#byBuffer.set(publicKey, id)
    return id
  }

  /** A discovery key's id (its hex): remembered per Buffer object unless `byContent`, as for keys. */
  ofDiscoveryKey(discoveryKey: Buffer, byContent = false): string {
    const seen = byContent ? undefined : this.#dkHex.get(discoveryKey)
    if (seen !== undefined) return seen
    const hex = discoveryKey.toString('hex')
    this.#dkHex.set(discoveryKey, hex)
    return hex
  }

  ofInput(input: string): string | undefined {
    return this.#byInput.get(input)
  }

  rememberInput(input: string, id: string): void {
    this.#byInput.set(input, id)
  }

  /** The id of the core derived from `name`, if it was derived before. */
  ofName(name: string | Uint8Array): string | undefined {
    return this.#byString.get(nameKey(name))
  }

  rememberName(name: string | Uint8Array, id: string): void {
    this.#byString.set(nameKey(name), id)
  }
}

function nameKey(name: string | Uint8Array): string {
  return typeof name === 'string'
    ? `n${name}`
    : `b${Buffer.from(name.buffer, name.byteOffset, name.byteLength).toString('hex')}`
}
