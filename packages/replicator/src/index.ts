// @corestore/replicator's user API. What the facade uses besides is in internal.ts
// (`@corestore/replicator/internal`), outside semver.
export { type ReplicationHost, Replicator, type ReplicatorOptions, type StreamScope } from './replicator.js'
