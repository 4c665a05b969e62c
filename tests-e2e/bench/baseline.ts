// The figures of a run, kept to compare a change against: `pnpm bench --save` writes them (with
// their run-to-run spread) to baseline.json; `pnpm bench --compare` prints each figure of a new run
// beside the saved one and marks what moved beyond the noise.
//
// Noise, two ways, both required before a figure is marked:
// - its runs: the range of this run's measurements and the range of the baseline's do not overlap;
// - the machine: for a time, the ratio now/baseline lies outside the band the bare figures (hypercore
//   9 alone, the Map floor: code that never changes) moved by in the same run, widened by 10 %.
//   A loaded machine slows everything, bare code too; a change in our code moves ours alone.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { fmt, table } from './format.ts'

export const BASELINE_FILE = fileURLToPath(new URL('./baseline.json', import.meta.url))

export interface Figure {
  median: number
  min: number
  max: number
  /** Measured on code that never changes (bare hypercore 9, the Map floor): the machine's movement. */
  bare: boolean
}

export interface Baseline {
  mode: string
  runs: number
  date: string
  node: string
  machine: string
  /** HEAD when saved, and the last commit that changed package code (what the figures measure). */
  commit: string
  packagesCommit: string
  /** 1-minute load averages when the run started and when it ended. */
  load: [number, number]
  figures: Record<string, Figure>
}

/** What the figures of one run were measured on. */
export function describeRun(mode: string, runs: number, loadAtStart: number): Omit<Baseline, 'figures'> {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim()
  return {
    mode,
    runs,
    date: new Date().toISOString(),
    node: process.version,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    commit: git('rev-parse', '--short', 'HEAD'),
    packagesCommit: git('log', '-1', '--format=%h', '--', 'packages'),
    load: [loadAtStart, loadavg()[0] as number],
  }
}

/** A figure from the values its runs measured. */
export function figureOf(values: number[], bare: boolean, median: number): Figure {
  return { median, min: Math.min(...values), max: Math.max(...values), bare }
}

/** Whether a figure is a time (a machine under load moves it), rather than a count or a size. */
// A get-hit figure is µs a call: its unit is in the table's header, not in its name.
const isTime = (name: string) => name.startsWith('get-hit ') || /µs|\bms\b|\bs\b|\/s\b/.test(name)

/**
 * Write `figures` to the baseline file. A run of some scenarios only (`--only`) replaces their
 * figures and keeps the others, so one file can be built from several runs.
 */
export function saveBaseline(run: Omit<Baseline, 'figures'>, figures: Map<string, Figure>, partial: boolean): void {
  const kept = partial && existsSync(BASELINE_FILE) ? readBaseline().figures : {}
  const merged = { ...kept, ...Object.fromEntries(figures) }
  const rounded = Object.fromEntries(
    Object.entries(merged).map(([name, f]) => [
      name,
      { median: round(f.median), min: round(f.min), max: round(f.max), bare: f.bare },
    ]),
  )
  writeFileSync(BASELINE_FILE, `${JSON.stringify({ ...run, figures: rounded }, null, 2)}\n`)
}

const round = (n: number) => (Number.isFinite(n) ? Number(n.toPrecision(4)) : n)

export function readBaseline(): Baseline {
  return JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as Baseline
}

/** Print every figure of this run beside the baseline's, and mark what moved beyond the noise. */
export function compareWithBaseline(run: Omit<Baseline, 'figures'>, figures: Map<string, Figure>): void {
  if (!existsSync(BASELINE_FILE)) {
    console.log(`\nno baseline to compare with (${BASELINE_FILE}): save one with --save`)
    return
  }
  const base = readBaseline()
  console.log(`\ncompared with the baseline of ${base.date.slice(0, 10)} (${base.mode}, median of ${base.runs},`)
  console.log(
    `commit ${base.commit}, packages at ${base.packagesCommit}, load ${base.load.join(' → ')}); now: ${run.mode}, ` +
      `commit ${run.commit}, packages at ${run.packagesCommit}, load ${run.load.join(' → ')}`,
  )
  if (base.mode !== run.mode) console.log(`(the baseline is a ${base.mode} run: only the figures both have compare)`)
  const { band, bareRatios, judged } = judge(base, figures)
  console.log(
    bareRatios > 0
      ? `the machine: the ${bareRatios} bare time figures moved by ${fmt(band[0] * 1.1, 2)}–${fmt(band[1] / 1.1, 2)}× (band with 10 %: ${fmt(band[0], 2)}–${fmt(band[1], 2)}×)`
      : 'no bare figure measured in both runs: only the run-to-run spread decides',
  )
  const rows: string[][] = [['figure', 'baseline (runs)', 'now (runs)', 'now/baseline', 'moved']]
  const moved: string[] = []
  for (const { name, before, now, ratio, verdict } of judged) {
    if (verdict) moved.push(`${name}: ${fmt(before.median, 3)} → ${fmt(now.median, 3)} (${fmt(ratio, 2)}×, ${verdict})`)
    rows.push([name, spread(before), spread(now), `${fmt(ratio, 2)}×`, verdict])
  }
  console.log(table(rows))
  console.log(
    moved.length
      ? `\nmoved beyond the noise:\n${moved.map((m) => `- ${m}`).join('\n')}`
      : '\nnothing moved beyond the noise',
  )
}

const spread = (f: Figure) =>
  f.min === f.max ? fmt(f.median, 3) : `${fmt(f.median, 3)} (${fmt(f.min, 3)}–${fmt(f.max, 3)})`

export interface Judged {
  name: string
  before: Figure
  now: Figure
  ratio: number
  /** 'higher' or 'lower' when the figure moved beyond the noise, else ''. */
  verdict: '' | 'higher' | 'lower'
}

/**
 * Every figure both runs have, with whether it moved beyond the noise: the two runs' ranges do not
 * overlap and, for a time of ours or 5.8.2's, the ratio lies outside the band the bare time figures
 * moved by (widened by 10 %). Bare figures are judged on their ranges alone: they show the machine.
 */
export function judge(
  base: Pick<Baseline, 'figures'>,
  figures: Map<string, Figure>,
): { band: readonly [number, number]; bareRatios: number; judged: Judged[] } {
  const ratios: number[] = []
  for (const [name, f] of figures) {
    const b = base.figures[name]
    if (f.bare && b && isTime(name) && b.median > 0 && f.median > 0) ratios.push(f.median / b.median)
  }
  const lo = ratios.length ? Math.min(...ratios) : 1
  const hi = ratios.length ? Math.max(...ratios) : 1
  const band = [lo / 1.1, hi * 1.1] as const
  const judged: Judged[] = []
  for (const [name, now] of figures) {
    const before = base.figures[name]
    if (!before) continue
    const ratio = before.median !== 0 ? now.median / before.median : now.median === 0 ? 1 : Number.POSITIVE_INFINITY
    const apart = now.min > before.max || now.max < before.min
    const beyondMachine = !isTime(name) || now.bare || ratio < band[0] || ratio > band[1]
    const verdict = apart && beyondMachine && ratio !== 1 ? (ratio > 1 ? 'higher' : 'lower') : ''
    judged.push({ name, before, now, ratio, verdict })
  }
  return { band, bareRatios: ratios.length, judged }
}
