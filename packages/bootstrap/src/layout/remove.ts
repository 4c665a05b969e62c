import type { RandomAccessStorage } from '@corestore/engine'
import { engine, HYPERCORE_FILES } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { fs, join } from '#node'
import { Journal, type JournalEntry } from '../power-loss/journal.js'
import { KEY_FILES } from '../power-loss/recovery.js'
import type { Storage } from '../storage.js'
import { coreDirectory, coreParents, corePath } from './paths.js'

/** The files corestore and hypercore 9 write for a core. */
export const CORE_FILES = [...KEY_FILES, ...HYPERCORE_FILES] as const

/**
 * Delete a core's files. On a directory: its folder `xx/yy/<dk>` with everything in it, then `xx/yy`
 * and `xx` if that left them empty; nothing else is touched. Through a storage function: each of
 * `CORE_FILES` is destroyed. The core must be closed: the caller (the store) makes sure of that.
 * Where the store keeps a journal, the purge is journaled first and its removals synced, so a crash
 * midway leaves a purge the next open finishes, never half a core.
 * @throws {CorestoreError} `STORAGE_ERROR` naming what could not be removed
 */
export async function removeStoredCore(storage: Storage, discoveryKey: Buffer): Promise<void> {
  const journal = storage.journal
  const id = discoveryKey.toString('hex')
  let entry: JournalEntry | undefined
  if (journal) {
    const publicKey = journal.get(id)?.publicKey ?? Buffer.alloc(32)
    const purge = { discoveryKey, publicKey, name: null, secretKey: null, trusted: 0, blocks: false, purging: true }
    entry = await journal.write(purge).catch((err) => {
      throw err instanceof CorestoreError ? err : CorestoreError.storage(id, err)
    })
  }
  await removeCoreFiles(storage, discoveryKey)
  journal?.retire(id, entry)
}

/** Remove a core's files; with a journal, so that the removal survives a power loss. */
export async function removeCoreFiles(storage: Storage, discoveryKey: Buffer): Promise<void> {
  const dk = discoveryKey.toString('hex')
  const durable = storage.journal !== null
  if (storage.directory === null) {
    for (const name of CORE_FILES) {
      const file = storage.file(corePath(dk, name))
      await emptied(file, durable)
        .then(() => engine.call((cb) => file.destroy(cb)))
        .catch((err) => {
          throw CorestoreError.storage(corePath(dk, name), err)
        })
    }
    return
  }
  const root = storage.directory
  const folder = coreDirectory(dk)
  try {
    await fs.rm(join(root, folder), { recursive: true, force: true })
  } catch (err) {
    throw CorestoreError.storage(folder, err)
  }
  // Another core may share `xx/yy` or `xx`: rmdir removes a folder only when it is empty.
  const [yy, xx] = coreParents(dk)
  let changed = yy
  if ((await removeIfEmpty(root, yy)) !== false) changed = (await removeIfEmpty(root, xx)) !== false ? '.' : xx
  if (!durable) return
  // The nearest folder left lost an entry: synced, the removal survives a power cut.
  await storage.syncDirectories([changed]).catch((err) => {
    throw CorestoreError.storage(changed, err)
  })
}

/** rmdir `folder` below `root` if it is empty: `true` removed, `false` not empty, `null` already gone. */
async function removeIfEmpty(root: string, folder: string): Promise<boolean | null> {
  try {
    await fs.rmdir(join(root, folder))
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false
    if (code === 'ENOENT') return null
    throw CorestoreError.storage(folder, err)
  }
}

/**
 * Empty a file and sync it before it is destroyed: through a storage function a removal cannot be
 * synced, and an empty file reads as absent, so the file never comes back with its old bytes.
 */
async function emptied(file: RandomAccessStorage, durable: boolean): Promise<void> {
  if (!durable || (await engine.statMaybe(file)) === null) return
  await engine.truncate(file, 0)
  await engine.sync(file)
}

/**
 * Open the store's journal and finish the purges a crash interrupted (their cores may never be
 * opened again, and half their files would still be listed).
 */
export async function openJournal(storage: Storage): Promise<void> {
  storage.journal = await Journal.open(storage)
  for (const entry of [...(storage.journal?.entries() ?? [])]) {
    if (!entry.purging) continue
    await removeCoreFiles(storage, entry.discoveryKey)
    storage.journal?.retire(entry.discoveryKey.toString('hex'), entry)
  }
}
