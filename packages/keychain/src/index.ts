// @corestore/keychain's user API: corestore 5's key derivations. What the other corestore packages
// share besides (key and name parsing) is in internal.ts (`@corestore/keychain/internal`), outside semver.
export {
  CORESTORE_NAMESPACE,
  deriveSecret,
  deriveSeed,
  discoveryKey,
  fingerprint,
  type KeyPair,
  keyPairFromSeed,
  MASTER_KEY_LENGTH,
  type Name,
  PUBLIC_KEY_LENGTH,
  SECRET_KEY_LENGTH,
} from './derive.js'
export { KeychainError, type KeychainErrorCode } from './errors.js'
export type { CoreIdentity } from './identities.js'
export { Keychain } from './keychain.js'
export type { KeyInput } from './keys.js'
