/// <reference path="./untyped.d.ts" />
import sodiumUniversal from 'sodium-universal'

/** The few sodium-universal functions the keychain uses (the package ships no types). */
interface Sodium {
  crypto_generichash_batch(out: Uint8Array, inputs: Uint8Array[], key?: Uint8Array): void
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void
  randombytes_buf(out: Uint8Array): void
}

// A static import: Node loads sodium-native through it, and a bundler follows it to sodium-universal's
// browser mapping (sodium-javascript).
export const sodium = sodiumUniversal as Sodium
