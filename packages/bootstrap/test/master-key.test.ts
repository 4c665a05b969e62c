import assert from 'node:assert/strict'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadMasterKey, openStorage } from '@corestore/bootstrap'
import { createMemoryStorage } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { isCorestoreError } from '@corestore/errors'
import { refuseHardLinks, snapshot, tmpDir } from '@corestore/test-helpers'

const corrupt = (err: unknown) => isCorestoreError(err) && err.code === 'CORRUPT_MASTER_KEY'

test('the first open writes 32 random bytes to master_key, readable by the owner only', async (t) => {
  const dir = await tmpDir(t)
  const key = await loadMasterKey(openStorage(dir))
  assert.equal(key.length, 32)
  assert.deepEqual(await readFile(join(dir, 'master_key')), key)
  assert.equal((await stat(join(dir, 'master_key'))).mode & 0o777, 0o600)
  assert.deepEqual([...(await snapshot(dir)).keys()], ['master_key'], 'no temporary file is left behind')
})

test('later opens load the same key', async (t) => {
  const dir = await tmpDir(t)
  const first = await loadMasterKey(openStorage(dir))
  assert.deepEqual(await loadMasterKey(openStorage(dir)), first)
})

test('concurrent first opens agree on one key', async (t) => {
  const dir = await tmpDir(t)
  const keys = await Promise.all(Array.from({ length: 8 }, () => loadMasterKey(openStorage(dir))))
  for (const key of keys) assert.deepEqual(key, keys[0])
})

for (const [label, bytes] of [
  ['torn (7 bytes)', Buffer.alloc(7, 1)],
  ['empty', Buffer.alloc(0)],
  ['too long (33 bytes)', Buffer.alloc(33, 2)],
] as const) {
  test(`a ${label} master_key is CORRUPT_MASTER_KEY and is left untouched`, async (t) => {
    const dir = await tmpDir(t)
    const file = join(dir, 'master_key')
    await writeFile(file, bytes)
    await assert.rejects(
      loadMasterKey(openStorage(dir)),
      (err: unknown) => corrupt(err) && /master_key/.test(String(err)),
    )
    assert.deepEqual(await readFile(file), bytes)
  })
}

test('a storage function gets a master key written through the storage, and loads it again', async () => {
  const storage = openStorage(createMemoryStorage())
  const key = await loadMasterKey(storage)
  assert.deepEqual(await loadMasterKey(storage), key)
})

test('a storage function whose master_key is torn is CORRUPT_MASTER_KEY, file untouched', async () => {
  const memory = createMemoryStorage()
  await engine.write(memory('master_key'), 0, Buffer.alloc(5, 9))
  await assert.rejects(loadMasterKey(openStorage(memory)), corrupt)
  assert.deepEqual(await engine.readMaybe(memory('master_key'), 0, 5), Buffer.alloc(5, 9))
  assert.equal(await engine.statMaybe(memory('master_key')), 5)
})

test('where the file system has no hard links, master_key is still made whole, once, and kept', async (t) => {
  const dir = await tmpDir(t)
  refuseHardLinks(t, 'EPERM')
  const key = await loadMasterKey(openStorage(dir))
  assert.equal(key.length, 32)
  assert.deepEqual(await readFile(join(dir, 'master_key')), key)
  assert.deepEqual(await loadMasterKey(openStorage(dir)), key)
  assert.deepEqual([...(await snapshot(dir)).keys()], ['master_key'], 'no temporary file is left behind')
})
