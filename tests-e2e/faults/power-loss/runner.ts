import {
  CRASH_MODELS,
  type CrashModel,
  createSimulatedDisk,
  type SimulatedDisk,
  seeded,
  within,
} from '@corestore/test-helpers'
import { check, type Finding, type Verdict } from './check.ts'
import type { Scenario } from './scenarios.ts'
import type { Implementation } from './stores.ts'
import { Trial } from './trial.ts'

/** One row of the table: a scenario, under one model of what the platter keeps, in one mode. */
export interface Cell {
  readonly scenario: Scenario
  readonly model: CrashModel
  readonly durable: boolean
}

/** What the trials of one cell saw, summed. */
export interface Tally {
  /** Mutating operations of the scenario in the dry run: crash points are drawn from 1 to this. */
  operations: number
  trials: number
  /** Trials in which the store broke a promise of its mode (any failure counted below but acknowledged loss without `durable`). */
  failedTrials: number
  storesFailed: number
  coresFailed: number
  wrongBlocks: number
  cannotAppend: number
  ackLossTrials: number
  ackLostBlocks: number
  keysReplaced: number
  /** The scenario itself failed while the power was still on. */
  errors: number
  /** Each kind of failure, with how often it came and one example with the files' states. */
  readonly examples: Map<string, { count: number; example: string }>
}

export interface RunOptions {
  readonly impl: Implementation
  readonly trials: number
  readonly seed: number
}

/** Longer than any scenario takes on a disk that keeps its power: past this it hangs. */
const SCENARIO_MS = 10_000

const dryRuns = new Map<string, Promise<number>>()

/** Run `opts.trials` seeded trials of `cell`, each crashing at a point drawn from the dry run's operations. */
export async function runCell(cell: Cell, opts: RunOptions): Promise<Tally> {
  const mode = cell.durable ? 'durable' : 'non-durable'
  const dryKey = `${opts.impl.name}/${cell.scenario.name}/${mode}`
  if (!dryRuns.has(dryKey)) dryRuns.set(dryKey, dryRun(cell, opts))
  const operations = await (dryRuns.get(dryKey) as Promise<number>)
  const tally: Tally = {
    operations,
    trials: 0,
    failedTrials: 0,
    storesFailed: 0,
    coresFailed: 0,
    wrongBlocks: 0,
    cannotAppend: 0,
    ackLossTrials: 0,
    ackLostBlocks: 0,
    keysReplaced: 0,
    errors: 0,
    examples: new Map(),
  }
  for (let i = 0; i < opts.trials; i++) {
    const random = seeded(mix(`${opts.seed}/${dryKey}/${cell.model}/${i}`))
    const crashAt = 1 + Math.floor(random() * operations)
    const where = `trial ${i}, power lost at operation ${crashAt} of ${operations}`
    const disk = createSimulatedDisk({ random })
    disk.crashAfter(crashAt)
    const { trial, error } = await runUntilPowerLoss(cell, opts.impl, disk)
    const image = disk.image(cell.model, random)
    // Before the check: the reopened store writes to the image (headers, restored keys).
    const kept = new Map(image.files().map((file) => [file.path, file.current]))
    const verdict = await check(trial, opts.impl.open(image.storage, cell.durable))
    tally.trials++
    if (error) {
      tally.errors++
      note(tally, `scenario failed with the power on: ${error}`, where)
    }
    if (error || broken(verdict, cell.durable)) tally.failedTrials++
    add(tally, verdict, (f) => `${where}; ${describeFiles(f, disk, kept)}`)
  }
  return tally
}

/** Run the scenario once without a crash: how many mutating operations it issues. */
async function dryRun(cell: Cell, opts: RunOptions): Promise<number> {
  const disk = createSimulatedDisk({ random: seeded(opts.seed) })
  const { error } = await runUntilPowerLoss(cell, opts.impl, disk)
  if (error) throw new Error(`${cell.scenario.name} fails without any crash: ${error}`)
  return disk.log.length
}

/** Run the scenario on `disk` until it finishes or the power goes; then the power goes anyway. */
async function runUntilPowerLoss(cell: Cell, impl: Implementation, disk: SimulatedDisk) {
  const trial = new Trial(impl.open(disk.storage, cell.durable))
  let error: string | null = null
  const run = cell.scenario.run(trial).catch((err: Error) => {
    error = err.message
  })
  await within(Promise.race([run, disk.whenCrashed()]), cell.scenario.name, SCENARIO_MS).catch((err: Error) => {
    error = err.message
  })
  disk.crash()
  trial.cleanup()
  return { trial, error: error as string | null }
}

/** Whether the user sees a broken promise: consistency always, acknowledged appends with `durable`. */
function broken(v: Verdict, durable: boolean): boolean {
  const inconsistent = v.storeFailed || v.coresFailed.length || v.wrongBlocks || v.cannotAppend.length || v.keyReplaced
  return Boolean(inconsistent) || (durable && v.ackLost > 0)
}

/**
 * Every cell of `scenario` under every model, in each mode `opts.impl` has (5.8.2: non-durable only).
 * The rows come in the order of the table: model by model, non-durable first.
 */
export async function runScenario(scenario: Scenario, opts: RunOptions): Promise<[Cell, Tally][]> {
  const rows: [Cell, Tally][] = []
  for (const model of CRASH_MODELS) {
    for (const durable of opts.impl.durableOption ? [false, true] : [false]) {
      const cell = { scenario, model, durable }
      rows.push([cell, await runCell(cell, opts)])
    }
  }
  return rows
}

/** The promises a row's trials broke, one line each; none when every trial kept them. */
export function brokenPromises([cell, t]: readonly [Cell, Tally]): string[] {
  const where = `${cell.scenario.name}, ${cell.model}, ${cell.durable ? 'durable' : 'non-durable'}`
  const counts: [string, number][] = [
    ['scenario errors with the power on', t.errors],
    ['stores that fail to open', t.storesFailed],
    ['cores that fail to open', t.coresFailed],
    ['blocks read back wrong', t.wrongBlocks],
    ['writable cores that cannot append', t.cannotAppend],
    ['master keys replaced', t.keysReplaced],
  ]
  if (cell.durable) counts.push(['acknowledged blocks lost', t.ackLostBlocks])
  return counts.filter(([, n]) => n > 0).map(([what, n]) => `${where}: ${n} ${what} in ${t.trials} trials`)
}

function add(tally: Tally, v: Verdict, where: (f: Finding) => string): void {
  if (v.storeFailed) {
    tally.storesFailed++
    note(tally, `store does not open: ${v.storeFailed.message}`, where(v.storeFailed))
  }
  tally.coresFailed += v.coresFailed.length
  for (const f of v.coresFailed) note(tally, `${f.label} does not open: ${f.message}`, where(f))
  tally.wrongBlocks += v.wrongBlocks
  for (const f of v.wrong) note(tally, `${f.label}: ${f.message}`, where(f))
  tally.cannotAppend += v.cannotAppend.length
  for (const f of v.cannotAppend) note(tally, `${f.label} cannot append: ${f.message}`, where(f))
  if (v.ackLost > 0) tally.ackLossTrials++
  tally.ackLostBlocks += v.ackLost
  if (v.keyReplaced) tally.keysReplaced++
}

/** Count a failure under its kind (numbers folded, so `block 3` and `block 7` count as one kind). */
function note(tally: Tally, what: string, example: string): void {
  const kind = what.replace(/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\//g, '<core>/').replace(/\d+/g, '#')
  const seen = tally.examples.get(kind)
  if (seen) seen.count++
  else tally.examples.set(kind, { count: 1, example: `${what} (${example})` })
}

/**
 * The state of a core's files (or, for the store, of `master_key`): size synced / at the crash
 * (+ operations not synced) → size in the image as taken; `-` for a file that is not there.
 */
function describeFiles(f: Finding, crashed: SimulatedDisk, kept: ReadonlyMap<string, Buffer | null>): string {
  const dk = f.discoveryKey?.toString('hex')
  const prefix = dk ? `${dk.slice(0, 2)}/${dk.slice(2, 4)}/${dk}/` : 'master_key'
  const size = (b: Buffer | null | undefined) => (b ? String(b.length) : '-')
  const files = crashed.files().filter((file) => file.path.startsWith(prefix))
  if (!files.length) return 'no files'
  return files
    .map((file) => {
      const name = file.path.slice(prefix.length) || file.path
      return `${name} ${size(file.durable)}/${size(file.current)}+${file.unsynced.length}→${size(kept.get(file.path))}`
    })
    .join(', ')
}

/** A 32-bit seed from a string (FNV-1a), so each trial has its own replayable stream. */
function mix(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}
