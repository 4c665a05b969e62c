import type { RandomAccessStorage } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import type { Storage } from '../storage.js'

/**
 * The store's recovery journal: which cores may have writes a power loss could tear, and what is
 * needed to repair them. A core gets an entry, synced, BEFORE the first write that could leave it
 * inconsistent (its creation, or its first block written in a session); the entry is retired once
 * every file of the core is synced. So after any crash, a core without an entry is whole on disk,
 * and one with an entry is repaired from it when next opened. corestore 5 ignores the file.
 */
export const JOURNAL_FILE = 'JOURNAL'

/** What the journal keeps about a core that is being written. */
export interface JournalEntry {
  readonly discoveryKey: Buffer
  readonly publicKey: Buffer
  /** A derived core's name: its `name` file, and its secret key, come back from it. */
  readonly name: Buffer | null
  /** A key pair's secret key, kept by hypercore in `secret_key`. */
  readonly secretKey: Buffer | null
  /** Blocks below this were on disk, whole, when the entry was written. */
  readonly trusted: number
  /** Blocks may have been written since: recovery checks them (else only the key files can be torn). */
  readonly blocks: boolean
  /** `purge()` started: its files are to be removed. */
  readonly purging: boolean
}

const MAGIC = 0xc54a
const ENTRY = 1
const DONE = 2
const SNAPSHOT = 3
/** magic (2), type (1), payload length (4), checksum (8) */
const FRAME = 15
const MAX_PAYLOAD = 64 * 1024 * 1024
/** The journal is rewritten in place at close once it is this large and mostly retired entries. */
const COMPACT_AT = 64 * 1024

const FLAG_BLOCKS = 1
const FLAG_PURGING = 2
const KIND_PLAIN = 0
const KIND_NAME = 1
const KIND_SECRET_KEY = 2

export class Journal {
  readonly #file: RandomAccessStorage
  readonly #live = new Map<string, JournalEntry>()
  /** Entries read at open: what they cover may have been torn by a crash, until recovered. */
  readonly #inherited = new Set<string>()
  #end: number
  #pending: Buffer[] = []
  #commit: Promise<void> | null = null
  #next: Promise<void> | null = null
  #failed: Error | null = null

  private constructor(file: RandomAccessStorage, end: number) {
    this.#file = file
    this.#end = end
  }

  /**
   * Open the store's journal, reading what earlier sessions left. `null` when the storage's files
   * cannot be synced: then no journal could be trusted, and none is kept.
   * @throws {CorestoreError} `STORAGE_ERROR`
   */
  static async open(storage: Storage): Promise<Journal | null> {
    if (!storage.syncable) return null
    const file = storage.file(JOURNAL_FILE)
    if (!engine.canSync(file)) {
      await engine.closeStorage(file).catch(() => {})
      return null
    }
    try {
      const size = (await engine.statMaybe(file)) ?? 0
      const bytes = size > 0 ? ((await engine.readMaybe(file, 0, size)) ?? Buffer.alloc(0)) : Buffer.alloc(0)
      const journal = new Journal(file, bytes.length)
      journal.#load(bytes)
      return journal
    } catch (err) {
      await engine.closeStorage(file).catch(() => {})
      throw CorestoreError.storage(JOURNAL_FILE, err)
    }
  }

  /** The live entries a store's journal holds, read without changing a byte (a store need not be open). */
  static async read(storage: Storage): Promise<JournalEntry[]> {
    const journal = await Journal.open(storage)
    if (!journal) return []
    await engine.closeStorage(journal.#file).catch(() => {})
    return [...journal.entries()]
  }

  /** The live entry of a core, by hex discovery key. */
  get(id: string): JournalEntry | undefined {
    return this.#live.get(id)
  }

  /** The live entries. */
  entries(): IterableIterator<JournalEntry> {
    return this.#live.values()
  }

  /** Whether the core's entry comes from an earlier session and was not recovered yet. */
  inherited(id: string): boolean {
    return this.#inherited.has(id)
  }

  /** Entries of earlier sessions, not recovered yet. */
  get unrecovered(): number {
    return this.#inherited.size
  }

  /** Write an entry; resolves once it is synced. Concurrent writes share one sync. */
  write(entry: JournalEntry): Promise<JournalEntry> {
    const id = entry.discoveryKey.toString('hex')
    this.#live.set(id, entry)
    this.#inherited.delete(id)
    this.#pending.push(frame(ENTRY, encodeEntry(entry)))
    return this.#flush().then(() => entry)
  }

  /**
   * Retire a core's entry: every file of it is synced. Written with the next sync, not waited for.
   * With `entry`, only if that is still the live one (a core reopened meanwhile wrote its own).
   */
  retire(id: string, expected?: JournalEntry): void {
    const entry = this.#live.get(id)
    if (!entry || (expected && entry !== expected)) return
    this.#inherited.delete(id)
    this.#live.delete(id)
    this.#pending.push(frame(DONE, entry.discoveryKey))
  }

  /** Done with an inherited entry without retiring it (its core is known whole as far as it goes). */
  recovered(id: string): void {
    this.#inherited.delete(id)
  }

  /**
   * Write what is pending, then shrink the file: emptied when no entry is live, rewritten with only
   * the live ones when it grew large. Each step is synced, and a crash between any two leaves a file
   * that reads the same.
   */
  async close(): Promise<void> {
    try {
      if (this.#pending.length > 0) await this.#flush()
      if (this.#live.size === 0 && this.#end > 0) {
        await engine.truncate(this.#file, 0)
        await engine.sync(this.#file)
      } else if (this.#end > COMPACT_AT) {
        await this.#compact()
      }
    } finally {
      await engine.closeStorage(this.#file).catch(() => {})
    }
  }

  async #compact(): Promise<void> {
    const snapshot = frame(SNAPSHOT, Buffer.concat([...this.#live.values()].map((e) => sized(encodeEntry(e)))))
    if (snapshot.length * 4 > this.#end) return
    // The snapshot at the end first: whatever happens to the start of the file, it is read last.
    await engine.write(this.#file, this.#end, snapshot)
    await engine.sync(this.#file)
    await engine.write(this.#file, 0, snapshot)
    await engine.sync(this.#file)
    await engine.truncate(this.#file, snapshot.length)
    await engine.sync(this.#file)
    this.#end = snapshot.length
  }

  #flush(): Promise<void> {
    if (this.#failed) return Promise.reject(this.#failed)
    // One commit at a time; every record pending when the next one starts goes into it.
    this.#next ??= (this.#commit ?? Promise.resolve()).then(() => {
      this.#next = null
      const records = Buffer.concat(this.#pending)
      this.#pending = []
      const at = this.#end
      this.#end += records.length
      this.#commit = this.#append(at, records)
      return this.#commit
    })
    return this.#next
  }

  async #append(at: number, records: Buffer): Promise<void> {
    try {
      await engine.write(this.#file, at, records)
      await engine.sync(this.#file)
    } catch (err) {
      // A record may be half on disk: nothing written after it could be trusted to read back.
      this.#failed = CorestoreError.storage(JOURNAL_FILE, err)
      throw this.#failed
    }
  }

  /** Read every whole record; a torn or damaged stretch is skipped to the next whole record. */
  #load(bytes: Buffer): void {
    let at = 0
    while (at + FRAME <= bytes.length) {
      const record = readFrame(bytes, at)
      if (!record) {
        at++
        continue
      }
      this.#apply(record.type, record.payload)
      at = record.end
    }
    for (const id of this.#live.keys()) this.#inherited.add(id)
  }

  #apply(type: number, payload: Buffer): void {
    if (type === ENTRY) {
      const entry = decodeEntry(payload)
      if (entry) this.#live.set(entry.discoveryKey.toString('hex'), entry)
    } else if (type === DONE && payload.length === 32) {
      this.#live.delete(payload.toString('hex'))
    } else if (type === SNAPSHOT) {
      this.#live.clear()
      for (let at = 0; at + 4 <= payload.length; ) {
        const size = payload.readUInt32LE(at)
        const entry = decodeEntry(payload.subarray(at + 4, at + 4 + size))
        if (entry) this.#live.set(entry.discoveryKey.toString('hex'), entry)
        at += 4 + size
      }
    }
  }
}

function frame(type: number, payload: Buffer): Buffer {
  const buf = Buffer.alloc(FRAME + payload.length)
  buf.writeUInt16BE(MAGIC, 0)
  buf[2] = type
  buf.writeUInt32LE(payload.length, 3)
  payload.copy(buf, FRAME)
  engine.checksum(Buffer.concat([buf.subarray(0, 7), payload])).copy(buf, 7)
  return buf
}

function readFrame(bytes: Buffer, at: number): { type: number; payload: Buffer; end: number } | null {
  if (bytes.readUInt16BE(at) !== MAGIC) return null
  const size = bytes.readUInt32LE(at + 3)
  if (size > MAX_PAYLOAD || at + FRAME + size > bytes.length) return null
  const payload = bytes.subarray(at + FRAME, at + FRAME + size)
  const sum = engine.checksum(Buffer.concat([bytes.subarray(at, at + 7), payload]))
  if (!sum.equals(bytes.subarray(at + 7, at + FRAME))) return null
  return { type: bytes[at + 2] as number, payload, end: at + FRAME + size }
}

function sized(payload: Buffer): Buffer {
  const size = Buffer.alloc(4)
  size.writeUInt32LE(payload.length)
  return Buffer.concat([size, payload])
}

/** discovery key (32), public key (32), trusted length (8), flags (1), kind (1), then the name or secret key. */
function encodeEntry(e: JournalEntry): Buffer {
  const head = Buffer.alloc(74)
  e.discoveryKey.copy(head, 0)
  e.publicKey.copy(head, 32)
  head.writeBigUInt64LE(BigInt(e.trusted), 64)
  head[72] = (e.blocks ? FLAG_BLOCKS : 0) | (e.purging ? FLAG_PURGING : 0)
  head[73] = e.name ? KIND_NAME : e.secretKey ? KIND_SECRET_KEY : KIND_PLAIN
  return Buffer.concat([head, e.name ?? e.secretKey ?? Buffer.alloc(0)])
}

function decodeEntry(p: Buffer): JournalEntry | null {
  if (p.length < 74) return null
  const kind = p[73]
  const rest = Buffer.from(p.subarray(74))
  if (kind === KIND_SECRET_KEY && rest.length !== 64) return null
  return {
    discoveryKey: Buffer.from(p.subarray(0, 32)),
    publicKey: Buffer.from(p.subarray(32, 64)),
    trusted: Number(p.readBigUInt64LE(64)),
    blocks: ((p[72] as number) & FLAG_BLOCKS) !== 0,
    purging: ((p[72] as number) & FLAG_PURGING) !== 0,
    name: kind === KIND_NAME && rest.length > 0 ? rest : null,
    secretKey: kind === KIND_SECRET_KEY ? rest : null,
  }
}
