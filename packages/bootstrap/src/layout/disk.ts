import type { Stats } from 'node:fs'
import { engine } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { discoveryKey, type Keychain, type KeyPair } from '@corestore/keychain'
import { fs, join } from '#node'
import { coreNotFound, corruptName, listingUnsupported, nameMismatch, notDerived } from '../errors.js'
import type { Storage } from '../storage.js'
import { decodeName } from './name-file.js'
import { coreFolders, corePath } from './paths.js'
import { readWhole } from './read-only.js'

/**
 * The public key stored for a discovery key, or `null` when the storage proves no core with it is
 * on disk (no `key` file, or one shorter than a key). Creates nothing: a peer asking for unknown
 * discovery keys leaves no trace.
 * @throws {CorestoreError} `STORAGE_ERROR` when the `key` file cannot be read for another reason
 */
export async function readStoredKey(storage: Storage, discoveryKey: Buffer): Promise<Buffer | null> {
  const path = corePath(discoveryKey.toString('hex'), 'key')
  if (storage.directory !== null) {
    const key = await readFileIfExists(storage.directory, path)
    return key?.length === 32 ? key : null
  }
  const file = storage.file(path)
  try {
    const key = await engine.readMaybe(file, 0, 32)
    return key ? Buffer.from(key) : null
  } catch (err) {
    throw CorestoreError.storage(path, err)
  } finally {
    await engine.closeStorage(file).catch(() => {})
  }
}

/**
 * Whether a core with this discovery key is on disk (its `key` file holds 32 bytes, or the journal
 * has it).
 * On a directory it costs one `stat` and no file descriptor; it never creates anything.
 * @throws {CorestoreError} `STORAGE_ERROR` when the storage cannot tell (permissions, I/O)
 */
export async function hasStoredCore(storage: Storage, discoveryKey: Buffer): Promise<boolean> {
  // A core the journal covers exists (a crash may have taken its key file: opening it restores that).
  const entry = storage.journal?.get(discoveryKey.toString('hex'))
  if (entry) return !entry.purging
  if (storage.directory === null) return (await readStoredKey(storage, discoveryKey)) !== null
  const st = await statIfExists(storage.directory, corePath(discoveryKey.toString('hex'), 'key'))
  return st?.isFile() === true && st.size === 32
}

/**
 * The name a stored core's key pair derives from (its `name` file, or the journal's copy when a crash
 * took the file), or `null` when it has none. No core is opened and nothing is written.
 * @throws {CorestoreError} `CORRUPT_NAME` when the file does not hold a whole name, `STORAGE_ERROR`
 */
export async function readStoredName(storage: Storage, discoveryKey: Buffer): Promise<Buffer | null> {
  const file = await readNameFile(storage, discoveryKey)
  if (file.name) return file.name
  // A name file a crash tore or took, of a core the journal covers: the journal kept the name.
  const kept = storage.journal?.get(discoveryKey.toString('hex'))?.name
  if (kept) return kept
  if (file.damaged) throw corruptName(corePath(discoveryKey.toString('hex'), 'name'))
  return null
}

/** The `name` file's name; `damaged` when the file holds bytes that are not a whole name. */
export async function readNameFile(
  storage: Storage,
  discoveryKey: Buffer,
): Promise<{ name: Buffer | null; damaged: boolean }> {
  const buf = await readWhole(storage, corePath(discoveryKey.toString('hex'), 'name'))
  // Through a storage function an empty file cannot be told from an absent one.
  if (buf === null || buf.length === 0) return { name: null, damaged: false }
  const name = decodeName(buf)
  return { name, damaged: name === null }
}

/**
 * The key pair `name` derives, checked to be the one of the core with `publicKey`.
 * @param path the `name` file, for the error
 * @throws {CorestoreError} `NAME_MISMATCH`
 */
export function deriveStoredName(keychain: Keychain, name: Buffer, publicKey: Buffer, path: string): KeyPair {
  const derived = keychain.keyPair(name)
  if (!derived.publicKey.equals(publicKey)) throw nameMismatch(path, derived.publicKey, publicKey)
  return derived
}

/**
 * The name the stored core with `publicKey` derives from, checked against its key.
 * @throws {CorestoreError} `CORE_NOT_FOUND`, `NOT_DERIVED` (no `name` file), `NAME_MISMATCH`,
 *   `CORRUPT_NAME`, `STORAGE_ERROR`
 */
export async function readDerivedName(storage: Storage, keychain: Keychain, publicKey: Buffer): Promise<Buffer> {
  const dk = discoveryKey(publicKey)
  const name = await readStoredName(storage, dk)
  if (!name) {
    if (!(await hasStoredCore(storage, dk))) throw coreNotFound(dk.toString('hex'))
    throw notDerived(publicKey)
  }
  deriveStoredName(keychain, name, publicKey, corePath(dk.toString('hex'), 'name'))
  return name
}

/**
 * The discovery keys of every core stored on disk (a core counts once its `key` file exists).
 * @throws {CorestoreError} `LISTING_UNSUPPORTED` when the storage is a function, not a directory
 */
export async function* storedDiscoveryKeys(storage: Storage): AsyncGenerator<Buffer> {
  const root = storage.directory
  if (root === null) throw listingUnsupported()
  for await (const dk of coreFolders((folder) => subdirectories(root, folder))) {
    if (await statIfExists(root, corePath(dk, 'key'))) yield Buffer.from(dk, 'hex')
  }
}

/** The sub-folders of `folder` (relative to `root`), sorted; none when it does not exist. */
async function subdirectories(root: string, folder: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(join(root, folder), { withFileTypes: true })
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
  } catch (err) {
    if (engine.isAbsent(err)) return []
    throw CorestoreError.storage(folder || root, err)
  }
}

/** `path`'s stat below `root`; `null` only when it does not exist. */
function statIfExists(root: string, path: string): Promise<Stats | null> {
  return ifExists(path, fs.stat(join(root, path)))
}

/** `path`'s bytes below `root`; `null` only when it does not exist. */
function readFileIfExists(root: string, path: string): Promise<Buffer | null> {
  return ifExists(path, fs.readFile(join(root, path)))
}

/** What `op` gives; `null` when the file is proved absent; `STORAGE_ERROR` naming `path` for any other failure. */
export async function ifExists<T>(path: string, op: Promise<T>): Promise<T | null> {
  try {
    return await op
  } catch (err) {
    if (engine.isAbsent(err)) return null
    throw CorestoreError.storage(path, err)
  }
}
