// Measurements in a fresh process, so memory and JIT state never leak into them from the runner.
// A real run gives each measurement its own process; the smoke run batches them all in one.
// Usage: child.ts <scenario> <impl> <size> [<scenario> <impl> <size> …]   → one JSON line each
import { createRequire } from 'node:module'
import type { Impl } from './impls.ts'
import { jobsFromArgv, printEach } from './jobs.ts'

const jobs = jobsFromArgv()
// The baselines run on hypercore 9 as its users get it, with memory-pager: loaded before the engine,
// hypercore keeps it (the engine gives page tables only to a hypercore it loads itself). The smoke run
// measures every impl in one process, with the page tables.
if (jobs.every(([, impl]) => !impl.startsWith('ours'))) createRequire(import.meta.url)('hypercore')
const { scenarios } = await import('./scenarios.ts')
const { getHit, scale } = await import('./hits.ts')
const { durability } = await import('./durability.ts')
/** Calls per timed loop of the hit and scale figures (run.ts sets it; fewer for the smoke run). */
const minCalls = Number(process.env.BENCH_MIN_CALLS ?? 2_000_000)

await printEach(jobs, async ([name, impl, n]) => {
  const scenario = durability[name] ?? scenarios[name]
  const result =
    name === 'scale'
      ? await scale(impl as Exclude<Impl, 'bare'>, n, minCalls)
      : name === 'get-hit'
        ? await getHit(impl as Impl, n)
        : await scenario?.(impl as Impl, n)
  if (!result) throw new Error(`unknown scenario ${name}`)
  return result
})
