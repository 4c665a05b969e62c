import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import { Corestore } from '@corestore/core'
import { createProtocolStream, DEFAULT_UPLOAD_LIMITS, randomAccessMemory } from '@corestore/engine'
import { engine, outgoingBytes } from '@corestore/engine/internal'
import type { Hyperswarm, HyperswarmOptions, SwarmConnection } from '@corestore/networker'
import { sampling, until, within } from '@corestore/test-helpers'
import { Cluster, LOOPBACK } from './helpers.ts'

const require = createRequire(import.meta.url)
const HyperswarmClass = require('hyperswarm') as new (opts: HyperswarmOptions) => Hyperswarm
const HyperDHT = require('hyperdht') as new (opts: { bootstrap: unknown[]; host: string }) => unknown

test('a swarm peer that asks for every block and stops reading gets at most the upload limit queued; a reader is still served', {
  timeout: 120_000,
}, async (t) => {
  const N = 10_000
  const SIZE = 1024
  const cluster = await Cluster.start(t)
  const owner = await cluster.node()
  const core = owner.store.default()
  for (let i = 0; i < N; i += 500) {
    await engine.append(
      core,
      Array.from({ length: 500 }, (_, j) => Buffer.alloc(SIZE, `block ${i + j};`)),
    )
  }
  const dk = core.discoveryKey as Buffer
  await owner.networker.join(dk, { announce: true, lookup: false })

  // A bare protocol peer on a swarm of its own: it asks for every block, then stops reading its connection.
  const swarm = new HyperswarmClass({ dht: new HyperDHT({ bootstrap: cluster.testnet.bootstrap, host: LOOPBACK }) })
  cluster.defer(() => swarm.destroy())
  let asked = false
  swarm.on('connection', (conn: SwarmConnection) => {
    const raw = createProtocolStream(true, { live: true, timeout: false })
    raw.on('error', () => {})
    conn.on('error', () => {})
    conn.on('data', (data: Buffer) => raw.write(data))
    raw.pipe(conn)
    const channel = raw.open(core.key as Buffer, {
      onopen() {
        for (let index = 0; index < N; index++) channel.request({ index })
        conn.pause()
        asked = true
      },
    })
  })
  swarm.join(dk, { server: false, client: true })
  await until(() => asked, 'the greedy peer to ask', 60_000)

  // What the owner's replication streams hold for their readers, whoever they are.
  let peak = 0
  const stop = sampling(() => {
    for (const peer of owner.networker.peers) peak = Math.max(peak, outgoingBytes(peer.stream))
  })
  const reader = await cluster.node(new Corestore(randomAccessMemory))
  const copy = reader.store.get(core.key as Buffer)
  await reader.networker.join(dk, { announce: false, lookup: true })
  await within(Promise.resolve(copy.download({ start: 0, end: N })), 'the reader to download every block', 100_000)
  await stop()

  t.diagnostic(`peak queue of one replication stream: ${(peak / 2 ** 20).toFixed(2)} MiB`)
  assert.equal(copy.downloaded(0, N), N)
  const bound = DEFAULT_UPLOAD_LIMITS.maxBuffered + DEFAULT_UPLOAD_LIMITS.concurrency * 4 * SIZE
  assert.ok(peak <= bound, `${(peak / 2 ** 20).toFixed(2)} MiB queued for one peer`)
})
