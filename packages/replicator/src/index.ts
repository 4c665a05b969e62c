export { LookupQueue } from './lookup-queue.js'
export { checkReplicateArguments } from './options.js'
export { type ReplicationHost, Replicator, type ReplicatorOptions, type StreamScope } from './replicator.js'
