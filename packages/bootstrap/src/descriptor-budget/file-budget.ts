import { fdatasync, readFileSync } from 'node:fs'
import { type RandomAccessStorage, randomAccessFile, type StorageCallback } from '@corestore/engine'

export { checkMaxOpenFiles } from './max-open-files.js'

/**
 * fdatasync a random-access-file's descriptor, opening it first if needed (a descriptor opened
 * read-only syncs the file's data as well: fsync acts on the file, not the descriptor).
 */
export function syncRandomAccessFile(file: RandomAccessStorage & { fd?: number }, cb: StorageCallback): void {
  ;(file as RandomAccessStorage & { open(cb: StorageCallback): void }).open((err) => {
    if (err) cb(err)
    else fdatasync(file.fd as number, (err) => cb(err ?? null))
  })
}

/** The budget when the process's descriptor limit cannot be read (not Linux). */
const FALLBACK_MAX_OPEN_FILES = 512

/**
 * The default `maxOpenFiles`: half the process's soft limit on open files, so one store stays well
 * inside it (sockets, other stores and the store's own lock need the rest); 512 where the limit
 * cannot be read.
 */
export function defaultMaxOpenFiles(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8')
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1]
    if (soft) return Math.max(8, Math.floor(Number(soft) / 2))
  } catch {
    // No /proc: keep the fallback.
  }
  return FALLBACK_MAX_OPEN_FILES
}

/**
 * At most `max` files of a directory store hold a descriptor at once. A file takes a slot on its
 * first operation and keeps it while it is used; when every slot is taken, the file used least
 * recently with no operation running is closed to make room, and reopened (by a new
 * random-access-file on the same path, so files are opened exactly as before) when next used.
 *
 * random-access-file 4's pool was tried first: it counts a file only once its descriptor is open and
 * suspends another one after, so files opened together all get a descriptor first — 3,000 hypercores
 * opened at once under a limit of 1,024 failed with EMFILE. Here a file waits for its slot *before*
 * it opens, so the bound holds at every moment.
 */
export class FileBudget {
  readonly max: number
  /** Slots taken: files with a descriptor open, opening, or being closed to make room. */
  #held = 0
  /** Files holding a slot with no operation running, least recently used first. */
  readonly #idle = new Set<BudgetedFile>()
  /** Files waiting for a slot, in order. */
  readonly #waiting: BudgetedFile[] = []
  /** Files being closed to make room. */
  #evicting = 0

  constructor(max: number) {
    this.max = max
  }

  /** Files holding (or freeing) a descriptor now. */
  get held(): number {
    return this.#held
  }

  /** A file of the store, as random-access-file would open it: `path` below `directory`. */
  file(path: string, directory: string): RandomAccessStorage {
    return new BudgetedFile(this, path, directory)
  }

  request(file: BudgetedFile): void {
    this.#waiting.push(file)
    this.#pump()
  }

  idle(file: BudgetedFile): void {
    this.#idle.delete(file)
    this.#idle.add(file)
    this.#pump()
  }

  busy(file: BudgetedFile): void {
    this.#idle.delete(file)
  }

  /** `file` closed its descriptor for good (the store closed it). */
  release(file: BudgetedFile): void {
    this.#idle.delete(file)
    this.#held--
    this.#pump()
  }

  #pump(): void {
    while (this.#waiting.length > 0) {
      if (this.#held < this.max) {
        this.#held++
        ;(this.#waiting.shift() as BudgetedFile).grant()
        continue
      }
      if (this.#evicting >= this.#waiting.length) return
      const victim = this.#idle.values().next().value
      if (!victim) return
      this.#idle.delete(victim)
      this.#evicting++
      victim.evict(() => {
        this.#evicting--
        this.#held--
        this.#pump()
      })
    }
  }
}

type Operation = (file: RandomAccessStorage) => void

/** A read under way, and everyone waiting for its bytes. */
interface ReadUnderWay {
  readonly size: number
  readonly callers: StorageCallback<Buffer>[]
}

/** Call back every caller of a shared read: the first with the bytes, each other with a copy; a throw waits for the rest. */
function answerAll(callers: StorageCallback<Buffer>[], err: Error | null, value: Buffer | undefined): void {
  let thrown: { error: unknown } | null = null
  for (let i = 0; i < callers.length; i++) {
    try {
      ;(callers[i] as StorageCallback<Buffer>)(err, i === 0 || !value ? value : Buffer.from(value))
    } catch (error) {
      thrown ??= { error }
    }
  }
  if (thrown) throw thrown.error
}

/**
 * One file of a directory store under a budget. It behaves as the random-access-storage 1 instance
 * random-access-file 2 gives (operations after `close()` fail with `Closed`, `close()` waits for the
 * operations before it, `destroy()` closes then unlinks), but is a plain object: a store may hold
 * tens of thousands.
 */
class BudgetedFile implements RandomAccessStorage {
  readonly readable = true
  readonly writable = true
  readonly deletable = true
  /** hypercore 9 reads a file in one go (stat, then read) only when this is `true`. */
  readonly statable = true
  opened = false
  closed = false
  destroyed = false
  readonly #budget: FileBudget
  readonly #path: string
  readonly #directory: string
  /** The random-access-file holding the descriptor, while this file holds a slot. */
  #file: RandomAccessStorage | null = null
  #waiting = false
  /** Operations waiting for the slot. */
  #queued: Operation[] = []
  /** Operations started on `#file` and not called back. */
  #running = 0
  /** Operations accepted and not called back (queued or running). */
  #pending = 0
  /** Callbacks of `close()`, from its first call until it finished. */
  #closing: StorageCallback[] | null = null
  /**
   * Reads under way by offset, and who else waits for each: a read of the same bytes asked for
   * meanwhile waits for it instead of reading again. Forgotten at every write or del, so that a read
   * asked for after one is never answered with bytes read before it.
   */
  #reads: Map<number, ReadUnderWay> | null = null

  constructor(budget: FileBudget, path: string, directory: string) {
    this.#budget = budget
    this.#path = path
    this.#directory = directory
  }

  /**
   * hypercore 9 caches a tree node only once its read is back, and never a signature: a core that
   * answers many peers at once asks for the same node or signature again while the first read of it
   * is still under way (16 readers in the swarm bench: 114,000 of 134,000 tree reads and 25,400 of
   * 25,600 signature reads). Such a read waits for the one under way; each caller after the first
   * gets a copy of the bytes, as if it had read them itself.
   */
  read(offset: number, size: number, cb: StorageCallback<Buffer>): void {
    const read = (file: RandomAccessStorage, done: StorageCallback<Buffer>) => file.read(offset, size, done)
    if (this.#closing || this.closed) {
      this.#run(read, cb)
      return
    }
    this.#reads ??= new Map()
    const reads = this.#reads
    const under = reads.get(offset)
    if (under) {
      if (under.size === size) under.callers.push(cb)
      else this.#run(read, cb)
      return
    }
    const mine: ReadUnderWay = { size, callers: [cb] }
    reads.set(offset, mine)
    this.#run(read, (err, value) => {
      if (this.#reads?.get(offset) === mine) this.#reads.delete(offset)
      answerAll(mine.callers, err, value)
    })
  }

  write(offset: number, data: Buffer, cb: StorageCallback = noop): void {
    this.#reads?.clear()
    this.#run((file, done) => file.write(offset, data, done), cb)
  }

  del(offset: number, size: number, cb: StorageCallback = noop): void {
    this.#reads?.clear()
    this.#run((file, done) => file.del(offset, size, done), cb)
  }

  stat(cb: StorageCallback<{ size: number }>): void {
    this.#run<{ size: number }>((file, done) => file.stat(done), cb)
  }

  sync(cb: StorageCallback = noop): void {
    this.#run((file, done) => syncRandomAccessFile(file, done), cb)
  }

  close(cb: StorageCallback = noop): void {
    if (this.closed) {
      process.nextTick(cb, null)
      return
    }
    if (this.#closing) {
      this.#closing.push(cb)
      return
    }
    this.#closing = [cb]
    if (this.#pending === 0) this.#finishClose()
  }

  destroy(cb: StorageCallback = noop): void {
    this.close(() => {
      if (this.destroyed) return cb(null)
      // Unlinking needs no descriptor: a random-access-file that never opens does it.
      randomAccessFile(this.#path, { directory: this.#directory }).destroy((err) => {
        if (!err) this.destroyed = true
        cb(err)
      })
    })
  }

  /** The budget gave this file a slot: open its random-access-file and run what waited. */
  grant(): void {
    this.#waiting = false
    this.#file = randomAccessFile(this.#path, { directory: this.#directory })
    const queued = this.#queued
    this.#queued = []
    for (const operation of queued) this.#start(operation)
    if (this.#running === 0) this.#budget.idle(this)
  }

  /** Close the descriptor to give the slot to another file; the next operation reopens. */
  evict(done: () => void): void {
    const file = this.#file as RandomAccessStorage
    this.#file = null
    file.close(() => done())
  }

  #run<T>(operation: (file: RandomAccessStorage, done: StorageCallback<T>) => void, cb: StorageCallback<T>): void {
    if (this.#closing || this.closed) {
      process.nextTick(cb, new Error('Closed'))
      return
    }
    this.#pending++
    const done: StorageCallback<T> = (err, value) => {
      if (!err) this.opened = true
      this.#running--
      this.#pending--
      try {
        cb(err, value)
      } finally {
        // After the callback: an operation it starts keeps the descriptor instead of losing it to a waiter.
        if (this.#running === 0 && this.#file) this.#budget.idle(this)
        if (this.#pending === 0 && this.#closing && !this.closed) this.#finishClose()
      }
    }
    const start: Operation = (file) => operation(file, done)
    if (this.#file) this.#start(start)
    else {
      this.#queued.push(start)
      if (!this.#waiting) {
        this.#waiting = true
        this.#budget.request(this)
      }
    }
  }

  #start(operation: Operation): void {
    if (this.#running++ === 0) this.#budget.busy(this)
    operation(this.#file as RandomAccessStorage)
  }

  #finishClose(): void {
    const finish = (err: Error | null) => {
      this.closed = true
      const callbacks = this.#closing ?? []
      this.#closing = null
      for (const cb of callbacks) cb(err)
    }
    const file = this.#file
    if (!file) {
      process.nextTick(finish, null)
      return
    }
    this.#file = null
    this.#budget.busy(this)
    file.close((err) => {
      this.#budget.release(this)
      finish(err ?? null)
    })
  }
}

function noop(): void {}
