import assert from 'node:assert/strict'
import { once } from 'node:events'
import { type TestContext, test } from 'node:test'
import { Corestore } from '@corestore/core'
import { HypercoreProtocol, randomAccessMemory } from '@corestore/engine'
import { appendAll, readAll } from '@corestore/test-helpers'
import { canBind, loopbackSwarm, NetworkerV1, startBootstrap } from '../helpers/hyperswarm2.ts'

// @corestore/networker 1.x, the networker of corestore 5 (hyperspace, hyperdrive-daemon), is a real
// program: it calls store.replicate(false, { stream, keyPair, encrypt, live }) once per connection.
// Here it runs on two of our stores, over hyperswarm 2 and a DHT of our own, all on loopback.

const HYPERSPACE = '@hypercore-protocol/hyperspace'
const HOSTS = ['127.0.0.2', '127.0.0.3'] as const
const aliases = await Promise.all(HOSTS.map(canBind))
const skip = aliases.every(Boolean) ? false : 'needs 127.0.0.2 and 127.0.0.3 on lo (Linux has all of 127.0.0.0/8)'
const OPTS = { timeout: 20_000, skip }

interface Node {
  readonly store: Corestore
  readonly networker: NetworkerV1
  readonly publicKey: Buffer
  /** Announce and look up a discovery key, as hyperspace's network.configure does. */
  join(discoveryKey: Buffer): Promise<void>
}

/** A bootstrap node and the nodes of one test, torn down together when it ends. */
async function cluster(t: TestContext) {
  const dht = await startBootstrap()
  const nodes: { node: Node; topics: Buffer[] }[] = []
  t.after(async () => {
    // Leave every topic while all peers are up: unannouncing to a peer already gone waits out
    // the DHT's timeouts (some 30 s). Then networkers, stores, and the bootstrap node.
    const leave = (n: Node, dk: Buffer) => n.networker.configure(dk, { announce: false, lookup: false })
    await Promise.all(nodes.flatMap(({ node, topics }) => topics.map((dk) => leave(node, dk))))
    await Promise.all(nodes.map(({ node }) => node.networker.close()))
    await Promise.all(nodes.map(({ node }) => node.store.close()))
    dht.destroy()
  })
  return async (host: string): Promise<Node> => {
    const store = new Corestore(randomAccessMemory)
    await store.ready()
    // As hyperspace's server does: the Noise identity is derived from the store's master key.
    const keyPair = HypercoreProtocol.keyPair(store.inner._deriveSecret(HYPERSPACE, 'replication-keypair'))
    const networker = new NetworkerV1(store, { keyPair, swarm: loopbackSwarm(dht.bootstrap, host) })
    await networker.listen()
    const topics: Buffer[] = []
    const node: Node = {
      store,
      networker,
      publicKey: keyPair.publicKey,
      async join(discoveryKey) {
        topics.push(discoveryKey)
        await networker.configure(discoveryKey, { announce: true, lookup: true })
      },
    }
    nodes.push({ node, topics })
    return node
  }
}

test('@corestore/networker 1 replicates a core between two of our stores on a loopback swarm', OPTS, async (t) => {
  const node = await cluster(t)
  const [a, b] = [await node(HOSTS[0]), await node(HOSTS[1])]
  const core = a.store.default()
  await appendAll(core, ['hello', 'world'])
  const peer = once(b.networker, 'peer-add') as Promise<[{ remotePublicKey: Buffer }]>

  const copy = b.store.get(core.key as Buffer)
  await a.join(core.discoveryKey as Buffer)
  await b.join(core.discoveryKey as Buffer)
  assert.deepEqual(await readAll(copy, 2), ['hello', 'world'])
  const [{ remotePublicKey }] = await peer
  assert.deepEqual(remotePublicKey, a.publicKey, "the peer is a, known by the key its store's inner derived")
})

test('over a networker 1 connection, a core asked for later comes through too', OPTS, async (t) => {
  const node = await cluster(t)
  const [a, b] = [await node(HOSTS[0]), await node(HOSTS[1])]
  const first = a.store.default()
  await appendAll(first, ['first'])
  const copy = b.store.get(first.key as Buffer)
  await a.join(first.discoveryKey as Buffer)
  await b.join(first.discoveryKey as Buffer)
  assert.deepEqual(await readAll(copy, 1), ['first'])

  // No topic for this one: it joins the live stream the connection already carries.
  const later = a.store.namespace('later').default()
  await appendAll(later, ['later'])
  assert.deepEqual(await readAll(b.store.get(later.key as Buffer), 1), ['later'])
})
