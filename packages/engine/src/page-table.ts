/**
 * A page table with memory-pager 1.5.0's interface and behaviour that takes memory only for the
 * pages it holds. memory-pager makes every table with a 32,768-slot array (256 KiB on 64-bit V8)
 * and hypercore 9 makes two tables per core (its bitfield and `_reserved`): that was 512 KiB of
 * each open core's ~520 KiB of heap.
 *
 * What callers see is kept exactly, quirks included (the differential test checks it against
 * memory-pager 1.5.0): page indexes are addressed modulo the capacity memory-pager would have
 * grown to, so an allocating access at exactly that capacity (32,768 first, 32,768² after it
 * grew once) lands on slot 0 as it does there.
 */

/** memory-pager's table width: its capacity grows by this factor, one level at a time. */
const WIDTH = 32768

export interface PageTableOptions {
  /** A buffer that pages equal to it share instead of holding their own copy (hypercore: all 0xff). */
  deduplicate?: Buffer | null
}

/** One page: its bytes and where they go in the file (`offset`), as memory-pager's pages. */
export class Page {
  offset: number
  buffer: Buffer
  /** Queued in the table's `updates`. */
  updated = false
  /** How far the comparison with the table's `deduplicate` buffer has got (resumed on the next update). */
  deduplicate = 0

  constructor(index: number, buffer: Buffer) {
    this.offset = index * buffer.length
    this.buffer = buffer
  }
}

export class PageTable {
  /** One past the highest page index ever allocated or set. */
  length = 0
  /** Pages marked by `updated()`, taken back by `lastUpdate()`; `null` turns tracking off. */
  updates: Page[] | null = []
  readonly pageSize: number
  readonly deduplicate: Buffer | null | undefined
  #zeros: Buffer | null = null
  /** Page indexes addressable without growing: memory-pager's `maxPages`. */
  #capacity = WIDTH
  #level = 0
  /** Slots below WIDTH in an array that grows as pages arrive; the rare far ones in a map. */
  readonly #near: (Page | undefined)[] = []
  #far: Map<number, Page> | null = null

  constructor(pageSize?: number, opts?: PageTableOptions | null) {
    this.pageSize = pageSize || 1024
    this.deduplicate = opts ? opts.deduplicate : null
  }

  /**
   * All zeros, as long as `deduplicate` (`null` without it): setting such a page clears it. Made on
   * first read only; `set` checks for zeros without it (3.5 KiB less per hypercore bitfield).
   */
  get zeros(): Buffer | null {
    if (!this.deduplicate) return null
    this.#zeros ??= Buffer.alloc(this.deduplicate.length)
    return this.#zeros
  }

  /** memory-pager's `maxPages`. */
  get maxPages(): number {
    return this.#capacity
  }

  /** memory-pager's `level`: how many times the capacity grew. */
  get level(): number {
    return this.#level
  }

  /**
   * The page at `index`. Allocates a zeroed one when absent unless `noAllocate`; a page sharing the
   * deduplicated buffer gets its own copy when asked for without `noAllocate` (it may be written).
   */
  get(index: number, noAllocate?: boolean): Page | undefined {
    let page: Page | undefined
    if (noAllocate) {
      if (index >= this.#capacity) return undefined
      page = this.#slot(index)
    } else {
      const slot = this.#grow(index)
      page = this.#read(slot)
      if (!page) {
        page = new Page(index, Buffer.alloc(this.pageSize))
        this.#write(slot, page)
        if (index >= this.length) this.length = index + 1
      }
    }
    if (page && page.buffer === this.deduplicate && this.deduplicate && !noAllocate) {
      page.buffer = Buffer.from(page.buffer)
      page.deduplicate = 0
    }
    return page
  }

  /**
   * Put `buf` (cut or zero-padded to the page size) at `index`. Nothing, or zeros when the table
   * deduplicates, clears the page; a buffer equal to `deduplicate` is replaced by it.
   */
  set(index: number, buf: Buffer | null | undefined): void {
    const slot = this.#grow(index)
    if (index >= this.length) this.length = index + 1
    if (!buf || (this.deduplicate && isZeros(buf, this.deduplicate.length))) {
      this.#write(slot, undefined)
      return
    }
    if (this.deduplicate && buf.equals?.(this.deduplicate)) buf = this.deduplicate
    const fitted = fit(buf, this.pageSize)
    const page = this.#read(slot)
    if (page) page.buffer = fitted
    else this.#write(slot, new Page(index, fitted))
  }

  /** Mark `page` changed: queue it in `updates` once, and let it share `deduplicate` once equal to it. */
  updated(page: Page): void {
    const same = this.deduplicate
    // The comparison resumes where the last update left it, so a page filling up is scanned once.
    while (same && page.buffer[page.deduplicate] === same[page.deduplicate]) {
      page.deduplicate++
      if (page.deduplicate === same.length) {
        page.deduplicate = 0
        if (page.buffer.equals?.(same)) page.buffer = same
        break
      }
    }
    if (page.updated || !this.updates) return
    page.updated = true
    this.updates.push(page)
  }

  /** Take the most recently queued update, or `null`. */
  lastUpdate(): Page | null {
    const page = this.updates?.pop()
    if (!page) return null
    page.updated = false
    return page
  }

  /** Every page from 0 to `length`, absent ones as zeros, in one buffer. */
  toBuffer(): Buffer {
    const empty = Buffer.alloc(this.pageSize)
    const list: Buffer[] = new Array(this.length)
    for (let i = 0; i < this.length; i++) {
      const page = i < this.#capacity ? this.#slot(i) : undefined
      list[i] = page ? page.buffer : empty
    }
    return Buffer.concat(list)
  }

  /** Grow the capacity as memory-pager does for an allocating access, and give the slot `index` lands on. */
  #grow(index: number): number {
    // memory-pager grows only while its capacity is *below* the index: an index equal to it wraps.
    while (this.#capacity < index) {
      this.#capacity *= WIDTH
      this.#level++
    }
    return mod(index, this.#capacity)
  }

  #slot(index: number): Page | undefined {
    return this.#read(mod(index, this.#capacity))
  }

  #read(slot: number): Page | undefined {
    return slot < WIDTH ? this.#near[slot] : this.#far?.get(slot)
  }

  #write(slot: number, page: Page | undefined): void {
    if (slot < WIDTH) {
      this.#near[slot] = page
    } else if (page) {
      this.#far ??= new Map()
      this.#far.set(slot, page)
    } else {
      this.#far?.delete(slot)
    }
  }
}

/** Whether `buf` equals `size` zero bytes (memory-pager asks `buf.equals(zeros)`: a Buffer's method). */
function isZeros(buf: Buffer, size: number): boolean {
  if (typeof buf.equals !== 'function' || buf.length !== size) return false
  for (let i = 0; i < size; i++) if (buf[i] !== 0) return false
  return true
}

/** `buf` at exactly `size` bytes: itself, its start, or a zero-padded copy. */
function fit(buf: Buffer, size: number): Buffer {
  if (buf.length === size) return buf
  if (buf.length > size) return buf.subarray(0, size)
  const padded = Buffer.alloc(size)
  padded.set(buf)
  return padded
}

/** The slot of a page index: memory-pager's base-32,768 digits below its capacity, i.e. a floored modulo. */
function mod(index: number, capacity: number): number {
  const r = index % capacity
  return r < 0 ? r + capacity : r
}

/** memory-pager's export: a function that makes a table, with or without `new`. */
export type CreatePageTable = ((pageSize?: number, opts?: PageTableOptions | null) => PageTable) & {
  readonly prototype: PageTable
}

function Pager(pageSize?: number, opts?: PageTableOptions | null): PageTable {
  return new PageTable(pageSize, opts)
}
// `pager(…) instanceof pager` holds, as with memory-pager.
Pager.prototype = PageTable.prototype

export const createPageTable = Pager as CreatePageTable
