import { discoveryKey } from '@corestore/keychain'

/**
 * The cache id (hex discovery key) of keys and names already seen. Both are pure functions of
 * their input (and the store's master key), so remembering them is always right; it spares a
 * BLAKE2b or an ed25519 key derivation on every cache hit. Bounded: the oldest entries go first.
 */
export class IdIndex {
  readonly #byBuffer = new WeakMap<Uint8Array, string>()
  readonly #byString = new Map<string, string>()
  readonly #max: number

  constructor(max = 16_384) {
    this.#max = max
  }

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
      this.#remember(hex, id)
    }
    this.#byBuffer.set(publicKey, id)
    return id
  }

  /** The id of the core derived from `name`, if it was derived before. */
  ofName(name: string | Uint8Array): string | undefined {
    return this.#byString.get(nameKey(name))
  }

  rememberName(name: string | Uint8Array, id: string): void {
    this.#remember(nameKey(name), id)
  }

  #remember(key: string, id: string): void {
    if (this.#byString.size >= this.#max) {
      const oldest = this.#byString.keys().next().value
      if (oldest !== undefined) this.#byString.delete(oldest)
    }
    this.#byString.set(key, id)
  }
}

function nameKey(name: string | Uint8Array): string {
  return typeof name === 'string'
    ? `n${name}`
    : `b${Buffer.from(name.buffer, name.byteOffset, name.byteLength).toString('hex')}`
}
