import { openStorage, readMasterKey } from '@corestore/bootstrap'
import { Corestore, type StoredCore } from '@corestore/core'
import { parseKey } from '@corestore/keychain/internal'
import { ArgumentError, UsageError } from './command.js'
import { checkDirectory } from './directory.js'

/**
 * The master key of the store in `dir`, read without creating or changing anything.
 * @throws {UsageError} when `dir` is not a directory one can read, or holds no `master_key` (it is not a store)
 */
export async function requireStore(dir: string): Promise<Buffer> {
  await checkDirectory(dir, { create: false })
  const masterKey = await readMasterKey(openStorage(dir))
  if (!masterKey) throw new UsageError(`${dir} is not a corestore: it has no master_key`)
  return masterKey
}

/**
 * Open the store in `dir` for the length of `fn`, then close it, whatever happens. Durable: what the
 * command reports as written survives a power loss.
 */
export async function withStore<T>(dir: string, fn: (store: Corestore) => Promise<T>): Promise<T> {
  const store = new Corestore(dir, { durable: true })
  try {
    await store.ready()
    return await fn(store)
  } finally {
    await store.close()
  }
}

/** A key given on the command line (64 hex characters, or a `hyper://` URL of one); `null` otherwise. */
export function keyArgument(value: string): Buffer | null {
  try {
    return parseKey(value, 'key')
  } catch {
    return null
  }
}

/** `keyArgument`, or the one line a user sees when it is not a key. */
export function requireKey(value: string): Buffer {
  const key = keyArgument(value)
  if (!key) throw new ArgumentError(`${JSON.stringify(value)} is not a key: 64 hex characters expected`)
  return key
}

/**
 * The stored core that `query` names among `cores`: its key or discovery key in hex or, with
 * `byName`, its name as `corestore info` shows it.
 * @throws {UsageError} when no stored core matches
 */
export async function findStored(
  cores: AsyncIterable<StoredCore>,
  query: string,
  byName: boolean,
): Promise<StoredCore> {
  const hex = byName ? (keyArgument(query)?.toString('hex') ?? null) : requireKey(query).toString('hex')
  for await (const core of cores) {
    if (hex && (core.key.toString('hex') === hex || core.discoveryKey.toString('hex') === hex)) return core
    if (byName && core.name === query) return core
  }
  throw new UsageError(`no core ${byName ? 'with key or name' : 'with key'} ${query} is stored in this store`)
}
