// `@corestore/cache/internal`: what the facade shares with this package, not a promise to users (it
// may change in any release). The user API is index.ts.
export { type CacheOptions, cacheFromOptions } from './options.js'
