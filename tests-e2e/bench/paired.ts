// Paired runs: one scenario, impls alternating round after round (a fresh process each), so that
// the machine's load moves every impl of a round alike; the ratio ours/bare is taken per round.
// Usage: node --import tsx tests-e2e/bench/paired.ts <scenario> <size> [rounds=10]   (after pnpm build;
//        BENCH_SOURCE=1 measures the packages' sources, see node.ts)
//        [--profile <dir>]   (ours' child runs with --cpu-prof into <dir>)
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { fmt, loadAverages, median, table } from './format.ts'
import { nodeArgs } from './node.ts'
import type { Result } from './scenarios.ts'

const run = promisify(execFile)
const child = fileURLToPath(new URL('./child.ts', import.meta.url))
const { values, positionals } = parseArgs({ allowPositionals: true, options: { profile: { type: 'string' } } })
const [scenario = 'close', size = '500', roundsArg = '10'] = positionals
const rounds = Number(roundsArg)
const IMPLS = ['bare', 'ours', 'legacy'] as const
const env = { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072' }

async function once(impl: string): Promise<number> {
  const profile = impl === 'ours' && values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []
  const args = [...profile, ...nodeArgs(), '--expose-gc', child, scenario, impl, size]
  const { stdout } = await run(process.execPath, args, { env })
  return (JSON.parse(stdout.trim().split('\n').pop() as string) as Result).ms
}

console.log(`${scenario} ${size}: ${rounds} rounds of ${IMPLS.join(', ')} in turn; load average ${loadAverages()}`)
const rows: string[][] = [['round', ...IMPLS.map((i) => `${i} ms`), 'ours/bare', 'ours/5.8.2']]
const ratios: number[] = []
const legacyRatios: number[] = []
for (let r = 0; r < rounds; r++) {
  // The order turns each round, so no impl always runs first (after the machine was idle).
  const order = IMPLS.map((_, i) => IMPLS[(i + r) % IMPLS.length] as string)
  const ms: Record<string, number> = {}
  for (const impl of order) ms[impl] = await once(impl)
  const [bare, ours, legacy] = IMPLS.map((i) => ms[i] as number) as [number, number, number]
  ratios.push(ours / bare)
  legacyRatios.push(ours / legacy)
  rows.push([String(r + 1), ...[bare, ours, legacy].map((v) => fmt(v)), fmt(ours / bare), fmt(ours / legacy)])
}
console.log(table(rows))
const range = (xs: number[]) => `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`
console.log(
  `ours/bare: median ${fmt(median(ratios))} (${range(ratios)}); ours/5.8.2: median ${fmt(median(legacyRatios))} (${range(legacyRatios)}); load average ${loadAverages()}`,
)
