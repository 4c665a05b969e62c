import { KeychainError } from './errors.js'
import { sodium } from './sodium.js'

export const MASTER_KEY_LENGTH = 32
export const PUBLIC_KEY_LENGTH = 32
export const SECRET_KEY_LENGTH = 64

/** The namespace corestore 5 derives its cores' seeds in. */
export const CORESTORE_NAMESPACE = 'corestore'
const HYPERCORE = Buffer.from('hypercore', 'ascii')

export interface KeyPair {
  publicKey: Buffer
  secretKey: Buffer
}

/** A core name: a string (its UTF-8 bytes are used) or raw bytes. */
export type Name = string | Uint8Array

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array
}

/**
 * Checks a master key: exactly 32 bytes.
 * @throws {KeychainError} `INVALID_MASTER_KEY`
 */
export function assertMasterKey(masterKey: unknown, argument = 'masterKey'): asserts masterKey is Uint8Array {
  if (!isBytes(masterKey)) {
    throw new KeychainError(
      'INVALID_MASTER_KEY',
      argument,
      `must be a Buffer or Uint8Array of ${MASTER_KEY_LENGTH} bytes`,
    )
  }
  if (masterKey.byteLength !== MASTER_KEY_LENGTH) {
    throw new KeychainError(
      'INVALID_MASTER_KEY',
      argument,
      `must be ${MASTER_KEY_LENGTH} bytes, got ${masterKey.byteLength}`,
    )
  }
}

/**
 * The one rule for a core's name: a non-empty string, or non-empty bytes (returned as a Buffer
 * over the same memory). Strings are kept as they are: their UTF-8 bytes are what derives.
 * @throws {KeychainError} `INVALID_NAME` naming `argument`
 */
export function checkName(name: unknown, argument = 'name'): string | Buffer {
  if (typeof name === 'string') {
    if (name.length === 0) throw new KeychainError('INVALID_NAME', argument, 'must not be empty')
    return name
  }
  if (isBytes(name)) {
    if (name.byteLength === 0) throw new KeychainError('INVALID_NAME', argument, 'must not be empty')
    return Buffer.isBuffer(name) ? name : Buffer.from(name.buffer, name.byteOffset, name.byteLength)
  }
  throw new KeychainError('INVALID_NAME', argument, `must be a string or a Buffer/Uint8Array, got ${typeOf(name)}`)
}

/**
 * The bytes a name stands for: UTF-8 for a string, the bytes themselves otherwise.
 * @throws {KeychainError} `INVALID_NAME` for an empty name or a value that is neither
 */
export function nameToBytes(name: unknown, argument = 'name'): Buffer {
  const checked = checkName(name, argument)
  return typeof checked === 'string' ? Buffer.from(checked, 'utf8') : checked
}

/** `name` as bytes, which may be empty (corestore 5's `_deriveSecret` allows it). */
function bytesOf(name: unknown, argument: string): Buffer {
  if (typeof name === 'string') return Buffer.from(name, 'utf8')
  if (isBytes(name)) return Buffer.from(name.buffer, name.byteOffset, name.byteLength)
  throw new KeychainError('INVALID_NAME', argument, `must be a string or a Buffer/Uint8Array, got ${typeOf(name)}`)
}

/** The keychain's words for a value in its messages ("got number"), kept as they were; `describe` of @corestore/errors says "a number". */
function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}

/**
 * What derive-key (corestore 5's derivation) feeds BLAKE2b before the input: the namespace's
 * length in decimal, a newline, then the namespace, all encoded as Node's `'ascii'` encoding
 * does: the low byte of each UTF-16 code unit (so `corestore` gives `9\ncorestore`). For a non-ASCII
 * namespace that loses the high bytes; we keep them lost, or the secrets would differ.
 * @throws {KeychainError} `INVALID_NAME` unless `namespace` is a string
 */
export function namespacePrefix(namespace: string): Buffer {
  if (typeof namespace !== 'string') throw new KeychainError('INVALID_NAME', 'namespace', 'must be a string')
  return Buffer.from(`${namespace.length}\n${namespace}`, 'latin1')
}

const CORESTORE_PREFIX = namespacePrefix(CORESTORE_NAMESPACE)

/**
 * corestore 5's `_deriveSecret(namespace, name)`: BLAKE2b-256 keyed by the master key over
 * `namespacePrefix(namespace) ‖ name`. Daemons derive their network identity this way
 * (hyperspace: `('@hypercore-protocol/hyperspace', 'replication-keypair')`). Unlike a core's
 * name, `name` may be empty here, as corestore 5 allows.
 * @throws {KeychainError} `INVALID_MASTER_KEY`, `INVALID_NAME`
 */
export function deriveSecret(masterKey: Uint8Array, namespace: string, name: Name): Buffer {
  assertMasterKey(masterKey)
  const prefix = namespace === CORESTORE_NAMESPACE ? CORESTORE_PREFIX : namespacePrefix(namespace)
  return blake2b(masterKey, prefix, bytesOf(name, 'name'))
}

function blake2b(key: Uint8Array, ...inputs: Uint8Array[]): Buffer {
  const out = Buffer.allocUnsafe(32)
  sodium.crypto_generichash_batch(out, inputs, key)
  return out
}

/**
 * corestore 5's seed for a core's name: `deriveSecret(masterKey, 'corestore', name)`, for a non-empty name.
 * @throws {KeychainError} `INVALID_MASTER_KEY`, `INVALID_NAME`
 */
export function deriveSeed(masterKey: Uint8Array, name: Name): Buffer {
  assertMasterKey(masterKey)
  return blake2b(masterKey, CORESTORE_PREFIX, nameToBytes(name))
}

/** The ed25519 key pair whose seed is `seed` (32 bytes). */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  if (!isBytes(seed) || seed.byteLength !== 32) {
    throw new KeychainError('INVALID_KEY', 'seed', 'must be 32 bytes')
  }
  const publicKey = Buffer.allocUnsafe(PUBLIC_KEY_LENGTH)
  const secretKey = Buffer.allocUnsafe(SECRET_KEY_LENGTH)
  sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed)
  return { publicKey, secretKey }
}

/**
 * Hypercore's discovery key: BLAKE2b-256 of `hypercore`, keyed by the public key.
 * @throws {KeychainError} `INVALID_KEY` unless `publicKey` is 32 bytes
 */
export function discoveryKey(publicKey: Uint8Array): Buffer {
  if (!isBytes(publicKey) || publicKey.byteLength !== PUBLIC_KEY_LENGTH) {
    throw new KeychainError('INVALID_KEY', 'publicKey', `must be ${PUBLIC_KEY_LENGTH} bytes`)
  }
  return blake2b(publicKey, HYPERCORE)
}

/**
 * A master key's fingerprint, to tell two stores' keys apart without showing either: the first
 * 8 bytes of BLAKE2b-256 of the key, as 16 hex characters (`b2sum -l 256 master_key | cut -c1-16`).
 * @throws {KeychainError} `INVALID_MASTER_KEY`
 */
export function fingerprint(masterKey: Uint8Array): string {
  assertMasterKey(masterKey)
  const out = Buffer.allocUnsafe(32)
  sodium.crypto_generichash_batch(out, [masterKey])
  return out.subarray(0, 8).toString('hex')
}

/** `n` cryptographically random bytes. */
export function randomBytes(n: number): Buffer {
  const out = Buffer.allocUnsafe(n)
  sodium.randombytes_buf(out)
  return out
}
