import type { RandomAccessStorage } from '@corestore/engine'
import {
  type CoreFileName,
  engine,
  HYPERCORE_FILES,
  type Recovery,
  type RecoveryFiles,
  type RecoveryOptions,
  recoverCore,
} from '@corestore/engine/internal'
import type { Storage } from '../storage.js'

/** The files that say whose core it is (hypercore 9's own are the engine's `HYPERCORE_FILES`). */
export const KEY_FILES = ['key', 'name', 'secret_key'] as const

/** Repair one core's hypercore files after a crash (see the engine's `recoverCore`). */
export async function recoverFiles(storage: Storage, directory: string, opts: RecoveryOptions): Promise<Recovery> {
  const handles = new Map<CoreFileName, RandomAccessStorage>()
  const file = (name: CoreFileName): RandomAccessStorage => {
    let handle = handles.get(name)
    if (!handle) {
      handle = storage.file(`${directory}/${name}`)
      handles.set(name, handle)
    }
    return handle
  }
  const files: RecoveryFiles = {
    read: (name, offset, size) => engine.readMaybe(file(name), offset, size),
    size: async (name) => (await engine.statMaybe(file(name))) ?? 0,
    write: (name, offset, data) => engine.write(file(name), offset, data),
    truncate: (name, size) => engine.truncate(file(name), size),
  }
  try {
    return await recoverCore(files, opts)
  } finally {
    await Promise.all([...handles.values()].map((h) => engine.closeStorage(h).catch(() => {})))
  }
}

/** Sync a core's files that exist: the key files only, or every file of it. */
export async function syncCoreFiles(storage: Storage, directory: string, opts: { keysOnly: boolean }): Promise<void> {
  const names: readonly string[] = opts.keysOnly ? KEY_FILES : [...HYPERCORE_FILES, ...KEY_FILES]
  await Promise.all(names.map((name) => syncIfExists(storage.file(`${directory}/${name}`))))
}

async function syncIfExists(file: RandomAccessStorage): Promise<void> {
  try {
    if ((await engine.statMaybe(file)) !== null) await engine.sync(file)
  } finally {
    await engine.closeStorage(file).catch(() => {})
  }
}
