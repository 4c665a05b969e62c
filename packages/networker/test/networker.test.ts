import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { Corestore } from '@corestore/core'
import { randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { type Hyperswarm, type HyperswarmOptions, isCorestoreError, Networker } from '@corestore/networker'
import { appendAll, defer, readAll, until } from '@corestore/test-helpers'
import { Cluster, LOOPBACK } from './helpers.ts'

const require = createRequire(import.meta.url)
const HyperswarmClass = require('hyperswarm') as new (opts: HyperswarmOptions) => Hyperswarm
const HyperDHT = require('hyperdht') as new (opts: { bootstrap: unknown[]; host: string }) => unknown

const BOUND = { timeout: 30_000 }
const DK = Buffer.alloc(32, 7)

function rejects(code: string, argument: string): (err: unknown) => boolean {
  return (err) => {
    assert.ok(isCorestoreError(err), `a CorestoreError, got ${String(err)}`)
    assert.equal(err.code, code)
    assert.ok(err.message.includes(argument), `"${err.message}" names ${argument}`)
    return true
  }
}

test('bad arguments are refused with a CorestoreError that names them', BOUND, async (t) => {
  const store = new Corestore(randomAccessMemory)
  defer(t, () => store.close())
  const bad: [unknown, unknown, string, string][] = [
    [null, {}, 'INVALID_OPTION', 'store'],
    [store, 'opts', 'INVALID_OPTION', 'opts'],
    [store, { bootsrap: [] }, 'INVALID_OPTION', 'opts.bootsrap'],
    [store, { bootstrap: 'localhost:49737' }, 'INVALID_OPTION', 'opts.bootstrap'],
    [store, { bootstrap: [{ host: 'localhost' }] }, 'INVALID_OPTION', 'opts.bootstrap'],
    [store, { maxPeers: -1 }, 'INVALID_OPTION', 'opts.maxPeers'],
    [store, { seed: Buffer.alloc(31) }, 'INVALID_OPTION', 'opts.seed'],
    [store, { keyPair: { publicKey: Buffer.alloc(32) } }, 'INVALID_OPTION', 'opts.keyPair'],
    [store, { firewall: true }, 'INVALID_OPTION', 'opts.firewall'],
    [store, { swarm: {} }, 'INVALID_OPTION', 'opts.swarm'],
    [store, { host: LOOPBACK, dht: {} }, 'INVALID_OPTION', 'opts.host'],
  ]
  for (const [s, opts, code, argument] of bad) {
    assert.throws(() => new Networker(s as Corestore, opts as HyperswarmOptions), rejects(code, argument))
  }

  const cluster = await Cluster.start(t, 1)
  const { networker } = await cluster.node(store)
  const keys: [unknown, string][] = [
    [undefined, 'null until the core is ready'],
    [null, 'discoveryKey'],
    [Buffer.alloc(31), 'got 31 bytes'],
    ['ab'.repeat(31), 'discoveryKey must be 64 hex characters'],
    [42, 'got number'],
  ]
  for (const [key, message] of keys) {
    await assert.rejects(networker.join(key as Buffer), rejects('INVALID_KEY', message))
    await assert.rejects(networker.leave(key as Buffer), rejects('INVALID_KEY', 'discoveryKey'))
  }
  const joins: [unknown, string][] = [
    ['yes', 'opts'],
    [{ announce: 'yes' }, 'opts.announce'],
    [{ lookup: 1 }, 'opts.lookup'],
    [{ announce: false, lookup: false }, 'leave()'],
    [{ server: true }, 'opts.server'],
  ]
  for (const [opts, argument] of joins) {
    await assert.rejects(networker.join(DK, opts as { announce: boolean }), rejects('INVALID_OPTION', argument))
  }
  assert.deepEqual(networker.topics, [])
})

test('a discovery key may be given as hex; joining again changes announce and lookup', BOUND, async (t) => {
  const cluster = await Cluster.start(t, 1)
  const { networker } = await cluster.node()
  await networker.join(DK.toString('hex'), { announce: false })
  await networker.join(new Uint8Array(DK), { announce: true, lookup: false })
  assert.deepEqual(networker.topics, [DK.toString('hex')])
  await networker.leave(DK.toString('hex'))
  await networker.leave(DK) // leaving a topic not joined does nothing
  assert.deepEqual(networker.topics, [])
})

test('close() is idempotent, empties peers, destroys its own swarm, and refuses later calls', BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const a = await cluster.node()
  const b = await cluster.node()
  await a.networker.join(DK)
  await b.networker.join(DK)
  await b.networker.flush()
  await until(() => a.networker.peers.size === 1, 'a sees b')

  const removed = once(a.networker, 'peer-remove', { signal: AbortSignal.timeout(10_000) })
  await Promise.all([a.networker.close(), a.networker.close()])
  await removed
  assert.equal(a.networker.closed, true)
  assert.equal(a.networker.peers.size, 0)
  assert.equal(a.networker.swarm.destroyed, true)
  assert.deepEqual(a.networker.topics, [])
  await a.networker.close()
  await assert.rejects(a.networker.join(DK), rejects('NETWORKER_CLOSED', 'closed'))
  await assert.rejects(a.networker.flush(), rejects('NETWORKER_CLOSED', 'closed'))
  await until(() => b.networker.peers.size === 0, 'b sees a go')
})

test('a swarm passed in is used and left open by close()', BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const swarm = new HyperswarmClass({ dht: new HyperDHT({ bootstrap: cluster.testnet.bootstrap, host: LOOPBACK }) })
  cluster.defer(() => swarm.destroy())
  const owner = await cluster.node()
  const reader = await cluster.node(new Corestore(randomAccessMemory), { swarm })
  assert.equal(reader.networker.swarm, swarm)

  const core = owner.store.default()
  await appendAll(core, ['through a swarm of my own'])
  await owner.networker.join(core.discoveryKey as Buffer)
  await reader.networker.join(core.discoveryKey as Buffer)
  await reader.networker.flush()
  assert.deepEqual(await readAll(reader.store.get(core.key as Buffer), 1), ['through a swarm of my own'])

  await reader.networker.close()
  assert.equal(swarm.destroyed, false)
  assert.equal(reader.networker.peers.size, 0)
  assert.equal(swarm.listenerCount('connection'), 0, 'the networker stopped listening to the swarm')
})

test("one peer's failing connection takes down neither the other peers nor the store", BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const owner = await cluster.node()
  const doomed = await cluster.node()
  const healthy = await cluster.node()
  const core = owner.store.default()
  await appendAll(core, ['b0'])
  const dk = core.discoveryKey as Buffer
  for (const node of [owner, doomed, healthy]) await node.networker.join(dk)
  await until(() => owner.networker.peers.size === 2, 'the owner has both readers')

  const doomedKey = doomed.networker.swarm.keyPair.publicKey
  const peer = [...owner.networker.peers].find((p) => p.remotePublicKey.equals(doomedKey))
  assert.ok(peer)
  const failed = once(owner.networker, 'peer-error', { signal: AbortSignal.timeout(10_000) })
  const removed = once(owner.networker, 'peer-remove', { signal: AbortSignal.timeout(10_000) })
  peer.connection.destroy(new Error('the cable was cut'))
  assert.match(String((await failed)[0]), /the cable was cut/)
  assert.equal((await removed)[0], peer)

  await engine.append(core, Buffer.from('b1'))
  assert.deepEqual(await readAll(healthy.store.get(core.key as Buffer), 2), ['b0', 'b1'])
})

test('a peer whose store closed refuses connections without crashing, and the others carry on', BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const owner = await cluster.node()
  const gone = await cluster.node()
  const core = owner.store.default()
  await appendAll(core, ['b0'])
  const dk = core.discoveryKey as Buffer
  await owner.networker.join(dk)
  await gone.networker.join(dk)
  await until(() => owner.networker.peers.size === 1, 'the owner has the reader')

  await gone.store.close()
  await until(() => owner.networker.peers.size === 0 && gone.networker.peers.size === 0, 'both drop the peer')
  const late = await cluster.node()
  await late.networker.join(dk, { announce: false })
  await late.networker.flush()
  assert.deepEqual(await readAll(late.store.get(core.key as Buffer), 1), ['b0'])
})
