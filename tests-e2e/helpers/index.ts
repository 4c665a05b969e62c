import type { Hypercore } from '@corestore/engine'
import { engine } from '../../packages/core/test/helpers.ts'

// The same store-level helpers as @corestore/core's own tests.
export {
  appendAll,
  closedEvent,
  engine,
  link,
  openFds,
  readAll,
  sampling,
  tmpDir,
  within,
} from '../../packages/core/test/helpers.ts'

/** Read blocks `0..length-1`, waiting for replication; fails after `ms`. */
export async function download(core: Hypercore, length: number, ms = 10_000): Promise<string[]> {
  await engine.ready(core)
  const out: string[] = []
  for (let i = 0; i < length; i++) out.push((await engine.get(core, i, { timeout: ms })).toString())
  return out
}
