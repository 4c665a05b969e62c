// seed: a store holding `n` stored cores of 10 × 1 KiB blocks, served by a seeder in a process of
// its own under `ulimit -n 1024` (seeder.ts), to a fresh peer that asks for every one of them over
// one stream (TCP on 127.0.0.1). Timed from the connection until the peer has every block.
//
// The peer is a directory store with a small descriptor budget: random-access-memory allocates a
// zeroed 1 MiB page per file, which made a memory peer, not the seeder, the bottleneck at 10,000
// cores. It counts 'download' events; it also asks download() of every core and reports how many
// of those callbacks never fired (a hypercore 9 quirk, see docs/benchmarks.md).
//
// Usage: seed.ts seed <impl> <n>   → one JSON line (run.ts starts it; the fixture store of each n is
// made once and kept in the temporary folder until run.ts removes it).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Hypercore } from '@corestore/engine'
import { link } from '@corestore/test-helpers'
import { jobsFromArgv, printEach } from './jobs.ts'
import { nodeArgs } from './node.ts'

/** The descriptor limit the seeder runs under: the common default soft limit. */
export const SEEDER_ULIMIT = 1024
/** bare hypercore opens every core up front (5 files each): it runs under the machine's hard limit. */
export const BARE_ULIMIT = 20_000
/** The peer's descriptor budget. */
const PEER_MAX_OPEN_FILES = 256
const BLOCKS_PER_CORE = 10
const BLOCK = Buffer.alloc(1024, 0x62)
/** No block for this long: the run has stalled (5.8.2 at EMFILE), and what arrived is reported. */
const STALL_MS = Number(process.env.BENCH_STALL_MS ?? 20_000)
const BATCH = 100

const seederScript = fileURLToPath(new URL('./seeder.ts', import.meta.url))

/** Where the stored cores of a size are kept between the runs of one `pnpm bench`. */
export const fixtureDir = (n: number) => join(tmpdir(), `corestore-bench-seed-${n}`)

/** The store of `n` cores (made once, with ours: the only store that can hold them all open), and its keys. */
async function fixture(n: number): Promise<{ dir: string; keysFile: string; keys: Buffer[] }> {
  const dir = fixtureDir(n)
  const keysFile = join(dir, 'keys.json')
  if (!existsSync(keysFile)) {
    const { Corestore } = await import('@corestore/core')
    const { engine } = await import('@corestore/engine/internal')
    await rm(dir, { recursive: true, force: true })
    await mkdir(dir, { recursive: true })
    const store = new Corestore(join(dir, 'store'))
    await store.ready()
    const keys: string[] = []
    for (let start = 0; start < n; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, n - start) }, () => store.get())
      await Promise.all(
        batch.map(async (core) => {
          await engine.ready(core)
          await engine.append(
            core,
            Array.from({ length: BLOCKS_PER_CORE }, () => BLOCK),
          )
          keys.push((core.key as Buffer).toString('hex'))
          await engine.close(core)
        }),
      )
    }
    await store.close()
    await writeFile(keysFile, JSON.stringify(keys))
  }
  const keys = (JSON.parse(await readFile(keysFile, 'utf8')) as string[]).map((k) => Buffer.from(k, 'hex'))
  return { dir: join(dir, 'store'), keysFile, keys }
}

/** The seeder process: its JSON lines in order, and a way to ask for its figures. */
function startSeeder(impl: string, dir: string, keysFile: string) {
  const ulimit = impl === 'bare' ? BARE_ULIMIT : SEEDER_ULIMIT
  const profile = process.env.BENCH_SEEDER_PROFILE
  const node = [process.execPath, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [])]
  const argv = [...node, ...nodeArgs(), seederScript, impl, dir, keysFile]
  const child = spawn('bash', ['-c', `ulimit -n ${ulimit}; exec "$0" "$@"`, ...argv], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => {
    const line = await lines.next()
    if (line.done) throw new Error(`the ${impl} seeder ended early`)
    return JSON.parse(line.value) as Record<string, number | string>
  }
  return {
    next,
    async stats() {
      child.stdin.write('stats\n')
      return next()
    },
    async stop() {
      child.stdin.end()
      await new Promise((resolve) => child.once('exit', resolve))
    },
  }
}

/** Blocks written and `download()` callbacks fired on the peer, and the time of the last block. */
function watch(cores: Hypercore[]) {
  const state = { blocks: 0, callbacks: 0, last: performance.now(), closedEarly: new Set<Hypercore>() }
  for (const core of cores) {
    // The seeder closed the core's channel before every block was written here: refused, evicted
    // too early, or (harmless) closed once it sent the last block, which is still being written.
    core.on('peer-remove', () => {
      if (countHave(core) < BLOCKS_PER_CORE) state.closedEarly.add(core)
    })
    core.on('download', () => {
      state.blocks++
      state.last = performance.now()
    })
    core.download({ start: 0, end: BLOCKS_PER_CORE }, (err) => {
      if (!err) state.callbacks++
    })
  }
  return state
}

/** Descriptors a bare hypercore 9 core holds while open (measured: 5,026 for 1,000 cores). */
const BARE_FILES_PER_CORE = 5

export async function seed(impl: string, n: number) {
  // Past the hard limit hypercore 9 stops calling back the ready() of a core whose open failed:
  // the seeder would never serve. Reported, not run.
  if (impl === 'bare' && n * BARE_FILES_PER_CORE > BARE_ULIMIT) {
    return { ms: 0, ops: 0, extra: { 'not run': 1 }, firstError: '' }
  }
  const { Corestore } = await import('@corestore/core')
  const { engine } = await import('@corestore/engine/internal')
  const { dir, keysFile, keys } = await fixture(n)
  const seeder = startSeeder(impl, dir, keysFile)
  const { port } = await seeder.next()

  const peerDir = await mkdtemp(join(tmpdir(), 'corestore-bench-peer-'))
  const peer = new Corestore(peerDir, { maxOpenFiles: PEER_MAX_OPEN_FILES })
  await peer.ready()
  const cores: Hypercore[] = []
  for (let start = 0; start < n; start += BATCH) {
    const batch = keys.slice(start, start + BATCH).map((key) => peer.get(key))
    await Promise.all(batch.map(engine.ready))
    cores.push(...batch)
  }
  const state = watch(cores)
  const total = n * BLOCKS_PER_CORE

  const socket = connect(Number(port), '127.0.0.1')
  await new Promise((resolve) => socket.once('connect', resolve))
  const t = performance.now()
  const cpu = process.cpuUsage()
  link(socket, peer.replicate(false, { live: true }))
  while (state.blocks < total && performance.now() - state.last < STALL_MS) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  // Stalled: the time to the last block that came (none: 0).
  const ms = state.blocks < total ? Math.max(0, state.last - t) : performance.now() - t
  const peerCpu = process.cpuUsage(cpu)
  // The download() callbacks of the last blocks fire on later ticks: a moment for them.
  await new Promise((resolve) => setTimeout(resolve, 500))
  const seederStats = await seeder.stats()
  const isComplete = (c: Hypercore) => c.length === BLOCKS_PER_CORE && countHave(c) === BLOCKS_PER_CORE
  const complete = cores.filter(isComplete).length
  // Cut off: the seeder closed the channel and the core never got every block.
  const cutOff = [...state.closedEarly].filter((c) => !isComplete(c)).length
  socket.destroy()
  await seeder.stop()
  await peer.close()
  await rm(peerDir, { recursive: true, force: true })
  return {
    ms,
    ops: state.blocks,
    extra: {
      blocks: state.blocks,
      'cores complete': complete,
      'blocks/s': ms > 0 ? (state.blocks / ms) * 1000 : 0,
      'cores cut off by the seeder': cutOff,
      'download() callbacks missing': complete - state.callbacks,
      'bare cores opened': Number(seederStats.cores ?? 0),
      'seeder failed opens': Number(seederStats.failedOpens),
      'seeder peak RSS MiB': Number(seederStats.peakRssKiB) / 1024,
      'seeder peak fds': Number(seederStats.peakFds),
      'seeder errors': Number(seederStats.errors),
      'seeder CPU ms': Number(seederStats.cpuMs),
      'peer CPU ms': (peerCpu.user + peerCpu.system) / 1000,
    },
    firstError: String(seederStats.firstError || seederStats.firstOpenError || ''),
  }
}

function countHave(core: Hypercore): number {
  let have = 0
  for (let i = 0; i < core.length; i++) if (core.has(i)) have++
  return have
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await printEach(jobsFromArgv(), ([, impl, n]) => seed(impl, n))
  process.exit(0)
}
