import { CorestoreError } from '@corestore/errors'
import type * as node from './node.js'

// Browsers and bundlers: `#node` resolves here (every condition but `node`). A browser has no
// directories: a path given as `storage` is refused where it enters (`directoryStorage`), so none of
// the others is ever reached; they throw the same error rather than pretend.

function noDirectory(directory?: string): never {
  const what = directory === undefined ? 'a directory store' : `storage ${directory}`
  throw new CorestoreError(
    'INVALID_STORAGE',
    `${what} needs Node's file system: in a browser pass a storage function (random-access-memory, random-access-idb)`,
    { argument: 'storage' },
  )
}

const unavailable = <T extends object>(): T => new Proxy({} as T, { get: () => noDirectory() })

export const directoryStorage: typeof node.directoryStorage = (directory) => noDirectory(directory)
export const tryLock: typeof node.tryLock = () => noDirectory()
export const closeSync: typeof node.closeSync = () => noDirectory()
export const open = (() => noDirectory()) as unknown as typeof node.open
export const randomBytes = (() => noDirectory()) as unknown as typeof node.randomBytes
export const join: typeof node.join = () => noDirectory()
export const syncDirectory: typeof node.syncDirectory = () => noDirectory()
export const createSyncedFile: typeof node.createSyncedFile = () => noDirectory()
export const fs = unavailable<typeof node.fs>()
export const constants = unavailable<typeof node.constants>()
