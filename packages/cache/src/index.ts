export { DEFAULT_CACHE_SIZE, TwoTierCache, type TwoTierCacheOptions } from './two-tier.js'
export type { CacheEntry, CoreCache, EvictListener } from './types.js'
