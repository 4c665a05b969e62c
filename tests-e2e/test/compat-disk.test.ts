import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { GetInput } from '@corestore/core'
import { Corestore } from '@corestore/core'
import type { Hypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { Keychain } from '@corestore/keychain'
import { appendAll, readAll, tmpDir, withStore } from '@corestore/test-helpers'
import { LegacyCorestore } from '../helpers/legacy.ts'

interface Written {
  key: Buffer
  blocks: string[]
}

/** The cores a typical program writes: default, a namespace's default, a get() core, a key-pair core. */
async function writeTypicalStore(store: {
  default(): Hypercore
  namespace(name: string): { default(): Hypercore }
  get(opts?: GetInput): Hypercore
}): Promise<Record<string, Written>> {
  const keyPair = new Keychain(Keychain.generateMasterKey()).keyPair('explicit')
  const cores: Record<string, Hypercore> = {
    default: store.default(),
    namespaced: store.namespace('drive1').default(),
    random: store.get(),
    keyPair: store.get({ keyPair }),
  }
  const written: Record<string, Written> = {}
  for (const [label, core] of Object.entries(cores)) {
    const blocks = [`${label}-0`, `${label}-1`, `${label}-2`]
    await appendAll(core, blocks)
    written[label] = { key: core.key as Buffer, blocks }
  }
  return written
}

/** Reopen each core by key (the default ones by default()), check keys, blocks, and that it appends. */
async function checkReopened(
  store: { default(): Hypercore; namespace(name: string): { default(): Hypercore }; get(opts?: GetInput): Hypercore },
  written: Record<string, Written>,
): Promise<void> {
  const reopened: Record<string, Hypercore> = {
    default: store.default(),
    namespaced: store.namespace('drive1').default(),
    random: store.get({ key: written.random?.key }),
    keyPair: store.get({ key: written.keyPair?.key }),
  }
  for (const [label, core] of Object.entries(reopened)) {
    const w = written[label] as Written
    await engine.ready(core)
    assert.deepEqual(core.key, w.key, `${label}: same key`)
    assert.equal(core.writable, true, `${label}: writable`)
    assert.deepEqual(await readAll(core), w.blocks, `${label}: same blocks`)
    await appendAll(core, [`${label}-more`])
    assert.equal(core.length, w.blocks.length + 1)
  }
}

test('a directory written by corestore 5.8.2 opens here with the same keys, writable, same blocks', async (t) => {
  const dir = await tmpDir(t)
  const written = await withStore(new LegacyCorestore(dir), writeTypicalStore)
  await withStore(new Corestore(dir), (ours) => checkReopened(ours, written))

  // ...and the append made here reads back in corestore 5.8.2 again.
  await withStore(new LegacyCorestore(dir), async (back) => {
    const core = back.default()
    assert.deepEqual(await readAll(core), [...(written.default as Written).blocks, 'default-more'])
  })
})

for (const durable of [false, true]) {
  test(`a directory written here${durable ? ' durably' : ''} opens in corestore 5.8.2 with the same keys, writable, same blocks`, async (t) => {
    const dir = await tmpDir(t)
    const written = await withStore(new Corestore(dir, { durable }), writeTypicalStore)
    await withStore(new LegacyCorestore(dir), (legacy) => checkReopened(legacy, written))
  })
}

test('a directory written by corestore 5.8.2 opens durably here, and what is appended durably reads back there', async (t) => {
  const dir = await tmpDir(t)
  const written = await withStore(new LegacyCorestore(dir), writeTypicalStore)
  await withStore(new Corestore(dir, { durable: true }), (ours) => checkReopened(ours, written))
  await withStore(new LegacyCorestore(dir), async (back) => {
    assert.deepEqual(await readAll(back.namespace('drive1').default()), [
      ...(written.namespaced as Written).blocks,
      'namespaced-more',
    ])
  })
})

test('both open a core of the other by discovery key alone', async (t) => {
  const dir = await tmpDir(t)
  const theirs = await withStore(new LegacyCorestore(dir), (legacy) => appendAll(legacy.get(), ['from 5.8.2']))

  const mine = await withStore(new Corestore(dir), async (ours) => {
    const core = ours.get({ discoveryKey: theirs.discoveryKey as Buffer })
    assert.deepEqual(await readAll(core), ['from 5.8.2'])
    assert.equal(core.writable, true)
    const mine = ours.get()
    await appendAll(mine, ['from here'])
    return mine
  })

  await withStore(new LegacyCorestore(dir), async (again) => {
    const byDk = again.get({ discoveryKey: mine.discoveryKey as Buffer })
    assert.deepEqual(await readAll(byDk), ['from here'])
    assert.equal(byDk.writable, true)
  })
})

test('the master key file is shared: both derive the same default key from one directory', async (t) => {
  const dir = await tmpDir(t)
  const mine = await withStore(new Corestore(dir), async (ours) => {
    const mine = ours.namespace('a').namespace('b').default()
    await engine.ready(mine)
    return mine
  })

  await withStore(new LegacyCorestore(dir), async (legacy) => {
    const theirs = legacy.namespace('a').namespace('b').default()
    await engine.ready(theirs)
    assert.deepEqual(theirs.key, mine.key)
  })
})
