// `@corestore/errors/internal`: what the other corestore packages share to make their errors, not a
// promise to users (it may change in any release). The user API is index.ts.
export { ERROR_BRAND } from './brand.js'
export { checkOption, checkOptions, OPTION_CHECKS, type OptionCheck } from './checks.js'
export { describe } from './describe.js'
