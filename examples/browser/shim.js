// The only Node globals the bundle needs. esbuild's `inject` binds every free `Buffer` and `process`
// in the bundle to these; Vite and webpack users set them the same way (docs/browser.md).
export { Buffer } from 'buffer'
export { default as process } from 'process/browser.js'
