// `@corestore/namespace/internal`: what the facade shares with this package, not a promise to users (it
// may change in any release). The user API is index.ts.
export { createInner, type InnerHost } from './inner.js'
export { defaultOptions, isInNamespace, listedNamespace, nameText, rootName } from './names.js'
export { Orphans } from './orphans.js'
