export { type CoreIdentity, type CoreKeyOptions, coreKeyOptions, coreStorage } from './core-storage.js'
export {
  deriveStoredName,
  hasStoredCore,
  readDerivedName,
  readStoredKey,
  readStoredName,
  storedDiscoveryKeys,
} from './disk.js'
export { checkMaxOpenFiles, defaultMaxOpenFiles, FileBudget } from './file-budget.js'
export { coreDirectory, corePath, MASTER_KEY_FILE } from './layout.js'
export { LOCK_FILE, lockStore, type StoreLock } from './lock.js'
export { loadMasterKey, readMasterKey } from './master-key.js'
export { decodeName, encodeName } from './name-file.js'
export { openReadOnly, type ReadOnlyFile, readWhole } from './read-only.js'
export { CORE_FILES, removeStoredCore } from './remove.js'
export { openStorage, type Storage, type StorageInput, type StorageOptions } from './storage.js'
export { readStoredSize, type StoredCore, type StoredCoresOptions, storedCores } from './stored-cores.js'
