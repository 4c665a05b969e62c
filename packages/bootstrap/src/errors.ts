import { CorestoreError } from '@corestore/errors'

// The errors of the bootstrap's own rules: what a store's storage, master key, lock and core files
// must be. Built here, where the rules are, with the family's class and codes.

/** The `storage` argument, or the directory it names, cannot hold a store. */
export function invalidStorage(got: string, cause?: unknown): CorestoreError {
  return new CorestoreError(
    'INVALID_STORAGE',
    `storage must be a directory path or a function returning random-access-storage instances, got ${got}`,
    { argument: 'storage', cause },
  )
}

export function corruptMasterKey(file: string, size: number): CorestoreError {
  return new CorestoreError(
    'CORRUPT_MASTER_KEY',
    `${file} holds ${size} bytes instead of 32; it was left untouched (restore it from a backup, or move it away to start a new store)`,
  )
}

export function coreNotFound(discoveryKey: string): CorestoreError {
  return new CorestoreError('CORE_NOT_FOUND', `discoveryKey ${discoveryKey} names no core stored here`)
}

/** A core's `name` file that does not hold a whole, length-prefixed name. */
export function corruptName(path: string): CorestoreError {
  return new CorestoreError('CORRUPT_NAME', `${path} is damaged: it does not hold a length-prefixed name`)
}

/** A core's `name` file whose name derives another key than the core's. */
export function nameMismatch(path: string, derived: Buffer, expected: Buffer): CorestoreError {
  return new CorestoreError(
    'NAME_MISMATCH',
    `${path} derives the key ${derived.toString('hex')}, not this core's ${expected.toString('hex')}`,
  )
}

/** A core with a key but no stored name: its key pair was not derived from this store's master key. */
export function notDerived(publicKey: Buffer): CorestoreError {
  return new CorestoreError(
    'NOT_DERIVED',
    `core ${publicKey.toString('hex')} has no name: its key pair was not derived from this store's master key`,
  )
}

export function storeLocked(directory: string): CorestoreError {
  return new CorestoreError(
    'STORE_LOCKED',
    `${directory} is open in another Corestore (this process or another); close that one first`,
  )
}

export function listingUnsupported(): CorestoreError {
  return new CorestoreError('LISTING_UNSUPPORTED', 'storage is a function: only a directory store can list its cores')
}
