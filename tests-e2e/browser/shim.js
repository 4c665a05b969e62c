// The two Node globals the engine packages use, for esbuild's `inject`: every free `Buffer` and
// `process` in the bundle is bound to these (docs/browser.md).
export { Buffer } from 'buffer'
export { default as process } from 'process/browser.js'
