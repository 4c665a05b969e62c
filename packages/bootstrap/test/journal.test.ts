import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openStorage, type Storage } from '@corestore/bootstrap'
import { JOURNAL_FILE, Journal, type JournalEntry } from '@corestore/bootstrap/internal'
import { createMemoryStorage, type RandomAccessStorage, type StorageCallback } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { randomBytes } from '@corestore/keychain/internal'

/** An in-memory storage whose files can be synced, counting the syncs. */
function syncable(): { storage: Storage; syncs: () => number; file: (path: string) => RandomAccessStorage } {
  const memory = createMemoryStorage()
  let syncs = 0
  const file = (path: string) =>
    Object.assign(memory(path), {
      sync(cb: StorageCallback) {
        syncs++
        process.nextTick(cb, null)
      },
    })
  return { storage: openStorage(file), syncs: () => syncs, file }
}

function entry(over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    discoveryKey: randomBytes(32),
    publicKey: randomBytes(32),
    name: Buffer.from('a name'),
    secretKey: null,
    trusted: 7,
    blocks: true,
    purging: false,
    ...over,
  }
}

const id = (e: JournalEntry) => e.discoveryKey.toString('hex')

async function reopened(storage: Storage): Promise<Journal> {
  return (await Journal.open(storage)) as Journal
}

test('entries written survive a restart as they were written; retired ones do not', async () => {
  const { storage } = syncable()
  const journal = await reopened(storage)
  const [a, b] = [entry(), entry({ name: null, secretKey: randomBytes(64), trusted: 2 ** 40, blocks: false })]
  await journal.write(a)
  await journal.write(b)
  journal.retire(id(a))
  await journal.write(entry({ discoveryKey: randomBytes(32) }))
  const again = await reopened(storage)
  assert.equal(again.get(id(a)), undefined)
  assert.deepEqual(again.get(id(b)), b)
  assert.equal(again.inherited(id(b)), true)
  assert.equal(again.unrecovered, 2)
})

test('writes made together share one sync', async () => {
  const { storage, syncs } = syncable()
  const journal = await reopened(storage)
  await journal.write(entry())
  const before = syncs()
  await Promise.all(Array.from({ length: 50 }, () => journal.write(entry())))
  assert.ok(syncs() - before <= 2, `${syncs() - before} syncs for 50 entries`)
})

test('a torn record is skipped, and what was written after it is read', async () => {
  const { storage, file } = syncable()
  const journal = await reopened(storage)
  const first = entry()
  await journal.write(first)
  const size = (await engine.statMaybe(file(JOURNAL_FILE))) as number
  // The second record torn: its middle never reached the disk.
  const second = entry()
  await journal.write(second)
  await engine.write(file(JOURNAL_FILE), size + 40, Buffer.alloc(30))
  const third = entry()
  await (await reopened(storage)).write(third)
  const again = await reopened(storage)
  assert.deepEqual(again.get(id(first)), first)
  assert.equal(again.get(id(second)), undefined)
  assert.deepEqual(again.get(id(third)), third)
})

test('closed with no entry left, the journal is empty; with many retired, it is rewritten small', async () => {
  const { storage, file } = syncable()
  const journal = await reopened(storage)
  const e = entry()
  await journal.write(e)
  journal.retire(id(e))
  await journal.close()
  assert.equal(await engine.statMaybe(file(JOURNAL_FILE)), 0)

  const busy = await reopened(storage)
  const kept = entry()
  await busy.write(kept)
  for (let i = 0; i < 800; i++) {
    const gone = entry()
    await busy.write(gone)
    busy.retire(id(gone))
  }
  await busy.close()
  const size = (await engine.statMaybe(file(JOURNAL_FILE))) as number
  assert.ok(size < 200, `${size} bytes for one entry`)
  assert.deepEqual((await reopened(storage)).get(id(kept)), kept)
})

test('a retirement by a closed core does not retire the entry a reopened core wrote since', async () => {
  const { storage } = syncable()
  const journal = await reopened(storage)
  const old = await journal.write(entry())
  const reopenedEntry = await journal.write({ ...old, trusted: 9 })
  journal.retire(id(old), old)
  assert.equal(journal.get(id(old)), reopenedEntry)
})

test('a storage whose files cannot be synced keeps no journal', async () => {
  assert.equal(await Journal.open(openStorage(createMemoryStorage())), null)
})
