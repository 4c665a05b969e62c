// What `durable: true` costs, and how many syncs each commit makes.
//
// append-one, append-10, append-all: 1 KiB blocks appended to one core of a directory store — one
// awaited at a time, in awaited batches of 10, or every append called at once and then awaited
// together (hypercore's batcher merges the calls that arrive while a write is under way).
// download: a reader on disk pulls one core of 1 KiB blocks from a writer in memory over one
// replication stream pair.
//
// Impls: bare (hypercore 9 alone, which never syncs: the floor), legacy (corestore 5.8.2, no
// durable option), ours (the default, durable: false) and ours-durable (durable: true).
//
// A COMMIT is one write of hypercore's that the durable store acknowledges only once it is synced:
// for an append, one `_append` batch, which hypercore ends with exactly one 'append' event (so the
// commits are the 'append' events seen during the timed part: 1,000 one at a time, 100 in batches of
// 10, however many batches the batcher made of the calls made at once); for a download, one block
// written (one 'download' event). SYNCS are every fdatasync and fsync the process makes meanwhile
// (the journal's, the folders', the core's files'), counted by wrapping node:fs.

import { open } from 'node:fs/promises'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { join } from 'node:path'
import {
  type CallbackHypercore,
  createProtocolStream,
  type ProtocolStream,
  randomAccessMemory,
} from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { link } from '@corestore/test-helpers'
import { fmt, ratio, table } from './format.ts'
import { bareCore, type Impl } from './impls.ts'
import { BLOCK, downloaded, now, type Result, store, withDir } from './scenarios.ts'

export type DurabilityImpl = Impl | 'ours-durable'
export const DURABILITY_IMPLS: DurabilityImpl[] = ['bare', 'legacy', 'ours', 'ours-durable']

/** Block counts per scenario group. */
export interface DurabilityPlan {
  append: number[]
  download: number[]
}

const blocks = (n: number) => Array.from({ length: n }, () => BLOCK)

/** How each append mode writes `n` blocks to `core`. */
const APPEND_MODES = {
  one: {
    label: 'one at a time',
    async write(core: CallbackHypercore, n: number) {
      for (let i = 0; i < n; i++) await engine.append(core, BLOCK)
    },
  },
  batch: {
    label: 'batches of 10',
    async write(core: CallbackHypercore, n: number) {
      for (let i = 0; i < n; i += 10) await engine.append(core, blocks(Math.min(10, n - i)))
    },
  },
  all: {
    label: 'all at once',
    async write(core: CallbackHypercore, n: number) {
      await Promise.all(Array.from({ length: n }, () => engine.append(core, BLOCK)))
    },
  },
} as const

type AppendMode = keyof typeof APPEND_MODES
const appendScenario = (mode: AppendMode) => `append-${mode}`

const fs = createRequire(import.meta.url)('node:fs') as Record<string, unknown>

/**
 * Count every fdatasync and fsync of this process (callbacks, their Sync forms, and FileHandle's
 * sync and datasync) until restored. ESM named imports of node:fs see the wrappers through
 * `syncBuiltinESMExports`, as packages/core/test/durable.test.ts records them.
 */
async function countSyncs(): Promise<{ readonly count: number; restore(): void }> {
  const handle = await open(process.execPath, 'r')
  const fileHandle = Object.getPrototypeOf(handle) as Record<string, unknown>
  await handle.close()
  const originals: [Record<string, unknown>, string, unknown][] = []
  let count = 0
  const wrap = (target: Record<string, unknown>, name: string) => {
    const real = target[name] as (...args: unknown[]) => unknown
    originals.push([target, name, real])
    target[name] = function (this: unknown, ...args: unknown[]) {
      count++
      return real.apply(this, args)
    }
  }
  for (const name of ['fdatasync', 'fsync', 'fdatasyncSync', 'fsyncSync']) wrap(fs, name)
  for (const name of ['sync', 'datasync']) wrap(fileHandle, name)
  syncBuiltinESMExports()
  return {
    get count() {
      return count
    },
    restore() {
      for (const [target, name, real] of originals) target[name] = real
      syncBuiltinESMExports()
    },
  }
}

interface Opened {
  core: CallbackHypercore
  /** The reader's end of a replication stream pair (the core replicates on it). */
  replicate(): ProtocolStream
  close(): Promise<void>
}

/** One core of `impl` in `dir`: a new writable one, or a copy of `key`. */
async function openCore(impl: DurabilityImpl, dir: string, key?: Buffer): Promise<Opened> {
  if (impl === 'bare') {
    const core = bareCore(join(dir, 'core'), key ?? null)
    await engine.ready(core)
    return {
      core,
      replicate() {
        const stream = createProtocolStream(false, { live: true })
        core.replicate(false, { stream, live: true })
        return stream
      },
      close: () => engine.close(core),
    }
  }
  const s = await store(impl === 'legacy' ? 'legacy' : 'ours', dir, { durable: impl === 'ours-durable' })
  const core = key ? s.get({ key }) : s.default()
  await engine.ready(core)
  return { core, replicate: () => s.replicate(false, { live: true }), close: () => s.close() }
}

/** Run `timed` counting syncs; then close, timed and counted apart (closing a core syncs what it wrote). */
async function measured(opened: Opened, ops: number, timed: () => Promise<void>): Promise<Result> {
  const syncs = await countSyncs()
  try {
    const t = now()
    await timed()
    const ms = now() - t
    const during = syncs.count
    const c = now()
    await opened.close()
    const closeMs = now() - c
    return { ms, ops, extra: { syncs: during, 'close ms': closeMs, 'close syncs': syncs.count - during } }
  } finally {
    syncs.restore()
  }
}

async function append(mode: AppendMode, impl: DurabilityImpl, n: number): Promise<Result> {
  return withDir(async (dir) => {
    const opened = await openCore(impl, dir)
    let commits = 0
    opened.core.on('append', () => commits++)
    const result = await measured(opened, n, () => APPEND_MODES[mode].write(opened.core, n))
    if (opened.core.length !== n) throw new Error(`${n} blocks appended, the core has ${opened.core.length}`)
    return { ...result, extra: { ...result.extra, commits } }
  })
}

async function download(impl: DurabilityImpl, n: number): Promise<Result> {
  return withDir(async (dir) => {
    const writer = await store('ours', randomAccessMemory)
    const source = writer.default()
    await engine.ready(source)
    for (let i = 0; i < n; i += 100) await engine.append(source, blocks(Math.min(100, n - i)))
    const reader = await openCore(impl, dir, source.key as Buffer)
    const a = writer.replicate(true, { live: true })
    const result = await measured(reader, n, async () => {
      const done = downloaded([reader.core], n)
      link(a, reader.replicate())
      await done
    })
    a.destroy()
    await writer.close()
    return { ...result, extra: { ...result.extra, commits: n } }
  })
}

type DurabilityScenario = (impl: DurabilityImpl, n: number) => Promise<Result>

export const durability: Record<string, DurabilityScenario> = {
  ...Object.fromEntries(
    (Object.keys(APPEND_MODES) as AppendMode[]).map((mode) => [
      appendScenario(mode),
      (impl: DurabilityImpl, n: number) => append(mode, impl, n),
    ]),
  ),
  download,
}

/** Whether `--only` selects the scenario: by its own name, or `append` for every append mode. */
const selected = (only: Set<string> | null, scenario: string) =>
  !only || only.has(scenario) || (scenario.startsWith('append-') && only.has('append'))

/** Every measurement of the plan, in the order the tables print them. */
export function durabilityJobs(plan: DurabilityPlan, only: Set<string> | null): [string, DurabilityImpl, number][] {
  const jobs: [string, DurabilityImpl, number][] = []
  const add = (scenario: string, sizes: number[]) => {
    if (!selected(only, scenario)) return
    for (const n of sizes) for (const impl of DURABILITY_IMPLS) jobs.push([scenario, impl, n])
  }
  for (const mode of Object.keys(APPEND_MODES) as AppendMode[]) add(appendScenario(mode), plan.append)
  add('download', plan.download)
  return jobs
}

const count = (n: number) => String(Math.round(n))

type Measure = (scenario: string, impl: DurabilityImpl, size: number) => Promise<Result>

const HEAD = ['hypercore 9 ms', 'corestore 5.8.2 ms', 'ours ms', 'durable ms', 'ours blocks/s', 'durable blocks/s']
const RATIOS = ['durable/non-durable', 'ours/bare', 'ours/5.8.2']
const SYNC_HEAD = ['ours commits', 'syncs', 'per commit', 'durable commits', 'syncs', 'per commit']
const CLOSE_HEAD = ['close ms: bare', '5.8.2', 'ours', 'durable', 'close syncs: ours', 'durable']

/** The time, ratio and sync cells of one row: the four impls' medians for one scenario and size. */
function cells(r: Record<DurabilityImpl, Result>): { time: string[]; syncs: string[]; close: string[] } {
  const e = (impl: DurabilityImpl, key: string) => r[impl].extra?.[key] ?? 0
  const perSecond = (impl: DurabilityImpl) => fmt((r[impl].ops / r[impl].ms) * 1000, 0)
  const perCommit = (impl: DurabilityImpl) => fmt(e(impl, 'syncs') / Math.max(1, e(impl, 'commits')), 3)
  const commitsAndSyncs = (impl: DurabilityImpl) => [
    count(e(impl, 'commits')),
    count(e(impl, 'syncs')),
    perCommit(impl),
  ]
  return {
    time: [
      ...DURABILITY_IMPLS.map((impl) => fmt(r[impl].ms)),
      perSecond('ours'),
      perSecond('ours-durable'),
      ratio(r['ours-durable'].ms, r.ours.ms),
      ratio(r.ours.ms, r.bare.ms),
      ratio(r.ours.ms, r.legacy.ms),
    ],
    syncs: [...commitsAndSyncs('ours'), ...commitsAndSyncs('ours-durable')],
    close: [
      ...DURABILITY_IMPLS.map((impl) => fmt(e(impl, 'close ms'))),
      count(e('ours', 'close syncs')),
      count(e('ours-durable', 'close syncs')),
    ],
  }
}

/** Measure the plan's durability scenarios and print their tables. */
export async function printDurability(plan: DurabilityPlan, only: Set<string> | null, measure: Measure) {
  const results = new Map<string, Record<DurabilityImpl, Result>>()
  for (const [scenario, impl, n] of durabilityJobs(plan, only)) {
    const key = `${scenario} ${n}`
    const row = results.get(key) ?? ({} as Record<DurabilityImpl, Result>)
    row[impl] = await measure(scenario, impl, n)
    results.set(key, row)
  }
  if (results.size === 0) return
  const time = [['mode', 'blocks', ...HEAD, ...RATIOS]]
  const syncs = [['mode', 'blocks', ...SYNC_HEAD]]
  const close = [['mode', 'blocks', ...CLOSE_HEAD]]
  const downloads = [['blocks', ...HEAD, ...RATIOS, 'ours syncs/block', 'durable syncs/block']]
  for (const [key, r] of results) {
    const [scenario, n] = key.split(' ') as [string, string]
    const c = cells(r)
    if (scenario === 'download') {
      downloads.push([n, ...c.time, c.syncs[2] as string, c.syncs[5] as string])
      continue
    }
    const label = APPEND_MODES[scenario.slice('append-'.length) as AppendMode].label
    time.push([label, n, ...c.time])
    syncs.push([label, n, ...c.syncs])
    close.push([label, n, ...c.close])
  }
  if (time.length > 1) {
    console.log('\nappend: 1 KiB blocks to one core of a directory store (durable: ours with durable: true):')
    console.log(table(time))
    console.log(
      "\nsyncs per commit (a commit: one hypercore append batch, one 'append' event; syncs: fdatasync + fsync):",
    )
    console.log(table(syncs))
    console.log('\nclosing the store (or the bare core) after the appends, outside the timed part:')
    console.log(table(close))
  }
  if (downloads.length > 1) {
    console.log('\ndownload: a reader on disk pulls one core of 1 KiB blocks from a writer in memory, one stream pair')
    console.log('(syncs per block: fdatasync + fsync while downloading, divided by the blocks):')
    console.log(table(downloads))
  }
}
