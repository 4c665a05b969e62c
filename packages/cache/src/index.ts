export { type CacheOptions, cacheFromOptions } from './options.js'
export { DEFAULT_CACHE_SIZE, TwoTierCache, type TwoTierCacheOptions } from './two-tier.js'
export { type CacheEntry, type CoreCache, type EvictListener, isCoreCache } from './types.js'
