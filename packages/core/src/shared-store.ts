import { type Storage, type StoredCore, type StoredCoresOptions, storedCores } from '@corestore/bootstrap'
import {
  coreKeyOptions,
  coreNotFound,
  coreStorage,
  hasStoredCore,
  type OpenedStore,
  openStore,
  readDerivedName,
  removeStoredCore,
} from '@corestore/bootstrap/internal'
import type { CoreCache } from '@corestore/cache'
import { createHypercore, type Hypercore, type HypercoreOptions, type ReplicationOptions } from '@corestore/engine'
import { engine, lazyNoiseKeyPair, perCoreCache, streamOptions } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { type CoreIdentity, discoveryKey, Keychain } from '@corestore/keychain'
import { Identities, requestMatches } from '@corestore/keychain/internal'
import { Lifecycle } from '@corestore/lifecycle'
import type { Holdings, CorestoreInner as InnerOf } from '@corestore/namespace'
import { createInner, Orphans } from '@corestore/namespace/internal'
import { Replicator } from '@corestore/replicator'
import type { CoreRequest, GetOptions, ParsedStoreOptions } from './options.js'

/** What the store tells its views about. */
export interface StoreListener {
  onfeed(core: Hypercore, options: GetOptions): void
  onerror(err: Error): void
  /** A core was closed or failed to open: views holding it forget it. */
  ongone(id: string, core: Hypercore): void
  /** A core that had opened (and was announced by `onfeed`) closed. */
  onclose(core: Hypercore): void
  /** `inner.emit('feed', …)`: the view emits it too. */
  onemit(event: string, args: unknown[]): void
}

/** How many cores a store has open, and how many replication streams. */
export interface StoreStats {
  /** Cores some view holds. */
  readonly activeCores: number
  /** Cores open for peers, or let go by every view, within the `cacheSize` bound. */
  readonly passiveCores: number
  /** Live replication streams, whoever made them. */
  readonly streams: number
}

/** corestore 5's `store.inner` as this store gives it. */
export type CorestoreInner = InnerOf<Hypercore>

/**
 * The state every view of one store shares: storage, master key, cache, replication.
 * Views (the `Corestore` objects) hold references; this owns the cores.
 */
export class SharedStore {
  readonly storage: Storage
  readonly cache: CoreCache<Hypercore>
  readonly replicator: Replicator
  readonly listeners = new Set<StoreListener>()
  /** Views the program listens to (held strongly while it does: their events must keep coming). */
  readonly retained = new Set<object>()
  /** corestore 5's `store.inner`, the same object for every view. */
  readonly inner: CorestoreInner = createInner<Hypercore>(this)
  readonly #options: ParsedStoreOptions
  /** The names of open cores derived here, so namespaceOf() needs no storage that reads back. */
  readonly #names = new Map<string, Buffer>()
  /** Cores being purged: nobody may open them until their files are gone. */
  readonly #purging = new Set<string>()
  /** Cores held only by views the program dropped: weakly. */
  readonly #orphans = new Orphans<Hypercore>(engine.filesCloser)
  /** Cores let go of while closing: their successor opens once they have closed. */
  readonly #closing = new Map<string, Promise<void>>()
  #identities: Identities | null = null
  /** The lock, master key and journal, once open. */
  #files: OpenedStore | null = null
  readonly #life = new Lifecycle({
    open: () => this.#open(),
    close: () => this.#close(),
    closedError: () => CorestoreError.closed(),
  })
  /** An evicted core is passive: nobody holds it, so closing it releases its files and memory. */
  readonly #onevict = (_id: string, core: Hypercore) => core.close((err) => err && this.#error(err))

  constructor(storage: Storage, options: ParsedStoreOptions) {
    this.storage = storage
    this.#options = options
    this.cache = options.coreCache
    this.cache.on('evict', this.#onevict)
    this.replicator = new Replicator({ lookup: (dk) => this.lookup(dk) }, { passiveBound: this.cache.maxSize })
  }

  /** Store-wide options, which corestore 5 also gives each replication stream. */
  get streamDefaults(): ReplicationOptions {
    return streamOptions(this.#options.hypercore)
  }

  /** The master key is loaded (it stays loaded once the store closes: ids can still be computed). */
  get opened(): boolean {
    return this.#identities !== null
  }

  get closing(): boolean {
    return this.#life.closing
  }

  /**
   * Take the directory lock and load (or create) the master key. Once `close()` was called it
   * rejects with `STORE_CLOSED` and takes nothing.
   */
  open(): Promise<void> {
    return this.#life.ready()
  }

  async #open(): Promise<void> {
    const files = await openStore(this.storage, this.#options.masterKey)
    this.#files = files
    // A key openStore loaded or was given is 32 bytes, checked: the keychain takes it without fail.
    this.#identities = new Identities(new Keychain(files.masterKey))
  }

  /** The cache id (hex discovery key) of the core a request names. Cheap for keys and names seen before. */
  idOf(request: CoreRequest): string {
    return this.#requireIdentities().idOf(request)
  }

  /** Whether the core a request names is open (`held`: held by a view). Before `open()` none is, as in 5.8.2. */
  isLoaded(request: CoreRequest, held: boolean): boolean {
    const identities = this.#identities
    if (!identities) return false
    // The id remembered for this Buffer object, if the core it names has that key; else by content.
    const remembered = identities.knownId(request, false)
    const id = remembered !== undefined && this.#matches(remembered, request) ? remembered : identities.idOf(request)
    return held ? this.cache.refs(id) > 0 : this.cache.has(id) || this.#orphans.has(id)
  }

  /** The loaded core a request names, or a newly opened one (passive until a view holds it). */
  get(request: CoreRequest, options: GetOptions): { id: string; core: Hypercore } {
    const identities = this.#requireIdentities()
    const known = identities.knownId(request, false)
    const cached = known === undefined ? undefined : this.#live(known)
    // A key buffer remembered by identity may have been rewritten since: the core's key settles it.
    if (known !== undefined && cached && requestMatches(request, cached)) return { id: known, core: cached }
    const identity = identities.identify(request)
    const id = identity.discoveryKey.toString('hex')
    return { id, core: this.openCore(id, identity, options) }
  }

  /** The cached core a key string named before, without parsing the string again. */
  cachedString(input: string): { id: string; core: Hypercore } | undefined {
    const id = this.#identities?.ofString(input)
    const core = id === undefined ? undefined : this.#live(id)
    return core && { id: id as string, core }
  }

  /** A key string's id, for the next `cachedString`. */
  rememberString(input: string, id: string): void {
    this.#identities?.rememberString(input, id)
  }

  /** Whether a core is cached under `id` and has the key or discovery key `request` gives. */
  #matches(id: string, request: CoreRequest): boolean {
    const core = this.cache.entry(id)?.value
    return core !== undefined && requestMatches(request, core)
  }

  /** The core with this id: the cached one, or one opened now from what `identity` knows. */
  openCore(id: string, identity: CoreIdentity, options: GetOptions): Hypercore {
    const cached = this.#live(id)
    if (cached) return cached
    if (this.#purging.has(id)) throw coreInUse(id, 'is being purged; get it again once purge() has finished')
    // A core still closing is handed out again as a new one, which opens its files once they are shut.
    const storage = coreStorage(this.storage, this.keychain, identity, this.#closing.get(id))
    // Options were checked when they came in; whatever hypercore throws here is its own failure,
    // passed on as it is rather than blamed on the caller's options.
    const publicKey = identity.kind === 'discoveryKey' ? null : identity.publicKey
    const core = createHypercore(storage.file, publicKey, this.#hypercoreOptions(identity, options))
    storage.attach(core)
    this.cache.set(id, core)
    if (identity.kind === 'derived') this.#names.set(id, identity.name)
    this.#watch(id, core, options)
    return core
  }

  /**
   * The cached core with this id if it is not closing. One that is (its holder called `close()`) is
   * let go of: the next `get()` makes a new core once it has closed, never hands out one that fails.
   */
  #live(id: string): Hypercore | undefined {
    const cached = this.cache.get(id) ?? this.#adopted(id)
    if (!cached || !(cached.closing || cached.closed)) return cached
    this.cache.delete(id)
    // Views let go of it now, so that they hold its successor.
    for (const l of this.listeners) l.ongone(id, cached)
    const closed = engine.close(cached).catch(() => {})
    this.#closing.set(id, closed)
    void closed.then(() => {
      if (this.#closing.get(id) === closed) this.#closing.delete(id)
    })
    return undefined
  }

  /** An orphan the program still held, back in the cache for the view asking for it. */
  #adopted(id: string): Hypercore | undefined {
    const core = this.#orphans.take(id)
    if (core) this.cache.set(id, core)
    return core
  }

  /**
   * A view the program dropped without closing it: the cores it held that nobody else holds become
   * orphans, kept as long as the program holds them and closed once it does not.
   */
  viewDropped(holdings: Holdings<Hypercore>): void {
    for (const [id, core] of holdings.toMap()) {
      holdings.forget(id)
      if (this.cache.unref(id) > 0 || this.cache.entry(id)?.value !== core) continue
      this.cache.delete(id)
      this.#orphans.adopt(id, core)
    }
  }

  /** For `inner` (corestore 5's `_deriveSecret`, `_injectIntoReplicationStreams`, `emit`). */
  secret(namespace: string, name: string | Uint8Array): Buffer {
    return this.keychain.secret(namespace, name)
  }

  inject(core: Hypercore): void {
    this.replicator.inject(core)
  }

  emitOnViews(event: string, args: unknown[]): void {
    if (event === 'error') this.#error(args[0] as Error)
    else for (const l of this.listeners) l.onemit(event, args)
  }

  /** For the replicator: a core a peer asks for, opened passively when it is on disk. */
  async lookup(dk: Buffer): Promise<Hypercore | null> {
    await this.open()
    const id = dk.toString('hex')
    // Loaded, or held by the program alone (an orphan): a core of a store in memory is nowhere else.
    const cached = this.#live(id)
    if (cached) return cached
    const stored = !this.closing && (await hasStoredCore(this.storage, dk))
    if (!stored || this.closing || this.#purging.has(id)) return null
    const core = this.openCore(id, { kind: 'discoveryKey', discoveryKey: dk }, {})
    // Resolve once open, so the replicator's per-stream limit bounds opens in flight, not just look-ups.
    try {
      await engine.ready(core)
      return core
    } catch {
      return null
    }
  }

  /** The cores some view holds: what the root's streams carry. */
  heldCores(): Hypercore[] {
    const held = [...this.cache.entries()].filter((e) => e.refs > 0).map((e) => e.value)
    // A core the program holds whose view it dropped is held all the same.
    return held.concat(this.#orphans.alive())
  }

  stats(): StoreStats {
    const { activeSize, passiveSize } = this.cache
    return { activeCores: activeSize, passiveCores: passiveSize, streams: this.replicator.size }
  }

  /** The stored cores, read from disk without opening any (`namespace`: only that view's). */
  storedCores(opts: StoredCoresOptions): AsyncGenerator<StoredCore> {
    return storedCores(this.storage, this.keychain, opts)
  }

  /**
   * The name a stored core's key pair derives from, checked against its key.
   * @throws {CorestoreError} `CORE_NOT_FOUND`, `NOT_DERIVED`, `NAME_MISMATCH`, `CORRUPT_NAME`
   */
  async storedName(publicKey: Buffer): Promise<Buffer> {
    return (
      this.#names.get(this.idOf({ kind: 'key', publicKey })) ?? readDerivedName(this.storage, this.keychain, publicKey)
    )
  }

  /**
   * Delete a stored core's files; `key` is a stored core's discovery key, else a public key. A passive
   * core is closed first, a held one refused. @throws {CorestoreError} `CORE_IN_USE`, `CORE_NOT_FOUND`, `STORAGE_ERROR`
   */
  async purge(key: Buffer): Promise<void> {
    // Found loaded or stored as a discovery key, it is one (and exists); otherwise it is a public key.
    const known = this.cache.has(key.toString('hex')) || (await hasStoredCore(this.storage, key))
    const dk = known ? key : discoveryKey(key)
    const id = dk.toString('hex')
    if (this.cache.refs(id) > 0) throw coreInUse(id, 'is held by a view: close it (or the store) first')
    if (this.#purging.has(id)) throw coreInUse(id, 'is being purged already')
    this.#purging.add(id)
    try {
      if (!known && !this.cache.has(id) && !(await hasStoredCore(this.storage, dk))) throw coreNotFound(id)
      const passive = this.cache.get(id) ?? this.#orphans.take(id)
      if (passive) {
        // Out of the cache first, so that no get() hands out the core while it closes.
        this.cache.delete(id)
        await engine.close(passive).catch(() => {})
      }
      await removeStoredCore(this.storage, dk)
    } finally {
      this.#purging.delete(id)
    }
  }

  /** Close every core and stream, give the cache back as it was given, release the lock. Once. */
  close(): Promise<void> {
    return this.#life.close()
  }

  async #close(): Promise<void> {
    this.replicator.destroy()
    const cores = [...this.cache.entries()].map((e) => e.value).concat(this.#orphans.takeAll())
    const results = await Promise.allSettled(cores.map((core) => engine.close(core)))
    for (const { id } of [...this.cache.entries()]) this.cache.delete(id)
    // A cache passed in may outlive the store (and serve another): it must not call back into this one.
    this.cache.off('evict', this.#onevict)
    await this.#files?.close().catch((err: Error) => results.push({ status: 'rejected', reason: err }))
    this.#files = null
    const failed = results.find((r) => r.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
  }

  #requireIdentities(): Identities {
    if (!this.#identities) throw CorestoreError.notReady('get')
    return this.#identities
  }

  get keychain(): Keychain {
    return this.#requireIdentities().keychain
  }

  #hypercoreOptions(identity: CoreIdentity, options: GetOptions): HypercoreOptions {
    const { key, discoveryKey, keyPair, name, default: _default, cache, ...rest } = options
    const merged: HypercoreOptions = { ...this.#options.hypercore, ...rest }
    const shared = this.#options.hypercoreCache
    if (shared) merged.cache = perCoreCache(shared, cache)
    // hypercore 9 makes a Noise key pair per core for streams it creates itself; the store's streams
    // carry their own, so each core's is made only if it is ever used (one key generation less per open).
    merged.noiseKeyPair ??= lazyNoiseKeyPair()
    return Object.assign(merged, coreKeyOptions(identity))
  }

  #watch(id: string, core: Hypercore, options: GetOptions): void {
    let failed = false
    let opened = false
    const offered = this.replicator.opening(core)
    // The error reaches the caller through core.ready(); this listener only keeps it from crashing the process.
    const onerror = () => {
      failed = true
      offered()
      this.#forget(id, core)
    }
    core.once('error', onerror)
    core.once('ready', () => {
      if (failed) return
      core.removeListener('error', onerror)
      opened = true
      for (const l of this.listeners) l.onfeed(core, options)
      this.replicator.offer(core)
      offered()
    })
    core.once('close', () => {
      this.#forget(id, core)
      if (opened) for (const l of this.listeners) l.onclose(core)
    })
    // Serving a peer counts as a use: the passive LRU evicts idle cores before busy ones.
    core.on('upload', () => this.cache.get(id))
  }

  #forget(id: string, core: Hypercore): void {
    if (this.cache.get(id) === core) this.cache.delete(id)
    if (!this.cache.has(id)) this.#names.delete(id)
    for (const l of this.listeners) l.ongone(id, core)
  }

  #error(err: Error): void {
    for (const l of this.listeners) l.onerror(err)
  }
}

/** A core that cannot be purged or opened right now: `why` completes "core <id> (discovery key) …". */
function coreInUse(discoveryKey: string, why: string): CorestoreError {
  return new CorestoreError('CORE_IN_USE', `core ${discoveryKey} (discovery key) ${why}`)
}
