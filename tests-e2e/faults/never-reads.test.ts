import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { connect, createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { type TestContext, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Corestore } from '@corestore/core'
import { DEFAULT_UPLOAD_LIMITS, type ProtocolStream, randomAccessMemory } from '@corestore/engine'
import { engine, outgoingBytes } from '@corestore/engine/internal'
import { defer, opened, sampling, tmpDir, within, withStore } from '@corestore/test-helpers'

const root = fileURLToPath(new URL('../..', import.meta.url))
const greedyPeer = fileURLToPath(new URL('./fixtures/greedy-peer.ts', import.meta.url))
const MiB = 2 ** 20

const blockOf = (index: number, size: number) => Buffer.alloc(size, `block ${index};`)

/** A directory store whose default core holds `blocks` blocks of `size` bytes, closed; returns its key. */
async function storedCore(dir: string, blocks: number, size: number): Promise<Buffer> {
  return withStore(new Corestore(dir), async (store) => {
    const core = store.default()
    for (let i = 0; i < blocks; i += 100) {
      await engine.append(
        core,
        Array.from({ length: Math.min(100, blocks - i) }, (_, j) => blockOf(i + j, size)),
      )
    }
    return core.key as Buffer
  })
}

/** The store served over TCP on 127.0.0.1 as corestore 5 programs do: `stream.pipe(socket).pipe(stream)`. */
async function serve(t: TestContext, store: Corestore) {
  const streams: ProtocolStream[] = []
  const server = createServer((socket) => {
    const stream = store.replicate(false, { live: true })
    socket.on('error', () => {})
    stream.on('error', () => {})
    stream.pipe(socket).pipe(stream)
    streams.push(stream)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  defer(t, async () => {
    for (const stream of streams) stream.destroy()
    server.close()
    await once(server, 'close')
  })
  return { port: (server.address() as { port: number }).port, streams }
}

/** fixtures/greedy-peer.ts in its own process: asks for blocks 0 to count-1, then never reads. */
async function greedyPeerAsks(t: TestContext, port: number, key: Buffer, count: number): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', greedyPeer, String(port), key.toString('hex'), String(count), 'stall'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  defer(t, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill()
      await once(child, 'exit')
    }
  })
  for await (const line of createInterface({ input: child.stdout })) if (line === 'stalled') return
  throw new Error('the greedy peer exited before asking')
}

/** A corestore of ours downloads every block over its own TCP connection. */
async function readerDownloads(t: TestContext, port: number, key: Buffer, blocks: number) {
  const reader = await opened(t, new Corestore(randomAccessMemory))
  const socket = connect(port, '127.0.0.1')
  const stream = reader.replicate(true, { live: true })
  socket.on('error', () => {})
  stream.on('error', () => {})
  stream.pipe(socket).pipe(stream)
  defer(t, () => socket.destroy())
  const copy = reader.get(key)
  await within(Promise.resolve(copy.download({ start: 0, end: blocks })), 'the reader to download every block', 240_000)
  return copy
}

for (const { blocks, size } of [
  { blocks: 10_000, size: 1024 },
  { blocks: 1_000, size: 64 * 1024 },
]) {
  test(`a peer that asks for all ${blocks.toLocaleString('en')} blocks of ${size / 1024} KiB and never reads gets at most the upload limit queued; a reader is served every block`, {
    timeout: 300_000,
  }, async (t) => {
    const dir = await tmpDir(t)
    const key = await storedCore(dir, blocks, size)
    const store = await opened(t, new Corestore(dir))
    const { port, streams } = await serve(t, store)

    await greedyPeerAsks(t, port, key, blocks)
    const greedy = streams[0] as ProtocolStream
    let peak = 0
    const start = process.memoryUsage()
    let peakBuffers = start.arrayBuffers
    const stop = sampling(() => {
      peak = Math.max(peak, outgoingBytes(greedy))
      peakBuffers = Math.max(peakBuffers, process.memoryUsage().arrayBuffers)
    })
    // The reader's requests queue behind the greedy peer's on the server's disk: once it has every
    // block, the server has long finished with whatever it was going to answer the greedy peer.
    const copy = await readerDownloads(t, port, key, blocks)
    await stop()

    t.diagnostic(
      `queue for the peer that never reads: peak ${(peak / MiB).toFixed(2)} MiB; Buffers ` +
        `${(start.arrayBuffers / MiB).toFixed(1)} → peak ${(peakBuffers / MiB).toFixed(1)} MiB (the reader's copy included)`,
    )
    assert.equal(copy.downloaded(0, blocks), blocks)
    assert.deepEqual(await engine.get(copy, blocks - 1), blockOf(blocks - 1, size))
    // Each answer is a block, its proof and a signature: well under 4 KiB besides the block here.
    const bound = DEFAULT_UPLOAD_LIMITS.maxBuffered + DEFAULT_UPLOAD_LIMITS.concurrency * (size + 4096)
    assert.ok(peak <= bound, `${(peak / MiB).toFixed(2)} MiB queued for a peer that never reads`)
  })
}
