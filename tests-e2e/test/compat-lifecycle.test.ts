// The nanoresource surface corestore 5.8.2's store has (opening, closing, actives, active(),
// inactive()), which corestore 5 programs could use: the same on ours, checked against the real one.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Corestore } from '@corestore/core'
import { randomAccessMemory } from '@corestore/engine'
import { LegacyCorestore } from '../helpers/legacy.ts'

interface Resource {
  ready(): Promise<void>
  close(cb?: (err: Error | null) => void): unknown
  readonly opening: boolean
  readonly opened: boolean
  readonly closing: boolean
  readonly closed: boolean
  readonly actives: number
  active(cb?: (err: Error | null) => void): boolean
  inactive(cb?: (err: Error | null | undefined, value?: unknown) => void, err?: Error | null, value?: unknown): void
}

const kinds = [
  ['ours', () => new Corestore(randomAccessMemory)],
  ['corestore 5.8.2', () => new LegacyCorestore(randomAccessMemory)],
] as const

const closed = (store: Resource) =>
  new Promise<void>((resolve, reject) => store.close((err) => (err ? reject(err) : resolve())))

for (const [kind, make] of kinds) {
  test(`${kind}: opening while ready() is in flight, closing while close() is, then closed`, async () => {
    const store = make() as unknown as Resource
    const flags = () => ({ opening: store.opening, closing: store.closing, closed: store.closed })
    assert.deepEqual(flags(), { opening: false, closing: false, closed: false })
    const ready = store.ready()
    assert.equal(store.opening, true)
    await ready
    assert.deepEqual(
      { ...flags(), opened: store.opened },
      { opening: false, closing: false, closed: false, opened: true },
    )
    const closing = closed(store)
    assert.equal(store.closing, true)
    await closing
    assert.deepEqual(flags(), { opening: false, closing: false, closed: true })
  })

  test(`${kind}: close() waits for active() operations to end with inactive(); active() is refused once closing`, async () => {
    const store = make() as unknown as Resource
    await store.ready()
    assert.equal(store.active(), true)
    assert.equal(store.actives, 1)
    let done = false
    const closing = closed(store).then(() => {
      done = true
    })
    const refused = await new Promise<Error | null>((resolve) => assert.equal(store.active(resolve), false))
    assert.ok(refused instanceof Error, 'active(cb) after close() calls back with an error')
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(done, false, 'still waiting for the operation in flight')
    const answered = await new Promise<unknown[]>((resolve) => store.inactive((...args) => resolve(args), null, 42))
    assert.deepEqual(answered, [null, 42], 'inactive(cb, err, value) calls cb(err, value)')
    await closing
    assert.equal(store.closed, true)
    assert.equal(store.actives, 0)
  })
}
