import type { CallbackHypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'

/** Append `blocks` (as text) to `core`, once it is ready; resolves with `core`. */
export async function appendAll<C extends CallbackHypercore>(core: C, blocks: string[]): Promise<C> {
  await engine.ready(core)
  await engine.append(
    core,
    blocks.map((b) => Buffer.from(b)),
  )
  return core
}

/**
 * Blocks `0..length-1` of `core` as text: every block it has when `length` is left out. A block not
 * here yet is waited for while it replicates, and fails after `ms`.
 */
export async function readAll(core: CallbackHypercore, length?: number, ms = 10_000): Promise<string[]> {
  await engine.ready(core)
  const out: string[] = []
  const end = length ?? core.length
  for (let i = 0; i < end; i++) out.push((await engine.get(core, i, { timeout: ms })).toString())
  return out
}
