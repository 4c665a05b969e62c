// One measurement in a fresh process, so memory and JIT state never leak between runs.
// Usage: child.ts <scenario> <impl> <size>   → prints one JSON line
import type { Impl } from './impls.ts'
import { scale, scenarios } from './scenarios.ts'

const [name, impl, size] = process.argv.slice(2) as [string, Impl, string]
const n = Number(size)
const result = name === 'scale' ? await scale(impl as Exclude<Impl, 'bare'>, n) : await scenarios[name]?.(impl, n)
if (!result) throw new Error(`unknown scenario ${name}`)
process.stdout.write(`${JSON.stringify(result)}\n`)
