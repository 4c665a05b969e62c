import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import type { Duplex } from 'node:stream'
import { type TestContext, test } from 'node:test'
import { promisify } from 'node:util'
import { Corestore } from '@corestore/core'
import { defer, link, type Resource, tmpDir, withStore } from '@corestore/test-helpers'
import { LegacyCorestore } from '../helpers/legacy.ts'

// What daemons built on corestore 5 derive their network identity from (hyperspace 3.19's server.js,
// hyperdrive-daemon's index.js), and two edge cases of derive-key's encoding.
const CALLS: [string, string | Buffer][] = [
  ['@hypercore-protocol/hyperspace', 'replication-keypair'],
  ['@hypercore-protocol/hyperspace', 'swarm-id'],
  ['hyperdrive-daemon', 'replication-keypair'],
  ['hyperdrive-daemon', 'swarm-id'],
  ['', ''],
  ['nön-ascii ✓', Buffer.from([0, 1, 2])],
]

/** Each store's `inner._deriveSecret` for every call, on one directory (one master_key). */
function secrets(store: Resource & { inner: { _deriveSecret(ns: string, name: string | Buffer): Buffer } }) {
  return withStore(store, () => CALLS.map(([ns, name]) => store.inner._deriveSecret(ns, name).toString('hex')))
}

test('a store directory written by corestore 5.8.2 gives ours the same inner._deriveSecret', async (t) => {
  const dir = await tmpDir(t)
  const theirs = await secrets(new LegacyCorestore(dir))
  assert.deepEqual(await secrets(new Corestore(dir)), theirs)
})

test('a store directory written by ours gives corestore 5.8.2 the same inner._deriveSecret', async (t) => {
  const dir = await tmpDir(t)
  const ours = await secrets(new Corestore(dir))
  assert.deepEqual(await secrets(new LegacyCorestore(dir)), ours)
})

interface Core {
  readonly key: Buffer
  readonly discoveryKey: Buffer
  ready(cb: (err: Error | null) => void): void
  append(data: string, cb: (err: Error | null) => void): void
  get(index: number, cb: (err: Error | null, data: Buffer) => void): void
}
/** How dat-sdk 2 (index.js, trackMemoryCore) serves a hypercore kept outside the store. */
interface Injectable {
  ready(): Promise<void>
  close(): Promise<void>
  on(event: 'feed', fn: (core: unknown) => void): void
  get(opts: { key: Buffer }): unknown
  replicate(isInitiator: boolean, opts: object): Duplex
  readonly inner: {
    readonly cache: { set(id: string, core: unknown): void }
    _injectIntoReplicationStreams(core: unknown): void
    emit(event: string, ...args: unknown[]): boolean
  }
}
type StoreOf = (storage: unknown) => Injectable

const require = createRequire(import.meta.url)
const ram = require('random-access-memory')
const hypercore = require('hypercore') as (storage: unknown) => Core

async function serveOutsideCore(t: TestContext, make: StoreOf): Promise<{ fed: boolean; block: string }> {
  const [a, b] = [make(ram), make(ram)]
  await Promise.all([a.ready(), b.ready()])
  defer(t, () => Promise.all([a.close(), b.close()]))
  const outside = hypercore(ram)
  await promisify(outside.ready.bind(outside))()
  await promisify(outside.append.bind(outside))('in memory')
  link(a.replicate(true, { live: true }), b.replicate(false, { live: true }))
  let fed = false
  a.on('feed', (core) => {
    fed ||= core === outside
  })
  a.inner.cache.set(outside.discoveryKey.toString('hex'), outside)
  a.inner._injectIntoReplicationStreams(outside)
  a.inner.emit('feed', outside)
  const copy = b.get({ key: outside.key }) as Core
  const block = await promisify(copy.get.bind(copy))(0)
  return { fed, block: block.toString() }
}

test("dat-sdk's in-memory cores: inner.cache.set, _injectIntoReplicationStreams and emit('feed') as on 5.8.2", async (t) => {
  const theirs = await serveOutsideCore(t, (s) => new LegacyCorestore(s as string) as unknown as Injectable)
  assert.deepEqual(theirs, { fed: true, block: 'in memory' })
  assert.deepEqual(await serveOutsideCore(t, (s) => new Corestore(s as string) as unknown as Injectable), theirs)
})
