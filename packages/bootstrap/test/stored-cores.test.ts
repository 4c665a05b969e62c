import assert from 'node:assert/strict'
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStorage, readMasterKey, readStoredSize, type StoredCore, storedCores } from '@corestore/bootstrap'
import { corePath, removeStoredCore } from '@corestore/bootstrap/internal'
import { createMemoryStorage } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { isCorestoreError } from '@corestore/errors'
import { discoveryKey, Keychain } from '@corestore/keychain'
import { snapshot, tmpDir } from '@corestore/test-helpers'
import { readStoredName } from '../src/layout/disk.ts'
import { createCore, derivedIdentity } from './helpers.ts'

const keychain = new Keychain(Keychain.generateMasterKey())

async function list(dir: string, namespace?: string): Promise<StoredCore[]> {
  const out: StoredCore[] = []
  for await (const core of storedCores(openStorage(dir), keychain, namespace === undefined ? {} : { namespace })) {
    out.push(core)
  }
  return out
}

/** A store with derived cores (text and random names), a key-pair core and a read-only copy. */
async function typicalStore(dir: string) {
  const names = ['default', 'a', 'a:b', 'ab', 'a:b:c']
  for (const name of names) await createCore(dir, keychain, derivedIdentity(keychain, name), [name])
  const random = derivedIdentity(keychain, Buffer.from('ff00'.repeat(16), 'hex'))
  await createCore(dir, keychain, random, ['r'])
  const pair = new Keychain(Keychain.generateMasterKey()).keyPair('x')
  await createCore(dir, keychain, { kind: 'keyPair', discoveryKey: discoveryKey(pair.publicKey), ...pair }, ['p'])
  const other = new Keychain(Keychain.generateMasterKey()).keyPair('y').publicKey
  await createCore(dir, keychain, { kind: 'key', discoveryKey: discoveryKey(other), publicKey: other })
  return { random, pair, other }
}

test('stored cores are listed from the files with key, readable name and writability', async (t) => {
  const dir = await tmpDir(t)
  const { random, pair, other } = await typicalStore(dir)
  const before = await snapshot(dir)
  const cores = await list(dir)
  assert.deepEqual(await snapshot(dir), before, 'listing wrote nothing')
  const byKey = new Map(cores.map((c) => [c.key.toString('hex'), c]))
  assert.equal(cores.length, 8)
  for (const name of ['default', 'a', 'a:b', 'ab', 'a:b:c']) {
    const core = byKey.get(keychain.keyPair(name).publicKey.toString('hex'))
    assert.deepEqual(core && { name: core.name, writable: core.writable }, { name, writable: true })
    assert.deepEqual(core?.discoveryKey, discoveryKey(core?.key as Buffer))
  }
  assert.equal(byKey.get((random.publicKey as Buffer).toString('hex'))?.name, 'ff00'.repeat(16), 'random bytes: hex')
  assert.deepEqual(byKey.get(pair.publicKey.toString('hex')), {
    discoveryKey: discoveryKey(pair.publicKey),
    key: pair.publicKey,
    name: null,
    writable: true,
  })
  assert.deepEqual(byKey.get(other.toString('hex')), {
    discoveryKey: discoveryKey(other),
    key: other,
    name: null,
    writable: false,
  })
})

test('a namespace lists its own name and the names below it, not a name that only starts the same', async (t) => {
  const dir = await tmpDir(t)
  await typicalStore(dir)
  assert.deepEqual((await list(dir, 'a')).map((c) => c.name).sort(), ['a', 'a:b', 'a:b:c'])
  assert.deepEqual((await list(dir, 'a:b')).map((c) => c.name).sort(), ['a:b', 'a:b:c'])
  assert.deepEqual((await list(dir, 'nope')).length, 0)
})

test('a name derived with another master key, or a damaged name file, is not writable', async (t) => {
  const dir = await tmpDir(t)
  const other = new Keychain(Keychain.generateMasterKey())
  const id = derivedIdentity(other, 'default')
  await createCore(dir, other, id, ['x'])
  assert.deepEqual(
    (await list(dir)).map((c) => [c.name, c.writable]),
    [['default', false]],
  )
  await writeFile(join(dir, corePath(id.discoveryKey.toString('hex'), 'name')), Buffer.from([9, 1]))
  assert.deepEqual(
    (await list(dir)).map((c) => [c.name, c.writable]),
    [[null, false]],
  )
  await assert.rejects(
    readStoredName(openStorage(dir), id.discoveryKey),
    (err: unknown) => isCorestoreError(err) && err.code === 'CORRUPT_NAME',
  )
})

test("a stored core's size read from its files is the one hypercore gives it; an unwritten core is 0", async (t) => {
  const dir = await tmpDir(t)
  const id = derivedIdentity(keychain, 'default')
  await createCore(dir, keychain, id, ['hello', 'world!'])
  const before = await snapshot(dir)
  assert.deepEqual(await readStoredSize(openStorage(dir), id.discoveryKey), { length: 2, byteLength: 11 })
  assert.deepEqual(await readStoredSize(openStorage(dir), Buffer.alloc(32)), { length: 0, byteLength: 0 })
  assert.deepEqual(await snapshot(dir), before)
})

test('the master key is read without ever being created; a damaged one is CORRUPT_MASTER_KEY', async (t) => {
  const dir = await tmpDir(t)
  assert.equal(await readMasterKey(openStorage(dir)), null)
  assert.deepEqual(await readdir(dir), [])
  await writeFile(join(dir, 'master_key'), Buffer.alloc(32, 7))
  assert.deepEqual(await readMasterKey(openStorage(dir)), Buffer.alloc(32, 7))
  await writeFile(join(dir, 'master_key'), Buffer.alloc(5))
  await assert.rejects(
    readMasterKey(openStorage(dir)),
    (err: unknown) => isCorestoreError(err) && err.code === 'CORRUPT_MASTER_KEY',
  )
  assert.equal(await readMasterKey(openStorage(createMemoryStorage())), null)
})

test('removing a core deletes its folder and the emptied xx/yy folders, and nothing else', async (t) => {
  const dir = await tmpDir(t)
  const a = derivedIdentity(keychain, 'a')
  const b = derivedIdentity(keychain, 'b')
  await createCore(dir, keychain, a, ['x'])
  await createCore(dir, keychain, b, ['y'])
  await writeFile(join(dir, 'master_key'), Buffer.alloc(32))
  // A neighbour in the same xx/yy folder must stay.
  const dkA = a.discoveryKey.toString('hex')
  const neighbour = join(dir, dkA.slice(0, 2), dkA.slice(2, 4), `${dkA.slice(0, 4)}${'0'.repeat(60)}`)
  await mkdir(neighbour, { recursive: true })
  await writeFile(join(neighbour, 'key'), Buffer.alloc(32))
  const before = await snapshot(dir)

  await removeStoredCore(openStorage(dir), a.discoveryKey)
  const after = await snapshot(dir)
  const removed = [...before.keys()].filter((path) => !after.has(path))
  assert.ok(removed.length > 0)
  assert.ok(removed.every((path) => path.startsWith(`${dkA.slice(0, 2)}/${dkA.slice(2, 4)}/${dkA}/`)))
  assert.equal(after.size + removed.length, before.size)

  const dkB = b.discoveryKey.toString('hex')
  await removeStoredCore(openStorage(dir), b.discoveryKey)
  const exists = (path: string) =>
    stat(join(dir, path)).then(
      () => true,
      () => false,
    )
  // b's xx/yy and xx are gone, unless the neighbour left in a's folders shares them.
  assert.equal(await exists(`${dkB.slice(0, 2)}/${dkB.slice(2, 4)}`), dkB.slice(0, 4) === dkA.slice(0, 4))
  assert.equal(await exists(dkB.slice(0, 2)), dkB.slice(0, 2) === dkA.slice(0, 2))
  assert.deepEqual((await list(dir)).length, 1, 'only the neighbour is left')
})

test('through a storage function each of the core files is destroyed', async () => {
  const memory = createMemoryStorage()
  const dk = Buffer.alloc(32, 1).toString('hex')
  await engine.write(memory(corePath(dk, 'key')), 0, Buffer.alloc(32))
  await engine.write(memory(corePath(dk, 'data')), 0, Buffer.from('x'))
  await engine.write(memory('master_key'), 0, Buffer.alloc(32))
  await removeStoredCore(openStorage(memory), Buffer.from(dk, 'hex'))
  assert.deepEqual([...memory.files.keys()], ['master_key'])
})
