import assert from 'node:assert/strict'
import { once } from 'node:events'
import { Duplex, PassThrough } from 'node:stream'
import { test } from 'node:test'
import type { ProtocolStream } from '@corestore/engine'
import type { SwarmConnection } from '../src/hyperswarm.ts'
import { MAX_COALESCED_BYTES, Peer } from '../src/peer.ts'

/** A connection that records every write it takes; `highWaterMark` bytes fill it until `drain()`. */
class RecordingConnection extends Duplex {
  readonly writes: Buffer[] = []
  readonly remotePublicKey = Buffer.alloc(32, 1)
  readonly publicKey = Buffer.alloc(32, 2)
  readonly isInitiator = true
  ended = false
  #held: (() => void) | null = null
  readonly #hold: boolean

  constructor(opts: { highWaterMark?: number; hold?: boolean } = {}) {
    super({ writableHighWaterMark: opts.highWaterMark ?? 16 * 1024 * 1024 })
    this.#hold = opts.hold ?? false
  }

  override _read(): void {}

  override _write(chunk: Buffer, _: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.writes.push(chunk)
    if (this.#hold) this.#held = () => cb()
    else cb()
  }

  override _final(cb: () => void): void {
    this.ended = true
    cb()
  }

  /** Let the write held back go (with `hold`). */
  release(): void {
    const held = this.#held
    this.#held = null
    held?.()
  }
}

function peerOver(connection: RecordingConnection) {
  const stream = new PassThrough()
  const peer = new Peer(connection as unknown as SwarmConnection, stream as unknown as ProtocolStream, true, {
    onerror() {},
    onclose() {},
  })
  return { stream, peer }
}

/** A connection like hyperswarm 4's: `alloc()` hands out a buffer it would encrypt in place. */
class AllocatingConnection extends RecordingConnection {
  readonly allocated: Buffer[] = []

  alloc(length: number): Buffer {
    const buffer = Buffer.alloc(length + 20).subarray(4, 4 + length)
    this.allocated.push(buffer)
    return buffer
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))
const messages = (n: number, size = 100) => Array.from({ length: n }, (_, i) => Buffer.alloc(size, i % 256))

/** A peer over `connection` whose replication stream emits `sent` in one turn, two turns ago. */
async function afterEmitting(connection: RecordingConnection, sent: Buffer[]) {
  const over = peerOver(connection)
  for (const m of sent) over.stream.write(m)
  await tick()
  await tick()
  return over
}

test('messages the replication stream emits in one turn reach the connection as one write', async () => {
  const connection = new RecordingConnection()
  const sent = messages(50)
  const { peer } = await afterEmitting(connection, sent)
  assert.equal(connection.writes.length, 1, 'one write for the 50 messages')
  assert.deepEqual(Buffer.concat(connection.writes), Buffer.concat(sent))
  await peer.close()
})

test('a write to the connection carries at most MAX_COALESCED_BYTES (and one message more)', async () => {
  const connection = new RecordingConnection()
  const sent = messages(300, 1100) // about 5 × 64 KiB
  const { peer } = await afterEmitting(connection, sent)
  assert.ok(connection.writes.length > 1 && connection.writes.length < 10, `${connection.writes.length} writes`)
  for (const w of connection.writes) assert.ok(w.byteLength < MAX_COALESCED_BYTES + 1100)
  assert.deepEqual(Buffer.concat(connection.writes), Buffer.concat(sent))
  await peer.close()
})

test('with a connection that allocates (secret-stream), the messages are joined into its buffer', async () => {
  const connection = new AllocatingConnection()
  const sent = messages(50)
  const { peer } = await afterEmitting(connection, sent)
  assert.equal(connection.writes.length, 1)
  assert.equal(connection.writes[0], connection.allocated[0], 'the write is the buffer the connection allocated')
  assert.deepEqual(connection.writes[0], Buffer.concat(sent))
  await peer.close()
})

test('a full connection pauses the replication stream; every byte still arrives, in order', async () => {
  const connection = new RecordingConnection({ highWaterMark: 1024, hold: true })
  const sent = messages(200, 1000)
  const { stream, peer } = await afterEmitting(connection, sent)
  assert.equal(connection.writes.length, 1, 'the first write is held: the connection is full')
  assert.ok(stream.isPaused(), 'the replication stream waits for the connection to drain')
  while (Buffer.concat(connection.writes).byteLength < 200 * 1000) {
    connection.release()
    await tick()
  }
  connection.release()
  assert.deepEqual(Buffer.concat(connection.writes), Buffer.concat(sent))
  await peer.close()
})

test('the connection ends once the replication stream ends, after its last messages', async () => {
  const connection = new RecordingConnection()
  const { stream } = peerOver(connection)
  const sent = messages(3)
  for (const m of sent) stream.write(m)
  stream.end()
  await once(connection, 'finish')
  assert.equal(connection.ended, true)
  assert.deepEqual(Buffer.concat(connection.writes), Buffer.concat(sent))
})
