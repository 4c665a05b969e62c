import assert from 'node:assert/strict'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStorage } from '@corestore/bootstrap'
import { corePath, hasStoredCore } from '@corestore/bootstrap/internal'
import { createMemoryStorage } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { isCorestoreError } from '@corestore/errors'
import { snapshot, tmpDir } from '@corestore/test-helpers'
import { readStoredKey, storedDiscoveryKeys } from '../src/layout/disk.ts'

async function storeKey(dir: string, dk: Buffer, key: Buffer): Promise<void> {
  const path = join(dir, corePath(dk.toString('hex'), 'key'))
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, key)
}

test('a stored core is found by discovery key, with its key; an unknown one is not, and nothing is created', async (t) => {
  const dir = await tmpDir(t)
  const dk = Buffer.alloc(32, 1)
  await storeKey(dir, dk, Buffer.alloc(32, 2))
  const storage = openStorage(dir)
  assert.equal(await hasStoredCore(storage, dk), true)
  assert.deepEqual(await readStoredKey(storage, dk), Buffer.alloc(32, 2))
  const before = await snapshot(dir)
  assert.equal(await hasStoredCore(storage, Buffer.alloc(32, 3)), false)
  assert.equal(await readStoredKey(storage, Buffer.alloc(32, 3)), null)
  assert.deepEqual(await snapshot(dir), before)
})

test('a storage function answers the same questions through its files', async () => {
  const memory = createMemoryStorage()
  const dk = Buffer.alloc(32, 4)
  await engine.write(memory(corePath(dk.toString('hex'), 'key')), 0, Buffer.alloc(32, 5))
  const storage = openStorage(memory)
  assert.equal(await hasStoredCore(storage, dk), true)
  assert.equal(await hasStoredCore(storage, Buffer.alloc(32, 6)), false)
})

test('listing yields the discovery key of every stored core and skips what is not a core', async (t) => {
  const dir = await tmpDir(t)
  const dks = [Buffer.alloc(32, 0x11), Buffer.alloc(32, 0x22), Buffer.from(`${'aa'.repeat(31)}bb`, 'hex')]
  for (const dk of dks) await storeKey(dir, dk, Buffer.alloc(32))
  // Leftovers that are not cores: a folder without a key file, a misplaced folder, stray files.
  await mkdir(join(dir, corePath('33'.repeat(32), '')), { recursive: true })
  await mkdir(join(dir, '44', '55', '66'.repeat(32)), { recursive: true })
  await writeFile(join(dir, '44', 'stray'), 'x')
  const listed: string[] = []
  for await (const dk of storedDiscoveryKeys(openStorage(dir))) listed.push(dk.toString('hex'))
  assert.deepEqual(listed.sort(), dks.map((d) => d.toString('hex')).sort())
})

test('an empty or missing directory lists nothing', async (t) => {
  const dir = await tmpDir(t)
  const listed = []
  for await (const dk of storedDiscoveryKeys(openStorage(join(dir, 'not-yet')))) listed.push(dk)
  assert.equal(listed.length, 0)
})

test('a storage function cannot be listed: LISTING_UNSUPPORTED', async () => {
  const iterator = storedDiscoveryKeys(openStorage(createMemoryStorage()))
  await assert.rejects(iterator.next(), (err: unknown) => isCorestoreError(err) && err.code === 'LISTING_UNSUPPORTED')
})
