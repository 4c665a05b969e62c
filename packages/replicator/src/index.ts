export { LookupQueue } from './lookup-queue.js'
export { checkReplicateArguments, parseReplicateArguments } from './options.js'
export { type ReplicationHost, Replicator, type ReplicatorOptions, type StreamScope } from './replicator.js'
