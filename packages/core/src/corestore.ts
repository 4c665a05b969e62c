import { EventEmitter } from 'node:events'
import { openStorage, type StorageInput, type StoredCore } from '@corestore/bootstrap'
import type { CoreCache } from '@corestore/cache'
import { engine, type Hypercore, type ProtocolStream, type ReplicationOptions } from '@corestore/engine'
import { CorestoreError } from '@corestore/errors'
import { Lifecycle } from '@corestore/lifecycle'
import { childName, Holdings, ROOT_NAME, viewNameOf } from '@corestore/namespace'
import { checkReplicateArguments } from '@corestore/replicator'
import {
  type CorestoreOptions,
  describe,
  type GetInput,
  type KeyInput,
  parseGetInput,
  parseKey,
  parseStoreOptions,
} from './options.js'
import { StoreCore, type StoreListener, type StoreStats } from './store.js'

type Callback = (err: Error | null) => void

/** Set by `namespace()` for the constructor it calls: views share their root's store. */
let viewOf: { inner: StoreCore; parent: Corestore; name: string } | null = null

/**
 * A corestore: the root store, or a namespace view of one (`store.namespace('a')`).
 * The API is corestore 5.8.2's; every method that takes a callback also returns a promise.
 */
export class Corestore extends EventEmitter {
  /** The name this view's `default()` core derives from: `default` at the root, `a`, `a:b`… below. */
  readonly name: string
  /** The `storage` argument as given. */
  readonly storage: StorageInput
  readonly #inner: StoreCore
  readonly #parent: Corestore | null
  readonly #holdings: Holdings<Hypercore>
  readonly #listener: StoreListener
  readonly #life = new Lifecycle({
    open: () => this.#inner.open(),
    close: () => this.#close(),
    closedError: () => CorestoreError.closed(),
  })

  /**
   * @param storage a directory path, or a function from a file path to a random-access-storage
   *   (`random-access-memory` itself is one)
   * @throws {CorestoreError} `INVALID_STORAGE`, `INVALID_OPTION`, `INVALID_MASTER_KEY`
   */
  constructor(storage: StorageInput, opts: CorestoreOptions = {}) {
    super()
    const view = viewOf
    viewOf = null
    if (view) {
      this.#inner = view.inner
      this.#parent = view.parent
      this.name = view.name
    } else {
      this.#inner = new StoreCore(openStorage(storage, opts), parseStoreOptions(opts))
      this.#parent = null
      this.name = ROOT_NAME
    }
    this.storage = storage
    this.#holdings = new Holdings(this.#inner.cache)
    this.#listener = {
      onfeed: (core, options) => {
        this.emit('feed', core, options)
        this.emit('core-open', core)
      },
      onclose: (core) => this.emit('core-close', core),
      onerror: (err) => {
        if (this.listenerCount('error') > 0) this.emit('error', err)
      },
      ongone: (id, core) => {
        if (this.#holdings.get(id) === core) this.#holdings.forget(id)
      },
    }
    this.#inner.listeners.add(this.#listener)
    // Many data structures listen to one store, as in corestore 5.
    this.setMaxListeners(0)
  }

  /** The store's core cache (shared by every view). */
  get cache(): CoreCache<Hypercore> {
    return this.#inner.cache
  }

  /** corestore 5 compatibility: a view's `store` is itself. */
  get store(): this {
    return this
  }

  get opened(): boolean {
    return this.#inner.opened && !this.closed
  }

  get closing(): boolean {
    return this.#life.closing
  }

  get closed(): boolean {
    return this.#life.closed || (this.#parent !== null && this.#inner.closing)
  }

  /**
   * Open the store: take the directory lock and load (or create) the master key. Concurrent calls
   * share one open. After `close()` it rejects with `STORE_CLOSED` and takes nothing, as 5.8.2 does.
   * @throws {CorestoreError} `CORRUPT_MASTER_KEY` when `master_key` exists but is not 32 bytes,
   *   `STORAGE_ERROR` when the storage fails (nothing is written then), `STORE_LOCKED`,
   *   `INVALID_STORAGE` when the directory path is a file or below one, `STORE_CLOSED`
   */
  ready(cb?: Callback): Promise<void> {
    return withCallback(this.#life.ready(), cb)
  }

  /** Same as `ready()` (corestore 5 is a nanoresource, which calls it `open`). */
  open(cb?: Callback): Promise<void> {
    return this.ready(cb)
  }

  /**
   * A core, returned at once (it opens in the background; `await engine.ready(core)` or `core.ready(cb)`).
   * @param opts a key (Buffer or hex), or `{ key }`, `{ discoveryKey }`, `{ keyPair }`, `{ name }`,
   *   plus hypercore options; nothing for a new writable core
   * @throws {CorestoreError} `STORE_NOT_READY`, `STORE_CLOSED`, `INVALID_KEY`, `INVALID_NAME`, `INVALID_OPTION`
   */
  get(opts?: GetInput): Hypercore {
    this.#guard('get')
    const { request, options } = parseGetInput(opts)
    const { id, core } = this.#inner.get(request, options)
    if (this.#holdings.hold(id, core) && core.opened) {
      // An open core newly held by this view joins the view's streams.
      this.#inner.replicator.offer(core)
    }
    return core
  }

  /** The core that bootstraps this view: derived from the view's name, the same after every restart. */
  default(opts?: GetInput): Hypercore {
    if (typeof opts === 'string' || opts instanceof Uint8Array) return this.get({ key: opts, name: this.name })
    if (opts !== undefined && opts !== null && (typeof opts !== 'object' || Array.isArray(opts))) {
      throw CorestoreError.invalidOption('opts', 'an options object or a key')
    }
    return this.get({ ...(opts ?? {}), name: this.name })
  }

  /**
   * A view whose `default()` derives from `name` (joined to this view's name with `:`).
   * @param name a string, a Buffer (its hex is used), or nothing for a random name
   */
  namespace(name?: string | Uint8Array): Corestore {
    this.#guard('namespace', false)
    return this.#view(childName(this.#parent ? this.name : null, name))
  }

  /**
   * The view whose `default()` the derived core `keyOrCore` is, from the name stored with the core:
   * `a:b` gives the view `namespace('a').namespace('b')` would, `default` the root itself. No need to
   * keep a key → namespace mapping to make a data structure writable again after a restart.
   * @throws {CorestoreError} `NOT_DERIVED` (no `name`: not derived from the master key),
   *   `NOT_A_NAMESPACE_DEFAULT` (derived from random bytes, by `get()`), `CORE_NOT_FOUND`,
   *   `NAME_MISMATCH`, `CORRUPT_NAME`, `INVALID_KEY`
   */
  async namespaceOf(keyOrCore: Hypercore | KeyInput): Promise<Corestore> {
    this.#guard('namespaceOf')
    let key: Buffer
    if (isCore(keyOrCore)) {
      await engine.ready(keyOrCore)
      key = keyOrCore.key as Buffer
    } else {
      key = parseKey(keyOrCore, 'keyOrCore')
    }
    const name = viewNameOf(await this.#inner.storedName(key))
    this.#guard('namespaceOf')
    const root = this.#root
    return name === ROOT_NAME ? root : root.#view(name)
  }

  /**
   * The cores stored on disk, read from their files without opening any: `{ discoveryKey, key, name,
   * writable }` each. The root lists every core; a namespace view the cores derived in it (named as
   * the view or below it: `a`, `a:b`…). `opts.namespace` narrows to a namespace below this view.
   * @throws {CorestoreError} `STORE_NOT_READY`, `STORE_CLOSED`, `INVALID_NAME`; the iteration fails
   *   with `LISTING_UNSUPPORTED` when the storage is a function
   */
  storedCores(opts: { namespace?: string | Uint8Array } = {}): AsyncIterable<StoredCore> {
    this.#guard('storedCores')
    if (typeof opts !== 'object' || opts === null) throw CorestoreError.invalidOption('opts', 'an options object')
    const own = this.#parent ? this.name : null
    const ns = opts.namespace
    if (ns === undefined) return this.#inner.storedCores(own === null ? {} : { namespace: own })
    if (!((typeof ns === 'string' || ns instanceof Uint8Array) && ns.length > 0)) {
      throw new CorestoreError(
        'INVALID_NAME',
        `opts.namespace must be a non-empty string or Buffer, got ${describe(ns)}`,
      )
    }
    return this.#inner.storedCores({ namespace: childName(own, ns) })
  }

  /**
   * Delete a stored core's files (and the `xx/yy` folders it leaves empty). A core open only for
   * peers is closed first; one that a view holds is refused. Data of a writable core is gone for good.
   * @param key the core's key or discovery key (Buffer or hex)
   * @throws {CorestoreError} `CORE_IN_USE`, `CORE_NOT_FOUND`, `INVALID_KEY`, `STORE_NOT_READY`, `STORE_CLOSED`
   */
  async purge(key: KeyInput): Promise<void> {
    this.#guard('purge')
    await this.#inner.purge(parseKey(key, 'key'))
  }

  /** Cores open in the store, active (held) and passive, and live replication streams; store-wide. */
  stats(): StoreStats {
    return this.#inner.stats()
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
    let isInitiator = initiatorOrOpts as boolean
    let opts = maybeOpts
    if (isOptionsWithInitiator(initiatorOrOpts) && maybeOpts === undefined) {
      const { initiator, ...rest } = initiatorOrOpts
      isInitiator = initiator
      opts = rest
    }
    const streamOpts = checkReplicateArguments(isInitiator, opts)
    const merged = { ...this.#inner.hypercoreDefaults, ...streamOpts }
    if (this.#parent === null) {
      const active = [...this.#inner.cache.entries()].filter((e) => e.refs > 0).map((e) => e.value)
      return this.#inner.replicator.replicate(isInitiator, active, merged)
    }
    const holdings = this.#holdings
    return this.#inner.replicator.replicate(isInitiator, [...holdings.values()], merged, (core) =>
      holdings.has((core.discoveryKey as Buffer).toString('hex')),
    )
  }

  /** The cores this view holds: hex discovery key → core. */
  list(): Map<string, Hypercore> {
    return this.#holdings.toMap()
  }

  /** Whether the core `opts` names is open in the store (held or passive). */
  isLoaded(opts?: GetInput): boolean {
    return this.#inner.cache.has(this.#idOf(opts))
  }

  /** Whether the core `opts` names is held by some view (active), rather than open only for peers. */
  isExternal(opts?: GetInput): boolean {
    return this.#inner.cache.refs(this.#idOf(opts)) > 0
  }

  /**
   * Close this view. The root closes every core, every stream it made, and its views; a namespace
   * view releases only the cores it holds. Safe to call more than once.
   */
  close(cb?: Callback): Promise<void> {
    return withCallback(this.#life.close(), cb)
  }

  async #close(): Promise<void> {
    // The root keeps listening while it closes its cores, so 'core-close' reports each of them.
    if (this.#parent !== null) this.#inner.listeners.delete(this.#listener)
    this.#holdings.releaseAll()
    try {
      if (this.#parent === null) await this.#inner.close()
    } finally {
      this.#inner.listeners.delete(this.#listener)
    }
  }

  get #root(): Corestore {
    let view: Corestore = this
    while (view.#parent) view = view.#parent
    return view
  }

  /** A view of this store named `name` in full (namespace() composes it; namespaceOf() reads it). */
  #view(name: string): Corestore {
    viewOf = { inner: this.#inner, parent: this, name }
    try {
      return new Corestore(this.storage)
    } finally {
      viewOf = null
    }
  }

  #idOf(opts: GetInput): string {
    if (!this.#inner.opened) throw CorestoreError.notReady('isLoaded')
    return this.#inner.idOf(parseGetInput(opts).request)
  }

  #guard(method: string, needsOpen = true): void {
    if (this.#life.closing || this.#inner.closing) throw CorestoreError.closed()
    if (needsOpen && !this.#inner.opened) throw CorestoreError.notReady(method)
  }
}

function isCore(value: unknown): value is Hypercore {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    typeof (value as { ready?: unknown }).ready === 'function'
  )
}

function isOptionsWithInitiator(value: unknown): value is ReplicationOptions & { initiator: boolean } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { initiator?: unknown }).initiator === 'boolean'
  )
}

function withCallback(promise: Promise<void>, cb?: Callback): Promise<void> {
  if (cb) promise.then(() => cb(null), cb)
  return promise
}
