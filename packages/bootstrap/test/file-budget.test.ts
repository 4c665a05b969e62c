import assert from 'node:assert/strict'
import fs from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStorage } from '@corestore/bootstrap'
import { engine } from '@corestore/engine/internal'
import { openBelow, tmpDir } from '@corestore/test-helpers'
import { checkMaxOpenFiles, defaultMaxOpenFiles, FileBudget } from '../src/descriptor-budget/file-budget.ts'

test('files written and read all at once never hold more descriptors than the budget', async (t) => {
  const dir = await tmpDir(t)
  const budget = new FileBudget(4)
  const files = Array.from({ length: 60 }, (_, i) => budget.file(`f/${i}`, dir))
  let peak = 0
  const sample = setInterval(() => {
    peak = Math.max(peak, openBelow(dir), budget.held)
  }, 1)
  await Promise.all(files.map((f, i) => engine.write(f, 0, Buffer.from(`file ${i}`))))
  const read = await Promise.all(files.map((f, i) => engine.readMaybe(f, 0, `file ${i}`.length)))
  clearInterval(sample)
  assert.deepEqual(
    read.map(String),
    files.map((_, i) => `file ${i}`),
  )
  assert.ok(peak <= 4, `peak ${peak}`)
  assert.ok(openBelow(dir) <= 4)
  await Promise.all(files.map(engine.closeStorage))
  assert.equal(budget.held, 0)
  assert.equal(openBelow(dir), 0)
})

test('a file reopened after it made room keeps its bytes, and lands on disk as random-access-file writes it', async (t) => {
  const dir = await tmpDir(t)
  const budget = new FileBudget(1)
  const a = budget.file('a', dir)
  const b = budget.file('b', dir)
  await engine.write(a, 0, Buffer.from('aaaa'))
  await engine.write(b, 2, Buffer.from('bb'))
  await engine.write(a, 4, Buffer.from('A'))
  assert.deepEqual(await engine.readMaybe(b, 0, 4), Buffer.from('\0\0bb'))
  assert.equal(await engine.statMaybe(a), 5)
  await engine.call((cb) => a.del(3, Number.POSITIVE_INFINITY, cb))
  assert.deepEqual(
    await readFile(join(dir, 'a')),
    Buffer.from('aaa'),
    'del to the end truncates, as random-access-file 2',
  )
  // random-access-file 2 opens read-only until the first write: reading a missing file creates nothing.
  assert.equal(await engine.statMaybe(budget.file('c/d', dir)), null)
  await assert.rejects(stat(join(dir, 'c')), { code: 'ENOENT' })
})

test('close waits for the operations before it, refuses those after, and destroy unlinks', async (t) => {
  const dir = await tmpDir(t)
  const budget = new FileBudget(2)
  const file = budget.file('x', dir)
  const write = engine.write(file, 0, Buffer.from('x'))
  const closed = engine.closeStorage(file)
  await assert.rejects(engine.write(file, 0, Buffer.from('y')), /Closed/)
  await write
  await closed
  assert.equal(file.closed, true)
  await engine.closeStorage(file)
  assert.equal(budget.held, 0)
  await engine.call((cb) => file.destroy(cb))
  await assert.rejects(stat(join(dir, 'x')), { code: 'ENOENT' })
})

const readAt = (file: ReturnType<FileBudget['file']>, offset: number, size: number): Promise<Buffer> =>
  engine.call<Buffer>((cb) => file.read(offset, size, cb))

test('reads of the same bytes asked for while one is under way share it, and each caller gets its own copy', async (t) => {
  const dir = await tmpDir(t)
  const file = new FileBudget(4).file('f', dir)
  await engine.write(file, 0, Buffer.from('abcdef'))
  const reads = t.mock.method(fs, 'read')
  const same = [readAt(file, 1, 3), readAt(file, 1, 3), readAt(file, 1, 3)]
  const otherSize = readAt(file, 1, 2)
  const otherOffset = readAt(file, 2, 3)
  const values = await Promise.all(same)
  assert.deepEqual(values.map(String), ['bcd', 'bcd', 'bcd'])
  assert.equal(String(await otherSize), 'bc')
  assert.equal(String(await otherOffset), 'cde')
  assert.equal(reads.mock.callCount(), 3, 'one read for the three alike, one each for the others')
  ;(values[0] as Buffer)[0] = 0x78
  assert.deepEqual(values.slice(1).map(String), ['bcd', 'bcd'], 'no caller sees what another does to its bytes')
  const failed = await Promise.allSettled([readAt(file, 4, 10), readAt(file, 4, 10)])
  assert.deepEqual(
    failed.map((r) => r.status),
    ['rejected', 'rejected'],
    'a read past the end fails for everyone who waited for it',
  )
  await engine.closeStorage(file)
})

test('a read asked for after a write never shares a read from before it', async (t) => {
  const dir = await tmpDir(t)
  const file = new FileBudget(4).file('f', dir)
  await engine.write(file, 0, Buffer.from('aaaa'))
  const original = fs.read
  let held = true
  // The first read's bytes come back only after the write below has landed.
  const reads = t.mock.method(fs, 'read', (...args: unknown[]) => {
    const cb = args.pop() as (...a: unknown[]) => void
    const delayed = held
    held = false
    ;(original as (...a: unknown[]) => void)(...args, (...a: unknown[]) =>
      delayed ? setTimeout(() => cb(...a), 50) : cb(...a),
    )
  })
  const before = readAt(file, 0, 4)
  await engine.write(file, 0, Buffer.from('bbbb'))
  const after = readAt(file, 0, 4)
  assert.equal(String(await after), 'bbbb')
  assert.equal(String(await before), 'aaaa')
  assert.equal(reads.mock.callCount(), 2)
  await engine.closeStorage(file)
})

test('maxOpenFiles is a positive integer or Infinity; the default stays within the process limit', () => {
  assert.equal(checkMaxOpenFiles(undefined), undefined)
  assert.equal(checkMaxOpenFiles(64), 64)
  assert.equal(checkMaxOpenFiles(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY)
  for (const bad of [0, -1, 1.5, '10', null, Number.NaN]) {
    assert.throws(() => checkMaxOpenFiles(bad), { code: 'INVALID_OPTION', message: /opts\.maxOpenFiles/ })
  }
  assert.ok(defaultMaxOpenFiles() >= 8)
  assert.throws(() => openStorage('/tmp/x', { maxOpenFiles: 0 }), { code: 'INVALID_OPTION' })
  assert.equal(openStorage('/tmp/x', { maxOpenFiles: Number.POSITIVE_INFINITY }).budget, null)
  assert.equal(openStorage('/tmp/x', { maxOpenFiles: 9 }).budget?.max, 9)
})
