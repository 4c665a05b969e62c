// Replication at scale: the seed and swarm scenarios (seed.ts, swarm.ts), planned and printed here.
import { fmt, table } from './format.ts'
import type { Result } from './scenarios.ts'
import { BARE_ULIMIT, SEEDER_ULIMIT } from './seed.ts'

export interface ReplicationPlan {
  /** Stored cores the seeder holds, per seed measurement. */
  seed: number[]
  /** Readers, per swarm measurement. */
  swarm: number[]
  /** The writer's cores × blocks in the swarm scenario. */
  swarmShape: string
  /** Runs of each measurement (they take seconds to minutes each). */
  runs: number
}

export const SEED_IMPLS = ['bare', 'legacy', 'ours'] as const
export const SWARM_IMPLS = ['legacy', 'ours'] as const

type Measure = (scenario: string, impl: string, n: number, runs: number) => Promise<Result>

const NAMES: Record<string, string> = {
  bare: `hypercore 9 (every core open, ulimit ${BARE_ULIMIT})`,
  legacy: `corestore 5.8.2 (ulimit ${SEEDER_ULIMIT})`,
  ours: `@corestore/core (ulimit ${SEEDER_ULIMIT})`,
}

export async function printSeed(plan: ReplicationPlan, measure: Measure): Promise<void> {
  const rows: string[][] = [
    [
      'seeder',
      'cores',
      'blocks received',
      'cores complete',
      'cores cut off',
      's',
      'blocks/s',
      'seeder peak RSS MiB',
      'seeder peak fds',
      'EMFILE opens',
      'seeder CPU s',
      'peer CPU s',
      'download() cbs missing',
    ],
  ]
  for (const n of plan.seed) {
    for (const impl of SEED_IMPLS) {
      const r = await measure('seed', impl, n, plan.runs)
      const e = r.extra ?? {}
      if (e['not run']) {
        const need = `not run: ${n} cores need about ${n * 5} descriptors open, over ${BARE_ULIMIT}`
        rows.push([NAMES[impl] as string, String(n), need, ...Array(10).fill('—')])
        continue
      }
      const complete = (e.blocks ?? 0) === n * 10
      rows.push([
        NAMES[impl] as string,
        String(n),
        String(e.blocks ?? 0),
        String(e['cores complete'] ?? 0),
        String(e['cores cut off by the seeder'] ?? 0),
        complete ? fmt(r.ms / 1000) : `stalled (last block at ${fmt(r.ms / 1000)})`,
        fmt(e['blocks/s'] ?? 0, 0),
        fmt(e['seeder peak RSS MiB'] ?? 0),
        String(e['seeder peak fds'] ?? 0),
        String(e['seeder failed opens'] ?? 0),
        fmt((e['seeder CPU ms'] ?? 0) / 1000),
        fmt((e['peer CPU ms'] ?? 0) / 1000),
        String(e['download() callbacks missing'] ?? 0),
      ])
    }
  }
  console.log('\nseed: a directory store of n stored cores (10 × 1 KiB blocks each) served by a seeder in its own')
  console.log('process to a fresh peer (a directory store, maxOpenFiles 256) asking for all of them over one TCP')
  console.log("stream on 127.0.0.1; timed from the connection to the peer's last block. A run with no block for")
  console.log(`${Number(process.env.BENCH_STALL_MS ?? 20_000) / 1000} s has stalled: what arrived by then is shown.`)
  console.log(table(rows))
}

export async function printSwarm(plan: ReplicationPlan, measure: Measure): Promise<void> {
  const figures = ['writer announce ms', 'joined ms', 'first connection ms', 'first block ms'] as const
  const rows: string[][] = [
    [
      'impl',
      'readers',
      'all readers done s',
      'median reader done s',
      ...figures.map((f) => `${f.replace(' ms', '')} s`),
    ],
  ]
  const names = { legacy: 'corestore 5.8.2 + networker 1.2.1', ours: '@corestore/core + @corestore/networker' }
  for (const readers of plan.swarm) {
    for (const impl of SWARM_IMPLS) {
      const r = await measure('swarm', impl, readers, plan.runs)
      const e = r.extra ?? {}
      rows.push([
        names[impl],
        String(readers),
        fmt(r.ms / 1000),
        fmt((e['reader done ms (median)'] ?? 0) / 1000),
        ...figures.map((f) => fmt((e[f] ?? 0) / 1000)),
      ])
    }
  }
  const [cores, blocks] = plan.swarmShape.split('x')
  console.log(`\nswarm: one writer of ${cores} cores × ${blocks} blocks of 1 KiB and R readers, each its own process,`)
  console.log('on a local DHT (127.0.0.0/8); the writer announces every core, then every reader looks every core')
  console.log("up and downloads everything from the writer. Times from the readers' start (announce: the writer's,")
  console.log("before); joined (every look-up done), first connection, first block: the median reader's:")
  console.log(table(rows))
}
