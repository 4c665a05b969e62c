// fanout: the swarm scenario's replication without its network. One writer store on disk holds
// 100 cores × 100 blocks of 1 KiB; R reader stores in memory, in the same process, each download
// every block over one protocol stream of their own, linked to the writer directly (no socket, no
// hyperswarm, no second encryption). Says whether a gap in `swarm` is the store's or the transport's.
// Counts the writer's file reads (random-access-file), as the swarm scenario does.
// Usage: node --import tsx tests-e2e/bench/fanout.ts <ours|legacy> <R>   → one JSON line
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CallbackHypercore } from '@corestore/engine'

const require = createRequire(import.meta.url)
const impl = process.argv[2] === 'legacy' ? 'legacy' : 'ours'
const R = Number(process.argv[3] ?? 4)
const CORES = 100
const BLOCKS = 100
// The baselines run on hypercore 9 as its users get it, with memory-pager (see child.ts).
if (impl === 'legacy') require('hypercore')
const hypercoreDir = require.resolve('hypercore')
const RandomAccessFile = require(require.resolve('random-access-file', { paths: [hypercoreDir] })) as {
  prototype: { _read(req: unknown): void }
}
const counted = { reads: 0, on: false }
const read = RandomAccessFile.prototype._read
RandomAccessFile.prototype._read = function (req: unknown) {
  if (counted.on) counted.reads++
  return read.call(this, req)
}
const { openStore } = await import('./impls.ts')
const { link } = await import('@corestore/test-helpers')
const { randomAccessMemory } = await import('@corestore/engine')
const { engine } = await import('@corestore/engine/internal')

const dir = await mkdtemp(join(tmpdir(), 'corestore-bench-fanout-'))
const writer = openStore(impl, dir)
await writer.ready()
const cores: CallbackHypercore[] = []
for (let i = 0; i < CORES; i++) {
  const core = writer.get({ name: `core ${i}` })
  await engine.ready(core)
  await engine.append(
    core,
    Array.from({ length: BLOCKS }, () => Buffer.alloc(1024, i)),
  )
  cores.push(core)
}
const readers = Array.from({ length: R }, () => openStore(impl, randomAccessMemory))
await Promise.all(readers.map((r) => r.ready()))
counted.on = true
const cpu = process.cpuUsage()
const t = performance.now()
await Promise.all(
  readers.map(async (reader) => {
    const copies = cores.map((c) => reader.get(c.key as Buffer))
    await Promise.all(copies.map((c) => engine.ready(c)))
    link(writer.replicate(true, { live: true }), reader.replicate(false, { live: true }))
    await Promise.all(
      copies.map((c) => new Promise<void>((resolve) => c.download({ start: 0, end: BLOCKS }, () => resolve()))),
    )
  }),
)
const ms = performance.now() - t
const used = process.cpuUsage(cpu)
const blocks = R * CORES * BLOCKS
process.stdout.write(
  `${JSON.stringify({ impl, R, ms: Math.round(ms), cpuMs: Math.round((used.user + used.system) / 1000), reads: counted.reads, readsPerBlock: Number((counted.reads / blocks).toFixed(2)) })}\n`,
)
// 5.8.2's close() takes a callback and returns nothing; ours takes one too.
const closeStore = (store: { close(cb: () => void): unknown }) =>
  new Promise<void>((resolve) => store.close(() => resolve()))
await Promise.all([writer, ...readers].map((s) => closeStore(s as unknown as { close(cb: () => void): unknown })))
await rm(dir, { recursive: true, force: true })
