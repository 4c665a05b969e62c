import { createRequire } from 'node:module'

/** The few sodium-universal functions the keychain uses (the package ships no types). */
interface Sodium {
  crypto_generichash_batch(out: Uint8Array, inputs: Uint8Array[], key?: Uint8Array): void
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void
  randombytes_buf(out: Uint8Array): void
}

const require = createRequire(import.meta.url)

export const sodium = require('sodium-universal') as Sodium
