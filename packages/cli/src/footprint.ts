import { rmdir, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { MASTER_KEY_FILE, openStorage } from '@corestore/bootstrap'
import {
  coreDirectory,
  JOURNAL_FILE,
  LOCK_FILE,
  lockStore,
  openJournal,
  removeStoredCore,
  type StoreLock,
} from '@corestore/bootstrap/internal'
import { isCorestoreError } from '@corestore/errors'
import { exists } from './directory.js'

/**
 * What opening a store in `dir` and one core in it is about to create, noted before it does: the
 * folders down to `dir`, `master_key`, `LOCK`, `JOURNAL` and the core. `undo()` takes back exactly
 * those and nothing that was there before, so a clone that received nothing leaves the disk as it
 * found it.
 */
export class Footprint {
  readonly #dir: string
  /** Folders from `dir` upwards that did not exist, deepest first. */
  readonly #folders: string[]
  /** The core's discovery key, when it was not stored before. */
  readonly #core: Buffer | null
  /** `master_key`, `LOCK` and `JOURNAL`, when they did not exist. */
  readonly #files: string[]

  private constructor(dir: string, folders: string[], core: Buffer | null, files: string[]) {
    this.#dir = dir
    this.#folders = folders
    this.#core = core
    this.#files = files
  }

  static async before(dir: string, discoveryKey: Buffer): Promise<Footprint> {
    const folders: string[] = []
    for (let path = dir; !(await exists(path)); path = dirname(path)) {
      folders.push(path)
      if (dirname(path) === path) break
    }
    const core = coreDirectory(discoveryKey.toString('hex'))
    const missing = async (paths: string[]) => {
      const out: string[] = []
      for (const path of paths) if (!(await exists(join(dir, path)))) out.push(join(dir, path))
      return out
    }
    // A core that was there before is not ours to remove.
    const created = (await exists(join(dir, core))) ? null : discoveryKey
    return new Footprint(dir, folders, created, await missing([MASTER_KEY_FILE, LOCK_FILE, JOURNAL_FILE]))
  }

  /**
   * Remove what was created since `before()`. Run it once the store is closed: it takes the
   * store's lock itself so that nobody opens the store while it goes, and leaves everything
   * when somebody already has (their store may now use what was created).
   * @returns whether it removed what was created
   */
  async undo(): Promise<boolean> {
    const storage = openStorage(this.#dir)
    let lock: StoreLock | null
    try {
      lock = await lockStore(storage)
    } catch (err) {
      if (isCorestoreError(err) && err.code === 'STORE_LOCKED') return false
      throw err
    }
    try {
      // The core goes as purge() removes one (its folder and the empty ones above), journal included.
      await openJournal(storage)
      if (this.#core) await removeStoredCore(storage, this.#core)
      await storage.journal?.close()
      for (const file of this.#files) await unlink(file).catch(ignoreMissing)
    } finally {
      await lock?.release()
    }
    for (const folder of this.#folders) if (!(await removeFolder(folder))) break
    return true
  }
}

/** `rmdir`, which removes a folder only when it is empty: `false` when something else is in it now. */
async function removeFolder(path: string): Promise<boolean> {
  try {
    await rmdir(path)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false
    if (code === 'ENOENT') return true
    throw err
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err
}
