import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import {
  closedEvent,
  defer,
  EXACT,
  opened,
  snapshot,
  tmpBaseOthersReach,
  tmpDir,
  tmpDirOthersReach,
  until,
  within,
} from '../src/index.ts'

test('tmpDir gives a fresh folder and removes it when the test ends', async () => {
  let dir = ''
  const hooks: (() => unknown)[] = []
  dir = await tmpDir({ after: (fn) => hooks.push(fn) })
  assert.ok((await stat(dir)).isDirectory())
  for (const fn of hooks) await fn()
  await assert.rejects(stat(dir), { code: 'ENOENT' })
})

test('tmpDirOthersReach gives a fresh folder every folder above which lets others pass, and removes it', async () => {
  const hooks: (() => unknown)[] = []
  const dir = await tmpDirOthersReach({ after: (fn) => hooks.push(fn) })
  assert.ok((await stat(dir)).isDirectory())
  for (let up = dirname(dir); ; up = dirname(up)) {
    assert.notEqual((await stat(up)).mode & 0o001, 0, `others may pass ${up}`)
    if (dirname(up) === up) break
  }
  for (const fn of hooks) await fn()
  await assert.rejects(stat(dir), { code: 'ENOENT' })
})

test('a TMPDIR below a folder others may not pass is not where tmpBaseOthersReach makes folders', async (t) => {
  const shut = join(await tmpDir(t), 'shut')
  await mkdir(join(shut, 'tmp'), { recursive: true })
  await chmod(shut, 0o700)
  const was = process.env.TMPDIR
  t.after(() => {
    if (was === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = was
  })
  process.env.TMPDIR = join(shut, 'tmp')
  assert.equal(await tmpBaseOthersReach(), '/tmp')
})

test('a snapshot tells a rewrite of the same size apart only when asked to hash, and honours ignore', async (t) => {
  const dir = await tmpDir(t)
  await writeFile(join(dir, 'a'), 'one')
  await writeFile(join(dir, 'LOCK'), '')
  const sizes = await snapshot(dir, { ignore: ['LOCK'] })
  const exact = await snapshot(dir, EXACT)
  assert.deepEqual([...sizes.keys()], ['a'])
  await writeFile(join(dir, 'a'), 'two')
  assert.deepEqual(await snapshot(dir, { ignore: ['LOCK'] }), sizes, 'same sizes')
  assert.notDeepEqual(await snapshot(dir, EXACT), exact, 'the hash shows the rewrite')
})

test('within passes a settled value on and names what it waited for when it times out', async () => {
  assert.equal(await within(Promise.resolve(7), 'seven'), 7)
  await assert.rejects(within(new Promise(() => {}), 'a reply', 10), /still waiting for a reply after 10 ms/)
})

test('until waits for a condition and names it when it never holds', async () => {
  let ready = false
  setImmediate(() => {
    ready = true
  })
  await until(() => ready, 'ready')
  await assert.rejects(
    until(() => false, 'the impossible', 30),
    /waiting until the impossible/,
  )
})

test('closedEvent resolves on close, or at once for what is closed already', async () => {
  const open = Object.assign(new EventEmitter(), { closed: false })
  const waiting = closedEvent(open)
  open.emit('close')
  await waiting
  await closedEvent(Object.assign(new EventEmitter(), { closed: true }))
})

test('what is set up last is torn down first: a store opened on a temp folder closes before the folder goes', async () => {
  const hooks: (() => unknown)[] = []
  const t = { after: (fn: () => unknown) => hooks.push(fn) }
  const dir = await tmpDir(t)
  const seen: string[] = []
  const store = {
    ready: async () => {},
    close: async () => {
      // Still there while the store closes: a store may write as it closes.
      await writeFile(join(dir, 'written-on-close'), 'x')
      seen.push('store closed')
    },
  }
  await opened(t, store)
  defer(t, () => seen.push('deferred last'))
  assert.equal(hooks.length, 1, 'one hook on the test runs the whole stack')
  for (const hook of hooks) await hook()
  assert.deepEqual(seen, ['deferred last', 'store closed'])
  await assert.rejects(stat(dir), { code: 'ENOENT' }, 'the folder is removed last, with what was written on close')
})
