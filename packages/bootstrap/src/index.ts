// @corestore/bootstrap's user API: a store's storage, master key and stored cores. What the other
// corestore packages share besides is in internal.ts (`@corestore/bootstrap/internal`), outside semver.
export { MASTER_KEY_FILE } from './layout/paths.js'
export { readStoredSize, type StoredCore, type StoredCoresOptions, storedCores } from './layout/stored-cores.js'
export { loadMasterKey, readMasterKey } from './master-key.js'
export { openStorage, type Storage, type StorageInput, type StorageOptions } from './storage.js'
