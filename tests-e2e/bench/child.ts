// Measurements in a fresh process, so memory and JIT state never leak into them from the runner.
// A real run gives each measurement its own process; the smoke run batches them all in one.
// Usage: child.ts <scenario> <impl> <size> [<scenario> <impl> <size> …]   → one JSON line each
import type { Impl } from './impls.ts'
import { scale, scenarios } from './scenarios.ts'

const args = process.argv.slice(2)
for (let i = 0; i < args.length; i += 3) {
  const [name, impl, size] = args.slice(i, i + 3) as [string, Impl, string]
  const n = Number(size)
  const result = name === 'scale' ? await scale(impl as Exclude<Impl, 'bare'>, n) : await scenarios[name]?.(impl, n)
  if (!result) throw new Error(`unknown scenario ${name}`)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
