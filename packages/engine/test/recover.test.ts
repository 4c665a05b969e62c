import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type CallbackHypercore, createHypercore, createMemoryStorage, type MemoryStorage } from '@corestore/engine'
import { engine, type RecoveryFiles, recoverCore } from '@corestore/engine/internal'

// Damage a core's files the ways a power cut can, then check what recovery makes of them: the core
// opens, its length is one the writer signed, every block below it reads back as appended.

const block = (i: number) => Buffer.alloc(100 + ((i * 37) % 900), i % 251)

function filesOf(storage: MemoryStorage): RecoveryFiles {
  return {
    read: (name, offset, size) => engine.readMaybe(storage(name), offset, size),
    size: async (name) => (await engine.statMaybe(storage(name))) ?? 0,
    write: (name, offset, data) => engine.write(storage(name), offset, data),
    truncate: (name, size) => engine.truncate(storage(name), size),
  }
}

interface Written {
  storage: MemoryStorage
  key: Buffer
  secretKey: Buffer
}

/** A writer's core of `length` blocks, appended in batches of `batch`, closed. */
async function written(length: number, batch = 1): Promise<Written> {
  const storage = createMemoryStorage()
  const core = createHypercore(storage, null)
  await engine.ready(core)
  for (let i = 0; i < length; i += batch) {
    await engine.append(
      core,
      Array.from({ length: Math.min(batch, length - i) }, (_, j) => block(i + j)),
    )
  }
  const written = { storage, key: core.key as Buffer, secretKey: core.secretKey as Buffer }
  await engine.close(core)
  return written
}

async function reopened(w: Written): Promise<CallbackHypercore> {
  const core = createHypercore(w.storage, w.key, { secretKey: w.secretKey })
  await engine.ready(core)
  return core
}

async function assertBlocks(core: CallbackHypercore, length: number): Promise<void> {
  assert.equal(core.length, length)
  for (let i = 0; i < length; i++) assert.deepEqual(await engine.get(core, i), block(i), `block ${i}`)
}

/** Pipe two replication streams together; tearing one down later is expected, not an error. */
function connect(a: NodeJS.ReadWriteStream, b: NodeJS.ReadWriteStream): void {
  for (const s of [a, b]) s.on('error', () => {})
  a.pipe(b).pipe(a)
}

function recover(w: Written, trusted = 0, writer = true) {
  return recoverCore(filesOf(w.storage), { publicKey: w.key, secretKey: writer ? w.secretKey : null, trusted })
}

test('a core whose files are whole is left as it is', async () => {
  const w = await written(20, 3)
  const r = await recover(w)
  assert.deepEqual(
    { claimed: r.claimed, length: r.length, changed: r.changed, dropped: r.droppedBlocks },
    {
      claimed: 20,
      length: 20,
      changed: false,
      dropped: 0,
    },
  )
  assert.equal(r.verifiedBlocks, 20)
  await assertBlocks(await reopened(w), 20)
})

test('blocks whose bitfield update was lost are kept: the signature proves them', async () => {
  const w = await written(12)
  await engine.truncate(w.storage('bitfield'), 32)
  const r = await recover(w)
  assert.equal(r.claimed, 0)
  assert.equal(r.length, 12)
  const core = await reopened(w)
  await assertBlocks(core, 12)
  await engine.append(core, Buffer.from('next'))
  assert.deepEqual(await engine.get(core, 12), Buffer.from('next'))
})

test('a bitfield claiming tree nodes that never reached the disk is cut back to a signed length', async () => {
  const w = await written(10)
  // The last append's tree nodes and signature lost; its bitfield page kept.
  await engine.truncate(w.storage('tree'), 32 + 40 * 18)
  await engine.truncate(w.storage('signatures'), 32 + 64 * 9)
  const r = await recover(w)
  assert.equal(r.claimed, 10)
  assert.equal(r.length, 9)
  await assertBlocks(await reopened(w), 9)
})

test('an append torn in flight (its parent node and signature written, its leaf not) keeps the blocks before it', async () => {
  const w = await written(6)
  // Block 5's leaf (node 10) never reached the disk; node 9 above it and signature 5 did.
  await engine.write(w.storage('tree'), 32 + 40 * 10, Buffer.alloc(40))
  const r = await recover(w)
  assert.equal(r.length, 5)
  await assertBlocks(await reopened(w), 5)
})

test("a hole in a writer's data cuts the log there, signed again, and it appends after", async () => {
  const w = await written(16)
  const core = await reopened(w)
  let offset = 0
  for (let i = 0; i < 7; i++) offset += block(i).length
  await engine.close(core)
  await engine.write(w.storage('data'), offset + 3, Buffer.alloc(20))
  const r = await recover(w)
  assert.equal(r.length, 7)
  assert.equal(r.droppedBlocks, 9)
  const again = await reopened(w)
  await assertBlocks(again, 7)
  assert.equal(again.writable, true)
  await engine.append(again, block(7))
  await assertBlocks(again, 8)
  // A reader verifies the new signature: the log is whole.
  const reader = createHypercore(createMemoryStorage(), w.key)
  await engine.ready(reader)
  const a = again.replicate(true, { live: true })
  const b = reader.replicate(false, { live: true })
  connect(a, b)
  assert.deepEqual(await engine.get(reader, 7), block(7))
  a.destroy()
})

test('blocks below the trusted length are not read again', async () => {
  const w = await written(30, 5)
  const r = await recover(w, 25)
  assert.equal(r.length, 30)
  assert.ok(r.verifiedBlocks <= 6, `verified ${r.verifiedBlocks}`)
})

test('a bitfield header the crash zeroed is read as hypercore 9 writes it', async () => {
  const w = await written(5)
  await engine.write(w.storage('bitfield'), 0, Buffer.alloc(32))
  const r = await recover(w)
  assert.equal(r.length, 5)
  assert.equal(r.changed, true)
  await assertBlocks(await reopened(w), 5)
})

test('a replica keeps the blocks that verify and forgets the rest, to download again', async () => {
  const w = await written(8)
  const writer = await reopened(w)
  const storage = createMemoryStorage()
  const reader = createHypercore(storage, w.key)
  await engine.ready(reader)
  const a = writer.replicate(true, { live: true })
  const b = reader.replicate(false, { live: true })
  connect(a, b)
  for (let i = 0; i < 8; i++) await engine.get(reader, i)
  a.destroy()
  await Promise.all([engine.close(reader), engine.close(writer)])
  // Block 3's bytes lost.
  let offset = 0
  for (let i = 0; i < 3; i++) offset += block(i).length
  await engine.write(storage('data'), offset, Buffer.alloc(block(3).length))
  const r = await recoverCore(filesOf(storage), { publicKey: w.key, secretKey: null, trusted: 0 })
  assert.equal(r.length, 8)
  assert.equal(r.droppedBlocks, 1)
  const again = createHypercore(storage, w.key)
  await engine.ready(again)
  assert.equal(again.length, 8)
  assert.deepEqual(
    Array.from({ length: 8 }, (_, i) => again.has(i)),
    [true, true, true, false, true, true, true, true],
  )
  await engine.close(again)
})

test('recovery run twice changes nothing the second time', async () => {
  const w = await written(9)
  await engine.truncate(w.storage('bitfield'), 32)
  await engine.write(w.storage('data'), 0, Buffer.alloc(10, 0xff))
  const first = await recover(w)
  const second = await recover(w)
  assert.equal(first.length, 0)
  assert.equal(second.length, 0)
  assert.equal(second.changed, false)
  const core = await reopened(w)
  assert.equal(core.length, 0)
  await engine.append(core, block(0))
  await assertBlocks(core, 1)
})
