import assert from 'node:assert/strict'
import { once } from 'node:events'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import {
  createHypercore,
  createProtocolStream,
  type DataMessage,
  type Hypercore,
  type ProtocolStream,
  type RequestMessage,
  randomAccessMemory,
  type UploadLimits,
} from '@corestore/engine'
import { engine, outgoingBytes, uploadBacklog, uploadBacklogBelow } from '@corestore/engine/internal'
import { Replicator } from '@corestore/replicator'
import { link, until, within } from '@corestore/test-helpers'

const blockOf = (index: number, size: number) => Buffer.alloc(size, `block ${index};`)

async function coreOf(blocks: number, size: (index: number) => number): Promise<Hypercore> {
  const core = createHypercore(randomAccessMemory, null)
  await engine.ready(core)
  for (let i = 0; i < blocks; i += 100) {
    const batch = Array.from({ length: Math.min(100, blocks - i) }, (_, j) => blockOf(i + j, size(i + j)))
    await engine.append(core, batch)
  }
  return core
}

/**
 * What a peer's socket does to the stream piped into it: passes everything on while open; when
 * shut, takes one chunk and never calls back, so the stream's writes back up.
 */
function valve(to: ProtocolStream) {
  let open = true
  const held: (() => void)[] = []
  const writable = new Writable({
    write(chunk: Buffer, _encoding, cb) {
      const pass = () => {
        to.write(chunk)
        cb()
      }
      if (open) pass()
      else held.push(pass)
    },
  })
  return {
    writable,
    shut() {
      open = false
    },
    open() {
      open = true
      for (const pass of held.splice(0)) pass()
    },
  }
}

/**
 * A bare protocol peer asking `server` for `requests` on `core`'s channel once it opens; its reads
 * go through a valve that `shutAfterAsking` closes as the requests leave. Resolves the answers
 * once `expected` of them arrived.
 */
function askingPeer(
  server: ProtocolStream,
  core: Hypercore,
  requests: RequestMessage[],
  expected: number,
  shutAfterAsking = false,
) {
  const client = createProtocolStream(false, { live: true })
  const reads = valve(client)
  client.on('error', () => {})
  server.on('error', () => {})
  client.pipe(server)
  server.pipe(reads.writable)
  const answers: DataMessage[] = []
  const answered = new Promise<DataMessage[]>((resolve) => {
    const channel = client.open(core.key as Buffer, {
      onopen() {
        if (shutAfterAsking) reads.shut()
        for (const request of requests) channel.request(request)
      },
      ondata(message) {
        answers.push(message)
        if (answers.length === expected) resolve(answers)
      },
    })
  })
  return { client, reads, answered }
}

const indexes = (n: number): RequestMessage[] => Array.from({ length: n }, (_, index) => ({ index }))

test('a peer that stops reading is answered up to the limit, then gets every block once it reads again', async () => {
  const N = 2000
  const SIZE = 1024
  const limits = { maxBuffered: 64 * 1024, concurrency: 4 }
  const core = await coreOf(N, () => SIZE)
  const replicator = new Replicator({ lookup: async () => null }, { uploadLimits: limits })
  const server = replicator.replicate(true, [core], { live: true })
  // The stream's queue, looked at as each answer is about to join it.
  let peak = 0
  let uploads = 0
  core.on('upload', () => {
    uploads++
    peak = Math.max(peak, outgoingBytes(server))
  })
  const peer = askingPeer(server, core, indexes(N), N, true)

  await within(
    until(() => outgoingBytes(server) >= limits.maxBuffered, 'the server to fill its buffer for the peer', 30_000),
    'the buffer to fill',
  )
  assert.ok(uploads < N / 4, `${uploads} of ${N} blocks answered while the peer did not read`)
  peer.reads.open()
  const answers = await within(peer.answered, 'every block once the peer reads again')

  // One answer is a block and its proof: a few hundred bytes besides the block here.
  const answer = SIZE + 1024
  assert.ok(peak + answer <= limits.maxBuffered + limits.concurrency * answer, `peak queue ${peak} bytes`)
  assert.deepEqual(
    answers.map((a) => a.index).sort((a, b) => a - b),
    indexes(N).map((r) => r.index),
  )
  for (const a of answers) assert.deepEqual(a.value, blockOf(a.index, SIZE))
  replicator.destroy()
  peer.client.destroy()
})

test('the backlog counts the requests held for a peer that stopped reading, and uploadBacklogBelow waits for it to read', async () => {
  // Fewer than maxPending (256): the stream goes on reading the peer's requests.
  const N = 200
  const limits = { maxBuffered: 16 * 1024, concurrency: 4 }
  const core = await coreOf(N, () => 1024)
  const replicator = new Replicator({ lookup: async () => null }, { uploadLimits: limits })
  const server = replicator.replicate(true, [core], { live: true })
  assert.equal(uploadBacklog(server), 0)
  let uploads = 0
  core.on('upload', () => uploads++)
  const peer = askingPeer(server, core, indexes(N), N, true)
  await within(
    until(() => outgoingBytes(server) >= limits.maxBuffered, 'the server to fill its buffer for the peer'),
    'the buffer to fill',
  )
  // Every request arrived: each is answered or in the backlog.
  await within(
    until(() => uploads + uploadBacklog(server) === N, 'every request to arrive'),
    'the requests',
  )
  assert.ok(uploadBacklog(server) > N / 2, `backlog ${uploadBacklog(server)}`)
  let below = false
  const drained = uploadBacklogBelow(server, 10).then(() => {
    below = true
  })
  // The peer reads nothing: a round of the event loop answers nothing more.
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(below, false)
  peer.reads.open()
  await within(drained, 'the backlog to fall below 10 once the peer reads')
  await within(peer.answered, 'every block')
  assert.equal(uploadBacklog(server), 0)
  replicator.destroy()
  peer.client.destroy()
})

test('a stream holding back a flooding peer still closes when destroyed', async () => {
  const limits = { maxBuffered: 16 * 1024, concurrency: 2, maxPending: 8 }
  const core = await coreOf(500, () => 1024)
  const replicator = new Replicator({ lookup: async () => null }, { uploadLimits: limits })
  const server = replicator.replicate(true, [core], { live: true })
  const peer = askingPeer(server, core, indexes(500), 500, true)
  await within(
    until(() => outgoingBytes(server) >= limits.maxBuffered, 'the server to fill its buffer for the peer'),
    'the buffer to fill',
  )
  const closed = once(server, 'close')
  server.destroy()
  await within(closed, 'the stream to close', 10_000)
  assert.equal(server.destroyed, true)
  replicator.destroy()
  peer.client.destroy()
})

test('block, hash and byte-offset requests get the answers hypercore 9 itself gives', async () => {
  const core = await coreOf(20, (i) => 100 + 300 * (i % 4))
  // A block, a block with the proof nodes the asker has, a hash, a byte offset inside block 3, the last block.
  const requests: RequestMessage[] = [
    { index: 0 },
    { index: 6, nodes: 2 },
    { index: 9, hash: true },
    { index: 0, bytes: 1200 },
    { index: 19 },
  ]
  const ask = async (server: ProtocolStream) => {
    const peer = askingPeer(server, core, requests, requests.length)
    const answers = await within(peer.answered, 'every answer')
    peer.client.destroy()
    server.destroy()
    return answers.sort((a, b) => a.index - b.index || Number(a.value === null) - Number(b.value === null))
  }
  const replicator = new Replicator({ lookup: async () => null })
  const limited = await ask(replicator.replicate(true, [core], { live: true }))
  const hypercores = await ask(core.replicate(true, { live: true }))
  assert.deepEqual(limited, hypercores)
  assert.deepEqual(
    limited.map((a) => [a.index, a.value?.length ?? null]),
    [
      [0, 100],
      [3, 1000],
      [6, 700],
      [9, null],
      [19, 1000],
    ],
  )
  replicator.destroy()
})

test('a channel opened by hand on a stream passed in gets its requests as before', async () => {
  const core = await coreOf(1, () => 10)
  const stream = createProtocolStream(true, { live: true })
  const replicator = new Replicator({ lookup: async () => null })
  replicator.replicate(true, [], { stream, live: true })
  const asked = new Promise<RequestMessage>((resolve) => {
    stream.open(core.key as Buffer, { onrequest: resolve })
  })
  const client = createProtocolStream(false, { live: true })
  link(stream, client)
  const channel = client.open(core.key as Buffer, { onopen: () => channel.request({ index: 7 }) })
  assert.equal((await within(asked, 'the request')).index, 7)
  stream.destroy()
  client.destroy()
})

test('two stores replicating both ways with a 1 KiB upload buffer and one answer at a time both finish', async () => {
  const limits: UploadLimits = { maxBuffered: 1024, concurrency: 1 }
  const [a, b] = await Promise.all([coreOf(300, () => 1024), coreOf(300, () => 1024)])
  const copyOfA = createHypercore(randomAccessMemory, a.key)
  const copyOfB = createHypercore(randomAccessMemory, b.key)
  await Promise.all([engine.ready(copyOfA), engine.ready(copyOfB)])
  const left = new Replicator({ lookup: async () => null }, { uploadLimits: limits })
  const right = new Replicator({ lookup: async () => null }, { uploadLimits: limits })
  link(left.replicate(true, [a, copyOfB], { live: true }), right.replicate(false, [b, copyOfA], { live: true }))
  await within(
    Promise.all([copyOfA.download({ start: 0, end: 300 }), copyOfB.download({ start: 0, end: 300 })]),
    'both downloads',
  )
  assert.equal(copyOfA.downloaded(0, 300), 300)
  assert.equal(copyOfB.downloaded(0, 300), 300)
  assert.deepEqual(await engine.get(copyOfB, 299), blockOf(299, 1024))
  left.destroy()
  right.destroy()
})
