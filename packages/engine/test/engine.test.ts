import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  createHypercore,
  createMemoryStorage,
  createProtocolStream,
  engine,
  isProtocolStream,
  randomAccessMemory,
} from '@corestore/engine'

test('a hypercore made through the engine appends and reads back with promises', async () => {
  const core = createHypercore(randomAccessMemory, null)
  await engine.ready(core)
  assert.equal(core.writable, true)
  assert.equal(await engine.append(core, Buffer.from('hello')), 0)
  assert.deepEqual(await engine.get(core, 0), Buffer.from('hello'))
  await engine.close(core)
  assert.equal(core.closed, true)
})

test('two hypercores replicate over hypercore-protocol 8 streams', async () => {
  const a = createHypercore(randomAccessMemory, null)
  await engine.ready(a)
  await engine.append(a, [Buffer.from('a'), Buffer.from('b')])
  const b = createHypercore(randomAccessMemory, a.key)
  await engine.ready(b)
  const s1 = createProtocolStream(true)
  const s2 = createProtocolStream(false)
  assert.ok(isProtocolStream(s1))
  a.replicate(true, { stream: s1 })
  b.replicate(false, { stream: s2 })
  // Tearing one side down makes the pipe report a closed stream: that is the end we expect.
  for (const s of [s1, s2]) s.on('error', () => {})
  s1.pipe(s2).pipe(s1)
  assert.deepEqual(await engine.get(b, 1), Buffer.from('b'))
  s1.destroy()
  await Promise.all([engine.close(a), engine.close(b)])
})

test('readMaybe and statMaybe answer null for a file that does not exist', async () => {
  const file = randomAccessMemory()
  assert.equal(await engine.readMaybe(file, 0, 32), null)
  await engine.write(file, 0, Buffer.from('abc'))
  assert.equal(await engine.statMaybe(file), 3)
  assert.deepEqual(await engine.readMaybe(file, 0, 3), Buffer.from('abc'))
  await engine.closeStorage(file)
})

test('memory storage keeps a file across close and reopen, unlike a bare random-access-memory', async () => {
  const storage = createMemoryStorage()
  const first = storage('a/b')
  await engine.write(first, 0, Buffer.from('kept'))
  await engine.closeStorage(first)
  const again = storage('a/b')
  assert.deepEqual(await engine.readMaybe(again, 0, 4), Buffer.from('kept'))
  assert.equal(await engine.statMaybe(storage('never/written')), null)
  assert.equal(await engine.readMaybe(storage('never/written'), 0, 1), null)
  assert.deepEqual([...storage.files.keys()], ['a/b'], 'reading a missing file creates nothing')
})
