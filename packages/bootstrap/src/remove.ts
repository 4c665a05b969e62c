import { engine } from '@corestore/engine'
import { CorestoreError } from '@corestore/errors'
import { fs, join } from '#node'
import { coreDirectory, coreParents, corePath } from './layout.js'
import type { Storage } from './storage.js'

/** The files corestore and hypercore 9 write for a core. */
export const CORE_FILES = ['key', 'secret_key', 'name', 'tree', 'data', 'bitfield', 'signatures'] as const

/**
 * Delete a core's files. On a directory: its folder `xx/yy/<dk>` with everything in it, then `xx/yy`
 * and `xx` if that left them empty; nothing else is touched. Through a storage function: each of
 * `CORE_FILES` is destroyed. The core must be closed: the caller (the store) makes sure of that.
 * @throws {CorestoreError} `STORAGE_ERROR` naming what could not be removed
 */
export async function removeStoredCore(storage: Storage, discoveryKey: Buffer): Promise<void> {
  const dk = discoveryKey.toString('hex')
  if (storage.directory === null) {
    for (const name of CORE_FILES) {
      const file = storage.file(corePath(dk, name))
      await engine
        .call((cb) => file.destroy(cb))
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
  for (const parent of coreParents(dk)) {
    try {
      await fs.rmdir(join(root, parent))
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return
      if (code !== 'ENOENT') throw CorestoreError.storage(parent, err)
    }
  }
}
