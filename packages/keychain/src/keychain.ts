import {
  assertMasterKey,
  deriveSecret,
  deriveSeed,
  type KeyPair,
  keyPairFromSeed,
  MASTER_KEY_LENGTH,
  type Name,
  randomBytes,
} from './derive.js'

/** A master key and the key pairs it derives, exactly as corestore 5 derives them. */
export class Keychain {
  readonly masterKey: Buffer

  /** @throws {KeychainError} `INVALID_MASTER_KEY` unless `masterKey` is 32 bytes */
  constructor(masterKey: Uint8Array) {
    assertMasterKey(masterKey)
    this.masterKey = Buffer.from(masterKey)
  }

  /** 32 fresh random bytes, fit to be a store's `master_key`. */
  static generateMasterKey(): Buffer {
    return randomBytes(MASTER_KEY_LENGTH)
  }

  /** The 32-byte seed of the core called `name`. */
  seed(name: Name): Buffer {
    return deriveSeed(this.masterKey, name)
  }

  /**
   * A 32-byte secret for `name` in another namespace than the cores' (corestore 5's
   * `inner._deriveSecret(namespace, name)`): hyperspace derives its Noise key pair's seed with
   * `secret('@hypercore-protocol/hyperspace', 'replication-keypair')`.
   */
  secret(namespace: string, name: Name): Buffer {
    return deriveSecret(this.masterKey, namespace, name)
  }

  /** The key pair of the core called `name`. */
  keyPair(name: Name): KeyPair {
    return keyPairFromSeed(this.seed(name))
  }
}
