import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  createHypercore,
  createMemoryStorage,
  createProtocolStream,
  isProtocolStream,
  randomAccessMemory,
} from '@corestore/engine'
import { engine, type HypercoreFiles, lengthFromBitfield, storedSize } from '@corestore/engine/internal'

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

/** A core's files in a storage function, read as `storedSize` reads them. */
function filesOf(storage: ReturnType<typeof createMemoryStorage>): HypercoreFiles {
  const read = async (name: string, offset: number, size: number | null) => {
    const file = storage.files.get(name)
    if (!file) return null
    const length = size ?? (await engine.statMaybe(file))
    return length === null ? null : engine.readMaybe(file, offset, length)
  }
  return { bitfield: () => read('bitfield', 0, null), tree: (offset, size) => read('tree', offset, size) }
}

test('the size computed from the files is what hypercore says once the core is open', async () => {
  for (const blocks of [0, 1, 2, 3, 7, 100, 8193]) {
    const storage = createMemoryStorage()
    const core = createHypercore(storage, null)
    await engine.ready(core)
    const data = Array.from({ length: blocks }, (_, i) => Buffer.alloc((i % 5) + 1, i))
    if (blocks > 0) await engine.append(core, data)
    await engine.close(core)
    const size = await storedSize(filesOf(storage))
    assert.deepEqual(size, { length: blocks, byteLength: data.reduce((n, b) => n + b.length, 0) }, `${blocks} blocks`)
    const reopened = createHypercore(storage, null)
    await engine.ready(reopened)
    assert.deepEqual(size, { length: reopened.length, byteLength: reopened.byteLength })
    await engine.close(reopened)
  }
})

test('a sparse copy has the length of the latest root it verified, downloaded or not', async () => {
  const owner = createHypercore(randomAccessMemory, null)
  await engine.ready(owner)
  await engine.append(
    owner,
    ['a', 'bb', 'ccc', 'dddd', 'eeeee'].map((s) => Buffer.from(s)),
  )
  const storage = createMemoryStorage()
  const copy = createHypercore(storage, owner.key, { sparse: true })
  await engine.ready(copy)
  const s1 = owner.replicate(true, { live: true })
  const s2 = copy.replicate(false, { live: true })
  for (const s of [s1, s2]) s.on('error', () => {})
  s1.pipe(s2).pipe(s1)
  assert.deepEqual(await engine.get(copy, 3), Buffer.from('dddd'))
  s1.destroy()
  const expected = { length: copy.length, byteLength: copy.byteLength }
  await Promise.all([engine.close(owner), engine.close(copy)])
  assert.deepEqual(await storedSize(filesOf(storage)), expected)
  assert.equal(expected.length, 5)
})

test('a core whose tree lost its roots has no size, as hypercore refuses to open it', async () => {
  const storage = createMemoryStorage()
  const core = createHypercore(storage, null)
  await engine.ready(core)
  await engine.append(core, [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')])
  await engine.close(core)
  const files = filesOf(storage)
  assert.equal(await storedSize({ ...files, tree: async () => null }), null)
  assert.equal(lengthFromBitfield(null), 0)
})

test('a destroyed file of the memory storage is gone; other files stay', async () => {
  const storage = createMemoryStorage()
  await engine.write(storage('a'), 0, Buffer.from('x'))
  await engine.write(storage('b'), 0, Buffer.from('y'))
  await engine.call((cb) => storage('a').destroy(cb))
  assert.deepEqual([...storage.files.keys()], ['b'])
  assert.equal(await engine.statMaybe(storage('a')), null)
})
