import { openJournal } from './layout/remove.js'
import { lockStore } from './lock.js'
import { loadMasterKey } from './master-key.js'
import type { Storage } from './storage.js'

/** A store's files in use: its lock taken, its master key read, its journal open. */
export interface OpenedStore {
  readonly masterKey: Buffer
  /** Close the journal, then release the lock (whether the journal closed cleanly or not). */
  close(): Promise<void>
}

/**
 * Open what a store keeps besides its cores, in the order that makes it safe: take the directory's
 * lock, load (or create) `master_key` unless `masterKey` is given, open the journal (finishing the
 * purges it records). On failure nothing stays taken.
 * @throws {CorestoreError} `STORE_LOCKED`, `CORRUPT_MASTER_KEY`, `STORAGE_ERROR`, `INVALID_STORAGE`
 */
export async function openStore(storage: Storage, masterKey: Buffer | null): Promise<OpenedStore> {
  const lock = await lockStore(storage)
  try {
    const key = masterKey ?? (await loadMasterKey(storage))
    await openJournal(storage)
    return {
      masterKey: key,
      close: async () => {
        const journal = storage.journal
        storage.journal = null
        try {
          await journal?.close()
        } finally {
          await lock?.release()
        }
      },
    }
  } catch (err) {
    await lock?.release()
    throw err
  }
}
