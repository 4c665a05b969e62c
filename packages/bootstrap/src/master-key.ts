import { engine } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { Keychain, MASTER_KEY_LENGTH } from '@corestore/keychain'
import { createSyncedFile, fs, join, randomBytes as nodeRandomBytes, syncDirectory } from '#node'
import { corruptMasterKey } from './errors.js'
import { ifExists } from './layout/disk.js'
import { MASTER_KEY_FILE } from './layout/paths.js'
import { readWhole } from './layout/read-only.js'
import { makeDirectory, type Storage } from './storage.js'

/**
 * The store's master key: loaded from `master_key`, or created there when the storage proves the
 * file absent (`ENOENT`/`ENOTDIR`; through a storage function also an empty file). A file that
 * exists with any other size than 32 bytes is never replaced, and any other failure to read it
 * (an error without a code, `EIO`, `EACCES`, a short read) writes nothing: both are errors.
 * @throws {CorestoreError} `CORRUPT_MASTER_KEY`, `STORAGE_ERROR` (with `cause`)
 */
export function loadMasterKey(storage: Storage): Promise<Buffer> {
  return storage.directory === null ? loadFromStorage(storage) : loadFromDirectory(storage.directory)
}

/**
 * The store's master key, or `null` when the store has none: unlike `loadMasterKey`, never creates
 * one and never writes (a directory's `master_key` is opened read-only).
 * @throws {CorestoreError} `CORRUPT_MASTER_KEY`, `STORAGE_ERROR`
 */
export async function readMasterKey(storage: Storage): Promise<Buffer | null> {
  const key = await readWhole(storage, MASTER_KEY_FILE)
  // Through a storage function an empty file cannot be told from an absent one (see loadMasterKey).
  if (key === null || (key.length === 0 && storage.directory === null)) return null
  return checked(key, storage.directory === null ? MASTER_KEY_FILE : join(storage.directory, MASTER_KEY_FILE))
}

async function loadFromDirectory(directory: string): Promise<Buffer> {
  const file = join(directory, MASTER_KEY_FILE)
  const existing = await readIfExists(file)
  if (existing) return checked(existing, file)

  // Write a temporary file, fsync it, then link it into place: the key appears whole or not at all,
  // and a key another process created meanwhile is never overwritten (link fails with EEXIST).
  await makeDirectory(directory)
  const key = Keychain.generateMasterKey()
  const tmp = join(directory, `${MASTER_KEY_FILE}.${nodeRandomBytes(6).toString('hex')}.tmp`)
  try {
    await createSyncedFile(tmp, key, 0o600)
    try {
      await fs.link(tmp, file)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EEXIST') return checked((await readIfExists(file)) ?? Buffer.alloc(0), file)
      if (!NO_LINKS.has(code ?? '')) throw err
      // A file system without hard links (FAT, exFAT, some network and FUSE mounts): the store's
      // lock keeps other stores of ours out, so a rename over a file still absent is as safe.
      const raced = await readIfExists(file)
      if (raced) return checked(raced, file)
      await fs.rename(tmp, file)
    }
    await syncDirectory(directory)
    return key
  } catch (err) {
    if (err instanceof CorestoreError) throw err
    throw CorestoreError.storage(file, err)
  } finally {
    await fs.unlink(tmp).catch(() => {})
  }
}

/** What `link` fails with where the file system has no hard links. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'])

/** The file's bytes; `null` only when it does not exist. */
function readIfExists(file: string): Promise<Buffer | null> {
  return ifExists(file, fs.readFile(file))
}

function checked(key: Buffer, file: string): Buffer {
  if (key.length !== MASTER_KEY_LENGTH) throw corruptMasterKey(file, key.length)
  return key
}

async function loadFromStorage(storage: Storage): Promise<Buffer> {
  const file = storage.file(MASTER_KEY_FILE)
  const step = async <T>(op: Promise<T>): Promise<T> => {
    try {
      return await op
    } catch (err) {
      throw CorestoreError.storage(MASTER_KEY_FILE, err)
    }
  }
  // Written, then synced where the files can be: no core is ever derived from a key a power cut can take.
  const create = async (): Promise<Buffer> => {
    const key = Keychain.generateMasterKey()
    await step(engine.write(file, 0, key))
    if (engine.canSync(file)) await step(engine.sync(file))
    return key
  }
  try {
    const size = await step(engine.statMaybe(file))
    // A storage function cannot tell "absent" from "empty" (random-access-memory reports 0 for both),
    // so an empty file is treated as absent; any other wrong size is damage and is left alone.
    if (size === null || size === 0) return await create()
    if (size !== MASTER_KEY_LENGTH) throw corruptMasterKey(MASTER_KEY_FILE, size)
    // The storage said 32 bytes: a read that cannot get them is a failure, never a reason to write.
    const key = await step(engine.call<Buffer>((cb) => file.read(0, MASTER_KEY_LENGTH, cb)))
    if (key?.length !== MASTER_KEY_LENGTH) throw corruptMasterKey(MASTER_KEY_FILE, key?.length ?? 0)
    // 32 zero bytes are a creation a power cut interrupted (its size reached the disk, its bytes did
    // not): no key was ever made from them, and a key of zeros would be anybody's.
    if (isZero(key)) return await create()
    return Buffer.from(key)
  } finally {
    await engine.closeStorage(file).catch(() => {})
  }
}

function isZero(buf: Uint8Array): boolean {
  return buf.every((b) => b === 0)
}
