import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Corestore } from '@corestore/core'
import { type Resource, tmpDir, withStore } from '@corestore/test-helpers'
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
