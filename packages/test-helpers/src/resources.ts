import { readdirSync, readlinkSync } from 'node:fs'
import { readdir } from 'node:fs/promises'

/** File descriptors this process holds (Linux). */
export async function openFds(): Promise<number> {
  return (await readdir('/proc/self/fd')).length
}

/** Descriptors this process holds on files below `dir` (Linux); synchronous, so a timer can sample it. */
export function openBelow(dir: string): number {
  let n = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir)) n++
    } catch {
      // Closed while listing.
    }
  }
  return n
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
