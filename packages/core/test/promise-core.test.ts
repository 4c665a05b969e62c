import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Corestore, type Hypercore } from '@corestore/core'
import { createMemoryStorage } from '@corestore/engine'
import { type Hooks, link, opened } from '@corestore/test-helpers'

function store(t: Hooks): Promise<Corestore> {
  return opened(t, new Corestore(createMemoryStorage()))
}

test("await core.append() waits for the write and resolves with the first new block's index, as hypercore 9 says it", async (t) => {
  const s = await store(t)
  const core = s.default()
  await core.ready()
  assert.equal(await core.append(Buffer.from('a')), 0)
  assert.equal(core.length, 1, 'written when the promise resolves, not a tick later')
  assert.equal(await core.append([Buffer.from('b'), Buffer.from('c')]), 1)
  assert.equal(core.length, 3)
  assert.deepEqual(await core.get(2), Buffer.from('c'))
  assert.deepEqual(await core.getBatch(0, 2), [Buffer.from('a'), Buffer.from('b')])
  assert.deepEqual(await core.head(), Buffer.from('c'))
})

test('a core of strings: store.get<string>() with valueEncoding utf-8 appends and reads strings', async (t) => {
  const s = await store(t)
  const log: Hypercore<string> = s.get<string>({ name: 'log', valueEncoding: 'utf-8' })
  await log.ready()
  await log.append(['hello', 'world'])
  const first: string = await log.get(0)
  assert.equal(first, 'hello')
  assert.equal(await log.get(1, { wait: false }), 'world')
})

test('update() and download() are awaitable on a copy, and download() still returns the range for undownload()', async (t) => {
  const owner = await store(t)
  const reader = await store(t)
  const source = owner.default()
  await source.ready()
  await source.append([Buffer.from('x'), Buffer.from('y')])
  const copy = reader.get({ key: source.key as Buffer, sparse: true })
  await copy.ready()
  link(owner.replicate(true, { live: true }), reader.replicate(false, { live: true }))
  await copy.update({ minLength: 2 })
  assert.equal(copy.length, 2)
  const range = copy.download({ start: 0, end: 2 })
  assert.equal(range.start, 0, 'the range object itself')
  await range
  assert.equal(copy.downloaded(0, 2), 2)
  const cancelled = copy.download({ start: 5, end: 6 })
  copy.undownload(cancelled)
  await assert.rejects(Promise.resolve(cancelled), /cancelled/)
})

test('the callback API is unchanged, as corestore 5 programs use it', async (t) => {
  const s = await store(t)
  const core = s.get()
  const seq = await new Promise<number>((resolve, reject) =>
    core.ready((err) => {
      if (err) return reject(err)
      core.append(Buffer.from('cb'), (err2, len) => (err2 ? reject(err2) : resolve(len as number)))
    }),
  )
  assert.equal(seq, 0)
  assert.equal(core.length, 1)
  const block = await new Promise<Buffer>((resolve, reject) =>
    core.get(0, (err, b) => (err ? reject(err) : resolve(b as Buffer))),
  )
  assert.equal(block.toString(), 'cb')
  assert.equal(
    core.append(Buffer.from('x'), () => {}),
    undefined,
    'with a callback nothing is returned, as in hypercore 9',
  )
})

test('a failure nobody waits for does not crash the process; an await sees it', async (t) => {
  const s = await store(t)
  const core = s.get({ key: Buffer.alloc(32, 1) })
  await core.ready()
  const unhandled: unknown[] = []
  const onunhandled = (err: unknown) => unhandled.push(err)
  process.on('unhandledRejection', onunhandled)
  t.after(() => process.off('unhandledRejection', onunhandled))
  core.append(Buffer.from('not writable'))
  await assert.rejects(core.append(Buffer.from('again')), /not writable/i)
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(unhandled, [])
})

test('close() is awaitable too, and closes the core', async (t) => {
  const s = await store(t)
  const core = s.get()
  await core.ready()
  await core.close()
  assert.equal(core.closed, true)
})
