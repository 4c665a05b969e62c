// Measurements in a fresh process, so memory and JIT state never leak into them from the runner.
// A real run gives each measurement its own process; the smoke run batches them all in one.
// Usage: child.ts <scenario> <impl> <size> [<scenario> <impl> <size> …]   → one JSON line each
import { createRequire } from 'node:module'
import type { DurabilityImpl } from './durability.ts'
import type { Impl } from './impls.ts'

const args = process.argv.slice(2)
// The baselines run on hypercore 9 as its users get it, with memory-pager: loaded before the engine,
// hypercore keeps it (the engine gives page tables only to a hypercore it loads itself). The smoke run
// measures every impl in one process, with the page tables.
if (args.every((arg, i) => i % 3 !== 1 || !arg.startsWith('ours'))) createRequire(import.meta.url)('hypercore')
const { scenarios } = await import('./scenarios.ts')
const { getHit, scale } = await import('./hits.ts')
const { durability } = await import('./durability.ts')
/** Calls per timed loop of the hit and scale figures (run.ts sets it; fewer for the smoke run). */
const minCalls = Number(process.env.BENCH_MIN_CALLS ?? 2_000_000)

for (let i = 0; i < args.length; i += 3) {
  const [name, impl, size] = args.slice(i, i + 3) as [string, DurabilityImpl, string]
  const n = Number(size)
  const scenario = durability[name] ?? scenarios[name]
  const result =
    name === 'scale'
      ? await scale(impl as Exclude<Impl, 'bare'>, n, minCalls)
      : name === 'get-hit'
        ? await getHit(impl as Impl, n)
        : await scenario?.(impl as Impl, n)
  if (!result) throw new Error(`unknown scenario ${name}`)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
