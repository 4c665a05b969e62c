import type { EventEmitter } from 'node:events'

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

/** Poll `check` until it holds, or fail naming `what` after `ms`: for a state no event announces. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Resolve once `core` has closed (at once if it already has). */
export function closedEvent(core: EventEmitter & { readonly closed: boolean }): Promise<void> {
  return core.closed ? Promise.resolve() : new Promise((resolve) => core.once('close', () => resolve()))
}
