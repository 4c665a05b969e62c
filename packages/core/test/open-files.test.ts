import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Corestore } from '@corestore/core'
import { engine } from '@corestore/engine/internal'
import { openBelow, tmpDir } from '@corestore/test-helpers'
import { diskStore } from './helpers.ts'

test('a store holds many open cores within maxOpenFiles descriptors, and every block reads back', async (t) => {
  const dir = await tmpDir(t)
  const store = await diskStore(t, dir, { maxOpenFiles: 16 })
  const cores = Array.from({ length: 60 }, () => store.get())
  await Promise.all(cores.map(engine.ready))
  await Promise.all(cores.map((core, i) => engine.append(core, Buffer.from(`block ${i}`))))
  // The store's LOCK is held outside the budget.
  assert.ok(openBelow(dir) <= 16 + 1, `${openBelow(dir)} descriptors`)
  const blocks = await Promise.all(cores.map((core) => engine.get(core, 0)))
  assert.deepEqual(
    blocks.map(String),
    cores.map((_, i) => `block ${i}`),
  )
  assert.ok(openBelow(dir) <= 16 + 1)
  await store.close()
  assert.equal(openBelow(dir), 0)

  // The same directory reopens without a budget, as random-access-file alone opens it.
  const again = await diskStore(t, dir, { maxOpenFiles: Number.POSITIVE_INFINITY })
  const reopened = cores.map((core) => again.get({ key: core.key }))
  assert.deepEqual((await Promise.all(reopened.map((core) => engine.get(core, 0)))).map(String), blocks.map(String))
})

test('a maxOpenFiles that is not a positive integer is refused, naming the option', () => {
  for (const maxOpenFiles of [0, -5, 2.5, '100', Number.NaN]) {
    assert.throws(() => new Corestore('/tmp/never-made', { maxOpenFiles } as never), {
      code: 'INVALID_OPTION',
      message: /opts\.maxOpenFiles/,
    })
  }
})
