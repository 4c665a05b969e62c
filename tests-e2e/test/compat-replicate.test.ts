import assert from 'node:assert/strict'
import { once } from 'node:events'
import { type TestContext, test } from 'node:test'
import { Corestore } from '@corestore/core'
import { type Hypercore, randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { appendAll, link, opened, readAll, tmpDir, within, withStore } from '@corestore/test-helpers'
import { LegacyCorestore } from '../helpers/legacy.ts'

const BLOCKS = ['one', 'two', 'three']

function ours(t: TestContext, storage: string | typeof randomAccessMemory = randomAccessMemory) {
  return opened(t, new Corestore(storage))
}

function legacy(t: TestContext, storage: string | typeof randomAccessMemory = randomAccessMemory) {
  return opened(t, new LegacyCorestore(storage))
}

/** Cores with blocks: a default, a namespace's default, a plain get(). */
async function writeCores(store: {
  default(): Hypercore
  namespace(n: string): { default(): Hypercore }
  get(): Hypercore
}) {
  const cores = [store.default(), store.namespace('drive').default(), store.get()]
  for (const core of cores) await appendAll(core, BLOCKS)
  return cores
}

for (const oursInitiates of [true, false]) {
  const role = oursInitiates ? 'initiator' : 'responder'

  test(`ours as ${role}: corestore 5.8.2 downloads every common core over one stream`, async (t) => {
    const mine = await ours(t)
    const theirs = await legacy(t)
    const cores = await writeCores(mine)
    const copies = cores.map((c) => theirs.get({ key: c.key }))
    link(mine.replicate(oursInitiates, { live: true }), theirs.replicate(!oursInitiates, { live: true }))
    for (const copy of copies) assert.deepEqual(await readAll(copy, BLOCKS.length), BLOCKS)
  })

  test(`ours as ${role}: we download every common core from corestore 5.8.2 over one stream`, async (t) => {
    const mine = await ours(t)
    const theirs = await legacy(t)
    const cores = await writeCores(theirs)
    const copies = cores.map((c) => mine.get(c.key as Buffer))
    link(mine.replicate(oursInitiates, { live: true }), theirs.replicate(!oursInitiates, { live: true }))
    for (const copy of copies) assert.deepEqual(await readAll(copy, BLOCKS.length), BLOCKS)
  })
}

test('ours serves from disk a core that corestore 5.8.2 asks for by key, with nothing opened', async (t) => {
  const dir = await tmpDir(t)
  const [core] = (await withStore(new Corestore(dir), writeCores)) as [Hypercore]

  const restarted = await ours(t, dir)
  const theirs = await legacy(t)
  link(restarted.replicate(true, { live: true }), theirs.replicate(false, { live: true }))
  assert.deepEqual(await readAll(theirs.get({ key: core.key }), BLOCKS.length), BLOCKS)
  assert.equal(restarted.isExternal({ key: core.key as Buffer }), false, 'served passively')
})

test('corestore 5.8.2 serves from disk a core we ask for by key, with nothing opened', async (t) => {
  const dir = await tmpDir(t)
  const [core] = (await withStore(new LegacyCorestore(dir), writeCores)) as [Hypercore]

  const theirs = await legacy(t, dir)
  const mine = await ours(t)
  link(theirs.replicate(true, { live: true }), mine.replicate(false, { live: true }))
  assert.deepEqual(await readAll(mine.get(core.key as Buffer), BLOCKS.length), BLOCKS)
})

test('a live core added on each side mid-stream reaches the other side', async (t) => {
  const mine = await ours(t)
  const theirs = await legacy(t)
  await writeCores(mine)
  const ourStream = mine.replicate(true, { live: true })
  const theirStream = theirs.replicate(false, { live: true })
  // Mid-stream: both sides have finished the handshake before either adds a core.
  const handshakes = Promise.all([once(ourStream, 'handshake'), once(theirStream, 'handshake')])
  link(ourStream, theirStream)
  await within(handshakes, 'both streams to finish the handshake')

  const newOurs = mine.namespace('late').default()
  await appendAll(newOurs, ['ours, late'])
  const newTheirs = theirs.namespace('late').default()
  await appendAll(newTheirs, ['theirs, late'])

  const copyOfOurs = theirs.get({ key: newOurs.key })
  const copyOfTheirs = mine.get(newTheirs.key as Buffer)
  assert.deepEqual(await readAll(copyOfOurs, 1), ['ours, late'])
  assert.deepEqual(await readAll(copyOfTheirs, 1), ['theirs, late'])

  await appendAll(newOurs, ['and more'])
  assert.deepEqual(await readAll(copyOfOurs, 2), ['ours, late', 'and more'])
})

test('a non-live stream with corestore 5.8.2 downloads everything and ends on both sides', async (t) => {
  const mine = await ours(t)
  const theirs = await legacy(t)
  const cores = await writeCores(mine)
  const copies = cores.map((c) => theirs.get({ key: c.key }))
  await Promise.all(copies.map(engine.ready))
  const a = mine.replicate(true, { live: false })
  const b = theirs.replicate(false, { live: false })
  const closed = Promise.all([a, b].map((s) => new Promise((r) => s.once('close', r))))
  link(a, b)
  await closed
  for (const copy of copies) assert.ok(copy.has(0, BLOCKS.length))
})
