import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createHypercore, createMemoryStorage, type MemoryStorage } from '@corestore/engine'
import {
  BITFIELD_PAGE_SIZE,
  BlockReader,
  bitfieldPageSize,
  DamagedFiles,
  engine,
  hypercoreHeader,
  statedPageSize,
  storedSize,
  withPageSize,
} from '@corestore/engine/internal'

// hypercore 9's file format, read without opening a core: the length and byte length hypercore
// itself computes, and every block as hypercore reads it back.

const block = (i: number) => Buffer.alloc(1 + ((i * 53) % 700), i % 251)

async function written(length: number): Promise<MemoryStorage> {
  const storage = createMemoryStorage()
  const core = createHypercore(storage, null)
  await engine.ready(core)
  for (let i = 0; i < length; i += 7) {
    await engine.append(
      core,
      Array.from({ length: Math.min(7, length - i) }, (_, j) => block(i + j)),
    )
  }
  await engine.close(core)
  return storage
}

async function readerOf(storage: MemoryStorage): Promise<BlockReader> {
  const read = (name: string) => (offset: number, size: number) => engine.readMaybe(storage(name), offset, size)
  const size = await storedSize({ bitfield: async () => whole(storage, 'bitfield'), tree: read('tree') })
  assert.ok(size, 'the files give a length')
  return new BlockReader(size.length, await whole(storage, 'bitfield'), { tree: read('tree'), data: read('data') })
}

async function whole(storage: MemoryStorage, name: string): Promise<Buffer | null> {
  const size = await engine.statMaybe(storage(name))
  return size === null ? null : engine.readMaybe(storage(name), 0, size)
}

test('a core read from its files: the length, byte length and every block hypercore 9 wrote, in any order', async () => {
  const storage = await written(45)
  const reader = await readerOf(storage)
  assert.equal(reader.length, 45)
  const expected = Array.from({ length: 45 }, (_, i) => block(i))
  const bytes = expected.reduce((sum, b) => sum + b.length, 0)
  const size = await storedSize({
    bitfield: async () => whole(storage, 'bitfield'),
    tree: (offset, n) => engine.readMaybe(storage('tree'), offset, n),
  })
  assert.deepEqual(size, { length: 45, byteLength: bytes })
  for (let i = 0; i < 45; i++) assert.ok(reader.has(i), `block ${i} is here`)
  assert.equal(reader.has(45), false)
  for (const i of [44, 0, 31, 32, 7, 8, 9, 16, 1]) assert.deepEqual(await reader.get(i), expected[i], `block ${i}`)
})

test('a tree that lost a node is DamagedFiles naming it, not a wrong block', async () => {
  const storage = await written(9)
  // Node 16 (flat-tree), block 8's leaf: zero it as a crash could leave it.
  await engine.write(storage('tree'), 32 + 40 * 16, Buffer.alloc(40))
  const reader = await readerOf(storage)
  await assert.rejects(
    reader.get(8),
    (err: unknown) => err instanceof DamagedFiles && err.message === 'tree has no node 16',
  )
  assert.deepEqual(await reader.get(3), block(3), 'the blocks whose nodes are there still read')
})

test("a bitfield header's page size: the stated one, else 3584; a zeroed one can be stated again", () => {
  const header = hypercoreHeader('bitfield')
  assert.equal(statedPageSize(header), BITFIELD_PAGE_SIZE)
  assert.equal(bitfieldPageSize(hypercoreHeader('bitfield', 1024)), 1024)
  const zeroed = withPageSize(header, 0)
  assert.equal(statedPageSize(zeroed), 0)
  assert.equal(bitfieldPageSize(zeroed), BITFIELD_PAGE_SIZE)
  assert.equal(bitfieldPageSize(Buffer.alloc(3)), BITFIELD_PAGE_SIZE, 'a short header states nothing')
  assert.deepEqual(withPageSize(zeroed), header)
})
