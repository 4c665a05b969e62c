import { CorestoreError } from '@corestore/errors'
import { DEFAULT_CACHE_SIZE, TwoTierCache } from './two-tier.js'
import { type CoreCache, isCoreCache } from './types.js'

/** The store options that say which core cache a store uses. */
export interface CacheOptions<V> {
  /** corestore 5's `cacheSize`: passive cores kept open. Falsy means the default, as `|| 1000` does there. */
  cacheSize?: number | null
  /** A cache of your own. */
  coreCache?: CoreCache<V>
  /** corestore 5's `cache`: hypercore's `{ data, tree }` caches, or (here) a core cache too. */
  cache?: unknown
}

/**
 * The core cache a store's options ask for: the one given (`coreCache`, or a `CoreCache` as
 * `cache`), else a `TwoTierCache` bounded by `cacheSize`. `cache` that is not a core cache is
 * hypercore's option and is handed back as `hypercoreCache`.
 * @throws {CorestoreError} `INVALID_OPTION` naming `opts.cacheSize`, `opts.coreCache` or `opts.cache`
 */
export function cacheFromOptions<V extends object>(
  opts: CacheOptions<V>,
): { coreCache: CoreCache<V>; hypercoreCache: object | null } {
  const cacheSize = opts.cacheSize || undefined
  if (cacheSize !== undefined && !(Number.isSafeInteger(cacheSize) && cacheSize > 0)) {
    throw CorestoreError.invalidOption('opts.cacheSize', `a positive integer, not ${String(cacheSize)}`)
  }
  const { coreCache, cache } = opts
  if (coreCache !== undefined && !isCoreCache<V>(coreCache)) {
    throw CorestoreError.invalidOption('opts.coreCache', 'a CoreCache (see @corestore/cache)')
  }
  if (cache !== undefined && (typeof cache !== 'object' || cache === null)) {
    throw CorestoreError.invalidOption('opts.cache', 'hypercore cache options ({ data, tree }) or a CoreCache')
  }
  const given = coreCache ?? (isCoreCache<V>(cache) ? cache : null)
  return {
    coreCache: given ?? new TwoTierCache<V>({ maxSize: cacheSize ?? DEFAULT_CACHE_SIZE }),
    hypercoreCache: cache && !isCoreCache(cache) ? cache : null,
  }
}
