// `@corestore/keychain/internal`: what the other corestore packages share, not a promise to users (it
// may change in any release). The user API is index.ts.
export { assertMasterKey, checkName, namespacePrefix, nameToBytes, randomBytes } from './derive.js'
export {
  type CoreRequest,
  Identities,
  type RequestOptions,
  randomName,
  requestMatches,
  requestOf,
} from './identities.js'
export { findKey, parseKey } from './keys.js'
