import type { StoredSize } from '@corestore/engine'
import { storedSize as sizeFromFiles } from '@corestore/engine/internal'
import { isCorestoreError } from '@corestore/errors'
import type { Keychain } from '@corestore/keychain'
import { isInNamespace, nameText } from '@corestore/namespace/internal'
import type { Storage } from '../storage.js'
import { readStoredKey, readStoredName, storedDiscoveryKeys } from './disk.js'
import { corePath } from './paths.js'
import { openReadOnly, readWhole } from './read-only.js'

/** What the store's files say of one core, read without opening it. */
export interface StoredCore {
  readonly discoveryKey: Buffer
  readonly key: Buffer
  /**
   * The name its key pair derives from: the text when readable (`default`, `drive1:photos`), else
   * the bytes in hex; `null` for a core that was not derived here (or whose `name` file is damaged).
   */
  readonly name: string | null
  /** The store can sign for it: its `name` derives to its key, or its `secret_key` is there. */
  readonly writable: boolean
}

export interface StoredCoresOptions {
  /**
   * Only the cores derived in this namespace: named exactly so (its `default()`) or below it
   * (`a` lists `a`, `a:b`, `a:b:c`, not `ab`). A view's name, as `store.namespace()` composes it.
   */
  namespace?: string
}

/**
 * Every core stored in a directory store, as the files say, without opening any core.
 * A core counts once its `key` file holds 32 bytes (as for `hasStoredCore`).
 * @param keychain the store's, to tell whether a `name` derives to the core's key
 * @throws {CorestoreError} `LISTING_UNSUPPORTED` when the storage is a function, not a directory
 */
export async function* storedCores(
  storage: Storage,
  keychain: Keychain,
  opts: StoredCoresOptions = {},
): AsyncGenerator<StoredCore> {
  for await (const discoveryKey of storedDiscoveryKeys(storage)) {
    const key = await readStoredKey(storage, discoveryKey)
    if (!key) continue
    const name = await readNameQuietly(storage, discoveryKey)
    if (opts.namespace !== undefined && !(name && isInNamespace(name, opts.namespace))) continue
    const derives = name !== null && keychain.keyPair(name).publicKey.equals(key)
    yield {
      discoveryKey,
      key,
      name: name && (nameText(name) ?? name.toString('hex')),
      writable: derives || (await hasSecretKey(storage, discoveryKey, key)),
    }
  }
}

/**
 * A stored core's length and byte length, from its files alone (opened read-only); `null` when
 * they are damaged so that hypercore would refuse to open the core. A core never written to is 0, 0.
 */
export async function readStoredSize(storage: Storage, discoveryKey: Buffer): Promise<StoredSize | null> {
  const dk = discoveryKey.toString('hex')
  const tree = openReadOnly(storage, corePath(dk, 'tree'))
  try {
    return await sizeFromFiles({
      bitfield: () => readWhole(storage, corePath(dk, 'bitfield')),
      tree: (offset, size) => tree.read(offset, size),
    })
  } finally {
    await tree.close()
  }
}

/** A listing shows a core with a damaged `name` file as not derived, rather than stopping. */
async function readNameQuietly(storage: Storage, discoveryKey: Buffer): Promise<Buffer | null> {
  try {
    return await readStoredName(storage, discoveryKey)
  } catch (err) {
    if (isCorestoreError(err) && err.code === 'CORRUPT_NAME') return null
    throw err
  }
}

/** A `secret_key` file whose ed25519 secret key ends with the core's public key, as sodium's do. */
async function hasSecretKey(storage: Storage, discoveryKey: Buffer, key: Buffer): Promise<boolean> {
  const secretKey = await readWhole(storage, corePath(discoveryKey.toString('hex'), 'secret_key'))
  return secretKey !== null && secretKey.length === 64 && secretKey.subarray(32).equals(key)
}
