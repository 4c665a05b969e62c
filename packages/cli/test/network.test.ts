import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdir, readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { test } from 'node:test'
import { openStorage } from '@corestore/bootstrap'
import { JOURNAL_FILE, Journal } from '@corestore/bootstrap/internal'
import type { InfoJson } from '@corestore/cli'
import { Corestore } from '@corestore/core'
import { engine } from '@corestore/engine/internal'
import { discoveryKey } from '@corestore/keychain'
import { EXACT, type Hooks, opened, snapshot, tmpDir, withStore } from '@corestore/test-helpers'
import { corestore, Running, Teardown, writeStore } from './helpers.ts'

interface Testnet {
  readonly bootstrap: { host: string; port: number }[]
  destroy(): Promise<void>
}
const createTestnet = createRequire(import.meta.url)('hyperdht/testnet') as (
  size: number,
  opts: { host: string },
) => Promise<Testnet>

/** A local DHT on 127.0.0.1, destroyed when the test ends (after the processes started later). */
async function testnet(t: Hooks): Promise<string[]> {
  const net = await createTestnet(3, { host: '127.0.0.1' })
  t.after(() => net.destroy())
  return net.bootstrap.flatMap(({ host, port }) => ['--bootstrap', `${host}:${port}`])
}

test('serve announces a store on a local DHT; clone finds a core there and downloads all of it', {
  timeout: 120_000,
}, async (context) => {
  const t = new Teardown(context)
  const bootstrap = await testnet(t)
  const dir = await tmpDir(t)
  const owner = join(dir, 'owner')
  const blocks = Array.from({ length: 300 }, (_, i) => Buffer.alloc(1000 + i, i % 256))
  const key = await withStore(new Corestore(owner), async (store) => {
    const core = store.namespace('photos').default()
    await engine.ready(core)
    await engine.append(core, blocks)
    return (core.key as Buffer).toString('hex')
  })

  const server = new Running(t, ['serve', owner, ...bootstrap])
  await server.line(/^ready: press Ctrl-C to stop$/)
  assert.equal(server.lines[0], `serving 1 core from ${owner}`)
  assert.equal(server.lines[1], `announced ${key}  photos`)

  const copy = join(dir, 'copy')
  const cloned = await corestore(['clone', key, copy, ...bootstrap, '--timeout', '20'], { timeout: 40_000 })
  assert.equal(cloned.code, 0, cloned.stderr)
  const bytes = blocks.reduce((n, b) => n + b.length, 0)
  assert.match(
    cloned.stdout,
    new RegExp(`^cloned ${key} into ${copy}: 300 blocks, .* \\(${bytes} bytes\\) in [\\d.]+ s\\n$`),
  )
  assert.match(cloned.stderr, /^downloading 300 blocks, 344\.9 KB\n/)
  assert.match(cloned.stderr, / 100% \| 300\/300 blocks \| 344\.9 KB \| .*\/s \| ETA 0s\n/)
  const bars = cloned.stderr.split('\n').slice(1, -1)
  assert.equal(bars.filter((line) => line.includes(' 100% ')).length, 1, 'the last state is printed once')
  for (const line of bars) assert.ok(line.length < 80, `fits 80 columns: ${line}`)

  const again = await corestore(['clone', key, copy, ...bootstrap, '--timeout', '20'], { timeout: 40_000 })
  assert.equal(again.code, 0, again.stderr)
  // Nothing to download: one line says so, no bar, and no time taken to tell.
  assert.equal(again.stderr, 'nothing new: all 300 blocks (344.9 KB) are here already\n')
  assert.equal(again.stdout, `cloned ${key} into ${copy}: 300 blocks, 344.9 KB (${bytes} bytes), nothing new\n`)

  const info = JSON.parse((await corestore(['info', copy, '--json'])).stdout) as InfoJson
  assert.deepEqual(info.cores, [{ ...info.cores[0], key, writable: false, length: 300, byteLength: bytes }])
  const printed = await corestore(['cat', copy, key, '--start', '299', '--raw'])
  assert.deepEqual(Buffer.from(printed.stdout, 'latin1').length, blocks[299]?.length)

  // Each clone connected, and left when it was done.
  await server.matching(/^peer [0-9a-f]{16}… connected \([12] connected\)$/, 2)
  await server.matching(/^peer [0-9a-f]{16}… left \([01] connected\)$/, 2)
  server.child.kill('SIGINT')
  assert.equal(await server.exited, 0, server.stderr)
  assert.deepEqual(server.lines.slice(-2), ['SIGINT: closing', 'closed'])
})

test('clone gives up with exit code 1 when no peer serves the core', { timeout: 60_000 }, async (t) => {
  const bootstrap = await testnet(t)
  const dir = await tmpDir(t)
  const key = 'ab'.repeat(32)
  const { code, stderr } = await corestore(['clone', key, join(dir, 'copy'), ...bootstrap, '--timeout', '2'])
  assert.equal(code, 1)
  assert.equal(stderr, 'corestore clone: no peer served this core within 2 s\n')
})

test('a clone that receives nothing leaves nothing behind, and never removes what was there', {
  timeout: 60_000,
}, async (t) => {
  const bootstrap = await testnet(t)
  const dir = await tmpDir(t)
  const { dir: store, cores } = await writeStore(join(dir, 'store'))
  const empty = join(dir, 'empty')
  await mkdir(empty)
  const held = join(dir, 'held')
  await opened(t, new Corestore(held))
  // A key no peer serves, whose core folder would sit beside none of the store's (so no folder is shared).
  const taken = new Set(Object.values(cores).map((c) => (c.discoveryKey as Buffer).toString('hex').slice(0, 2)))
  let key: Buffer
  do key = randomBytes(32)
  while (taken.has(discoveryKey(key).toString('hex').slice(0, 2)))
  // The journal is rewritten as the store is opened; what it says is what must stay the same.
  const exact = { ...EXACT, ignore: [JOURNAL_FILE] }
  const journal = async (dir: string) =>
    (await Journal.read(openStorage(dir))).map((e) => e.discoveryKey.toString('hex'))
  const before = {
    store: await snapshot(store, exact),
    held: await snapshot(held, EXACT),
    journal: await journal(store),
  }

  const clone = (into: string) => corestore(['clone', key.toString('hex'), into, ...bootstrap, '--timeout', '1'])
  const [fresh, intoEmpty, intoStore, intoHeld] = await Promise.all([
    clone(join(dir, 'new', 'copy')),
    clone(empty),
    clone(store),
    clone(held),
  ])
  for (const result of [fresh, intoEmpty, intoStore]) {
    assert.deepEqual(result, { code: 1, stdout: '', stderr: 'corestore clone: no peer served this core within 1 s\n' })
  }
  assert.equal(intoHeld.code, 1)
  assert.match(intoHeld.stderr, /^corestore clone: STORE_LOCKED: [^\n]*\n$/)

  assert.deepEqual((await readdir(dir)).sort(), ['empty', 'held', 'store'], 'new/copy is gone, and new with it')
  assert.deepEqual(await readdir(empty), [])
  assert.deepEqual(await snapshot(store, exact), before.store, 'the store is as it was: its cores, master_key and LOCK')
  assert.deepEqual(await journal(store), before.journal, 'and its journal says what it said')
  assert.deepEqual(await snapshot(held, EXACT), before.held)
})

test('serve closes cleanly on SIGTERM too, and refuses a store with no cores', { timeout: 60_000 }, async (context) => {
  const t = new Teardown(context)
  const bootstrap = await testnet(t)
  const dir = await tmpDir(t)
  const owner = join(dir, 'owner')
  assert.equal((await corestore(['append', owner, 'x'])).code, 0)
  const server = new Running(t, ['serve', owner, ...bootstrap])
  await server.line(/^ready/)
  server.child.kill('SIGTERM')
  assert.equal(await server.exited, 0, server.stderr)
  assert.equal(server.lines.at(-1), 'closed')

  const empty = join(dir, 'empty')
  await withStore(new Corestore(empty), () => {})
  const refused = await corestore(['serve', empty, ...bootstrap])
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /holds no cores: nothing to serve/)
})
