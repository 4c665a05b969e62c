import type { Hypercore } from '@corestore/engine'
import { engine } from '@corestore/engine'

export {
  appendAll,
  closedEvent,
  link,
  openFds,
  readAll,
  sampling,
  tmpDir,
  within,
} from '@corestore/test-helpers'
export { engine }

/** Read blocks `0..length-1`, waiting for replication; fails after `ms`. */
export async function download(core: Hypercore, length: number, ms = 10_000): Promise<string[]> {
  await engine.ready(core)
  const out: string[] = []
  for (let i = 0; i < length; i++) out.push((await engine.get(core, i, { timeout: ms })).toString())
  return out
}
