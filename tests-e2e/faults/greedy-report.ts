// What serving a peer that asks for every block and never reads costs the serving store, for
// docs/reliability.md. A store on disk holds one core of --blocks blocks of --size bytes and serves it
// over TCP on 127.0.0.1, as a corestore 5 program does (`stream.pipe(socket).pipe(stream)`);
// fixtures/greedy-peer.ts, in a child process, asks for every block and then stops reading (`stall`)
// or reads every answer (`read`). Printed: the server's RSS, heap, Buffer memory and the bytes its
// protocol stream holds unsent, over --seconds after the requests went out, and their peaks.
// Run: node --conditions=source --import tsx tests-e2e/faults/greedy-report.ts --blocks 10000 --size 1024 --mode stall
// (--legacy: served by corestore 5.8.2 instead; --seconds: how long to watch after the requests)
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Socket } from 'node:net'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Corestore } from '@corestore/core'
import type { ProtocolStream } from '@corestore/engine'
import { engine, outgoingBytes } from '@corestore/engine/internal'
import { tmpDir } from '@corestore/test-helpers'
import { LegacyCorestore } from '../helpers/legacy.ts'

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '10000' },
    size: { type: 'string', default: '1024' },
    mode: { type: 'string', default: 'stall' },
    seconds: { type: 'string', default: '10' },
    legacy: { type: 'boolean', default: false },
  },
})
const blocks = Number(values.blocks)
const size = Number(values.size)
const seconds = Number(values.seconds)
const mode = values.mode === 'read' ? 'read' : 'stall'

setFlagsFromString('--expose_gc')
const gc = runInNewContext('gc') as () => void
const MiB = 2 ** 20
const mib = (n: number) => (n / MiB).toFixed(1)

// Not a test: the directory is removed at the end of the script.
const cleanups: (() => unknown)[] = []
const dir = await tmpDir({ after: (fn) => cleanups.push(fn) })

{
  const store = new Corestore(dir)
  await store.ready()
  const core = store.default()
  const block = Buffer.alloc(size, 'x')
  for (let i = 0; i < blocks; i += 100) {
    await engine.append(
      core,
      Array.from({ length: Math.min(100, blocks - i) }, () => block),
    )
  }
  await store.close()
}

// The same directory served by corestore 5.8.2 (--legacy): the on-disk layout is the same.
const store = values.legacy ? new LegacyCorestore(dir) : new Corestore(dir)
await store.ready()
const core = store.default()
await engine.ready(core)
const streams: { stream: ProtocolStream; socket: Socket }[] = []
let began = Date.now()
const server = createServer((socket) => {
  const stream = store.replicate(false, { live: true })
  socket.on('error', () => {})
  stream.on('error', () => {})
  stream.pipe(socket).pipe(stream)
  const entry = { stream, socket }
  streams.push(entry)
  stream.on('close', () => {
    console.log(`server stream closed after ${((Date.now() - began) / 1000).toFixed(1)} s`)
    streams.splice(streams.indexOf(entry), 1)
  })
})
server.listen(0, '127.0.0.1')
await once(server, 'listening')
const { port } = server.address() as { port: number }

gc()
gc()
const sample = () => {
  const m = process.memoryUsage()
  const unsent = streams.reduce((sum, { stream }) => sum + outgoingBytes(stream), 0)
  const socketQueue = streams.reduce((sum, { socket }) => sum + socket.writableLength, 0)
  const sent = streams.reduce((sum, { stream }) => sum + stream.bytesSent, 0)
  return { rss: m.rss, heap: m.heapUsed, buffers: m.arrayBuffers, unsent, socketQueue, sent }
}
const start = sample()
const peak = { ...start }
const row = (label: string, s: ReturnType<typeof sample>) =>
  console.log(
    `${label.padEnd(10)} RSS ${mib(s.rss).padStart(7)} MiB  heap ${mib(s.heap).padStart(7)} MiB  ` +
      `Buffers ${mib(s.buffers).padStart(7)} MiB  unsent in stream ${mib(s.unsent).padStart(7)} MiB  ` +
      `socket queue ${mib(s.socketQueue).padStart(5)} MiB  sent ${mib(s.sent).padStart(7)} MiB`,
  )
console.log(
  `server: ${blocks} blocks of ${size} bytes (${mib(blocks * size)} MiB) on disk; server: ${values.legacy ? 'corestore 5.8.2' : '@corestore/core'}; peer: ${mode}; pid ${process.pid}; ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
)
row('start', start)

const peer = spawn(
  process.execPath,
  [
    '--conditions=source',
    '--import',
    'tsx',
    fileURLToPath(new URL('./fixtures/greedy-peer.ts', import.meta.url)),
    String(port),
    (core.key as Buffer).toString('hex'),
    String(blocks),
    mode,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
)
let peerExited = false
peer.on('exit', () => {
  peerExited = true
  console.log(`peer gone after ${((Date.now() - began) / 1000).toFixed(1)} s`)
})
let requestedAt = 0
let receivedAt = 0
peer.stdout.setEncoding('utf8')
peer.stdout.on('data', (line: string) => {
  if (line.includes('requested')) requestedAt = Date.now()
  if (line.includes('received')) receivedAt = Date.now()
})

began = Date.now()
let lastRow = 0
while ((!requestedAt || Date.now() - requestedAt < seconds * 1000) && !peerExited) {
  await new Promise((r) => setTimeout(r, 50))
  const s = sample()
  for (const k of Object.keys(peak) as (keyof typeof peak)[]) peak[k] = Math.max(peak[k], s[k])
  if (Date.now() - lastRow >= 1000) {
    lastRow = Date.now()
    row(`t=${((lastRow - began) / 1000).toFixed(0)}s`, s)
  }
  if (Date.now() - began > 120_000) throw new Error('the peer never sent its requests')
}
row('peak', peak)
if (mode === 'read')
  console.log(
    receivedAt ? `all ${blocks} blocks received in ${receivedAt - requestedAt} ms` : 'NOT all blocks received',
  )
gc()
gc()
row('after GC', sample())

if (!peerExited) {
  peer.kill()
  await once(peer, 'exit')
}
for (const { stream, socket } of streams) {
  stream.destroy()
  socket.destroy()
}
server.close()
await store.close()
for (const fn of cleanups) await fn()
