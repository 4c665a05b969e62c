import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Corestore } from '@corestore/core'
import { createProtocolStream, type Hypercore, type ProtocolStream, randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { randomBytes } from '@corestore/keychain/internal'
import {
  appendAll,
  link,
  opened,
  openFds,
  sampling,
  snapshot,
  tmpDir,
  within,
  withStore,
} from '@corestore/test-helpers'

// A full collection on demand, so what the store retains can be told from garbage not yet collected.
setFlagsFromString('--expose_gc')
const gc = runInNewContext('gc') as () => void
const retainedHeap = () => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

/** Peak figures of the store while `work` runs, sampled one after another. */
async function watch(store: Corestore, work: () => Promise<void>) {
  const start = { fds: await openFds(), heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss }
  const peak = { fds: start.fds, heap: start.heap, rss: start.rss, passive: 0 }
  const sample = async () => {
    const m = process.memoryUsage()
    peak.fds = Math.max(peak.fds, await openFds())
    peak.heap = Math.max(peak.heap, m.heapUsed)
    peak.rss = Math.max(peak.rss, m.rss)
    peak.passive = Math.max(peak.passive, store.cache.passiveSize)
  }
  // Counted after each core is added, not inside an eviction (which runs mid-insertion).
  const onfeed = () => {
    peak.passive = Math.max(peak.passive, store.cache.passiveSize)
  }
  store.on('feed', onfeed)
  const stop = sampling(sample)
  try {
    await work()
  } finally {
    await stop()
    store.off('feed', onfeed)
  }
  return { start, peak }
}

/** A store on disk with `n` cores of one block, closed; returns the directory and the keys. */
async function storedCores(t: TestContext, n: number): Promise<{ dir: string; keys: Buffer[] }> {
  const dir = await tmpDir(t)
  const keys: Buffer[] = []
  await withStore(new Corestore(dir, { cacheSize: 64 }), async (store) => {
    for (let i = 0; i < n; i += 250) {
      const batch = store.namespace(`batch-${i}`)
      const cores = Array.from({ length: Math.min(250, n - i) }, () => batch.get())
      for (const [j, core] of cores.entries()) await appendAll(core, [`block of ${i + j}`])
      for (const core of cores) keys.push(core.key as Buffer)
      await batch.close()
    }
  })
  return { dir, keys }
}

/** A count that can be awaited: `reached(n)` resolves once it is at least `n`. */
function counter() {
  let value = 0
  let waiting: { n: number; resolve: () => void }[] = []
  return {
    add() {
      value++
      for (const w of waiting) if (value >= w.n) w.resolve()
      waiting = waiting.filter((w) => value < w.n)
    },
    reached(n: number): Promise<void> {
      if (value >= n) return Promise.resolve()
      return new Promise((resolve) => waiting.push({ n, resolve }))
    },
  }
}

async function realPeerGets(store: Corestore, key: Buffer, t: TestContext): Promise<string> {
  const peer = await opened(t, new Corestore(randomAccessMemory))
  link(store.replicate(true, { live: true }), peer.replicate(false, { live: true }))
  return (await engine.get(peer.get(key), 0, { timeout: 10_000 })).toString()
}

/**
 * A bare protocol peer that opens a channel per key and counts the channels the owner closed. With
 * `answer`, it asks for block 0 once the owner opens a channel, as a hypercore peer answers with a
 * `want`; without, it never says anything more.
 */
function rawPeer(stream: ProtocolStream, { answer = false } = {}) {
  const raw = createProtocolStream(false, { live: true })
  const closed = counter()
  link(stream, raw)
  return {
    raw,
    open(key: Buffer) {
      const channel = raw.open(key, {
        onopen: () => answer && channel.request({ index: 0 }),
        onclose: () => closed.add(),
      })
    },
    closed,
  }
}

test('a peer requesting 100,000 unknown discovery keys opens nothing, writes nothing, and real peers are served', async (t) => {
  const { dir, keys } = await storedCores(t, 3)
  const store = await opened(t, new Corestore(dir, { cacheSize: 100 }))
  const before = await snapshot(dir)
  const heapBefore = retainedHeap()
  const peer = rawPeer(store.replicate(true, { live: true }))
  const N = 100_000
  const { start, peak } = await watch(store, async () => {
    for (let i = 0; i < N; i++) {
      peer.open(randomBytes(32))
      if (i % 5000 === 4999) await new Promise((r) => setImmediate(r))
    }
    await within(peer.closed.reached(N), 'the owner to answer every request', 300_000)
  })
  t.diagnostic(
    `unknown flood: ${N} requests; peak passive ${peak.passive}; fds ${start.fds} → peak ${peak.fds}; ` +
      `heap ${(start.heap / 2 ** 20).toFixed(0)} → peak ${(peak.heap / 2 ** 20).toFixed(0)} MiB; ` +
      `RSS ${(start.rss / 2 ** 20).toFixed(0)} → peak ${(peak.rss / 2 ** 20).toFixed(0)} MiB`,
  )
  const retained = retainedHeap() - heapBefore
  t.diagnostic(`heap retained after the flood, after a full GC: ${(retained / 2 ** 20).toFixed(1)} MiB`)
  assert.equal(peak.passive, 0)
  assert.equal(store.cache.size, 0)
  assert.ok(peak.fds <= start.fds + 20, `descriptors grew from ${start.fds} to ${peak.fds}`)
  // The peak includes the flooding peer itself (both ends live in this process) and garbage not yet
  // collected; what must stay small is what is left once the requests are answered.
  assert.ok(peak.heap - start.heap < 768 * 2 ** 20, 'heap peak stays bounded')
  assert.ok(retained < 64 * 2 ** 20, `heap retained after the flood: ${(retained / 2 ** 20).toFixed(1)} MiB`)
  assert.deepEqual(await snapshot(dir), before, 'nothing on disk changed')
  assert.equal(await realPeerGets(store, keys[0] as Buffer, t), 'block of 0')
  peer.raw.destroy()
})

test('a peer requesting all of 5,000 stored cores with cacheSize 100 never has more than 100 passive cores open', async (t) => {
  const { dir, keys } = await storedCores(t, 5000)
  // 100 open cores would hold about 500 files: the budget keeps the store to fewer descriptors than that.
  const maxOpenFiles = 128
  const store = await opened(t, new Corestore(dir, { cacheSize: 100, maxOpenFiles }))
  const heapBefore = retainedHeap()
  // Cores open right now (closing is asynchronous, so evicted cores finish closing a moment later).
  const served = counter()
  let open = 0
  let peakOpen = 0
  const closed = counter()
  store.on('feed', (core: Hypercore) => {
    served.add()
    peakOpen = Math.max(peakOpen, ++open)
    core.once('close', () => {
      open--
      closed.add()
    })
  })
  const peer = rawPeer(store.replicate(true, { live: true }), { answer: true })
  const { start, peak } = await watch(store, async () => {
    for (const key of keys) peer.open(key)
    await within(served.reached(keys.length), 'every stored core to be opened for the peer', 300_000)
  })
  // Evicted cores finish closing a moment after their eviction: wait for all but the 100 kept.
  await within(closed.reached(keys.length - 100), 'the evicted cores to close')
  t.diagnostic(
    `stored-core flood: ${keys.length} cores requested; peak passive ${peak.passive}; peak open (incl. closing) ` +
      `${peakOpen}; open after ${open}; fds ${start.fds} → peak ${peak.fds}; ` +
      `heap ${(start.heap / 2 ** 20).toFixed(0)} → peak ${(peak.heap / 2 ** 20).toFixed(0)} MiB`,
  )
  assert.ok(peak.passive <= 100, `peak passive ${peak.passive}`)
  assert.ok(open <= 100, `${open} cores still open`)
  // The cores' files stay within the budget; a few look-ups (a stat, a name read) are in flight besides.
  assert.ok(peak.fds <= start.fds + maxOpenFiles + 40, `descriptors peaked at ${peak.fds}`)
  // Live cores are bounded: after a full GC what remains is the 100 passive cores, not the 4,900 closed ones.
  const retained = retainedHeap() - heapBefore
  t.diagnostic(`heap retained after the flood, after a full GC: ${(retained / 2 ** 20).toFixed(1)} MiB`)
  // Each open core keeps about 10 KiB of heap (its page tables grow on demand): 100 cores, about 1 MiB.
  assert.ok(retained < 24 * 2 ** 20, `heap retained after the flood: ${(retained / 2 ** 20).toFixed(1)} MiB`)
  assert.ok(peak.heap - start.heap < 1536 * 2 ** 20, 'heap peak stays bounded')
  assert.equal(await realPeerGets(store, keys[4321] as Buffer, t), 'block of 4321')
  peer.raw.destroy()
})

// A store waits for a peer's answer on each core it opened for it before opening more: a peer that
// asks for every stored core and never answers gets the look-up limit's worth (cacheSize / 4) opened,
// not every core one after another through the LRU.
test('a peer asking for 1,000 stored cores that never answers its channels gets no more than cacheSize / 4 opened', async (t) => {
  const { dir, keys } = await storedCores(t, 1000)
  const store = await opened(t, new Corestore(dir, { cacheSize: 100 }))
  const served = counter()
  let count = 0
  store.on('feed', () => {
    count++
    served.add()
  })
  const peer = rawPeer(store.replicate(true, { live: true }))
  for (const key of keys) peer.open(key)
  await within(served.reached(25), 'the first cores to be opened for the peer')
  // Absence takes a while to show: a store that went on would have opened hundreds meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  t.diagnostic(`opened for a silent peer asking for ${keys.length}: ${count}`)
  assert.equal(count, 25)
  assert.equal(await realPeerGets(store, keys[999] as Buffer, t), 'block of 999')
  peer.raw.destroy()
})
