import assert from 'node:assert/strict'
import { once } from 'node:events'
import { type TestContext, test } from 'node:test'
import type { Corestore } from '@corestore/core'
import type { Hypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { appendAll, readAll, until } from '@corestore/test-helpers'
import { Cluster } from './helpers.ts'

const MESSAGES = ['hello', 'is anyone there?', 'yes, over the swarm']
const ATTACHMENTS = ['<cat.png, 42 KiB>']
const BOUND = { timeout: 30_000 }

/** A chat namespace of two cores, the way an app keeps its data: messages and attachments. */
async function chat(store: Corestore): Promise<{ ns: Corestore; messages: Hypercore; attachments: Hypercore }> {
  const ns = store.namespace('chat')
  const messages = ns.default()
  const attachments = ns.get({ name: 'attachments' })
  await appendAll(messages, MESSAGES)
  await appendAll(attachments, ATTACHMENTS)
  return { ns, messages, attachments }
}

/** A reader's copies of the chat, found on the swarm by the messages core's discovery key. */
async function readChat(store: Corestore, owned: { messages: Hypercore; attachments: Hypercore }) {
  const messages = store.get(owned.messages.key as Buffer)
  const attachments = store.get(owned.attachments.key as Buffer)
  return { messages: await readAll(messages, MESSAGES.length), attachments: await readAll(attachments, 1) }
}

/** A testnet with the chat's owner and a reader, both joined to the messages core's key, flushed. */
async function joinedPair(t: TestContext) {
  const cluster = await Cluster.start(t)
  const owner = await cluster.node()
  const reader = await cluster.node()
  const owned = await chat(owner.store)
  const dk = owned.messages.discoveryKey as Buffer
  await owner.networker.join(dk)
  await reader.networker.join(dk)
  await reader.networker.flush()
  return { cluster, owner, reader, owned, dk }
}

test('two stores on the testnet replicate a namespace after joining its discovery key', BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const owner = await cluster.node()
  const reader = await cluster.node()
  const owned = await chat(owner.store)
  const dk = owned.messages.discoveryKey as Buffer

  await owner.networker.join(dk, { announce: true, lookup: false })
  const added = once(reader.networker, 'peer-add')
  await reader.networker.join(dk, { announce: false, lookup: true })
  await reader.networker.flush()

  const [peer] = await added
  assert.deepEqual(peer.remotePublicKey, owner.networker.swarm.keyPair.publicKey)
  assert.equal(peer.client, true, 'the reader dialed the owner it looked up')
  assert.deepEqual(await readChat(reader.store, owned), { messages: MESSAGES, attachments: ATTACHMENTS })
  assert.equal(reader.networker.peers.size, 1)
  await until(() => owner.networker.peers.size === 1, 'the owner lists the reader among its peers')
  const [ownerSide] = owner.networker.peers
  assert.deepEqual(ownerSide?.remotePublicKey, reader.networker.swarm.keyPair.publicKey)
  assert.equal(ownerSide?.client, false)
})

test('five stores in one process replicate a namespace, and new blocks reach every peer live', BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const nodes = await Promise.all(Array.from({ length: 5 }, () => cluster.node()))
  const [owner, ...readers] = nodes as [(typeof nodes)[0], ...typeof nodes]
  const owned = await chat(owner.store)
  const dk = owned.messages.discoveryKey as Buffer

  // One after the other: a DHT look-up finds the peers announced before it, so peers joining at the
  // very same instant would miss each other until hyperswarm's next refresh.
  for (const node of nodes) await node.networker.join(dk)
  await Promise.all(nodes.map((n) => n.networker.flush()))
  const copies = await Promise.all(readers.map((r) => readChat(r.store, owned)))
  for (const copy of copies) assert.deepEqual(copy, { messages: MESSAGES, attachments: ATTACHMENTS })

  await engine.append(owned.messages, Buffer.from('one more'))
  for (const reader of readers) {
    const copy = reader.store.get(owned.messages.key as Buffer)
    assert.equal((await engine.get(copy, MESSAGES.length, { timeout: 10_000 })).toString(), 'one more')
  }
  // Everyone announces and looks up: the swarm is a full mesh of five.
  await until(() => nodes.every((n) => n.networker.peers.size === 4), 'every node has the four others as peers')
})

test('a peer that joins later catches up, including blocks written meanwhile', BOUND, async (t) => {
  const { cluster, owned, dk, reader: early } = await joinedPair(t)
  assert.deepEqual((await readChat(early.store, owned)).messages, MESSAGES)

  await appendAll(owned.messages, ['written before the late peer came'])
  const late = await cluster.node()
  await late.networker.join(dk, { announce: false })
  await late.networker.flush()
  assert.deepEqual(await readAll(late.store.get(owned.messages.key as Buffer), MESSAGES.length + 1), [
    ...MESSAGES,
    'written before the late peer came',
  ])
})

test('a peer that leaves the swarm is removed from the others, with peer-remove', BOUND, async (t) => {
  const { owner, reader } = await joinedPair(t)
  await until(() => owner.networker.peers.size === 1, 'the owner sees the reader')

  const removed = once(owner.networker, 'peer-remove', { signal: AbortSignal.timeout(10_000) })
  await reader.networker.close()
  const [peer] = await removed
  assert.deepEqual(peer.remotePublicKey, reader.networker.swarm.keyPair.publicKey)
  assert.equal(owner.networker.peers.size, 0)
  assert.equal(reader.networker.peers.size, 0)
  assert.equal(peer.closed, true)
})

test('after leave() a newcomer looking the key up no longer finds the peer', BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const owner = await cluster.node()
  const owned = await chat(owner.store)
  const dk = owned.messages.discoveryKey as Buffer
  await owner.networker.join(dk)
  assert.deepEqual(owner.networker.topics, [dk.toString('hex')])
  await owner.networker.leave(dk)
  assert.deepEqual(owner.networker.topics, [])

  const newcomer = await cluster.node()
  await newcomer.networker.join(dk, { announce: false })
  await newcomer.networker.flush()
  assert.equal(newcomer.networker.peers.size, 0)
})

test('a peer asking for another stored core gets it by passive injection', BOUND, async (t) => {
  const cluster = await Cluster.start(t)
  const owner = await cluster.node()
  const reader = await cluster.node()
  const owned = await chat(owner.store)
  // No view of the owner holds the chat's cores any more: they are passive, attached to no stream.
  await owned.ns.close()
  assert.equal(owner.store.isExternal(owned.attachments.key as Buffer), false)
  const beacon = owner.store.default()
  await appendAll(beacon, ['beacon'])

  await owner.networker.join(beacon.discoveryKey as Buffer)
  await reader.networker.join(beacon.discoveryKey as Buffer, { announce: false })
  await reader.networker.flush()
  const copy = reader.store.get(owned.attachments.key as Buffer)
  assert.deepEqual(await readAll(copy, 1), ATTACHMENTS)
})
