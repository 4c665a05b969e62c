// The store bundled as a user imports it, and nothing else.
export { default } from '@corestore/core'
