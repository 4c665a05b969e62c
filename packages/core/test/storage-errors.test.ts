import assert from 'node:assert/strict'
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { Corestore, isCorestoreError } from '@corestore/core'
import {
  createMemoryStorage,
  type MemoryStorage,
  type RandomAccessStorage,
  RandomAccessStorageClass,
  type StorageFactory,
} from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { opened, refuseHardLinks, snapshot, tmpDir, withStore } from '@corestore/test-helpers'

/** The error a user sees when the storage fails: STORAGE_ERROR naming `path`, the failure as `cause`. */
function storageError(path: RegExp, cause?: Error) {
  return (err: unknown) => {
    assert.ok(isCorestoreError(err), `expected a CorestoreError, got ${String(err)}`)
    assert.equal(err.code, 'STORAGE_ERROR')
    assert.match(err.message, path)
    if (cause) assert.equal(err.cause, cause)
    return true
  }
}

/** Every file of a memory storage and its bytes. */
async function snapshotMemory(storage: MemoryStorage): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const [path, file] of storage.files) {
    const size = (await engine.statMaybe(file)) ?? 0
    out.set(path, size === 0 ? '' : ((await engine.readMaybe(file, 0, size)) ?? Buffer.alloc(0)).toString('hex'))
  }
  return out
}

/** Every file below `dir` with its bytes, folders and links too; the empty `LOCK` file aside. */
const snapshotDir = (dir: string) => snapshot(dir, { hash: true, all: true, ignore: ['LOCK'] })

type Op = 'stat' | 'read'

/**
 * `base` with one failure injected: the first `op` on `master_key` fails with `fault` (once, as a
 * transient failure of a network or browser storage would); every other operation goes through.
 */
function failingOnce(base: StorageFactory, op: Op, fault: Error): StorageFactory {
  let armed = true
  return (path) => {
    const file = base(path)
    if (path !== 'master_key') return file
    const pass =
      <T>(fn: (cb: (err: Error | null, value?: T) => void) => void) =>
      (req: { callback(err: Error | null, value?: T): void }) =>
        fn((err, value) => req.callback(err, value))
    const trip = (which: Op, req: { callback(err: Error | null): void }) => {
      if (which !== op || !armed) return false
      armed = false
      req.callback(fault)
      return true
    }
    return new RandomAccessStorageClass({
      read: (req) => trip('read', req) || pass<Buffer>((cb) => file.read(req.offset, req.size, cb))(req),
      write: (req) => pass((cb) => file.write(req.offset, req.data as Buffer, cb))(req),
      del: (req) => pass((cb) => file.del(req.offset, req.size, cb))(req),
      stat: (req) => trip('stat', req) || pass<{ size: number }>((cb) => file.stat(cb))(req),
      close: (req) => pass((cb) => file.close(cb))(req),
    }) as RandomAccessStorage
  }
}

/** A store written to `storage`: its default key and a block, then closed. */
function written(storage: StorageFactory | string): Promise<Buffer> {
  return withStore(new Corestore(storage), async (store) => {
    const core = store.default()
    await engine.ready(core)
    await engine.append(core, Buffer.from('kept'))
    return core.key as Buffer
  })
}

/** After the failure, a store on the healthy storage opens the old key, writable, with its block. */
function assertIntact(storage: StorageFactory | string, key: Buffer): Promise<void> {
  return withStore(new Corestore(storage), async (store) => {
    const core = store.default()
    await engine.ready(core)
    assert.equal(core.key?.toString('hex'), key.toString('hex'), 'the default core keeps its key')
    assert.equal(core.writable, true)
    assert.equal((await engine.get(core, 0)).toString(), 'kept')
  })
}

const errno = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { code })
const faults: [string, Op, () => Error][] = [
  ['an error without a code on stat', 'stat', () => new Error('the database is busy')],
  ['EIO on stat', 'stat', () => errno('EIO', 'i/o error, fstat')],
  ['EACCES on stat', 'stat', () => errno('EACCES', 'permission denied, open master_key')],
  ['an error without a code on read (a short read)', 'read', () => new Error('Could not satisfy length')],
  ['EIO on read', 'read', () => errno('EIO', 'i/o error, read')],
]

for (const [label, op, makeFault] of faults) {
  test(`a storage function whose master_key fails with ${label} is STORAGE_ERROR and nothing is written`, async () => {
    const memory = createMemoryStorage()
    const key = await written(memory)
    const before = await snapshotMemory(memory)
    const fault = makeFault()
    const store = new Corestore(failingOnce(memory, op, fault))
    await assert.rejects(store.ready(), storageError(/master_key/, fault))
    await store.close()
    assert.deepEqual(await snapshotMemory(memory), before, 'every file as it was')
    await assertIntact(memory, key)
  })
}

test('a short master_key read through a storage function is never taken for a missing key', async () => {
  const memory = createMemoryStorage()
  const key = await written(memory)
  const before = await snapshotMemory(memory)
  // The storage says 32 bytes, then cannot read them: that is a failure, not an absent key.
  const store = new Corestore(failingOnce(memory, 'read', new Error('Could not satisfy length')))
  await assert.rejects(store.ready(), storageError(/master_key/))
  await store.close()
  assert.deepEqual(await snapshotMemory(memory), before)
  await assertIntact(memory, key)
})

test('a directory store whose master_key cannot be read (EISDIR, ELOOP) is STORAGE_ERROR and nothing is written', async (t) => {
  for (const [label, damage] of [
    ['a directory', (file: string) => mkdir(file)],
    ['a symlink loop', (file: string) => symlink(file, file)],
  ] as const) {
    const dir = join(await tmpDir(t), label.replace(/ /g, '-'))
    await mkdir(dir)
    await damage(join(dir, 'master_key'))
    const before = await snapshotDir(dir)
    const store = new Corestore(dir)
    await assert.rejects(store.ready(), storageError(/master_key/), label)
    await store.close()
    assert.deepEqual(await snapshotDir(dir), before, `${label}: nothing written`)
    const again = new Corestore(dir)
    await assert.rejects(again.ready(), storageError(/master_key/), `${label}: the lock was given back`)
    await again.close()
  }
})

test('a directory store keeps its key through a failed open and opens it again once readable', async (t) => {
  const dir = await tmpDir(t)
  const key = await written(dir)
  const masterKey = await readFile(join(dir, 'master_key'))
  // Made unreadable the one way root cannot read past either: the key file replaced by a directory.
  await writeFile(join(dir, 'master_key.bak'), masterKey)
  const { rename, rm } = await import('node:fs/promises')
  await rm(join(dir, 'master_key'))
  await mkdir(join(dir, 'master_key'))
  await assert.rejects(new Corestore(dir).ready(), storageError(/master_key/))
  assert.ok((await stat(join(dir, 'master_key'))).isDirectory(), 'nothing replaced it')
  await rm(join(dir, 'master_key'), { recursive: true })
  await rename(join(dir, 'master_key.bak'), join(dir, 'master_key'))
  await assertIntact(dir, key)
})

test('a path that is a file, or lies below one, is INVALID_STORAGE naming the path', async (t) => {
  const dir = await tmpDir(t)
  const file = join(dir, 'afile')
  await writeFile(file, 'not a store')
  for (const path of [file, join(file, 'below')]) {
    const store = new Corestore(path)
    await assert.rejects(store.ready(), (err: unknown) => {
      assert.ok(isCorestoreError(err), String(err))
      assert.equal(err.code, 'INVALID_STORAGE')
      assert.ok(err.message.includes(path), err.message)
      assert.ok(err.cause instanceof Error)
      return true
    })
    await store.close()
  }
  assert.equal(await readFile(file, 'utf8'), 'not a store', 'the file is untouched')
})

test('a directory that cannot be created is STORAGE_ERROR naming it, with the cause', async () => {
  // sysfs takes no new folders, for root too (EPERM, or EROFS where it is mounted read-only).
  // Not /proc: there Node's recursive mkdir retries ENOENT forever.
  const path = '/sys/corestore-cannot-live-here/store'
  const store = new Corestore(path)
  await assert.rejects(store.ready(), (err: unknown) => {
    assert.ok(isCorestoreError(err), String(err))
    assert.equal(err.code, 'STORAGE_ERROR')
    assert.ok(err.message.includes('/sys/corestore-cannot-live-here'), err.message)
    assert.ok(err.cause instanceof Error)
    return true
  })
  await store.close()
})

test('an unreadable key file is STORAGE_ERROR to purge(), not CORE_NOT_FOUND', async (t) => {
  const dir = await tmpDir(t)
  const dk = await withStore(new Corestore(dir), async (store) => {
    const core = store.get()
    // A block, synced when the store closes: no journal entry is left to vouch for the core.
    await engine.append(core, Buffer.from('a'))
    return (core.discoveryKey as Buffer).toString('hex')
  })
  // The key file turned into something that cannot be read as a file.
  const keyFile = join(dir, dk.slice(0, 2), dk.slice(2, 4), dk, 'key')
  const { rm } = await import('node:fs/promises')
  await rm(keyFile)
  await symlink(keyFile, keyFile)
  const again = await opened(t, new Corestore(dir))
  await assert.rejects(again.purge(dk), storageError(/key/))
  assert.ok((await readdir(join(dir, dk.slice(0, 2), dk.slice(2, 4), dk))).includes('name'), 'nothing removed')
})

test("a failure while a core is built is reported as it is, not blamed on the caller's options", async (t) => {
  // A hypercore cache whose namespace() fails: what a broken engine part looks like from the store.
  const broken = new Error('the block cache is gone')
  const cache = {
    data: {
      namespace: () => {
        throw broken
      },
    },
  }
  const store = await opened(t, new Corestore(createMemoryStorage(), { cache }))
  assert.throws(
    () => store.get(),
    (err: unknown) => err === broken,
  )
  assert.throws(
    () => store.default(),
    (err: unknown) => err === broken,
  )
  assert.equal(store.stats().activeCores + store.stats().passiveCores, 0, 'nothing half-made is cached')
})

test('a store opens where the file system has no hard links, and keeps its default key', async (t) => {
  const dir = await tmpDir(t)
  refuseHardLinks(t, 'ENOTSUP')
  const key = await withStore(new Corestore(dir), async (store) => {
    const core = store.default()
    await engine.append(core, Buffer.from('kept'))
    return core.key as Buffer
  })
  await withStore(new Corestore(dir), async (store) => {
    const core = store.default()
    await engine.ready(core)
    assert.deepEqual(core.key, key)
    assert.deepEqual(await engine.get(core, 0), Buffer.from('kept'))
  })
})
