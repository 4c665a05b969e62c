import {
  engine,
  notFound,
  type RandomAccessStorage,
  type StorageCallback,
  type StorageFactory,
} from '@corestore/engine'
import { CorestoreError } from '@corestore/errors'
import { discoveryKey, type Keychain } from '@corestore/keychain'
import { deriveStoredName, readStoredName } from './disk.js'
import { coreDirectory } from './layout.js'
import { encodeName } from './name-file.js'
import type { Storage } from './storage.js'

/** What the caller knows of a core before opening it, by how it was asked for. */
export type CoreIdentity =
  /** Derived from the master key and `name` (written to the core's `name` file). */
  | {
      readonly kind: 'derived'
      readonly discoveryKey: Buffer
      readonly publicKey: Buffer
      readonly secretKey: Buffer
      readonly name: Buffer
    }
  /** An explicit key pair: hypercore keeps the secret key in `secret_key`. */
  | { readonly kind: 'keyPair'; readonly discoveryKey: Buffer; readonly publicKey: Buffer; readonly secretKey: Buffer }
  /** A public key: writable again if a stored `name` derives to it. */
  | { readonly kind: 'key'; readonly discoveryKey: Buffer; readonly publicKey: Buffer }
  /** A discovery key alone: the public key is read from the core's `key` file. */
  | { readonly kind: 'discoveryKey'; readonly discoveryKey: Buffer }

/** The hypercore options that follow from how a core is known: where its secret key lives. */
export interface CoreKeyOptions {
  /** Only a core whose public key is known may be created. */
  createIfMissing: boolean
  secretKey?: Buffer
  /** `false` for a derived core: its secret key lives in its `name` file, never in `secret_key`. */
  storeSecretKey?: boolean
}

/** The options to give hypercore for a core opened on `coreStorage(…, identity)`. */
export function coreKeyOptions(identity: CoreIdentity): CoreKeyOptions {
  switch (identity.kind) {
    case 'derived':
      return { createIfMissing: true, secretKey: identity.secretKey, storeSecretKey: false }
    case 'keyPair':
      return { createIfMissing: true, secretKey: identity.secretKey }
    case 'key':
      return { createIfMissing: true }
    case 'discoveryKey':
      return { createIfMissing: false }
  }
}

interface Resolved {
  /** A secret key learnt from the `name` file (or known from the name), served in place of a `secret_key` file. */
  readonly derivedSecretKey: Buffer | null
  /** What the `key` file held when it was read to settle the keys (`null`: absent); not read: `undefined`. */
  readonly storedKey?: Buffer | null
}

/**
 * The storage function to give hypercore for one core, laid out as corestore 5 lays it out.
 *
 * `key` and `secret_key` are served through two thin virtual files so that, before hypercore
 * reads anything else, the core's keys are settled: a derived core gets its `name` file, and a
 * core opened by key or discovery key gets its secret key back from `name`, so it stays writable.
 * If that fails (no such core, a damaged `name`), every other file of the core fails to open
 * with the typed error, so hypercore's open fails with it and nothing is written.
 */
export function coreStorage(storage: Storage, keychain: Keychain, identity: CoreIdentity): StorageFactory {
  return new CoreFiles(storage, keychain, identity).file
}

/** One core's files. Plain objects, not random-access-storage instances: a store may hold thousands. */
class CoreFiles {
  readonly directory: string
  readonly #storage: Storage
  readonly #keychain: Keychain
  readonly #identity: CoreIdentity
  #resolved: Promise<Resolved> | null = null
  #failure: Error | null = null
  #keyFile: RandomAccessStorage | null = null
  #secretKeyFile: RandomAccessStorage | null = null
  /**
   * The key file as read while settling the keys, served to hypercore's two reads that follow
   * until it writes the file: one file operation per open instead of three.
   */
  storedKey: Buffer | null | undefined = undefined
  keyWritten = false

  constructor(storage: Storage, keychain: Keychain, identity: CoreIdentity) {
    this.#storage = storage
    this.#keychain = keychain
    this.#identity = identity
    this.directory = coreDirectory(identity.discoveryKey.toString('hex'))
  }

  readonly file = (name: string): RandomAccessStorage => {
    if (name === 'key') return new KeyFile(this)
    if (name === 'secret_key') return new SecretKeyFile(this)
    if (this.#failure) return new FailingFile(this.#failure)
    return this.open(name)
  }

  open(name: string): RandomAccessStorage {
    return this.#storage.file(`${this.directory}/${name}`)
  }

  get keyFile(): RandomAccessStorage {
    this.#keyFile ??= this.open('key')
    return this.#keyFile
  }

  get secretKeyFile(): RandomAccessStorage {
    this.#secretKeyFile ??= this.open('secret_key')
    return this.#secretKeyFile
  }

  /** The real file behind a virtual one, if it was ever opened. */
  opened(which: 'key' | 'secret_key'): RandomAccessStorage | null {
    return which === 'key' ? this.#keyFile : this.#secretKeyFile
  }

  resolve(): Promise<Resolved> {
    this.#resolved ??= this.#settle().then(
      (r) => {
        if (r.storedKey !== undefined && !this.keyWritten) this.storedKey = r.storedKey
        return r
      },
      (err: Error) => {
        this.#failure = err
        throw err
      },
    )
    return this.#resolved
  }

  async #settle(): Promise<Resolved> {
    try {
      return await this.#settleKeys()
    } catch (err) {
      if (err instanceof CorestoreError) throw err
      throw CorestoreError.storage(this.directory, err)
    }
  }

  async #settleKeys(): Promise<Resolved> {
    const identity = this.#identity
    const dkHex = identity.discoveryKey.toString('hex')
    const storedKey = await this.#read('key', (f) => engine.readMaybe(f, 0, 32), this.keyFile)

    if (identity.kind === 'derived') {
      // A new core (or one whose key file was lost): name first, then the key, so the core is
      // always reopenable writable from what is on disk.
      if (!storedKey) {
        await this.#read('name', (f) => engine.write(f, 0, encodeName(identity.name)))
        await this.#restoreKey(identity.publicKey)
      }
      return { derivedSecretKey: identity.secretKey, storedKey: storedKey ?? identity.publicKey }
    }
    if (identity.kind === 'keyPair') {
      // An explicit key pair: hypercore keeps its secret key in `secret_key` itself.
      if (!storedKey) await this.#restoreKey(identity.publicKey)
      return { derivedSecretKey: null, storedKey: storedKey ?? identity.publicKey }
    }

    const known = identity.kind === 'key' ? identity.publicKey : null
    const stored = await readStoredName(this.#storage, identity.discoveryKey)
    const candidate = known ?? storedKey
    const derived = stored
      ? candidate
        ? deriveStoredName(this.#keychain, stored, candidate, `${this.directory}/name`)
        : this.#keychain.keyPair(stored)
      : null
    const publicKey = candidate ?? derived?.publicKey ?? null
    if (!publicKey) throw CorestoreError.coreNotFound(dkHex)
    if (!known && derived && !storedKey) {
      // Opened by discovery key with the key file lost: the name proves which key it was.
      if (!discoveryKey(derived.publicKey).equals(identity.discoveryKey)) throw CorestoreError.coreNotFound(dkHex)
    }
    // hypercore 9 wipes a core's data when it finds data but no key file; the key is known, so restore it.
    if (!storedKey) await this.#restoreKey(publicKey)
    return { derivedSecretKey: derived?.secretKey ?? null, storedKey: storedKey ?? publicKey }
  }

  async #restoreKey(publicKey: Buffer): Promise<void> {
    await this.#read('key', (f) => engine.write(f, 0, publicKey), this.keyFile)
  }

  /** Run `fn` on one of the core's files (a fresh handle unless `file` is given), naming it in errors. */
  async #read<T>(name: string, fn: (file: RandomAccessStorage) => Promise<T>, file?: RandomAccessStorage): Promise<T> {
    try {
      return file ? await fn(file) : await withFile(this.open(name), fn)
    } catch (err) {
      throw err instanceof CorestoreError ? err : CorestoreError.storage(`${this.directory}/${name}`, err)
    }
  }
}

/** The methods hypercore 9 calls on a core's `key` and `secret_key` files. */
abstract class VirtualFile implements RandomAccessStorage {
  protected readonly files: CoreFiles
  protected abstract readonly which: 'key' | 'secret_key'

  constructor(files: CoreFiles) {
    this.files = files
  }

  protected get real(): RandomAccessStorage {
    return this.which === 'key' ? this.files.keyFile : this.files.secretKeyFile
  }

  abstract read(offset: number, size: number, cb: StorageCallback<Buffer>): void

  write(offset: number, data: Buffer, cb: StorageCallback = noop): void {
    this.real.write(offset, data, cb)
  }

  del(offset: number, size: number, cb: StorageCallback = noop): void {
    this.real.del(offset, size, cb)
  }

  stat(cb: StorageCallback<{ size: number }>): void {
    this.real.stat(cb)
  }

  close(cb: StorageCallback = noop): void {
    const real = this.files.opened(this.which)
    if (real) real.close(cb)
    else process.nextTick(cb, null)
  }

  destroy(cb: StorageCallback = noop): void {
    this.real.destroy(cb)
  }
}

class KeyFile extends VirtualFile {
  protected readonly which = 'key'

  read(offset: number, size: number, cb: StorageCallback<Buffer>): void {
    this.files.resolve().then(() => {
      const stored = this.files.storedKey
      if (stored === undefined) this.real.read(offset, size, cb)
      else if (stored && offset + size <= stored.length) cb(null, stored.subarray(offset, offset + size))
      else cb(notFound(`${this.files.directory}/key`))
    }, cb)
  }

  override write(offset: number, data: Buffer, cb: StorageCallback = noop): void {
    this.files.keyWritten = true
    this.files.storedKey = undefined
    super.write(offset, data, cb)
  }
}

class SecretKeyFile extends VirtualFile {
  protected readonly which = 'secret_key'

  read(offset: number, size: number, cb: StorageCallback<Buffer>): void {
    this.files.resolve().then(({ derivedSecretKey }) => {
      if (derivedSecretKey) cb(null, derivedSecretKey.subarray(offset, offset + size))
      else this.real.read(offset, size, cb)
    }, cb)
  }
}

/** Every file of a core whose keys could not be settled: each operation fails with the reason. */
class FailingFile implements RandomAccessStorage {
  readonly #err: Error
  constructor(err: Error) {
    this.#err = err
  }
  read(_o: number, _s: number, cb: StorageCallback<Buffer>): void {
    process.nextTick(cb, this.#err)
  }
  write(_o: number, _d: Buffer, cb: StorageCallback = noop): void {
    process.nextTick(cb, this.#err)
  }
  del(_o: number, _s: number, cb: StorageCallback = noop): void {
    process.nextTick(cb, this.#err)
  }
  stat(cb: StorageCallback<{ size: number }>): void {
    process.nextTick(cb, this.#err)
  }
  close(cb: StorageCallback = noop): void {
    process.nextTick(cb, null)
  }
  destroy(cb: StorageCallback = noop): void {
    process.nextTick(cb, null)
  }
}

async function withFile<T>(file: RandomAccessStorage, fn: (file: RandomAccessStorage) => Promise<T>): Promise<T> {
  try {
    return await fn(file)
  } finally {
    await engine.closeStorage(file).catch(() => {})
  }
}

function noop(): void {}
