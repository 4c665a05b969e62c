import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { Corestore, type CorestoreOptions } from '@corestore/core'
import { engine, type Hypercore, type ProtocolStream, randomAccessMemory } from '@corestore/engine'

export { engine }

/** A fresh temporary directory, removed when the test ends. */
export async function tmpDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'corestore-core-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** A ready store in memory, closed when the test ends. */
export async function memoryStore(t: TestContext, opts?: CorestoreOptions): Promise<Corestore> {
  const store = new Corestore(randomAccessMemory, opts)
  await store.ready()
  t.after(() => store.close())
  return store
}

/** A ready store in a temporary directory (or `dir`), closed when the test ends. */
export async function diskStore(t: TestContext, dir?: string, opts?: CorestoreOptions): Promise<Corestore> {
  const store = new Corestore(dir ?? (await tmpDir(t)), opts)
  await store.ready()
  t.after(() => store.close())
  return store
}

export async function appendAll(core: Hypercore, blocks: string[]): Promise<void> {
  await engine.ready(core)
  await engine.append(
    core,
    blocks.map((b) => Buffer.from(b)),
  )
}

export async function readAll(core: Hypercore): Promise<string[]> {
  await engine.ready(core)
  const out: string[] = []
  for (let i = 0; i < core.length; i++) out.push((await engine.get(core, i)).toString())
  return out
}

/** Pipe two replication streams together; tearing one down is the expected end, not a failure. */
export function link(a: ProtocolStream, b: ProtocolStream): void {
  a.on('error', () => {})
  b.on('error', () => {})
  a.pipe(b).pipe(a)
}

/** Resolve once `core` has `length` blocks locally (waiting on downloads). */
export async function waitForBlocks(core: Hypercore, length: number): Promise<void> {
  await engine.ready(core)
  for (let i = 0; i < length; i++) await engine.get(core, i)
}

/**
 * `promise`, or a failure naming `what` if it is still pending after `ms`. A guard so that a test
 * waiting for an event fails instead of hanging; never a check of how fast anything is.
 */
export async function within<T>(promise: Promise<T>, what: string, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting for ${what} after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, guard])
  } finally {
    clearTimeout(timer)
  }
}

/** Resolve once `core` has closed (at once if it already has). */
export function closedEvent(core: Hypercore): Promise<void> {
  return core.closed ? Promise.resolve() : new Promise((resolve) => core.once('close', () => resolve()))
}

/** File descriptors this process holds (Linux). */
export async function openFds(): Promise<number> {
  return (await readdir('/proc/self/fd')).length
}

/**
 * Run `sample` again and again, one call at a time, until the returned function is called; that
 * function resolves after a last sample. One at a time, so the samples themselves (a `readdir`
 * holds a descriptor) never pile up and inflate what they measure.
 */
export function sampling(sample: () => unknown): () => Promise<void> {
  let running = true
  const loop = (async () => {
    while (running) {
      await sample()
      await new Promise((r) => setTimeout(r, 2))
    }
    await sample()
  })()
  return async () => {
    running = false
    await loop
  }
}
