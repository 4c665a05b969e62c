import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Corestore } from '@corestore/core'
import { randomAccessMemory } from '@corestore/engine'
import { isCorestoreError, Networker } from '@corestore/networker'
import { defer } from '@corestore/test-helpers'
import { Cluster, LOOPBACK } from './helpers.ts'

const BOUND = { timeout: 30_000 }
const closed = (err: unknown) => isCorestoreError(err) && err.code === 'NETWORKER_CLOSED'

test('networker: ready twice listens once; close twice closes once; ready after close refused', BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const { networker } = await cluster.node()
  const [a, b] = [networker.ready(), networker.ready()]
  assert.equal(a, b)
  await a
  assert.equal(networker.opened, true)
  const [c, d] = [networker.close(), networker.close()]
  assert.equal(c, d)
  await c
  assert.deepEqual([networker.opened, networker.closing, networker.closed], [false, true, true])
  assert.equal(networker.swarm.destroyed, true)
  await assert.rejects(networker.ready(), closed)
})

test('networker: close during ready lets the open settle, then destroys the swarm', BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const { networker } = await cluster.node()
  const opening = networker.ready()
  const closing = networker.close()
  await assert.rejects(networker.ready(), closed)
  await Promise.allSettled([opening])
  await closing
  assert.equal(networker.swarm.destroyed, true)
})

test(
  'networker: an error while opening (a destroyed swarm) rejects ready() and close() still works',
  BOUND,
  async (t) => {
    const cluster = await Cluster.start(t)
    const store = new Corestore(randomAccessMemory)
    defer(t, () => store.close())
    const own = new Networker(store, { bootstrap: cluster.testnet.bootstrap, host: LOOPBACK })
    await own.swarm.destroy()
    const networker = new Networker(store, { swarm: own.swarm })
    await assert.rejects(networker.ready(), closed)
    await assert.rejects(networker.ready(), closed)
    await networker.close()
    await own.close()
    assert.equal(networker.closed, true)
  },
)

test('peer: close twice closes its connection and stream once, and the networker forgets it', BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const a = await cluster.node()
  const b = await cluster.node()
  const core = a.store.default()
  await new Promise<void>((resolve, reject) => core.ready((err) => (err ? reject(err) : resolve())))
  const dk = core.discoveryKey as Buffer
  await a.networker.join(dk, { announce: true, lookup: false })
  const added = new Promise((resolve) => b.networker.once('peer-add', resolve))
  await b.networker.join(dk, { announce: false, lookup: true })
  await added
  const [peer] = [...b.networker.peers]
  assert.ok(peer)
  const removed = new Promise((resolve) => b.networker.once('peer-remove', resolve))
  const [x, y] = [peer.close(), peer.close()]
  assert.equal(x, y)
  await x
  await removed
  assert.equal(peer.closed, true)
  assert.equal(peer.stream.destroyed, true)
  assert.equal(b.networker.peers.size, 0)
})
