import assert from 'node:assert/strict'
import { readlinkSync } from 'node:fs'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { basename, join } from 'node:path'
import { test } from 'node:test'
import { Corestore, isCorestoreError } from '@corestore/core'
import { createMemoryStorage, randomAccessMemory, type StorageFactory } from '@corestore/engine'
import { opened, readAll, tmpDir } from '@corestore/test-helpers'

function invalidDurable(err: unknown): boolean {
  assert.ok(isCorestoreError(err), `expected a CorestoreError, got ${String(err)}`)
  assert.equal(err.code, 'INVALID_OPTION')
  assert.match(err.message, /opts\.durable/)
  return true
}

test('durable must be a boolean', () => {
  for (const bad of ['yes', 1, {}]) {
    assert.throws(() => new Corestore(randomAccessMemory, { durable: bad as unknown as boolean }), invalidDurable)
  }
})

test('a durable store refuses a storage whose files cannot be synced, before writing anything', () => {
  const memory = createMemoryStorage()
  assert.throws(() => new Corestore(memory, { durable: true }), invalidDurable)
  assert.throws(() => new Corestore(randomAccessMemory, { durable: true }), invalidDurable)
  assert.equal(memory.files.size, 0)
  // Not durable, the same storage is fine.
  assert.doesNotThrow(() => new Corestore(memory, { durable: false }))
})

test('a durable store on a storage function syncs each commit before acknowledging it', async (t) => {
  const memory = createMemoryStorage()
  const events: string[] = []
  const storage: StorageFactory = (path) => {
    const file = memory(path)
    const name = basename(path)
    const write = file.write.bind(file)
    return Object.assign(file, {
      write(offset: number, data: Buffer, cb?: (err: Error | null) => void) {
        write(offset, data, (err) => {
          events.push(`write ${name}`)
          cb?.(err)
        })
      },
      sync(cb: (err: Error | null) => void) {
        events.push(`sync ${name}`)
        process.nextTick(cb, null)
      },
    })
  }
  const store = await opened(t, new Corestore(storage, { durable: true }))
  const core = store.default()
  await core.ready()
  events.length = 0
  await core.append(Buffer.from('one'))
  events.push('ack')
  await Promise.all(['two', 'three', 'four'].map((b) => core.append(Buffer.from(b))))
  events.push('ack')
  const commits = events.join(',').split('ack').slice(0, 2)
  for (const commit of commits) {
    for (const file of ['data', 'tree', 'signatures']) {
      const written = commit.lastIndexOf(`write ${file}`)
      assert.ok(written >= 0, `${file} written in ${commit}`)
      assert.ok(commit.indexOf(`sync ${file}`, written) > written, `${file} synced after its write, before the ack`)
      assert.ok(commit.indexOf('write bitfield') > commit.indexOf(`sync ${file}`), 'the bitfield after the sync')
    }
  }
  // The journal entry, synced, comes before the first block is written.
  assert.ok(commits[0]?.indexOf('sync JOURNAL') !== -1)
  assert.ok((commits[0] as string).indexOf('sync JOURNAL') < (commits[0] as string).indexOf('write data'))
  assert.deepEqual(
    (await readAll(core)).map((b) => b.toString()),
    ['one', 'two', 'three', 'four'],
  )
})

/**
 * Record, without strace, what a directory store asks of the kernel: every write random-access-file
 * makes and every fdatasync/fsync, with the path of the descriptor, in order.
 */
function recordSyscalls(): { events: string[]; restore(): void } {
  const fs = createRequire(import.meta.url)('node:fs') as Record<string, (...args: unknown[]) => unknown>
  const events: string[] = []
  const original = { write: fs.write, fdatasync: fs.fdatasync, fsync: fs.fsync }
  const path = (fd: unknown) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`)
    } catch {
      return `fd ${fd}`
    }
  }
  for (const op of ['write', 'fdatasync', 'fsync'] as const) {
    const real = original[op] as (...args: unknown[]) => unknown
    fs[op] = (...args: unknown[]) => {
      events.push(`${op} ${path(args[0])}`)
      return real(...args)
    }
  }
  syncBuiltinESMExports()
  return {
    events,
    restore() {
      Object.assign(fs, original)
      syncBuiltinESMExports()
    },
  }
}

test('a durable directory store fdatasyncs data, tree and signatures before the ack, folders once', async (t) => {
  const dir = await tmpDir(t)
  const calls = recordSyscalls()
  t.after(() => calls.restore())
  const store = await opened(t, new Corestore(dir, { durable: true }))
  const core = store.default()
  await core.ready()
  const folder = join(dir, (core.discoveryKey as Buffer).toString('hex').slice(0, 2))
  calls.events.length = 0
  await core.append(Buffer.from('first'))
  const first = [...calls.events]
  calls.events.length = 0
  await core.append([Buffer.from('a'), Buffer.from('b')])
  const second = [...calls.events]
  calls.restore()

  for (const commit of [first, second]) {
    for (const file of ['data', 'tree', 'signatures']) {
      const wrote = commit.map((e) => e.startsWith('write') && e.endsWith(`/${file}`)).lastIndexOf(true)
      const synced = commit.findIndex((e, i) => i > wrote && e.startsWith('fdatasync') && e.endsWith(`/${file}`))
      assert.ok(wrote >= 0 && synced > wrote, `${file}: written then fdatasynced (${commit.join(' | ')})`)
      const bitfield = commit.findIndex((e) => e.startsWith('write') && e.endsWith('/bitfield'))
      assert.ok(bitfield > synced, `the bitfield is written after ${file} is synced`)
    }
  }
  // The journal before the first block; the core's folders once, with the first commit only.
  const journal = first.findIndex((e) => e.startsWith('fdatasync') && e.endsWith('/JOURNAL'))
  const data = first.findIndex((e) => e.startsWith('write') && e.endsWith('/data'))
  assert.ok(journal >= 0 && journal < data, 'the journal entry is synced before the first block is written')
  assert.ok(
    first.some((e) => e === `fsync ${folder}`),
    'the folder of the core is synced with its first commit',
  )
  assert.ok(!second.some((e) => e.startsWith('fsync')), 'folders are synced once')
})
