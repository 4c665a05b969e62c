import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStorage, type Storage } from '@corestore/bootstrap'
import { corePath, encodeName } from '@corestore/bootstrap/internal'
import { createMemoryStorage } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { isCorestoreError } from '@corestore/errors'
import type { CoreIdentity } from '@corestore/keychain'
import { discoveryKey, Keychain } from '@corestore/keychain'
import { snapshot, tmpDir } from '@corestore/test-helpers'
import { createCore, derivedIdentity, discoveryKeyIdentity, keyIdentity, openCore } from './helpers.ts'

const keychain = new Keychain(Keychain.generateMasterKey())
const derived = (name: string) => derivedIdentity(keychain, name)
const open = (storage: Storage, id: CoreIdentity) => openCore(storage, keychain, id)
const create = (dir: string, id: CoreIdentity, blocks: string[] = []) => createCore(dir, keychain, id, blocks)

test("a derived core's files are corestore 5's: key, name and hypercore's, and no secret_key", async (t) => {
  const dir = await tmpDir(t)
  const id = derived('default')
  await create(dir, id, ['hello'])
  const dk = id.discoveryKey.toString('hex')
  const files = await snapshot(dir)
  assert.deepEqual(
    [...files.keys()].sort(),
    ['bitfield', 'data', 'key', 'name', 'signatures', 'tree'].map((f) => corePath(dk, f)),
  )
  assert.equal(files.get(corePath(dk, 'name'))?.size, encodeName(Buffer.from('default')).length)
})

test('a derived core reopened by key alone re-derives its secret key from name and is writable', async (t) => {
  const dir = await tmpDir(t)
  const id = derived('drive1')
  await create(dir, id, ['a'])
  const core = open(openStorage(dir), keyIdentity(id.publicKey))
  await engine.ready(core)
  assert.equal(core.writable, true)
  await engine.append(core, Buffer.from('b'))
  assert.equal(core.length, 2)
  await engine.close(core)
})

test('a core reopened by discovery key alone reads its key from disk and is writable', async (t) => {
  const dir = await tmpDir(t)
  const id = derived('a:b')
  await create(dir, id, ['x'])
  const core = open(openStorage(dir), discoveryKeyIdentity(id.discoveryKey))
  await engine.ready(core)
  assert.deepEqual(core.key, id.publicKey)
  assert.equal(core.writable, true)
  assert.deepEqual(await engine.get(core, 0), Buffer.from('x'))
  await engine.close(core)
})

test('a discovery key with nothing on disk fails with CORE_NOT_FOUND and creates nothing', async (t) => {
  const dir = await tmpDir(t)
  const dk = Buffer.alloc(32, 0xab)
  const core = open(openStorage(dir), discoveryKeyIdentity(dk))
  core.on('error', () => {})
  await assert.rejects(engine.ready(core), (err: unknown) => isCorestoreError(err) && err.code === 'CORE_NOT_FOUND')
  assert.deepEqual([...(await snapshot(dir)).keys()], [])
})

test('a name file that derives to another key is NAME_MISMATCH naming the file, and stays as it was', async (t) => {
  const dir = await tmpDir(t)
  const id = derived('one')
  await create(dir, id, ['x'])
  const nameFile = join(dir, corePath(id.discoveryKey.toString('hex'), 'name'))
  await writeFile(nameFile, encodeName(Buffer.from('two')))
  const before = await snapshot(dir)
  const core = open(openStorage(dir), keyIdentity(id.publicKey))
  core.on('error', () => {})
  await assert.rejects(
    engine.ready(core),
    (err: unknown) => isCorestoreError(err) && err.code === 'NAME_MISMATCH' && err.message.includes('/name'),
  )
  assert.deepEqual(await snapshot(dir), before)
})

test('a torn name file is CORRUPT_NAME, not a silently read-only core', async (t) => {
  const dir = await tmpDir(t)
  const id = derived('torn')
  await create(dir, id, ['x'])
  await writeFile(join(dir, corePath(id.discoveryKey.toString('hex'), 'name')), Buffer.from([0x07, 0x64, 0x65]))
  const core = open(openStorage(dir), keyIdentity(id.publicKey))
  core.on('error', () => {})
  await assert.rejects(engine.ready(core), (err: unknown) => isCorestoreError(err) && err.code === 'CORRUPT_NAME')
})

test('a core made from an explicit key pair keeps its secret key in secret_key and reopens writable', async (t) => {
  const dir = await tmpDir(t)
  const { publicKey, secretKey } = keychain.keyPair(Keychain.generateMasterKey())
  const id = { kind: 'keyPair', discoveryKey: discoveryKey(publicKey), publicKey, secretKey } as const
  await create(dir, id, ['kp'])
  const files = await snapshot(dir)
  const dk = id.discoveryKey.toString('hex')
  assert.equal(files.get(corePath(dk, 'secret_key'))?.size, 64)
  assert.equal(files.has(corePath(dk, 'name')), false)
  const core = open(openStorage(dir), keyIdentity(publicKey))
  await engine.ready(core)
  assert.equal(core.writable, true)
  await engine.close(core)
})

test('a read-only core (opened by key, no name, no secret) stays read-only', async (t) => {
  const dir = await tmpDir(t)
  const { publicKey } = keychain.keyPair('someone else')
  const id = keyIdentity(publicKey)
  await create(dir, id)
  const core = open(openStorage(dir), id)
  await engine.ready(core)
  assert.equal(core.writable, false)
  await engine.close(core)
})

test('a lost key file is restored from the name, and no block is lost', async (t) => {
  const dir = await tmpDir(t)
  const id = derived('lost-key')
  await create(dir, id, ['kept', 'all'])
  const { rm } = await import('node:fs/promises')
  await rm(join(dir, corePath(id.discoveryKey.toString('hex'), 'key')))
  for (const reopenAs of [id, keyIdentity(id.publicKey)]) {
    const core = open(openStorage(dir), reopenAs)
    await engine.ready(core)
    assert.equal(core.length, 2)
    assert.deepEqual(await engine.get(core, 1), Buffer.from('all'))
    assert.equal(core.writable, true)
    await engine.close(core)
  }
})

test('a file that exists but cannot be read is STORAGE_ERROR naming it, not a missing core', async () => {
  const denied = Object.assign(new Error('permission denied'), { code: 'EACCES' })
  const storage = openStorage((path: string) => {
    const file = createMemoryStorage()(path)
    file.read = (_o: number, _s: number, cb: (err: Error | null) => void) => process.nextTick(cb, denied)
    return file
  })
  const id = derived('unreadable')
  const core = open(storage, keyIdentity(id.publicKey))
  core.on('error', () => {})
  await assert.rejects(
    engine.ready(core),
    (err: unknown) => isCorestoreError(err) && err.code === 'STORAGE_ERROR' && /\/key: EACCES/.test(err.message),
  )
})
