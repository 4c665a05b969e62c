import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Lifecycle } from '../src/index.ts'

class Closed extends Error {}

/** A resource whose hooks count their runs; `open` waits for `release()` when `gated`. */
function resource(opts: { failOpen?: Error; failClose?: Error; gated?: boolean } = {}) {
  const runs = { open: 0, close: 0, order: [] as string[] }
  let release = () => {}
  const gate = opts.gated ? new Promise<void>((r) => (release = r)) : Promise.resolve()
  const life = new Lifecycle({
    async open() {
      runs.open++
      await gate
      runs.order.push('opened')
      if (opts.failOpen) throw opts.failOpen
    },
    async close() {
      runs.close++
      runs.order.push('closed')
      if (opts.failClose) throw opts.failClose
    },
    closedError: () => new Closed('closed'),
  })
  return { life, runs, release: () => release() }
}

test('ready twice opens once and both callers see it open', async () => {
  const { life, runs } = resource()
  const a = life.ready()
  const b = life.ready()
  assert.equal(a, b)
  await Promise.all([a, b])
  await life.ready()
  assert.equal(runs.open, 1)
  assert.equal(life.opened, true)
})

test('close twice closes once and is safe to repeat', async () => {
  const { life, runs } = resource()
  await life.ready()
  const a = life.close()
  const b = life.close()
  assert.equal(a, b)
  await a
  await life.close()
  assert.equal(runs.close, 1)
  assert.deepEqual([life.opened, life.closing, life.closed], [false, true, true])
})

test('close during ready waits for the open, then closes; ready still resolves', async () => {
  const { life, runs, release } = resource({ gated: true })
  const opening = life.ready()
  const closing = life.close()
  assert.equal(life.closing, true)
  assert.equal(runs.close, 0)
  await assert.rejects(life.ready(), Closed, 'a ready() after close() is refused even while opening')
  release()
  await opening
  await closing
  assert.deepEqual(runs.order, ['opened', 'closed'])
  assert.equal(life.opened, false)
})

test('ready after close rejects with the closed error and opens nothing', async () => {
  const { life, runs } = resource()
  await life.ready()
  await life.close()
  await assert.rejects(life.ready(), Closed)
  const never = resource()
  await never.life.close()
  await assert.rejects(never.life.ready(), Closed)
  await assert.rejects(never.life.ready(), Closed)
  assert.equal(runs.open, 1)
  assert.equal(never.runs.open, 0)
  assert.equal(never.runs.close, 1, 'close releases whatever a never-opened resource holds')
})

test('an error while opening rejects every ready(), and close() still runs', async () => {
  const boom = new Error('boom')
  const { life, runs } = resource({ failOpen: boom })
  await assert.rejects(life.ready(), (err) => err === boom)
  await assert.rejects(life.ready(), (err) => err === boom)
  assert.equal(runs.open, 1)
  assert.equal(life.opened, false)
  await life.close()
  assert.equal(runs.close, 1)
  assert.equal(life.closed, true)
})

test('a failing close rejects, once, and the resource counts as closed', async () => {
  const bad = new Error('close failed')
  const { life, runs } = resource({ failClose: bad })
  await life.ready()
  await assert.rejects(life.close(), (err) => err === bad)
  await assert.rejects(life.close(), (err) => err === bad)
  assert.equal(runs.close, 1)
  assert.equal(life.closed, true)
})

test('opening is true only while an open is in flight', async () => {
  let release = () => {}
  const life = new Lifecycle({
    open: () => new Promise<void>((resolve) => (release = resolve)),
    close: async () => {},
    closedError: () => new Closed(),
  })
  assert.equal(life.opening, false)
  const ready = life.ready()
  assert.equal(life.opening, true)
  release()
  await ready
  assert.equal(life.opening, false)
})

test('close() waits for every active() to have its inactive(); active() is refused once closing', async () => {
  const steps: string[] = []
  const life = new Lifecycle({
    open: async () => {},
    close: async () => {
      steps.push('closed')
    },
    closedError: () => new Closed(),
  })
  await life.ready()
  assert.equal(life.active(), true)
  assert.equal(life.active(), true)
  assert.equal(life.actives, 2)
  const closing = life.close()
  assert.equal(life.active(), false, 'refused once closing')
  life.inactive()
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(steps.length, 0, 'one operation still in flight')
  steps.push('last inactive')
  life.inactive()
  await closing
  assert.deepEqual(steps, ['last inactive', 'closed'])
  assert.equal(life.actives, 0)
})
