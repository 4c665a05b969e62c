import type { CallbackHypercore } from './types.js'

type PutCallback = (err: Error | null) => void
type PutArgs = [index: number, data: Buffer | null, proof: unknown, from: unknown, cb: PutCallback | undefined]
type Put = (this: Feed, ...args: PutArgs) => void

/** On a core: the puts waiting for the one under way while it has no length yet; absent or null when none is. */
const WAITING = Symbol('puts waiting for the first')

interface Feed {
  [WAITING]?: PutArgs[] | null
  readonly length: number
}

/** hypercore 9's own `_putBuffer`, from the core's prototype (the core's own property is `firstPutsAlone`). */
function protoPut(feed: Feed): Put {
  return (Object.getPrototypeOf(feed) as { _putBuffer: Put })._putBuffer
}

/**
 * hypercore 9's `_putBuffer` (every downloaded block goes through it), except that while the core
 * has no length yet its puts go one at a time.
 *
 * hypercore 9 marks a block's tree nodes as verified only once all its writes are back
 * (`_writeDone`), and `_putBuffer` looks for a verified node to check a proof against when the block
 * arrives. A reader asks for 16 blocks of a new core at once and the writer answers them together:
 * put side by side, each was checked against the signed roots, its signature verified (ed25519) and
 * written, and its whole path to the roots written (swarm bench, R = 1: 1,600 signature checks and
 * writes for 100 cores instead of 100; 51,000 file writes instead of 43,000). Held back until the
 * first is written, they find its verified nodes and write only what is new. Once the core has a
 * length, the ones that waited and every later one go at once, as hypercore puts them: serializing
 * every put would write the bitfield once per block and sync once per block in durable mode.
 *
 * One function for every core, its state a property set only while a first put is under way.
 */
function firstPutsAlone(this: Feed, ...args: PutArgs): void {
  const waiting = this[WAITING]
  if (waiting) waiting.push(args)
  else if (this.length > 0) protoPut(this).apply(this, args)
  else {
    this[WAITING] = []
    putAlone(this, args)
  }
}

/** Put `args` while the others wait; when it is over, the next one alone if there is still no length, else all. */
function putAlone(feed: Feed, args: PutArgs): void {
  const put = protoPut(feed)
  const cb = args[4]
  let over = false
  const done = (): void => {
    over = true
    const waiting = feed[WAITING] ?? []
    if (feed.length === 0 && waiting.length > 0) {
      putAlone(feed, waiting.shift() as PutArgs)
      return
    }
    feed[WAITING] = null
    for (const next of waiting) put.apply(feed, next)
  }
  args[4] = (err) => {
    try {
      // `put()` without a callback: hypercore's success path never calls it, its failure path does
      // (and throws, as it would have).
      if (cb || err) (cb as PutCallback)(err)
    } finally {
      done()
    }
  }
  try {
    put.apply(feed, args)
  } catch (err) {
    // A put that throws before it calls back does not hold up the ones after it.
    if (!over) done()
    throw err
  }
}

/** Install `firstPutsAlone` on a core hypercore 9 just made: the same object, returned. */
export function withFirstPutsAlone<C extends CallbackHypercore<unknown>>(core: C): C {
  ;(core as unknown as { _putBuffer: Put })._putBuffer = firstPutsAlone
  return core
}
