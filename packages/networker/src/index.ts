import { Networker } from './networker.js'

export { CorestoreError, type ErrorCode, isCorestoreError } from '@corestore/errors'
export type {
  BootstrapNode,
  DiscoverySession,
  Hyperswarm,
  HyperswarmOptions,
  KeyPair,
  SwarmConnection,
  SwarmPeerInfo,
} from './hyperswarm.js'
export type { NetworkerErrorCode, NetworkerEvents, ReplicatingStore } from './networker.js'
export type { JoinOptions, NetworkerOptions } from './options.js'
export type { Peer } from './peer.js'
export { Networker }
export default Networker
