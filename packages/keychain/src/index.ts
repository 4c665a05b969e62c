export {
  assertMasterKey,
  CORESTORE_NAMESPACE,
  checkName,
  deriveSecret,
  deriveSeed,
  discoveryKey,
  fingerprint,
  type KeyPair,
  keyPairFromSeed,
  MASTER_KEY_LENGTH,
  type Name,
  namespacePrefix,
  nameToBytes,
  PUBLIC_KEY_LENGTH,
  randomBytes,
  SECRET_KEY_LENGTH,
} from './derive.js'
export { KeychainError, type KeychainErrorCode } from './errors.js'
export { Keychain } from './keychain.js'
export { findKey, type KeyInput, parseKey } from './keys.js'
