// `@corestore/replicator/internal`: what the facade shares with this package, not a promise to users (it
// may change in any release). The user API is index.ts.
export { LookupQueue } from './lookup-queue.js'
export { checkReplicateArguments, parseReplicateArguments } from './options.js'
