import { openStorage, type StorageInput, type StoredCore } from '@corestore/bootstrap'
import type { CoreCache } from '@corestore/cache'
import type { Callback, Hypercore, ProtocolStream, ReplicationOptions } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { parseKey } from '@corestore/keychain/internal'
import { Lifecycle } from '@corestore/lifecycle'
import { childName, Holdings, viewNameOf } from '@corestore/namespace'
import { defaultOptions, listedNamespace, rootName } from '@corestore/namespace/internal'
import { parseReplicateArguments } from '@corestore/replicator/internal'
import { EventEmitter } from 'events'
import {
  type CorestoreOptions,
  type GetInput,
  type GetOptions,
  type KeyInput,
  parseGetInput,
  parseStoreOptions,
} from './options.js'
import { type CorestoreInner, SharedStore, type StoreListener, type StoreStats } from './shared-store.js'

/** The events a view listens to itself, to know whether anybody else does. */
const INTERNAL_EVENTS = new Set<string | symbol>(['newListener', 'removeListener'])

/** Views the program dropped without closing: what they held goes back to the store. */
const dropped = new FinalizationRegistry<{
  shared: SharedStore
  holdings: Holdings<Hypercore>
  listener: StoreListener
}>(({ shared, holdings, listener }) => {
  shared.listeners.delete(listener)
  if (!shared.closing) shared.viewDropped(holdings)
})

/**
 * How the store tells a view what happens. Made out here, not in the constructor: a closure made
 * there would share the constructor's scope, and with it `this`, and hold every view for ever.
 */
function listenerFor(self: { deref(): Corestore | undefined }, holdings: Holdings<Hypercore>): StoreListener {
  return {
    onfeed: (core, options) => {
      self.deref()?.emit('feed', core, options)
      self.deref()?.emit('core-open', core)
    },
    onclose: (core) => self.deref()?.emit('core-close', core),
    onemit: (event, args) => self.deref()?.emit(event, ...args),
    onerror: (err) => {
      const view = self.deref()
      if (view && view.listenerCount('error') > 0) view.emit('error', err)
    },
    ongone: (id, core) => {
      if (holdings.get(id) === core) holdings.forget(id)
    },
  }
}

/** What makes a `Corestore` a namespace view: only `Corestore` itself builds one (see `#view`). */
type ViewOf = { readonly shared: SharedStore; readonly parent: Corestore; readonly name: string }
declare const viewBrand: unique symbol
/** A `ViewOf` as the constructor's signature shows it: opaque, so the store's internals are not in its type. */
type ViewToken = { readonly [viewBrand]: true }

/**
 * A corestore: the root store, or a namespace view of one (`store.namespace('a')`).
 * The API is corestore 5.8.2's; every method that takes a callback also returns a promise.
 */
export class Corestore extends EventEmitter {
  /** The name this view's `default()` core derives from: the root's `opts.name` or `default`, `a`, `a:b`… below. */
  readonly name: string
  /** What this view's namespaces are named below: its name; `null` at a root given no name. */
  readonly #prefix: string | null
  /** The `storage` argument as given. */
  readonly storage: StorageInput
  readonly #shared: SharedStore
  readonly #parent: Corestore | null
  readonly #holdings: Holdings<Hypercore>
  readonly #listener: StoreListener
  readonly #life = new Lifecycle({
    open: () => this.#shared.open(),
    close: () => this.#close(),
    closedError: () => CorestoreError.closed(),
  })

  /**
   * @param storage a directory path, or a function from a file path to a random-access-storage
   *   (`random-access-memory` itself is one)
   * @param view internal: only `namespace()` and `namespaceOf()` pass it, to make a view
   * @throws {CorestoreError} `INVALID_STORAGE`, `INVALID_OPTION`, `INVALID_MASTER_KEY`
   */
  constructor(storage: StorageInput, opts: CorestoreOptions = {}, ...view: [] | [ViewToken]) {
    super()
    const of = view[0] as ViewOf | undefined
    this.#shared = of?.shared ?? new SharedStore(openStorage(storage, opts), parseStoreOptions(opts))
    this.#parent = of?.parent ?? null
    this.name = of?.name ?? rootName(opts)
    this.#prefix = of || opts?.name ? this.name : null
    this.storage = storage
    const holdings = new Holdings<Hypercore>(this.#shared.cache)
    this.#holdings = holdings
    // The store holds a view weakly: one the program drops without closing it is collected, and
    // what it held let go of (see `dropped`). The root is the store: it keeps itself.
    this.#listener = listenerFor(of ? new WeakRef(this) : { deref: () => this }, holdings)
    this.#shared.listeners.add(this.#listener)
    if (of) {
      dropped.register(this, { shared: this.#shared, holdings, listener: this.#listener }, this)
      // A view somebody listens to is in use, held or not: the store keeps it while it has listeners.
      this.on('newListener', (event) => {
        if (!INTERNAL_EVENTS.has(event)) this.#shared.retained.add(this)
      })
      this.on('removeListener', () => {
        if (this.eventNames().every((e) => INTERNAL_EVENTS.has(e))) this.#shared.retained.delete(this)
      })
    }
    // Many data structures listen to one store, as in corestore 5.
    this.setMaxListeners(0)
  }

  /** The store's core cache (shared by every view). */
  get cache(): CoreCache<Hypercore> {
    return this.#shared.cache
  }

  /**
   * corestore 5's semi-internal `store.inner` for programs that reach into it: `_deriveSecret()`, `cache`,
   * `_injectIntoReplicationStreams()`, `emit()` (docs/api.md: the rest is unsupported). One for all views.
   */
  get inner(): CorestoreInner {
    return this.#shared.inner
  }

  /** corestore 5 compatibility: a view's `store` is itself. */
  get store(): this {
    return this
  }

  get opened(): boolean {
    return this.#shared.opened && !this.closed
  }

  /** While `ready()` is in flight (nanoresource's `opening`, as on 5.8.2's store). */
  get opening(): boolean {
    return this.#life.opening
  }

  /** While `close()` is in flight: `false` again once closed, as nanoresource's `closing`. */
  get closing(): boolean {
    return this.#life.closing && !this.#life.closed
  }

  /** Operations in flight that `close()` waits for (nanoresource's `actives`). */
  get actives(): number {
    return this.#life.actives
  }

  /** Begin an operation `close()` waits for; `false` once closing (`cb` then gets `STORE_CLOSED`). */
  active(cb?: Callback): boolean {
    const counted = this.#life.active()
    if (!counted && cb) process.nextTick(cb, CorestoreError.closed())
    return counted
  }

  /** End an operation begun with `active()`, then call `cb(err, value)` when given. */
  inactive<T>(cb?: (err: Error | null | undefined, value?: T) => void, err?: Error | null, value?: T): void {
    this.#life.inactive()
    cb?.(err, value)
  }

  get closed(): boolean {
    return this.#life.closed || (this.#parent !== null && this.#shared.closing)
  }

  /**
   * Open the store: take the directory lock, load (or create) the master key; once, however often
   * called. After `close()` it rejects with `STORE_CLOSED` and takes nothing, as 5.8.2 does.
   * @throws {CorestoreError} `CORRUPT_MASTER_KEY`, `STORAGE_ERROR` (nothing written), `STORE_LOCKED`, `INVALID_STORAGE`
   */
  ready(cb?: Callback): Promise<void> {
    return engine.withCallback(this.#life.ready(), cb)
  }

  /** Same as `ready()` (corestore 5 is a nanoresource, which calls it `open`). */
  open(cb?: Callback): Promise<void> {
    return this.ready(cb)
  }

  /**
   * A core, returned at once, opening in the background; hypercore 9's callbacks, or promises without
   * one. `Block` is what `valueEncoding` gives: `store.get<string>({ valueEncoding: 'utf-8' })`.
   * @param opts a key, `{ key }`, `{ discoveryKey }`, `{ keyPair }` or `{ name }` and hypercore options
   * @throws {CorestoreError} `STORE_NOT_READY`, `STORE_CLOSED`, `INVALID_KEY`, `INVALID_NAME`, `INVALID_OPTION`
   */
  get<Block = Buffer>(opts?: GetInput): Hypercore<Block> {
    this.#guard('get')
    // A key string named before: no parsing (strings cannot change, unlike a Buffer).
    const seen = typeof opts === 'string' ? this.#shared.cachedString(opts) : undefined
    const { id, core } = seen ?? this.#getParsed(opts)
    if (this.#holdings.hold(id, core) && core.opened) {
      // An open core newly held by this view joins the view's streams.
      this.#shared.replicator.offer(core)
    }
    // The cache holds cores of any encoding; the caller says which it asked for.
    return core as unknown as Hypercore<Block>
  }

  #getParsed(opts: GetInput): { id: string; core: Hypercore } {
    const { request, options } = parseGetInput(opts)
    const got = this.#shared.get(request, options)
    // A string names a key unless it is empty (a new core, as any falsy argument).
    if (typeof opts === 'string' && request.kind === 'key') this.#shared.rememberString(opts, got.id)
    return got
  }

  /**
   * The core that bootstraps this view: derived from the view's name, the same after every restart.
   * As in corestore 5, a key Buffer gives that key's core, and a string is ignored.
   */
  default<Block = Buffer>(opts?: GetInput): Hypercore<Block> {
    return this.get<Block>(defaultOptions<GetOptions>(opts, this.name))
  }

  /**
   * A view whose `default()` derives from `name` (joined to this view's name with `:`).
   * @param name a string, a Buffer (its hex is used), or nothing for a random name
   */
  namespace(name?: string | Uint8Array): Corestore {
    this.#guard('namespace', false)
    return this.#view(childName(this.#prefix, name))
  }

  /**
   * The view whose `default()` the derived core `keyOrCore` is, from the name stored with the core:
   * `a:b` gives the view `namespace('a').namespace('b')` would, `default` the root itself. No need to
   * keep a key → namespace mapping to make a data structure writable again after a restart.
   * @throws {CorestoreError} `NOT_DERIVED`, `NOT_A_NAMESPACE_DEFAULT` (a `get()` with no name),
   *   `CORE_NOT_FOUND`, `NAME_MISMATCH`, `CORRUPT_NAME`, `INVALID_KEY`
   */
  async namespaceOf(keyOrCore: Hypercore | KeyInput): Promise<Corestore> {
    this.#guard('namespaceOf')
    let key: Buffer
    if (engine.isHypercore(keyOrCore)) {
      await engine.ready(keyOrCore)
      key = keyOrCore.key as Buffer
    } else {
      key = parseKey(keyOrCore, 'keyOrCore')
    }
    const name = viewNameOf(await this.#shared.storedName(key))
    this.#guard('namespaceOf')
    const root = this.#root
    return name === root.name ? root : root.#view(name)
  }

  /**
   * The cores stored on disk, read from their files without opening any: `{ discoveryKey, key, name,
   * writable }` each. The root lists every core; a namespace view the cores derived in it (named as
   * the view or below it: `a`, `a:b`…). `opts.namespace` narrows to a namespace below this view.
   * @throws {CorestoreError} `STORE_NOT_READY`, `STORE_CLOSED`, `INVALID_NAME`, `LISTING_UNSUPPORTED`
   */
  storedCores(opts: { namespace?: string | Uint8Array } = {}): AsyncIterable<StoredCore> {
    this.#guard('storedCores')
    const namespace = listedNamespace(this.#parent ? this.name : null, opts, this.#prefix)
    return this.#shared.storedCores(namespace === null ? {} : { namespace })
  }

  /**
   * Delete a stored core's files (and the `xx/yy` folders it leaves empty). A core open only for
   * peers is closed first; one that a view holds is refused. Data of a writable core is gone for good.
   * @param key the core's key or discovery key (Buffer or hex)
   * @throws {CorestoreError} `CORE_IN_USE`, `CORE_NOT_FOUND`, `INVALID_KEY`, `STORE_NOT_READY`, `STORE_CLOSED`
   */
  async purge(key: KeyInput): Promise<void> {
    this.#guard('purge')
    await this.#shared.purge(parseKey(key, 'key'))
  }

  /** Cores open in the store, active (held) and passive, and live replication streams; store-wide. */
  stats(): StoreStats {
    return this.#shared.stats()
  }

  /**
   * One replication stream for every core this view holds (the root: every core held by anyone),
   * cores opened later, and any stored core the remote asks for by discovery key.
   */
  replicate(isInitiator: boolean, opts?: ReplicationOptions): ProtocolStream
  /** hypercore 9's form: the options carry `initiator`. */
  replicate(opts: ReplicationOptions & { initiator: boolean }): ProtocolStream
  replicate(
    initiatorOrOpts: boolean | (ReplicationOptions & { initiator: boolean }),
    maybeOpts?: ReplicationOptions,
  ): ProtocolStream {
    this.#guard('replicate', false)
    const { isInitiator, opts } = parseReplicateArguments(initiatorOrOpts, maybeOpts)
    const streamOpts = { ...this.#shared.streamDefaults, ...opts }
    if (this.#parent === null)
      return this.#shared.replicator.replicate(isInitiator, this.#shared.heldCores(), streamOpts)
    // A view's stream carries its own cores, and those it gets later.
    const holdings = this.#holdings
    const own = (core: Hypercore) => holdings.has((core.discoveryKey as Buffer).toString('hex'))
    return this.#shared.replicator.replicate(isInitiator, [...holdings.values()], streamOpts, own)
  }

  /** The cores this view holds: hex discovery key → core. */
  list(): Map<string, Hypercore> {
    return this.#holdings.toMap()
  }

  /** Whether the core `opts` names is open in the store (held or passive); before `ready()` none is. */
  isLoaded(opts?: GetInput): boolean {
    return this.#shared.isLoaded(parseGetInput(opts).request, false)
  }

  /** Whether the core `opts` names is held by some view (active), rather than open only for peers. */
  isExternal(opts?: GetInput): boolean {
    return this.#shared.isLoaded(parseGetInput(opts).request, true)
  }

  /**
   * Close this view. The root closes every core, every stream it made, and its views; a namespace
   * view releases only the cores it holds. Safe to call more than once.
   */
  close(cb?: Callback): Promise<void> {
    return engine.withCallback(this.#life.close(), cb)
  }

  async #close(): Promise<void> {
    dropped.unregister(this)
    this.#shared.retained.delete(this)
    if (this.#parent !== null) {
      this.#shared.listeners.delete(this.#listener)
      this.#holdings.releaseAll()
      return
    }
    // The root closes every core and empties the cache: releasing its references first would only
    // move each core into the passive LRU (evicting, and closing, those past its bound) on the way.
    // It keeps listening meanwhile, so 'core-close' reports each of them.
    this.#holdings.forgetAll()
    try {
      await this.#shared.close()
    } finally {
      this.#shared.listeners.delete(this.#listener)
    }
  }

  get #root(): Corestore {
    let view: Corestore = this
    while (view.#parent) view = view.#parent
    return view
  }

  /** A view of this store named `name` in full (namespace() composes it; namespaceOf() reads it). */
  #view(name: string): Corestore {
    const of: ViewOf = { shared: this.#shared, parent: this, name }
    return new Corestore(this.storage, {}, of as unknown as ViewToken)
  }

  #guard(method: string, needsOpen = true): void {
    if (this.#life.closing || this.#shared.closing) throw CorestoreError.closed()
    if (needsOpen && !this.#shared.opened) throw CorestoreError.notReady(method)
  }
}
