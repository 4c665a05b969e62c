// swarm: one writer and R readers, each in its own process (swarm-peer.ts), on a local DHT bound to
// 127.0.0.1; the writer holds `cores` cores of `blocks` blocks of 1 KiB. The writer announces every
// core's discovery key first; then every reader looks every key up and downloads everything from the
// writer. Readers do not announce: on loopback, networker 1 never connects two readers (each TCP
// connection comes from 127.0.0.1, which it drops), where hyperswarm 4 does, and a reader with four
// peers does about twice the CPU work of one with one (measured): the same star for both, so that
// the two stacks do the same work.
// Timed from the readers' start until the last reader has every block, and split where it goes:
// the DHT (every topic joined), the first connection, the first block, the rest of the replication.
//
// ours: @corestore/core and @corestore/networker (hyperswarm 4) on a hyperdht testnet of 3 nodes.
// legacy: corestore 5.8.2 and @corestore/networker 1.2.1 (hyperswarm 2) on a @hyperswarm/dht node;
// networker 1 drops connections from 127.0.0.1 and its discovery always opens mDNS, so each of its
// peers gets an address of its own (127.0.0.2, .3…) and mDNS is silenced (tests-e2e/helpers/hyperswarm2.ts).
//
// Usage: swarm.ts swarm <impl> <R>   → one JSON line; the shape is BENCH_SWARM_SHAPE (`<cores>x<blocks>`).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { median } from './format.ts'
import { jobsFromArgv, printEach } from './jobs.ts'
import { nodeArgs } from './node.ts'

const peerScript = fileURLToPath(new URL('./swarm-peer.ts', import.meta.url))
const [CORES, BLOCKS] = (process.env.BENCH_SWARM_SHAPE ?? '100x100').split('x').map(Number) as [number, number]
/** A run that has not finished by then has failed. */
const TIMEOUT_MS = Number(process.env.BENCH_SWARM_TIMEOUT_MS ?? 300_000)
const at = () => performance.timeOrigin + performance.now()

interface Testnet {
  bootstrap: unknown[]
  destroy(): unknown
}

async function testnet(impl: string): Promise<Testnet> {
  if (impl === 'legacy') {
    const { startBootstrap } = await import('../helpers/hyperswarm2.ts')
    return startBootstrap()
  }
  // hyperdht comes with @corestore/networker: resolved through it.
  const require = createRequire(createRequire(import.meta.url).resolve('@corestore/networker'))
  const create = require('hyperdht/testnet') as (size: number, opts: { host: string }) => Promise<Testnet>
  return create(3, { host: '127.0.0.1' })
}

type Message = Record<string, unknown> & { event?: string; at?: number }

class Peer {
  readonly child: ChildProcessWithoutNullStreams
  readonly events = new Map<string, number>()
  /** CPU ms from `go` until every topic was joined. */
  joinCpuMs = 0
  readonly #lines: AsyncIterator<string>
  stderr = ''

  constructor(args: string[]) {
    // BENCH_SWARM_PROFILE=<dir>: each peer profiles itself from `go` (swarm-peer.ts), setup left out.
    this.child = spawn(process.execPath, [...nodeArgs(), peerScript, ...args])
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString()
    })
    this.#lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]()
  }

  async next(): Promise<Message> {
    const line = await this.#lines.next()
    if (line.done) throw new Error(`a swarm peer ended early: ${this.stderr.slice(-2000)}`)
    return JSON.parse(line.value) as Message
  }

  /** Read events until `event` has come. */
  async until(event: string): Promise<number> {
    while (!this.events.has(event)) {
      const m = await this.next()
      if (m.event && m.at) this.events.set(m.event, m.at)
      if (m.event === 'joined') this.joinCpuMs = Number(m.cpuMs)
    }
    return this.events.get(event) as number
  }

  go(): void {
    this.child.stdin.write('go\n')
  }

  /** CPU ms since `go`, peers connected, blocks uploaded. */
  async stats(): Promise<Record<'cpuMs' | 'peers' | 'uploaded' | 'reads' | 'writes' | 'retransmits' | 'rtos', number>> {
    this.child.stdin.write('stats\n')
    for (;;) {
      const m = await this.next()
      if (typeof m.cpuMs === 'number') return m as never
    }
  }

  async stop(): Promise<void> {
    this.child.stdin.end()
    const exited = new Promise((resolve) => this.child.once('exit', resolve))
    const timer = setTimeout(() => this.child.kill(), 20_000)
    await exited
    clearTimeout(timer)
  }
}

/** The kernel's count of UDP datagrams dropped for a full receive buffer, machine-wide (/proc/net/snmp). */
function udpReceiveErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'))
  const [names, values] = lines.map((l) => l.split(/\s+/))
  const i = names?.indexOf('RcvbufErrors') ?? -1
  return i < 0 ? 0 : Number(values?.[i] ?? 0)
}

export async function swarm(impl: string, readers: number) {
  const udpErrorsBefore = udpReceiveErrors()
  const net = await testnet(impl)
  const bootstrap = JSON.stringify(net.bootstrap)
  // legacy: an address of its own per peer (networker 1 drops peers from 127.0.0.1).
  const host = (i: number) => (impl === 'legacy' ? `127.0.0.${i + 2}` : '127.0.0.1')
  const shape = [String(CORES), String(BLOCKS)]
  const peers: Peer[] = []
  const timeout = setTimeout(() => {
    for (const p of peers) p.child.kill()
  }, TIMEOUT_MS)
  try {
    const writer = new Peer(['writer', impl, bootstrap, ...shape, host(0)])
    peers.push(writer)
    const { keys } = (await writer.next()) as { keys: string[] }
    const readerPeers = Array.from(
      { length: readers },
      (_, i) => new Peer(['reader', impl, bootstrap, ...shape, host(i + 1), JSON.stringify(keys)]),
    )
    peers.push(...readerPeers)
    await Promise.all(readerPeers.map((r) => r.next()))

    const writerStart = at()
    writer.go()
    const announced = (await writer.until('joined')) - writerStart
    const start = at()
    for (const r of readerPeers) r.go()
    const done = await Promise.all(readerPeers.map((r) => r.until('done')))
    const since = (event: string) => median(readerPeers.map((r) => (r.events.get(event) ?? Number.NaN) - start))
    await Promise.all(readerPeers.map((r) => r.until('joined')))
    const ms = Math.max(...done) - start
    const [writerStats, ...readerStats] = await Promise.all(peers.map((p) => p.stats()))
    return {
      ms,
      ops: readers * CORES * BLOCKS,
      extra: {
        'writer announce ms': announced,
        'first connection ms': since('connected'),
        'first block ms': since('first-block'),
        'joined ms': since('joined'),
        'reader done ms (median)': since('done'),
        'last reader done ms': ms,
        'writer CPU ms': writerStats?.cpuMs ?? 0,
        'writer announce CPU ms': writer.joinCpuMs,
        'reader look-up CPU ms (median)': median(readerPeers.map((r) => r.joinCpuMs)),
        'reader CPU ms (median)': median(readerStats.map((s) => s.cpuMs)),
        'writer blocks uploaded': writerStats?.uploaded ?? 0,
        'reader peers (median)': median(readerStats.map((s) => s.peers)),
        'writer file reads': writerStats?.reads ?? 0,
        'reader file writes (median)': median(readerStats.map((s) => s.writes)),
        'reader file reads (median)': median(readerStats.map((s) => s.reads)),
        'writer retransmits': writerStats?.retransmits ?? 0,
        'writer RTOs': writerStats?.rtos ?? 0,
        'UDP receive buffer errors': udpReceiveErrors() - udpErrorsBefore,
      },
    }
  } finally {
    clearTimeout(timeout)
    await Promise.all(peers.map((p) => p.stop()))
    await net.destroy()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await printEach(jobsFromArgv(), ([, impl, r]) => swarm(impl, r))
  process.exit(0)
}
