import {
  type RandomAccessStorage,
  RandomAccessStorageClass,
  type StorageCallback,
  type StorageRequest,
} from '@corestore/engine'
import { notFound } from '@corestore/engine/internal'
import {
  type CrashModel,
  drawOdds,
  type FileHistory,
  fileAfterPowerLoss,
  resize,
  type Unsynced,
  writeAt,
} from './crash-image.ts'

export { CRASH_MODELS, type CrashModel, PAGE, SECTOR } from './crash-image.ts'

export interface SimulatedDiskOptions {
  /** Give files a `sync(cb)` method (default `true`); `false` is a storage that cannot sync. */
  sync?: boolean
  /** Delay each completion by 0–2 ticks drawn from it, so interleavings vary by seed (default: none). */
  random?: () => number
}

/** One mutating operation, as it reached the disk. `offset` and `size` are 0 for `destroy` and `sync`. */
export interface DiskOperation {
  readonly seq: number
  readonly path: string
  readonly op: 'write' | 'del' | 'destroy' | 'sync'
  readonly offset: number
  readonly size: number
}

/** A file of the simulated disk: random-access-storage 1.x, plus `sync(cb)` unless the disk has none. */
export interface SimulatedFile extends RandomAccessStorage {
  /** Make the file's bytes and its existence durable, as fsync of the file and of its directory would. */
  sync?(cb?: StorageCallback): void
}

/** What a file holds: now, and for sure after a power loss. */
export interface FileState extends FileHistory {
  readonly path: string
}

export interface SimulatedDisk {
  /** A corestore storage function: instances opened on one path share one file. */
  readonly storage: (path: string) => SimulatedFile
  /** Every mutating operation, in the order issued. */
  readonly log: readonly DiskOperation[]
  readonly crashed: boolean
  /** Lose power as the `n`-th mutating operation from now is issued (it is not performed). */
  crashAfter(n: number): void
  /** Lose power now: from here on no operation of any file calls back. */
  crash(): void
  whenCrashed(): Promise<void>
  /** A new disk holding what the platter might hold once power is back, every file durable. */
  image(model: CrashModel, random: () => number): SimulatedDisk
  /** Every file that exists now, durable or not, sorted by path. */
  files(): FileState[]
}

/**
 * A disk behind a page cache, for power-loss tests: files behave as random-access-file 2.2 does on
 * a directory, and each remembers what its last `sync` made durable, so `image()` can tell what a
 * power cut leaves behind.
 */
export function createSimulatedDisk(opts: SimulatedDiskOptions = {}): SimulatedDisk {
  return new Disk(opts, new Map())
}

interface FileRecord {
  current: Buffer | null
  durable: Buffer | null
  unsynced: Unsynced[]
}

/** random-access-storage 1.x's `open(cb)`, which the engine's interface leaves out. */
type OpenableFile = SimulatedFile & { open(cb: StorageCallback): void }

class Disk implements SimulatedDisk {
  readonly log: DiskOperation[] = []
  crashed = false
  readonly #opts: SimulatedDiskOptions
  readonly #files: Map<string, FileRecord>
  #countdown = 0
  #onCrash: (() => void)[] = []

  constructor(opts: SimulatedDiskOptions, files: Map<string, FileRecord>) {
    this.#opts = opts
    this.#files = files
  }

  readonly storage = (path: string): SimulatedFile => {
    const record = (): FileRecord => {
      let file = this.#files.get(path)
      if (!file) {
        file = { current: null, durable: null, unsynced: [] }
        this.#files.set(path, file)
      }
      return file
    }
    const reply = <T>(req: StorageRequest<T>, err: Error | null, value?: T) =>
      this.#deliver((e, v) => req.callback(e, v), err, value)
    const file: OpenableFile = new RandomAccessStorageClass({
      open: (req) => reply(req, null),
      close: (req) => reply(req, null),
      read: (req) => {
        if (this.crashed) return
        const bytes = record().current
        if (!bytes) reply(req, notFound(path))
        else if (req.size > 0 && req.offset + req.size > bytes.length)
          reply(req, partialRead(path, req.offset, req.size))
        else reply(req, null, Buffer.from(bytes.subarray(req.offset, req.offset + req.size)))
      },
      stat: (req) => {
        if (this.crashed) return
        const bytes = record().current
        reply(req, bytes ? null : notFound(path), bytes ? { size: bytes.length } : undefined)
      },
      write: (req) => {
        const data = req.data as Buffer
        if (!this.#mutate(path, 'write', req.offset, req.size)) return
        const f = record()
        f.current = writeAt(f.current, req.offset, data)
        f.unsynced.push({ kind: 'write', offset: req.offset, data: Buffer.from(data) })
        reply(req, null)
      },
      del: (req) => {
        if (!this.#mutate(path, 'del', req.offset, req.size)) return
        const f = record()
        // random-access-file truncates only a delete that reaches the end of the file.
        if (f.current && req.offset + req.size >= f.current.length) {
          f.current = resize(f.current, req.offset)
          f.unsynced.push({ kind: 'truncate', size: req.offset })
        }
        reply(req, null)
      },
      destroy: (req) => {
        if (!this.#mutate(path, 'destroy', 0, 0)) return
        const f = record()
        f.current = null
        f.unsynced.push({ kind: 'destroy' })
        reply(req, null)
      },
    }) as OpenableFile
    if (this.#opts.sync === false) return file
    // Through open(): a sync issued before the file opened covers the writes queued ahead of it.
    file.sync = (cb: StorageCallback = () => {}) =>
      file.open((err) => {
        if (err || file.closed) return this.#deliver(cb, err ?? new Error('Closed'))
        if (!this.#mutate(path, 'sync', 0, 0)) return
        const f = record()
        f.durable = f.current && Buffer.from(f.current)
        f.unsynced = []
        this.#deliver(cb, null)
      })
    return file
  }

  crashAfter(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`crashAfter(n): n must be a positive integer, not ${n}`)
    this.#countdown = n
  }

  crash(): void {
    if (this.crashed) return
    this.crashed = true
    for (const fn of this.#onCrash.splice(0)) fn()
  }

  whenCrashed(): Promise<void> {
    if (this.crashed) return Promise.resolve()
    return new Promise((resolve) => this.#onCrash.push(resolve))
  }

  image(model: CrashModel, random: () => number): SimulatedDisk {
    const odds = drawOdds(random)
    const files = new Map<string, FileRecord>()
    // In the order the files were first opened, not by name: paths hold keys a store draws at
    // random, and a replay must draw the same numbers for the same file.
    for (const [path, record] of this.#files) {
      const content = fileAfterPowerLoss(record, model, odds, random)
      if (content) files.set(path, { current: content, durable: Buffer.from(content), unsynced: [] })
    }
    return new Disk(this.#opts, files)
  }

  files(): FileState[] {
    return [...this.#files.entries()]
      .filter(([, f]) => f.current !== null || f.durable !== null || f.unsynced.length > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([path, f]) => ({ path, current: f.current, durable: f.durable, unsynced: [...f.unsynced] }))
  }

  /** Count a mutating operation; `false` when the power is off, or goes off as it is issued. */
  #mutate(path: string, op: DiskOperation['op'], offset: number, size: number): boolean {
    if (this.crashed) return false
    if (this.#countdown > 0 && --this.#countdown === 0) {
      this.crash()
      return false
    }
    this.log.push({ seq: this.log.length + 1, path, op, offset, size })
    return true
  }

  /** Call back asynchronously (after 0–2 extra ticks with `random`), unless the power went off meanwhile. */
  #deliver<T>(cb: StorageCallback<T>, err: Error | null, value?: T): void {
    if (this.crashed) return
    let ticks = this.#opts.random ? Math.floor(this.#opts.random() * 3) : 0
    const step = () => {
      if (this.crashed) return
      if (ticks-- > 0) process.nextTick(step)
      else cb(err, value)
    }
    process.nextTick(step)
  }
}

/** What random-access-file 2.2.1 reports for a read past the end of the file. */
function partialRead(path: string, offset: number, size: number): Error {
  return Object.assign(new Error('Could not satisfy length'), { code: 'EPARTIALREAD', path, offset, size })
}
