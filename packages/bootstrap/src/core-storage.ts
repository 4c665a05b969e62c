import type { RandomAccessStorage, StorageCallback, StorageFactory } from '@corestore/engine'
import { engine, notFound } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { type CoreIdentity, discoveryKey, type Keychain } from '@corestore/keychain'
import { coreNotFound, corruptName } from './errors.js'
import { FailingFile, type FileOwner, noop, TrackedFile } from './layout/core-file.js'
import { deriveStoredName, readNameFile } from './layout/disk.js'
import { encodeName } from './layout/name-file.js'
import { coreDirectory } from './layout/paths.js'
import { removeCoreFiles } from './layout/remove.js'
import type { Journal, JournalEntry } from './power-loss/journal.js'
import { recoverFiles, syncCoreFiles } from './power-loss/recovery.js'
import type { Storage } from './storage.js'

export type { CoreIdentity }

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

/** What the store tells a core's storage about the hypercore opened on it. */
export interface CoreState {
  readonly length: number
  readonly secretKey: Buffer | null
}

/** One core's files: `file` is the storage function to give hypercore; `attach` the core once made. */
export interface CoreStorage {
  readonly file: StorageFactory
  attach(core: CoreState): void
}

/**
 * The storage function to give hypercore for one core, laid out as corestore 5 lays it out.
 *
 * `key` and `secret_key` are served through two thin virtual files so that, before hypercore
 * reads anything else, the core's keys are settled: a derived core gets its `name` file, and a
 * core opened by key or discovery key gets its secret key back from `name`, so it stays writable.
 * A core the journal says a crash may have torn is repaired first (see `recoverFiles`).
 * If that fails (no such core, a damaged `name`), every other file of the core fails to open
 * with the typed error, so hypercore's open fails with it and nothing is written.
 */
export function coreStorage(
  storage: Storage,
  keychain: Keychain,
  identity: CoreIdentity,
  after?: Promise<void>,
): CoreStorage {
  return new CoreFiles(storage, keychain, identity, after)
}

interface Resolved {
  /** A secret key learnt from the `name` file (or known from the name), served in place of a `secret_key` file. */
  readonly derivedSecretKey: Buffer | null
  /** What the `key` file held when it was read to settle the keys (`null`: absent); not read: `undefined`. */
  readonly storedKey?: Buffer | null
}

/** One core's files. Plain objects, not random-access-storage instances: a store may hold thousands. */
class CoreFiles implements FileOwner, CoreStorage {
  readonly directory: string
  readonly id: string
  readonly #storage: Storage
  readonly #keychain: Keychain
  readonly #identity: CoreIdentity
  readonly #journal: Journal | null
  #resolved: Promise<Resolved> | null = null
  #failure: Error | null = null
  #keyFile: RandomAccessStorage | null = null
  #secretKeyFile: RandomAccessStorage | null = null
  /** Weakly: a core the program dropped must be collectable while its files still are not closed. */
  #core: WeakRef<CoreState> | null = null
  /** The public key and how to write it again, once settled: what a journal entry keeps. */
  #publicKey: Buffer | null = null
  #name: Buffer | null = null
  /** Block writes of this session are covered by a journal entry: this one. */
  #marked: Promise<void> | null = null
  #markedDone = false
  #entry: JournalEntry | undefined
  #foldersSynced = false
  #folders: Promise<void> | null = null
  #tracked = 0
  /**
   * The key file as read while settling the keys, served to hypercore's two reads that follow
   * until it writes the file: one file operation per open instead of three.
   */
  storedKey: Buffer | null | undefined = undefined
  keyWritten = false

  /** The previous core on these files, still closing: nothing is read before it is done. */
  readonly #after: Promise<void> | undefined

  constructor(storage: Storage, keychain: Keychain, identity: CoreIdentity, after?: Promise<void>) {
    this.#after = after
    this.#storage = storage
    this.#keychain = keychain
    this.#identity = identity
    this.#journal = storage.journal
    this.id = identity.discoveryKey.toString('hex')
    this.directory = coreDirectory(this.id)
  }

  get durable(): boolean {
    return this.#storage.durable
  }

  readonly file = (name: string): RandomAccessStorage => {
    if (name === 'key') return new KeyFile(this)
    if (name === 'secret_key') return new SecretKeyFile(this)
    if (this.#failure) return new FailingFile(this.#failure)
    if (!this.#journal) return this.open(name)
    this.#tracked++
    return new TrackedFile(this, name, this.open(name))
  }

  attach(core: CoreState): void {
    this.#core = new WeakRef(core)
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

  beforeBlockWrite(run: () => void, cb: StorageCallback): void {
    if (this.#markedDone) {
      run()
      return
    }
    this.#marked ??= this.#mark()
    this.#marked.then(run, cb)
  }

  afterSync(done: StorageCallback): StorageCallback {
    if (this.#foldersSynced) return done
    // The first durable commit of a core: the folders its files were created in, once (every write
    // that completes meanwhile waits for the same folder syncs).
    return (err) => {
      if (err) return done(err)
      this.#syncFolders().then(() => done(null), done)
    }
  }

  closing(file: TrackedFile, cb: StorageCallback): void {
    const close = (err: Error | null) => file.real.close((closeErr) => finish(err ?? closeErr ?? null))
    const finish = (err: Error | null) => {
      if (--this.#tracked > 0 || !this.#markedDone || err) return cb(err)
      // The core's last file: a core closed cleanly is whole on disk, and its journal entry can go.
      this.#retire().then(() => cb(null), cb)
    }
    if (this.#markedDone && file.dirty) file.sync((err) => close(err ?? null))
    else close(null)
  }

  /** Journal the core before its first block write of this session (a crash may tear it from now). */
  async #mark(): Promise<void> {
    const journal = this.#journal as Journal
    const entry = journal.get(this.id)
    this.#entry = await journal.write({
      discoveryKey: this.#identity.discoveryKey,
      publicKey: this.#publicKey ?? entry?.publicKey ?? Buffer.alloc(32),
      name: this.#name,
      secretKey: this.#name ? null : (this.#core?.deref()?.secretKey ?? entry?.secretKey ?? null),
      trusted: this.#core?.deref()?.length ?? 0,
      blocks: true,
      purging: false,
    })
    this.#markedDone = true
  }

  async #retire(): Promise<void> {
    await syncCoreFiles(this.#storage, this.directory, { keysOnly: true })
    await this.#syncFolders()
    this.#journal?.retire(this.id, this.#entry)
    this.#markedDone = false
    this.#marked = null
  }

  #syncFolders(): Promise<void> {
    this.#folders ??= this.#storage.syncDirectories(coreFolders(this.id)).then(
      () => {
        this.#foldersSynced = true
      },
      (err: Error) => {
        this.#folders = null
        throw err
      },
    )
    return this.#folders
  }

  async #settle(): Promise<Resolved> {
    try {
      await this.#after
      const entry = this.#journal?.get(this.id)
      if (entry?.purging) await this.#finishPurge()
      const resolved = await this.#settleKeys(entry?.purging ? undefined : entry)
      if (entry && !entry.purging && this.#journal?.inherited(this.id)) await this.#recover(entry, resolved)
      return resolved
    } catch (err) {
      if (err instanceof CorestoreError) throw err
      throw CorestoreError.storage(this.directory, err)
    }
  }

  /** A `purge()` a crash interrupted: finish it before the core is made again. */
  async #finishPurge(): Promise<void> {
    const entry = this.#journal?.get(this.id)
    await removeCoreFiles(this.#storage, this.#identity.discoveryKey)
    this.#journal?.retire(this.id, entry)
  }

  /** Repair what the crash of an earlier session may have torn, then sync the core and retire its entry. */
  async #recover(entry: JournalEntry, resolved: Resolved): Promise<void> {
    const journal = this.#journal as Journal
    if (!entry.blocks) {
      // Only its creation was journaled, and the key files were put right while settling.
      journal.recovered(this.id)
      return
    }
    const secretKey = resolved.derivedSecretKey ?? entry.secretKey ?? this.#knownSecretKey()
    await recoverFiles(this.#storage, this.directory, {
      publicKey: this.#publicKey ?? entry.publicKey,
      secretKey,
      trusted: entry.trusted,
    })
    await syncCoreFiles(this.#storage, this.directory, { keysOnly: false })
    await this.#syncFolders()
    journal.retire(this.id, entry)
  }

  #knownSecretKey(): Buffer | null {
    return this.#identity.kind === 'keyPair' ? this.#identity.secretKey : null
  }

  async #settleKeys(entry: JournalEntry | undefined): Promise<Resolved> {
    const identity = this.#identity
    const dkHex = this.id
    const read = await this.#read('key', (f) => engine.readMaybe(f, 0, 32), this.keyFile)
    // A key file a crash left empty or zeroed is no key: the journal, or the caller, knows the key.
    const storedKey = read && !isBlank(read) ? read : null
    // Where the journal covers the core, its key files may be torn: write them again.
    const repair = entry !== undefined && this.#journal?.inherited(this.id) === true

    if (identity.kind === 'derived') {
      this.#publicKey = identity.publicKey
      this.#name = identity.name
      // A key file a crash tore, where the journal covers the core (anywhere else a different key
      // is another core's: hypercore refuses it).
      const stale = storedKey !== null && repair && !storedKey.equals(identity.publicKey)
      // A new core (or one whose key file was lost): name first, then the key, so the core is
      // always reopenable writable from what is on disk. (A torn name of a core whose key is
      // whole is read from the journal, and mended, where it is read: opened by key.)
      if (!storedKey || stale) {
        if (!storedKey && !entry) await this.#journalCreation()
        await this.#read('name', (f) => engine.write(f, 0, encodeName(identity.name)))
        await this.#restoreKey(identity.publicKey)
      }
      return { derivedSecretKey: identity.secretKey, storedKey: stale || !storedKey ? identity.publicKey : storedKey }
    }
    if (identity.kind === 'keyPair') {
      this.#publicKey = identity.publicKey
      // An explicit key pair: hypercore keeps its secret key in `secret_key` itself.
      if (!storedKey) {
        if (!entry) await this.#journalCreation(identity.secretKey)
        await this.#restoreKey(identity.publicKey)
      }
      // A secret_key file the crash may have torn: hypercore would take its bytes over the caller's.
      if (repair) await this.#restoreSecretKey(identity.secretKey)
      return { derivedSecretKey: repair ? identity.secretKey : null, storedKey: storedKey ?? identity.publicKey }
    }

    const known = identity.kind === 'key' ? identity.publicKey : null
    const stored = await this.#storedName(entry)
    const candidate = known ?? storedKey ?? entry?.publicKey ?? null
    const derived = stored
      ? candidate
        ? deriveStoredName(this.#keychain, stored, candidate, `${this.directory}/name`)
        : this.#keychain.keyPair(stored)
      : null
    const publicKey = candidate ?? derived?.publicKey ?? null
    if (!publicKey) throw coreNotFound(dkHex)
    if (!known && derived && !storedKey) {
      // Opened by discovery key with the key file lost: the name proves which key it was.
      if (!discoveryKey(derived.publicKey).equals(identity.discoveryKey)) throw coreNotFound(dkHex)
    }
    this.#publicKey = publicKey
    this.#name = stored
    // hypercore 9 wipes a core's data when it finds data but no key file; the key is known, so restore it.
    if (!storedKey) {
      if (!entry) await this.#journalCreation(null)
      await this.#restoreKey(publicKey)
    }
    // A key pair's secret key the journal kept, where `secret_key` may be torn.
    const kept = repair && !derived ? (entry?.secretKey ?? null) : null
    if (kept) await this.#restoreSecretKey(kept)
    return { derivedSecretKey: derived?.secretKey ?? kept, storedKey: storedKey ?? publicKey }
  }

  /** The stored name; the journal's where a crash took or tore the file (and the file is mended). */
  async #storedName(entry: JournalEntry | undefined): Promise<Buffer | null> {
    const file = await readNameFile(this.#storage, this.#identity.discoveryKey)
    if (file.name) return file.name
    const kept = entry?.name
    if (!kept) {
      if (file.damaged) throw corruptName(`${this.directory}/name`)
      return null
    }
    await this.#read('name', (f) => engine.write(f, 0, encodeName(kept)))
    return kept
  }

  /** A new core: journaled (synced) before its first file is written, so a crash can always be repaired. */
  async #journalCreation(secretKey?: Buffer | null): Promise<void> {
    if (!this.#journal) return
    await this.#journal.write({
      discoveryKey: this.#identity.discoveryKey,
      publicKey: this.#publicKey as Buffer,
      name: this.#name,
      secretKey: secretKey ?? null,
      trusted: 0,
      blocks: false,
      purging: false,
    })
  }

  async #restoreKey(publicKey: Buffer): Promise<void> {
    await this.#read('key', (f) => engine.write(f, 0, publicKey), this.keyFile)
  }

  async #restoreSecretKey(secretKey: Buffer): Promise<void> {
    await this.#read('secret_key', (f) => engine.write(f, 0, secretKey), this.secretKeyFile)
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

/** A core's folder and the two above it, then the store's root: where its files' names live. */
function coreFolders(id: string): string[] {
  const dir = coreDirectory(id)
  return [dir, dir.slice(0, 5), dir.slice(0, 2), '.']
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

async function withFile<T>(file: RandomAccessStorage, fn: (file: RandomAccessStorage) => Promise<T>): Promise<T> {
  try {
    return await fn(file)
  } finally {
    await engine.closeStorage(file).catch(() => {})
  }
}

function isBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false
  return true
}
