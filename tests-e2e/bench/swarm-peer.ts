// One peer of the swarm scenario (swarm.ts starts one writer and R readers, each in its own process).
// Usage: swarm-peer.ts <writer | reader> <impl> <bootstrap JSON> <cores> <blocks> <host> [<keys JSON file>]
// impl: ours (@corestore/core + @corestore/networker, hyperswarm 4 on the hyperdht testnet) or legacy
// (corestore 5.8.2 + @corestore/networker 1.2.1, hyperswarm 2 on a DHT node of its own; its UTP
// socket on `host`, an address of its own in 127.0.0.0/8, see tests-e2e/helpers/hyperswarm2.ts).
// A directory store each: 100 cores in random-access-memory would be 500 MiB a process (a zeroed
// 1 MiB page a file). Protocol, on stdout as JSON lines, times as ms since the epoch:
//   writer: { keys } once its cores are written; readers: { ready } once their cores are open
//   then, after `go` on stdin: { event, at } for 'joined' (the writer: every topic announced; a
//   reader: every topic looked up — readers do not announce, so each connects to the writer only),
//   'connected' (first peer), 'first-block', 'done' (readers: every block of every core)
// It leaves the swarm and exits when stdin ends.
// BENCH_SWARM_PROFILE=<dir>: a CPU profile from `go` until stdin ends, <dir>/<role>-<pid>.cpuprofile
// (setup — writing or opening the cores — left out, unlike --cpu-prof).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const [role, impl, bootstrapJson, coresArg, blocksArg, host = '127.0.0.1', keysJson] = process.argv.slice(2)
const CORES = Number(coresArg)
const BLOCKS = Number(blocksArg)
const BLOCK = Buffer.alloc(1024, 0x63)
const bootstrap = JSON.parse(bootstrapJson as string) as unknown[]
const at = () => performance.timeOrigin + performance.now()
const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`)

// Loaded first for legacy: the baselines run on hypercore 9 with memory-pager (see child.ts).
const hyperswarm2 = impl === 'legacy' ? await import('../helpers/hyperswarm2.ts') : null
const { engine } = await import('@corestore/engine/internal')
type Hypercore = import('@corestore/engine').CallbackHypercore

interface Joiner {
  join(discoveryKey: Buffer): Promise<void>
  onpeer(fn: () => void): void
  /** Peers connected now. */
  peers(): number
  /** Retransmissions and retransmission timeouts of the connections' transport, where it tells (UDX). */
  transport(): { retransmits: number; rtos: number }
  close(): Promise<void>
}

// File reads and writes since `go`, counted where every storage file does them (random-access-file).
const io = { reads: 0, writes: 0, counting: false }
const fs = createRequire(import.meta.url)('node:fs') as Record<'read' | 'write', (...args: unknown[]) => void>
for (const op of ['read', 'write'] as const) {
  const original = fs[op]
  fs[op] = (...args: unknown[]) => {
    if (io.counting) io[`${op}s`]++
    original(...args)
  }
}

const dir = await mkdtemp(join(tmpdir(), `corestore-bench-swarm-${role}-`))
const { store, network } = await open()

async function open(): Promise<{
  store: { get(key?: Buffer): Hypercore; ready(): Promise<void>; close(): Promise<void> }
  network: () => Promise<Joiner>
}> {
  if (hyperswarm2) {
    const { LegacyCorestore } = await import('../helpers/legacy.ts')
    const store = new LegacyCorestore(dir)
    await store.ready()
    return {
      store: store as never,
      async network() {
        const networker = new hyperswarm2.NetworkerV1(store, {
          swarm: hyperswarm2.loopbackSwarm(bootstrap as string[], host),
        })
        await networker.listen()
        return {
          join: (dk) => networker.configure(dk, { announce: role === 'writer', lookup: role === 'reader' }),
          onpeer: (fn) => networker.once('peer-add', fn),
          peers: () => (networker as unknown as { peers: Set<unknown> }).peers.size,
          transport: () => ({ retransmits: 0, rtos: 0 }),
          close: () => networker.close(),
        }
      },
    }
  }
  const { Corestore } = await import('@corestore/core')
  const { Networker } = await import('@corestore/networker')
  const store = new Corestore(dir)
  await store.ready()
  return {
    store: store as never,
    async network() {
      const networker = new Networker(store, { bootstrap: bootstrap as { host: string; port: number }[], host })
      await networker.ready()
      return {
        join: (dk) => networker.join(dk, { announce: role === 'writer', lookup: role === 'reader' }),
        onpeer: (fn) => networker.once('peer-add', fn),
        peers: () => networker.peers.size,
        transport() {
          const sum = { retransmits: 0, rtos: 0 }
          for (const peer of networker.peers) {
            const raw = (peer.connection as unknown as { rawStream?: { retransmits?: number; rtoCount?: number } })
              .rawStream
            sum.retransmits += raw?.retransmits ?? 0
            sum.rtos += raw?.rtoCount ?? 0
          }
          return sum
        },
        close: () => networker.close(),
      }
    },
  }
}

let cores: Hypercore[]
if (role === 'writer') {
  cores = Array.from({ length: CORES }, () => store.get())
  for (const core of cores) {
    await engine.ready(core)
    await engine.append(
      core,
      Array.from({ length: BLOCKS }, () => BLOCK),
    )
  }
  say({ keys: cores.map((c) => (c.key as Buffer).toString('hex')) })
} else {
  const keys = (JSON.parse(keysJson as string) as string[]).map((k) => Buffer.from(k, 'hex'))
  cores = keys.map((key) => store.get(key))
  await Promise.all(cores.map(engine.ready))
  say({ ready: true })
}

const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
await input.next()
const profiler = process.env.BENCH_SWARM_PROFILE ? new Session() : null
if (profiler) {
  profiler.connect()
  await profiler.post('Profiler.enable')
  await profiler.post('Profiler.start')
}
const cpu = process.cpuUsage()
io.counting = true

let blocks = 0
if (role === 'reader') {
  const total = CORES * BLOCKS
  for (const core of cores) {
    core.on('download', () => {
      if (++blocks === 1) say({ event: 'first-block', at: at() })
      if (blocks === total) say({ event: 'done', at: at() })
    })
    // Every block, not only those asked for: a reader wants the whole core.
    core.download({ start: 0, end: BLOCKS })
  }
}
const joiner = await network()
joiner.onpeer(() => say({ event: 'connected', at: at() }))
await Promise.all(cores.map((core) => joiner.join(core.discoveryKey as Buffer)))
const joinCpu = process.cpuUsage(cpu)
say({ event: 'joined', at: at(), cpuMs: (joinCpu.user + joinCpu.system) / 1000 })

// `stats` on stdin: CPU time since `go`, peers connected, blocks uploaded. Until stdin ends.
let uploaded = 0
for (const core of cores) core.on('upload', () => uploaded++)
for (let line = await input.next(); !line.done; line = await input.next()) {
  const used = process.cpuUsage(cpu)
  const { reads, writes } = io
  say({
    cpuMs: (used.user + used.system) / 1000,
    peers: joiner.peers(),
    uploaded,
    reads,
    writes,
    ...joiner.transport(),
  })
}
if (profiler) {
  const { profile } = await profiler.post('Profiler.stop')
  const file = join(process.env.BENCH_SWARM_PROFILE as string, `${role}-${process.pid}.cpuprofile`)
  await writeFile(file, JSON.stringify(profile))
}
await joiner.close()
await store.close()
await rm(dir, { recursive: true, force: true })
process.exit(0)
