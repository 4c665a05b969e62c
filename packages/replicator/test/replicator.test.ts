import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  createHypercore,
  createProtocolStream,
  type Hypercore,
  type ProtocolStream,
  randomAccessMemory,
} from '@corestore/engine'
import { engine, remoteAnswer } from '@corestore/engine/internal'
import { isCorestoreError } from '@corestore/errors'
import { Replicator } from '@corestore/replicator'
import { checkReplicateArguments, LookupQueue } from '@corestore/replicator/internal'
import { link, within } from '@corestore/test-helpers'

async function core(key: Buffer | null = null): Promise<Hypercore> {
  const c = createHypercore(randomAccessMemory, key)
  await engine.ready(c)
  return c
}

test('a core the remote asks for is looked up on the host and injected into that stream', async () => {
  const source = await core()
  await engine.append(source, Buffer.from('served'))
  const asked: string[] = []
  const owner = new Replicator({
    lookup: async (dk) => {
      asked.push(dk.toString('hex'))
      return dk.equals(source.discoveryKey as Buffer) ? source : null
    },
  })
  const reader = new Replicator({ lookup: async () => null })
  const copy = await core(source.key)
  link(owner.replicate(true, []), reader.replicate(false, [copy]))
  assert.equal((await engine.get(copy, 0, { timeout: 5000 })).toString(), 'served')
  assert.deepEqual(asked, [(source.discoveryKey as Buffer).toString('hex')])
  owner.destroy()
  reader.destroy()
})

test('a core that closed between its look-up and its attach is answered "not here", not left hanging', {
  timeout: 10_000,
}, async () => {
  const source = await core()
  const owner = new Replicator({
    lookup: async () => {
      // Evicted (closed) after the host found it, before the replicator could attach it.
      await engine.close(source)
      return source
    },
  })
  const asker = createProtocolStream(false)
  link(owner.replicate(true, []), asker)
  await new Promise<void>((resolve) => asker.open(source.key as Buffer, { onclose: resolve }))
  assert.equal(asker.remoteOpened(source.key as Buffer), false)
  owner.destroy()
  asker.destroy()
})

test('a core offered after the stream started joins it when the scope admits it', async () => {
  const [admitted, refused, last] = await Promise.all([core(), core(), core()])
  const hex = (c: Hypercore) => (c.discoveryKey as Buffer).toString('hex')
  const seen: string[] = []
  let sawLast: () => void = () => {}
  const lastArrived = new Promise<void>((resolve) => {
    sawLast = resolve
  })
  const owner = new Replicator({ lookup: async () => null })
  const stream = owner.replicate(true, [], { live: true }, (c) => c !== refused)
  const peer = new Replicator({
    lookup: async (dk) => {
      seen.push(dk.toString('hex'))
      if (dk.equals(last.discoveryKey as Buffer)) sawLast()
      return null
    },
  })
  link(stream, peer.replicate(false, [], { live: true }))
  owner.offer(admitted)
  owner.offer(refused)
  // Channels open in order on one stream: once the peer hears of the core offered last, it has
  // heard of every core offered before it.
  owner.offer(last)
  await lastArrived
  assert.deepEqual(seen, [hex(admitted), hex(last)])
  owner.destroy()
  peer.destroy()
})

test('destroy() ends the streams the replicator made and forgets every stream', async () => {
  const replicator = new Replicator({ lookup: async () => null })
  const made = replicator.replicate(true, [])
  assert.equal(replicator.size, 1)
  const closed = new Promise((r) => made.once('close', r))
  replicator.destroy()
  await closed
  assert.equal(made.destroyed, true)
  assert.equal(replicator.size, 0)
})

test('the look-up queue runs at most `concurrency` look-ups at once and each key once', async () => {
  let running = 0
  let peak = 0
  const done: string[] = []
  const queue = new LookupQueue<number>(
    3,
    async (key) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, 2))
      running--
      return key[0] as number
    },
    (key) => done.push(key.toString('hex')),
  )
  for (let i = 0; i < 50; i++) queue.push(Buffer.from([i % 25]))
  while (queue.pending > 0) await new Promise((r) => setTimeout(r, 5))
  assert.equal(peak, 3)
  assert.equal(done.length, 25, 'a key already waiting is not looked up twice')
})

test('a look-up holds its slot until what its report returns has settled', async () => {
  const held: (() => void)[] = []
  const started: string[] = []
  const queue = new LookupQueue<number>(
    2,
    async (key) => {
      started.push(key.toString('hex'))
      return key[0] as number
    },
    () => new Promise<void>((resolve) => held.push(resolve)),
  )
  for (let i = 0; i < 5; i++) queue.push(Buffer.from([i]))
  await new Promise((r) => setImmediate(r))
  assert.deepEqual(started, ['00', '01'], 'two reports unsettled: no third look-up')
  held.shift()?.()
  await new Promise((r) => setImmediate(r))
  assert.deepEqual(started, ['00', '01', '02'])
  while (held.length > 0 || queue.pending > 0) {
    held.shift()?.()
    await new Promise((r) => setImmediate(r))
  }
  assert.equal(started.length, 5)
})

/** A stream that opens channels by key, as a peer asking for cores does, linked to `owner`. */
function asker(owner: ProtocolStream): ProtocolStream {
  const stream = createProtocolStream(false)
  link(owner, stream)
  return stream
}

const nextDiscoveryKey = (stream: ProtocolStream) =>
  new Promise<Buffer>((resolve) => stream.once('discovery-key', resolve))

test("remoteAnswer resolves on the remote's first message on the channel, not before", async () => {
  const owner = createProtocolStream(true)
  const peer = asker(owner)
  const [first, second] = await Promise.all([core(), core()])
  const asked = nextDiscoveryKey(owner)
  const channel = peer.open(first.key as Buffer)
  const dk = await asked
  owner.open(first.key as Buffer)
  let answered = false
  const answer = remoteAnswer(owner, dk).then(() => {
    answered = true
  })
  // Messages arrive in order: once the owner sees the second channel, the peer had sent nothing on the first.
  const later = nextDiscoveryKey(owner)
  peer.open(second.key as Buffer)
  await later
  assert.equal(answered, false)
  channel.request({ index: 0 })
  await within(answer, 'the answer')
  owner.destroy()
  peer.destroy()
})

test('remoteAnswer resolves when the remote closes the channel or the stream closes, at once for no channel', async () => {
  const owner = createProtocolStream(true)
  const peer = asker(owner)
  const [first, second] = await Promise.all([core(), core()])
  await within(remoteAnswer(owner, first.discoveryKey as Buffer), 'no channel: at once')
  for (const c of [first, second]) {
    const asked = nextDiscoveryKey(owner)
    peer.open(c.key as Buffer)
    await asked
    owner.open(c.key as Buffer)
  }
  const closed = remoteAnswer(owner, first.discoveryKey as Buffer)
  const streamGone = remoteAnswer(owner, second.discoveryKey as Buffer)
  peer.close(first.discoveryKey as Buffer)
  await within(closed, 'the answer to a closed channel')
  owner.destroy()
  await within(streamGone, 'the answer once the stream closed')
  peer.destroy()
})

test('a stopped look-up queue reports nothing more', async () => {
  const done: Buffer[] = []
  const started: (() => void)[] = []
  const queue = new LookupQueue<null>(
    1,
    () => new Promise((resolve) => started.push(() => resolve(null))),
    (k) => done.push(k),
  )
  for (let i = 0; i < 10; i++) queue.push(Buffer.from([i]))
  queue.stop()
  assert.equal(started.length, 1, 'one look-up was under way')
  for (const finish of started) finish()
  // The finished look-up's callbacks are microtasks: they have run by the next turn of the loop.
  await new Promise((r) => setImmediate(r))
  assert.equal(done.length, 0)
  assert.equal(started.length, 1, 'nothing that was waiting started')
  assert.equal(queue.pending, 0)
})

/** How many array elements `Array.prototype` methods copied or shifted while `fn` ran. */
async function elementsMoved(fn: () => Promise<void>): Promise<number> {
  const proto = Array.prototype
  const { shift, slice, splice } = proto
  let moved = 0
  proto.shift = function (this: unknown[]) {
    moved += Math.max(0, this.length - 1)
    return shift.call(this)
  }
  proto.slice = function (this: unknown[], ...args: [number?, number?]) {
    const out = slice.apply(this, args)
    moved += out.length
    return out
  }
  proto.splice = function (this: unknown[], ...args: [number, number, ...unknown[]]) {
    moved += this.length
    return splice.apply(this, args)
  }
  try {
    await fn()
  } finally {
    Object.assign(proto, { shift, slice, splice })
  }
  return moved
}

test('a look-up queue drains a flood of 100,000 keys in linear time: each key moved in memory about once', async () => {
  const N = 100_000
  let count = 0
  const queue = new LookupQueue<null>(
    16,
    async () => null,
    () => count++,
  )
  // Counted, not timed: taking keys off the front with shift() would move N²/2 elements.
  const moved = await elementsMoved(async () => {
    for (let i = 0; i < N; i++) queue.push(Buffer.from(i.toString(16).padStart(8, '0'), 'hex'))
    while (queue.pending > 0) await new Promise((r) => setImmediate(r))
  })
  assert.equal(count, N)
  assert.ok(moved <= 2 * N, `${moved} elements moved for ${N} keys`)
})

test('replicate arguments of the wrong type are INVALID_OPTION naming the argument', () => {
  const cases: [unknown, unknown, RegExp][] = [
    [1, undefined, /isInitiator/],
    [true, 'live', /opts/],
    [true, { download: 'no' }, /opts\.download/],
    [true, { keepAlive: 1 }, /opts\.keepAlive/],
    [true, { timeout: 'soon' }, /opts\.timeout/],
    [true, { stream: {} }, /opts\.stream/],
  ]
  for (const [isInitiator, opts, argument] of cases) {
    assert.throws(
      () => checkReplicateArguments(isInitiator, opts),
      (err: unknown) => isCorestoreError(err) && err.code === 'INVALID_OPTION' && argument.test(err.message),
    )
  }
  assert.deepEqual(checkReplicateArguments(true, { live: true, timeout: false }), { live: true, timeout: false })
})
