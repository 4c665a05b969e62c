// Scenarios that need a descriptor limit of their own, so run.ts starts this file under
// `ulimit -n`: `capacity` (as many disk cores as fit, under 1,024 descriptors) and `reads` (random
// reads over more cores than the store's descriptor budget).
// Usage: limits.ts <scenario> <impl> <size> [<scenario> <impl> <size> …]   → one JSON line each
// impl: bare | legacy | ours, and for reads also ours-unbounded (maxOpenFiles: Infinity).
import { closeSync, openSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { jobsFromArgv, printEach } from './jobs.ts'

const jobs = jobsFromArgv()

// The baselines run on hypercore 9 as its users get it, with memory-pager: loaded before the engine,
// hypercore keeps it (the engine gives page tables only to a hypercore it loads itself).
if (jobs.every(([, impl]) => !impl.startsWith('ours'))) createRequire(import.meta.url)('hypercore')
const { engine } = await import('@corestore/engine/internal')
const { bareCore, openStore } = await import('./impls.ts')
type Hypercore = import('@corestore/engine').CallbackHypercore

const { memoryAfterGc: memory } = await import('./scenarios.ts')

/** Open descriptors, or `null` when the process has none left to list them with. */
function descriptors(): number | null {
  try {
    return readdirSync('/proc/self/fd').length - 1
  } catch {
    return null
  }
}

/** Cores made by `impl` in `dir`, with what closing them takes. */
async function maker(impl: string, dir: string, maxOpenFiles?: number) {
  if (impl === 'bare') {
    const made: Hypercore[] = []
    return {
      make: (i: number) => {
        const core = bareCore(join(dir, String(i)))
        made.push(core)
        return core
      },
      reopen: (i: number, key: Buffer) => bareCore(join(dir, String(i)), key),
      close: () => Promise.all(made.map((c) => engine.close(c).catch(() => {}))).then(() => {}),
    }
  }
  const opts = maxOpenFiles === undefined ? {} : { maxOpenFiles }
  const store = openStore(impl === 'legacy' ? 'legacy' : 'ours', dir, opts)
  await store.ready()
  return {
    make: () => store.get(),
    reopen: (_i: number, key: Buffer) => store.get({ key }),
    close: () =>
      Promise.resolve()
        .then(() => store.close())
        .catch(() => {}),
  }
}

const BATCH = 50

/** Open `n` disk cores with one block each and hold them all; stop at the first that fails. */
async function capacity(impl: string, n: number) {
  const dir = await mkdtemp(join(tmpdir(), 'corestore-capacity-'))
  const cores = await maker(impl, dir)
  const before = memory()
  const reserve = Array.from({ length: 8 }, () => openSync('/dev/null', 'r'))
  const open: { core: Hypercore; block: string }[] = []
  let failure: string | null = null
  let fds = descriptors()
  const t = performance.now()
  // Ours in batches; the baselines one at a time, so where they stop is exact.
  const step = impl === 'ours' ? BATCH : 1
  for (let start = 0; start < n && !failure; start += step) {
    const batch = Array.from({ length: Math.min(step, n - start) }, (_, j) => cores.make(start + j))
    for (const core of batch) core.on('error', () => {})
    const results = await Promise.allSettled(
      batch.map(async (core, j) => {
        await engine.ready(core)
        await engine.append(core, Buffer.from(`block ${start + j}`))
      }),
    )
    for (const [j, r] of results.entries()) {
      const core = batch[j] as Hypercore
      if (r.status === 'fulfilled') open.push({ core, block: `block ${start + j}` })
      else {
        failure ??= String((r.reason as NodeJS.ErrnoException).code ?? (r.reason as Error).message)
      }
    }
    fds = descriptors() ?? fds
  }
  const openMs = performance.now() - t
  // At the limit nothing can be measured (RSS is read from a /proc file): give back the reserve.
  for (const fd of reserve.splice(0)) closeSync(fd)
  const after = memory()
  const t2 = performance.now()
  let verified = 0
  for (const { core, block } of open) {
    const read = await engine.get(core, 0).catch(() => null)
    if (read?.toString() === block) verified++
  }
  const readMs = performance.now() - t2
  const fdsAfterReads = descriptors() ?? fds
  await cores.close()
  await rm(dir, { recursive: true, force: true })
  const count = open.length || 1
  return {
    ms: openMs,
    ops: open.length,
    extra: {
      cores: open.length,
      'stopped at': failure ? open.length : -1,
      verified,
      'read ms': readMs,
      fds: Math.max(fds ?? 0, fdsAfterReads ?? 0),
      'RSS KiB/core': (after.rss - before.rss) / 1024 / count,
      'heap KiB/core': (after.heap - before.heap) / 1024 / count,
    },
    failure,
  }
}

const READS = 10_000
const BLOCKS = 4

/** Random reads across `n` disk cores; ours with a budget of 512 descriptors (or none), bare with all files open. */
async function reads(impl: string, n: number) {
  const dir = await mkdtemp(join(tmpdir(), 'corestore-reads-'))
  const budget = impl === 'ours' ? 512 : impl === 'ours-unbounded' ? Number.POSITIVE_INFINITY : undefined
  const first = await maker(impl, dir, budget)
  const keys: Buffer[] = []
  for (let start = 0; start < n; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, n - start) }, (_, j) => first.make(start + j))
    await Promise.all(
      batch.map(async (core) => {
        await engine.ready(core)
        await engine.append(
          core,
          Array.from({ length: BLOCKS }, (_, b) => Buffer.alloc(1024, b)),
        )
      }),
    )
    keys.push(...batch.map((c) => c.key as Buffer))
  }
  await first.close()
  // Reopened after a restart, every core held open; then reads in random order.
  const cores = await maker(impl, dir, budget)
  const open = keys.map((key, i) => cores.reopen(i, key))
  await Promise.all(open.map(engine.ready))
  let seed = 42
  const random = (m: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed % m
  }
  const t = performance.now()
  for (let r = 0; r < READS; r++) {
    const block = random(BLOCKS)
    const data = await engine.get(open[random(n)] as Hypercore, block)
    if (data[0] !== block) throw new Error('a block read back wrong')
  }
  const ms = performance.now() - t
  const fds = descriptors()
  await cores.close()
  await rm(dir, { recursive: true, force: true })
  return { ms, ops: READS, extra: { 'µs/read': (ms * 1000) / READS, fds: fds ?? 0 } }
}

await printEach(jobs, ([scenario, impl, size]) => (scenario === 'capacity' ? capacity(impl, size) : reads(impl, size)))
