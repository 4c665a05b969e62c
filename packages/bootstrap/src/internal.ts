// `@corestore/bootstrap/internal`: what the other corestore packages (the facade and the CLI) share,
// not a promise to users (it may change in any release). The user API is index.ts. By concern:
// layout/ the on-disk layout of cores, power-loss/ the journal, lock.ts the store's lock.
export { type CoreState, type CoreStorage, coreKeyOptions, coreStorage } from './core-storage.js'
export { coreNotFound } from './errors.js'
export { hasStoredCore, readDerivedName } from './layout/disk.js'
export { decodeName, encodeName } from './layout/name-file.js'
export { coreDirectory, corePath } from './layout/paths.js'
export { openReadOnly, type ReadOnlyFile, readWhole } from './layout/read-only.js'
export { openJournal, removeStoredCore } from './layout/remove.js'
export { LOCK_FILE, lockStore, type StoreLock } from './lock.js'
export { type OpenedStore, openStore } from './open-store.js'
export { JOURNAL_FILE, Journal, type JournalEntry } from './power-loss/journal.js'
