// @corestore/cache's user API. What the facade uses besides (reading a store's cache options) is in
// internal.ts (`@corestore/cache/internal`), outside semver.
export { DEFAULT_CACHE_SIZE, TwoTierCache, type TwoTierCacheOptions } from './two-tier.js'
export { type CacheEntry, type CoreCache, type EvictListener, isCoreCache } from './types.js'
