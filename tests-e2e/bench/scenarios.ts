import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CorestoreOptions } from '@corestore/core'
import { type CallbackHypercore, createProtocolStream, randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { link } from '@corestore/test-helpers'
import { bareCore, type Impl, openStore, type StoreLike } from './impls.ts'

/** One measurement: `ms` for `ops` operations of the scenario, plus figures of its own. */
export interface Result {
  ms: number
  ops: number
  extra?: Record<string, number>
}

type Scenario = (impl: Impl, size: number) => Promise<Result>

export const now = (): number => performance.now()
export const ready = (cores: CallbackHypercore[]) => Promise.all(cores.map(engine.ready))

export async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'corestore-bench-'))
  try {
    return await fn(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function store(
  impl: Impl,
  storage: string | typeof randomAccessMemory,
  opts: CorestoreOptions = {},
): Promise<StoreLike> {
  const s = openStore(impl as Exclude<Impl, 'bare'>, storage, opts)
  await s.ready()
  return s
}

/** Resolve when `copies` have downloaded `blocks` blocks in all. */
export function downloaded(copies: CallbackHypercore[], blocks: number): Promise<void> {
  return new Promise((resolve) => {
    let count = copies.reduce((n, c) => n + (c.length > 0 ? countHave(c) : 0), 0)
    if (count >= blocks) return resolve()
    for (const c of copies) {
      c.on('download', () => {
        if (++count === blocks) resolve()
      })
    }
  })
}

function countHave(core: CallbackHypercore): number {
  let n = 0
  for (let i = 0; i < core.length; i++) if (core.has(i)) n++
  return n
}

export const BLOCK = Buffer.alloc(1024, 0x61)
const BLOCKS_PER_CORE = 10

async function fill(cores: CallbackHypercore[]): Promise<void> {
  await ready(cores)
  for (const core of cores)
    await engine.append(
      core,
      Array.from({ length: BLOCKS_PER_CORE }, () => BLOCK),
    )
}

export async function closeAll(cores: CallbackHypercore[]): Promise<void> {
  await Promise.all(cores.map(engine.close))
}

export const scenarios: Record<string, Scenario> = {
  /** Open `n` new cores in memory and wait until every one is ready. */
  async 'open-ram'(impl, n) {
    if (impl === 'bare') {
      const t = now()
      const cores = Array.from({ length: n }, () => bareCore(randomAccessMemory))
      await ready(cores)
      const ms = now() - t
      await closeAll(cores)
      return { ms, ops: n }
    }
    const s = await store(impl, randomAccessMemory)
    const t = now()
    const cores = Array.from({ length: n }, () => s.get())
    await ready(cores)
    const ms = now() - t
    await s.close()
    return { ms, ops: n }
  },

  /** Open `n` new cores in a directory. */
  async 'open-disk'(impl, n) {
    return withDir(async (dir) => {
      if (impl === 'bare') {
        const t = now()
        const cores = Array.from({ length: n }, (_, i) => bareCore(join(dir, String(i))))
        await ready(cores)
        const ms = now() - t
        await closeAll(cores)
        return { ms, ops: n }
      }
      const s = await store(impl, dir)
      const t = now()
      await ready(Array.from({ length: n }, () => s.get()))
      const ms = now() - t
      await s.close()
      return { ms, ops: n }
    })
  },

  /** Reopen `n` stored cores by key after a restart. */
  async 'reopen-disk'(impl, n) {
    return withDir(async (dir) => {
      if (impl === 'bare') {
        const first = Array.from({ length: n }, (_, i) => bareCore(join(dir, String(i))))
        await ready(first)
        const keys = first.map((c) => c.key as Buffer)
        await closeAll(first)
        const t = now()
        const cores = keys.map((key, i) => bareCore(join(dir, String(i)), key))
        await ready(cores)
        const ms = now() - t
        await closeAll(cores)
        return { ms, ops: n }
      }
      const first = await store(impl, dir)
      const made = Array.from({ length: n }, () => first.get())
      await ready(made)
      const keys = made.map((c) => c.key as Buffer)
      await first.close()
      const t = now()
      const s = await store(impl, dir)
      await ready(keys.map((key) => s.get({ key })))
      const ms = now() - t
      await s.close()
      return { ms, ops: n }
    })
  },

  /** Close a store holding `n` open cores (bare: close `n` cores). */
  async close(impl, n) {
    return withDir(async (dir) => {
      if (impl === 'bare') {
        const cores = Array.from({ length: n }, (_, i) => bareCore(join(dir, String(i))))
        await ready(cores)
        const t = now()
        await closeAll(cores)
        return { ms: now() - t, ops: n }
      }
      const s = await store(impl, dir)
      await ready(Array.from({ length: n }, () => s.get()))
      const t = now()
      await s.close()
      return { ms: now() - t, ops: n }
    })
  },

  /** Replicate `k` cores of 10 × 1 KiB blocks over one stream pair, in memory. */
  async replicate(impl, k) {
    const blocks = k * BLOCKS_PER_CORE
    if (impl === 'bare') {
      const sources = Array.from({ length: k }, () => bareCore(randomAccessMemory))
      await fill(sources)
      const copies = sources.map((c) => bareCore(randomAccessMemory, c.key))
      await ready(copies)
      const t = now()
      const a = createProtocolStream(true, { live: true })
      const b = createProtocolStream(false, { live: true })
      for (const c of sources) c.replicate(true, { stream: a, live: true })
      for (const c of copies) c.replicate(false, { stream: b, live: true })
      const done = downloaded(copies, blocks)
      link(a, b)
      await done
      const ms = now() - t
      a.destroy()
      await closeAll([...sources, ...copies])
      return { ms, ops: blocks }
    }
    const owner = await store(impl, randomAccessMemory)
    const reader = await store(impl, randomAccessMemory)
    const sources = Array.from({ length: k }, () => owner.get())
    await fill(sources)
    const copies = sources.map((c) => reader.get({ key: c.key }))
    await ready(copies)
    const t = now()
    const a = owner.replicate(true, { live: true })
    const b = reader.replicate(false, { live: true })
    const done = downloaded(copies, blocks)
    link(a, b)
    await done
    const ms = now() - t
    await Promise.all([owner.close(), reader.close()])
    return { ms, ops: blocks }
  },

  /** A peer pulls `k` cores the owner has only on disk; the owner starts with nothing open. */
  async passive(impl, k) {
    return withDir(async (dir) => {
      const blocks = k * BLOCKS_PER_CORE
      let keys: Buffer[]
      if (impl === 'bare') {
        const made = Array.from({ length: k }, (_, i) => bareCore(join(dir, String(i))))
        await fill(made)
        keys = made.map((c) => c.key as Buffer)
        await closeAll(made)
      } else {
        const first = await store(impl, dir)
        const made = Array.from({ length: k }, () => first.get())
        await fill(made)
        keys = made.map((c) => c.key as Buffer)
        await first.close()
      }
      const reader = await store(impl === 'bare' ? 'ours' : impl, randomAccessMemory)
      const copies = keys.map((key) => reader.get({ key }))
      await ready(copies)

      const t = now()
      const done = downloaded(copies, blocks)
      const b = reader.replicate(false, { live: true })
      let close: () => Promise<void>
      if (impl === 'bare') {
        // The floor: open every core from disk up front and replicate them all.
        const a = createProtocolStream(true, { live: true })
        const owned = keys.map((key, i) => bareCore(join(dir, String(i)), key))
        for (const c of owned) c.replicate(true, { stream: a, live: true })
        link(a, b)
        close = () => closeAll(owned)
      } else {
        const owner = await store(impl, dir)
        link(owner.replicate(true, { live: true }), b)
        close = () => owner.close()
      }
      await done
      const ms = now() - t
      await close()
      await reader.close()
      return { ms, ops: k }
    })
  },

  /** RSS and heap per open core: `n` cores opened in memory, measured after a full GC. */
  async memory(impl, n) {
    const measure = memoryAfterGc
    let s: StoreLike | null = null
    if (impl !== 'bare') s = await store(impl, randomAccessMemory)
    const before = measure()
    const t = now()
    const cores = Array.from({ length: n }, () => (s ? s.get() : bareCore(randomAccessMemory)))
    await ready(cores)
    const ms = now() - t
    const after = measure()
    const extra = {
      'RSS KiB/core': (after.rss - before.rss) / 1024 / n,
      'heap KiB/core': (after.heap - before.heap) / 1024 / n,
    }
    if (s) await s.close()
    else await closeAll(cores)
    return { ms, ops: n, extra }
  },
}

/** RSS and heap in use after two full collections (the process must run with --expose-gc). */
export function memoryAfterGc(): { rss: number; heap: number } {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run with --expose-gc')
  gc()
  gc()
  const m = process.memoryUsage()
  return { rss: m.rss, heap: m.heapUsed }
}
