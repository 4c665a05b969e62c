export { Lifecycle, type LifecycleHooks } from './lifecycle.js'
