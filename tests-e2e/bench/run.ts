// pnpm bench [--quick | --full | --smoke] [--runs N] [--only scenario,…] [--save | --compare] [--source]
// Every measurement runs in a fresh child process; figures are medians of the runs. The smoke run
// (for the tests: does every scenario still run?) measures everything in one child process.
// --save writes the run's figures to baseline.json; --compare prints them beside it (baseline.ts).
import { execFile } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { compareWithBaseline, describeRun, type Figure, figureOf, saveBaseline } from './baseline.ts'
import { type DurabilityPlan, durabilityJobs, printDurability } from './durability.ts'
import { fmt, loadAverages, median, ratio, table } from './format.ts'
import { HIT_CORES, HIT_FORMS, SCALE_FIGURES } from './hits.ts'
import type { Impl } from './impls.ts'
import { buildPackages, fromSource, nodeArgs } from './node.ts'
import { printSeed, printSwarm, type ReplicationPlan, SEED_IMPLS, SWARM_IMPLS } from './replication.ts'
import type { Result } from './scenarios.ts'
import { fixtureDir } from './seed.ts'

const run = promisify(execFile)
const child = fileURLToPath(new URL('./child.ts', import.meta.url))
const limitsChild = fileURLToPath(new URL('./limits.ts', import.meta.url))
/** Scenarios measured by a script of their own (which starts the processes it needs). */
const SCRIPTS: Record<string, string> = {
  seed: fileURLToPath(new URL('./seed.ts', import.meta.url)),
  swarm: fileURLToPath(new URL('./swarm.ts', import.meta.url)),
}
/** The descriptor limit the capacity scenario runs under: the common default soft limit. */
const CAPACITY_ULIMIT = 1024

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    only: { type: 'string' },
    save: { type: 'boolean', default: false },
    source: { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
  },
})

interface Plan {
  sizes: Record<string, number[]>
  scale: number[]
  /** Scenarios run by limits.ts under a descriptor limit of their own. */
  limits: { capacity: number[]; reads: number[] }
  /** Blocks appended (each append mode) and downloaded, per durability scenario (durability.ts). */
  durability: DurabilityPlan
  /** Replication at scale: seed (stored cores served to one peer) and swarm (readers on a DHT). */
  replication: ReplicationPlan
  runs: number
}

/** Calls per timed loop of a sub-microsecond figure: one preemption of a few ms moves it by under 1 %. */
const MIN_CALLS = 2_000_000

const PLANS: Record<'smoke' | 'quick' | 'full', Plan> = {
  smoke: {
    sizes: {
      'open-ram': [5],
      'open-disk': [5],
      'reopen-disk': [5],
      close: [5],
      replicate: [2],
      passive: [2],
      'get-hit': [1000],
      memory: [5],
    },
    scale: [10],
    limits: { capacity: [20], reads: [20] },
    durability: { append: [20], download: [20] },
    replication: { seed: [20], swarm: [1], swarmShape: '4x4', runs: 1 },
    runs: 1,
  },
  quick: {
    sizes: {
      'open-ram': [200],
      'open-disk': [200],
      'reopen-disk': [200],
      close: [500],
      replicate: [10, 100],
      passive: [100],
      'get-hit': [MIN_CALLS],
      memory: [200],
    },
    scale: [100, 1000],
    // reads: 3,000 cores hold 15,000–18,000 files for bare hypercore, under this machine's hard limit
    // of 20,000 (which a non-privileged process cannot raise); the store's budget is 512.
    limits: { capacity: [3000], reads: [3000] },
    durability: { append: [1000], download: [1000] },
    // One run each: 20–60 s a measurement; --runs N or --full for medians.
    replication: { seed: [1000, 10_000], swarm: [1, 4], swarmShape: '100x100', runs: 1 },
    runs: 3,
  },
  full: {
    sizes: {
      'open-ram': [100, 1000],
      // 5,000 cores on disk would hold 25,000–30,000 files open at once: over this machine's
      // limit of 20,000 descriptors (`ulimit -n`), for bare hypercore as much as for a store.
      'open-disk': [100, 1000, 3000],
      'reopen-disk': [100, 1000, 3000],
      close: [100, 1000, 3000],
      replicate: [10, 100, 1000],
      passive: [100, 1000],
      'get-hit': [MIN_CALLS],
      memory: [1000],
    },
    scale: [100, 1000, 5000],
    limits: { capacity: [50_000], reads: [3000] },
    durability: { append: [1000, 10_000], download: [1000, 10_000] },
    replication: { seed: [1000, 10_000, 50_000], swarm: [1, 4, 16], swarmShape: '100x100', runs: 3 },
    runs: 3,
  },
}

const mode = values.smoke ? 'smoke' : values.full ? 'full' : 'quick'
/** Implementations of the reads scenario: ours within a 512-descriptor budget, ours without one, bare. */
const READ_IMPLS = ['bare', 'ours-unbounded', 'ours'] as const
const plan = PLANS[mode]
const runs = values.runs ? Number(values.runs) : plan.runs
const only = values.only ? new Set(values.only.split(',')) : null
const IMPLS: Impl[] = ['bare', 'legacy', 'ours']
const SCALE_IMPLS = ['legacy', 'ours'] as const
const NAMES: Record<Impl, string> = { bare: 'hypercore 9', legacy: 'corestore 5.8.2', ours: '@corestore/core' }

// A smoke run checks that the hit and scale loops run, not what they measure.
const minCalls = mode === 'smoke' ? 1000 : MIN_CALLS
// glibc raises its mmap threshold as large blocks are freed, which makes RSS depend on what ran
// before; a fixed threshold keeps every child's allocator behaving the same.
// A smoke run's seed has 200 blocks: a stall shows within seconds.
process.env.BENCH_STALL_MS ??= mode === 'smoke' ? '5000' : '20000'
const env = {
  ...process.env,
  MALLOC_MMAP_THRESHOLD_: '131072',
  BENCH_MIN_CALLS: String(minCalls),
  BENCH_SWARM_SHAPE: plan.replication.swarmShape,
}
// V8 grows its young generation with what survives scavenges, up to 16 MiB a semi-space: opening a
// thousand cores at once grows it to that cap, a one-off for the process that the memory readings
// would otherwise divide among the cores (about 16 KiB a core at 1,000 cores, 80 at 200). Scenarios
// that read memory run with it fixed at 1 MiB, the same for every impl; timed scenarios keep V8's default.
const MEMORY_SCENARIOS = new Set(['memory', 'capacity'])
const FIXED_YOUNG_GENERATION = ['--min-semi-space-size=1', '--max-semi-space-size=1']

type Job = [scenario: string, impl: Impl, size: number]

/**
 * One child process measuring `jobs` in turn: one result per job. Jobs of limits.ts run under
 * `ulimit -n <ulimit>` when given (bash sets it, then becomes node).
 */
async function measureInChild(jobs: Job[], script = child, ulimit?: number): Promise<Result[]> {
  const young = jobs.every(([scenario]) => MEMORY_SCENARIOS.has(scenario)) ? FIXED_YOUNG_GENERATION : []
  const node = [process.execPath, ...young, ...nodeArgs(), '--expose-gc', script]
  const argv = [...node, ...jobs.flat().map(String)]
  const [file, ...args] = ulimit ? ['bash', '-c', `ulimit -n ${ulimit}; exec "$0" "$@"`, ...argv] : argv
  const { stdout } = await run(file as string, args, { env, maxBuffer: 1 << 20, timeout: 1_800_000 })
  const results = stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Result)
  if (results.length !== jobs.length) throw new Error(`${jobs.length} measurements asked, ${results.length} made`)
  return results
}

const batched = new Map<string, Result>()

/** Every measurement the plan makes, in the order the tables are printed. */
function plannedJobs(): Job[] {
  const jobs: Job[] = []
  for (const [scenario, sizes] of Object.entries(plan.sizes)) {
    if (only && !only.has(scenario)) continue
    for (const size of sizes) for (const impl of IMPLS) jobs.push([scenario, impl, size])
  }
  if (!only || only.has('scale')) {
    for (const n of plan.scale) for (const impl of SCALE_IMPLS) jobs.push(['scale', impl, n])
  }
  for (const job of durabilityJobs(plan.durability, only)) jobs.push(job as Job)
  return jobs
}

const LIMIT_SCENARIOS = new Set(['capacity', 'reads'])

async function measure(scenario: string, impl: Impl, size: number): Promise<Result> {
  const job: Job = [scenario, impl, size]
  const known = batched.get(String(job))
  if (known) return known
  const script = SCRIPTS[scenario]
  if (script) return (await measureInChild([job], script))[0] as Result
  if (!LIMIT_SCENARIOS.has(scenario)) return (await measureInChild([job]))[0] as Result
  const ulimit = scenario === 'capacity' ? CAPACITY_ULIMIT : undefined
  return (await measureInChild([job], limitsChild, ulimit))[0] as Result
}

async function medianOf(scenario: string, impl: Impl, size: number, times = runs): Promise<Result> {
  const results: Result[] = []
  for (let i = 0; i < times; i++) {
    try {
      results.push(await measure(scenario, impl, size))
    } catch (err) {
      const reason = String((err as { stderr?: string }).stderr ?? err).match(/Error: [^\n]*/)?.[0] ?? 'failed'
      console.error(`  ! ${scenario} ${impl} ${size}: ${reason}`)
      return { ms: Number.NaN, ops: 0, extra: {} }
    }
  }
  const extra: Record<string, number> = {}
  const name = `${scenario} ${size} ${impl}`
  const record = (figure: string, values: number[], value: number) => {
    if (values.every(Number.isFinite)) figures.set(`${name} ${figure}`, figureOf(values, impl === 'bare', value))
  }
  for (const key of Object.keys(results[0]?.extra ?? {})) {
    const values = results.map((r) => r.extra?.[key] ?? 0)
    extra[key] = median(values)
    record(key, values, extra[key])
  }
  const ms = median(results.map((r) => r.ms))
  record(
    'ms',
    results.map((r) => r.ms),
    ms,
  )
  return { ms, ops: results[0]?.ops ?? 0, extra }
}

/** Every figure of this run by name (`<scenario> <size> <impl> <figure>`), for --save and --compare. */
const figures = new Map<string, Figure>()

// The packages as users run them, built first; `--source` measures their TypeScript (see node.ts).
if (values.source) process.env.BENCH_SOURCE = '1'
else buildPackages()
const started = Date.now()
const loadAtStart = loadavg()[0] as number
console.log(
  `corestore benchmark — ${mode} run, median of ${runs}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load average ${loadAverages()}`,
)
console.log(
  mode === 'smoke'
    ? 'smoke run: every measurement in one child process, to check that each scenario runs; the figures mean nothing'
    : 'each cell: a fresh child process per run; ratios compare medians measured in this same run',
)
console.log(`packages measured from ${fromSource() ? 'their TypeScript sources (--source)' : 'dist/, built now'}\n`)

// A smoke run's figures mean nothing, and two dozen process starts were most of its time on a
// busy machine: it makes every measurement in one child, up front.
if (mode === 'smoke') {
  const jobs = plannedJobs()
  for (const [i, result] of (await measureInChild(jobs)).entries()) batched.set(String(jobs[i]), result)
  for (const [scenario, impls, ulimit] of [
    ['capacity', IMPLS, CAPACITY_ULIMIT],
    ['reads', READ_IMPLS, undefined],
  ] as const) {
    if (only && !only.has(scenario)) continue
    const limitJobs = plan.limits[scenario].flatMap((n) => impls.map((impl) => [scenario, impl, n] as Job))
    const results = await measureInChild(limitJobs, limitsChild, ulimit)
    for (const [i, result] of results.entries()) batched.set(String(limitJobs[i]), result)
  }
  for (const [scenario, impls, sizes] of [
    ['seed', SEED_IMPLS, plan.replication.seed],
    ['swarm', SWARM_IMPLS, plan.replication.swarm],
  ] as const) {
    if (only && !only.has(scenario)) continue
    const scriptJobs = sizes.flatMap((n) => impls.map((impl) => [scenario, impl, n] as Job))
    const results = await measureInChild(scriptJobs, SCRIPTS[scenario])
    for (const [i, result] of results.entries()) batched.set(String(scriptJobs[i]), result)
  }
}

const main: string[][] = [
  ['scenario', 'size', ...IMPLS.map((i) => `${NAMES[i]} ms`), 'ours ops/s', 'ours/bare', 'ours/5.8.2'],
]
const memoryRows: string[][] = [['impl', 'cores', 'RSS KiB/core', 'heap KiB/core']]
const hitRows: string[][] = [
  ['form', 'Map floor µs', `${NAMES.legacy} µs`, `${NAMES.ours} µs`, 'ours/floor', 'ours/5.8.2'],
]

for (const [scenario, sizes] of Object.entries(plan.sizes)) {
  if (only && !only.has(scenario)) continue
  for (const size of sizes) {
    const r = {} as Record<Impl, Result>
    for (const impl of IMPLS) r[impl] = await medianOf(scenario, impl, size)
    if (scenario === 'memory') {
      for (const impl of IMPLS) {
        const e = r[impl].extra ?? {}
        memoryRows.push([NAMES[impl], String(size), fmt(e['RSS KiB/core'] ?? 0), fmt(e['heap KiB/core'] ?? 0)])
      }
    }
    if (scenario === 'get-hit') {
      for (const form of HIT_FORMS) {
        const [floor, legacy, ours] = (['bare', 'legacy', 'ours'] as const).map((i) => r[i].extra?.[form] ?? Number.NaN)
        const legacyForm = form === 'get(url)' ? ' (as { key: url })' : ''
        hitRows.push([
          form,
          fmt(floor as number, 3),
          `${fmt(legacy as number, 3)}${legacyForm}`,
          fmt(ours as number, 3),
          ratio(ours as number, floor as number),
          ratio(ours as number, legacy as number),
        ])
      }
      continue
    }
    const opsPerSec = (r.ours.ops / r.ours.ms) * 1000
    main.push([
      scenario,
      String(size),
      ...IMPLS.map((i) => fmt(r[i].ms)),
      fmt(opsPerSec, 0),
      ratio(r.ours.ms, r.bare.ms),
      ratio(r.ours.ms, r.legacy.ms),
    ])
    console.error(`  … ${scenario} ${size} done`)
  }
}

// Skipped when --only names none of these scenarios.
if (main.length > 1) console.log(table(main))
if (hitRows.length > 1) {
  console.log(
    `\nget() of a cached core, per call: one core among ${HIT_CORES} open, at least ${minCalls} calls a figure`,
  )
  console.log('(a figure over 1 µs: as many calls as take that many µs); the floor is a Map look-up by the hex')
  console.log('of the key buffer, or by the string given:')
  console.log(table(hitRows))
}
if (memoryRows.length > 1) {
  console.log(`\nmemory per open core (random-access-memory, a fresh process per run; deltas of RSS and heapUsed`)
  console.log(`around opening the cores, each after two global.gc() calls; MALLOC_MMAP_THRESHOLD_=131072,`)
  console.log(`V8's young generation fixed at 1 MiB semi-spaces):`)
  console.log(table(memoryRows))
}

if (!only || only.has('scale')) {
  const scaleRows: string[][] = [['impl', 'open cores', ...SCALE_FIGURES]]
  for (const impl of SCALE_IMPLS) {
    for (const n of plan.scale) {
      const e = (await medianOf('scale', impl, n)).extra ?? {}
      scaleRows.push([NAMES[impl], String(n), ...SCALE_FIGURES.map((k) => fmt(e[k] ?? 0, 3))])
    }
  }
  console.log(`\nscale: the store's own costs as open cores grow (flat per core = no scan per call); hits and`)
  console.log(`isLoaded({ key }) over every core in turn, ${minCalls} calls; close: the store with n + 200 cores:`)
  console.log(table(scaleRows))
}
if (!only || only.has('capacity')) {
  const rows: string[][] = [
    [
      'impl',
      'asked',
      'cores open',
      'stopped (EMFILE) at',
      'blocks verified',
      'descriptors',
      'RSS KiB/core',
      'heap KiB/core',
      'open ms',
    ],
  ]
  for (const n of plan.limits.capacity) {
    for (const impl of IMPLS) {
      const r = await medianOf('capacity', impl, n)
      const e = r.extra ?? {}
      const stopped = e['stopped at'] ?? -1
      rows.push([
        NAMES[impl],
        String(n),
        String(e.cores ?? 0),
        stopped < 0 ? '—' : `core ${stopped + 1}`,
        String(e.verified ?? 0),
        String(e.fds ?? 0),
        fmt(e['RSS KiB/core'] ?? 0),
        fmt(e['heap KiB/core'] ?? 0),
        fmt(r.ms),
      ])
    }
  }
  console.log(`\ncapacity: disk cores opened one block each and all held open under ulimit -n ${CAPACITY_ULIMIT}, then`)
  console.log('every block read back (ours: the default budget, half the limit; the baselines stop at EMFILE;')
  console.log("RSS and heap read as for the memory table, V8's young generation fixed at 1 MiB semi-spaces):")
  console.log(table(rows))
}

if (!only || only.has('reads')) {
  const rows: string[][] = [['impl', 'cores', 'descriptors', 'µs/read', 'vs bare']]
  const names: Record<(typeof READ_IMPLS)[number], string> = {
    bare: 'hypercore 9, every file open',
    'ours-unbounded': '@corestore/core, maxOpenFiles: Infinity',
    ours: '@corestore/core, maxOpenFiles: 512',
  }
  for (const n of plan.limits.reads) {
    const r = {} as Record<(typeof READ_IMPLS)[number], Result>
    for (const impl of READ_IMPLS) r[impl] = await medianOf('reads', impl as Impl, n)
    for (const impl of READ_IMPLS) {
      const e = r[impl].extra ?? {}
      rows.push([names[impl], String(n), String(e.fds ?? 0), fmt(e['µs/read'] ?? 0), ratio(r[impl].ms, r.bare.ms)])
    }
  }
  console.log('\nreads over the budget: 10,000 random block reads across cores reopened after a restart (4 × 1 KiB')
  console.log('blocks each), all held open; the working set is far larger than the 512-descriptor budget:')
  console.log(table(rows))
}
await printDurability(plan.durability, only, (scenario, impl, n) => medianOf(scenario, impl as Impl, n))
const replicationMeasure = (scenario: string, impl: string, n: number, times: number) =>
  medianOf(scenario, impl as Impl, n, values.runs ? runs : times)
if (!only || only.has('seed')) await printSeed(plan.replication, replicationMeasure)
if (!only || only.has('swarm')) await printSwarm(plan.replication, replicationMeasure)
// The stored cores of the seed scenario were kept between its runs.
for (const n of plan.replication.seed) await rm(fixtureDir(n), { recursive: true, force: true })
console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s, load average ${loadAverages()}`)
if (values.save || values.compare) {
  const described = describeRun(mode, runs, loadAtStart)
  if (values.compare) compareWithBaseline(described, figures)
  if (values.save) {
    saveBaseline(described, figures, only !== null)
    console.log(`\nsaved ${figures.size} figures to tests-e2e/bench/baseline.json`)
  }
}
