// How the benchmark starts node for a measurement: tsx for the benchmark's own TypeScript, and the
// packages from their built `dist/` (what users run), unless BENCH_SOURCE=1 (`pnpm bench --source`).
// Run from source, tsx compiles the packages with esbuild's keepNames: every function a package makes
// at run time also calls `__name` (a defineProperty). The baselines are plain JavaScript; measured on
// source, closing 1,000 disk cores took ours 255 ms a round against 168 ms on dist (8 rounds, one
// process, profiled), a third of it `__name`, its defineProperty and the garbage they leave.
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

export const fromSource = (): boolean => process.env.BENCH_SOURCE === '1'

/** node's arguments before the script: the packages' source condition when asked for, and tsx. */
export const nodeArgs = (): string[] => [...(fromSource() ? ['--conditions=source'] : []), '--import', 'tsx']

/** Bring every package's `dist/` up to date (`tsc -b`: a few seconds when nothing changed). */
export function buildPackages(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: 'inherit' })
}
