import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { engine, type Hypercore, type ProtocolStream } from '@corestore/engine'

export { engine }

export async function tmpDir(t: TestContext, prefix = 'corestore-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
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

/** Read blocks `0..length-1`, waiting for replication; fails after `ms`. */
export async function download(core: Hypercore, length: number, ms = 10_000): Promise<string[]> {
  await engine.ready(core)
  const out: string[] = []
  for (let i = 0; i < length; i++) out.push((await engine.get(core, i, { timeout: ms })).toString())
  return out
}

/** Pipe two replication streams together; tearing one down is the expected end, not a failure. */
export function link(a: ProtocolStream, b: ProtocolStream): void {
  a.on('error', () => {})
  b.on('error', () => {})
  a.pipe(b).pipe(a)
}
