import type { RandomAccessStorage, StorageCallback } from '@corestore/engine'
import { HEADER_SIZE, statedPageSize, withPageSize } from '@corestore/engine/internal'

/** What a core's tracked files ask of the core they belong to (see `CoreFiles`). */
export interface FileOwner {
  /** Whether the store syncs each block before acknowledging it. */
  readonly durable: boolean
  /** Run a write that may leave the core inconsistent if torn: once the journal covers it. */
  beforeBlockWrite(run: () => void, cb: StorageCallback): void
  /** In durable mode, after a block's file was synced: what else its first commit needs (folders). */
  afterSync(done: StorageCallback): StorageCallback
  /** The file closed; `dirty`: it had block writes since its last sync. */
  closing(file: TrackedFile, cb: StorageCallback): void
}

/** Callers a sync keeps waiting for writes under way, at most. */
const MAX_WAITING = 64

/** The files whose blocks hypercore 9 acknowledges only once written (the bitfield is written after). */
const SYNCED_WHEN_DURABLE = new Set(['data', 'tree', 'signatures'])

/**
 * One of a core's hypercore files (`bitfield`, `tree`, `data`, `signatures`), as hypercore sees it:
 * the storage's own file, with every write that changes blocks held until the journal covers the
 * core, and in durable mode called back only once synced. Concurrent writes to a file share one
 * sync (group commit).
 */
export class TrackedFile implements RandomAccessStorage {
  readonly name: string
  readonly real: RandomAccessStorage
  /** Block writes since the last sync. */
  dirty = false
  readonly #owner: FileOwner
  readonly #syncs: boolean
  #waiting: StorageCallback[] = []
  #syncing = false
  /** Block writes issued and not called back: a sync waits for them, so one sync covers a commit. */
  #inflight = 0

  constructor(owner: FileOwner, name: string, real: RandomAccessStorage) {
    this.#owner = owner
    this.name = name
    this.real = real
    this.#syncs = owner.durable && SYNCED_WHEN_DURABLE.has(name)
  }

  get statable(): boolean {
    return (this.real as { statable?: boolean }).statable === true
  }

  read(offset: number, size: number, cb: StorageCallback<Buffer>): void {
    if (this.name === 'bitfield' && offset === 0 && size === HEADER_SIZE) this.real.read(offset, size, sanitized(cb))
    else this.real.read(offset, size, cb)
  }

  write(offset: number, data: Buffer, cb: StorageCallback = noop): void {
    // hypercore 9 rewrites the same 32-byte header at every open: torn or not, it reads back the same.
    if (offset === 0 && data.length === HEADER_SIZE && this.name !== 'data') {
      this.real.write(offset, data, cb)
      return
    }
    this.#owner.beforeBlockWrite(() => {
      this.#inflight++
      this.real.write(offset, data, this.#written(cb))
    }, cb)
  }

  del(offset: number, size: number, cb: StorageCallback = noop): void {
    this.#owner.beforeBlockWrite(() => {
      this.#inflight++
      this.real.del(offset, size, this.#written(cb))
    }, cb)
  }

  stat(cb: StorageCallback<{ size: number }>): void {
    this.real.stat(cb)
  }

  sync(cb: StorageCallback = noop): void {
    this.#waiting.push(cb)
    this.#maybeSync()
  }

  close(cb: StorageCallback = noop): void {
    this.#owner.closing(this, cb)
  }

  destroy(cb: StorageCallback = noop): void {
    this.real.destroy(cb)
  }

  /** Once written, the file is dirty; in durable mode the caller hears back after the sync that covers it. */
  #written(cb: StorageCallback): StorageCallback {
    return (err) => {
      this.#inflight--
      if (err) cb(err)
      else {
        this.dirty = true
        if (this.#syncs) this.#waiting.push(this.#owner.afterSync(cb))
        else cb(null)
      }
      // A sync asked for (by this write, or by a close) may have waited for this write.
      this.#maybeSync()
    }
  }

  /**
   * Start a sync for the callers waiting, unless one runs, or writes to the file are under way that
   * the same sync should cover (hypercore writes a commit's tree nodes in several writes): the last
   * of them starts it. A crowd of waiters does not wait for a stream of writes that never pauses.
   */
  #maybeSync(): void {
    if (this.#syncing || this.#waiting.length === 0) return
    if (this.#inflight > 0 && this.#waiting.length < MAX_WAITING) return
    this.#startSync()
  }

  #startSync(): void {
    this.#syncing = true
    // Writes that complete in this turn of the event loop join the same sync.
    setImmediate(() => {
      const batch = this.#waiting
      this.#waiting = []
      this.dirty = false
      ;(this.real.sync as (cb: StorageCallback) => void).call(this.real, (err) => {
        if (err) this.dirty = true
        this.#syncing = false
        for (const cb of batch) cb(err ?? null)
        this.#maybeSync()
      })
    })
  }
}

/**
 * A bitfield header whose page size a crash zeroed (its size reached the disk, its bytes did not):
 * hypercore 9 would read no pages at all, take the core for empty and overwrite it. Every hypercore 9
 * bitfield has 3584-byte pages.
 */
function sanitized(cb: StorageCallback<Buffer>): StorageCallback<Buffer> {
  return (err, header) => {
    if (!err && header && header.length >= HEADER_SIZE && statedPageSize(header) === 0) {
      return cb(null, withPageSize(header))
    }
    cb(err, header)
  }
}

/** Every file of a core whose keys could not be settled: each operation fails with the reason. */
export class FailingFile implements RandomAccessStorage {
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

export function noop(): void {}
