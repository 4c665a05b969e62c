import type { CallbackHypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { within } from '@corestore/test-helpers'
import { download, replicateFrom } from './scenarios.ts'
import type { StoreLike } from './stores.ts'
import { blockOf, type TrackedCore, type Trial } from './trial.ts'

/** How long a reopened store or core may take to answer before it counts as hanging. */
const PATIENCE_MS = 10_000

/** One thing a user would see go wrong, with the core it happened to. */
export interface Finding {
  readonly label: string
  readonly message: string
  /** The core's files (for a core), to tell why. */
  readonly discoveryKey: Buffer | null
}

/** What the user sees after reopening the store on what the platter held. */
export interface Verdict {
  storeFailed: Finding | null
  coresFailed: Finding[]
  wrongBlocks: number
  wrong: Finding[]
  cannotAppend: Finding[]
  /** Acknowledged blocks no longer there (a core that does not open has lost all of its). */
  ackLost: number
  keyReplaced: boolean
}

const messageOf = (err: unknown) => {
  const code = (err as { code?: unknown }).code
  return `${typeof code === 'string' ? `${code}: ` : ''}${(err as Error).message}`
}

/** Reopen the store with `open` and check every core `trial` made, as a user would. */
export async function check(trial: Trial, reopened: StoreLike): Promise<Verdict> {
  const v: Verdict = {
    storeFailed: null,
    coresFailed: [],
    wrongBlocks: 0,
    wrong: [],
    cannotAppend: [],
    ackLost: 0,
    keyReplaced: false,
  }
  reopened.on('error', () => {})
  try {
    await within(reopened.ready(), 'the store to open', PATIENCE_MS)
  } catch (err) {
    v.storeFailed = { label: 'store', message: messageOf(err), discoveryKey: null }
    for (const c of trial.cores) if (c.keepsAcks) v.ackLost += c.acked
    return v
  }
  try {
    if (trial.defaultKey && !reopened.default().key?.equals(trial.defaultKey)) v.keyReplaced = true
    for (const tracked of trial.cores) await checkCore(tracked, reopened, v)
  } finally {
    await within(reopened.close(), 'the store to close', PATIENCE_MS).catch(() => {})
  }
  return v
}

async function checkCore(tracked: TrackedCore, store: StoreLike, v: Verdict): Promise<void> {
  const core = tracked.reopen(store)
  core.on('error', () => {})
  const finding = (message: string): Finding => ({
    label: tracked.label,
    message,
    discoveryKey: core.discoveryKey ?? tracked.core.discoveryKey,
  })
  try {
    await within(engine.ready(core), `${tracked.label} to open`, PATIENCE_MS)
  } catch (err) {
    v.coresFailed.push(finding(messageOf(err)))
    if (tracked.keepsAcks) v.ackLost += tracked.acked
    return
  }
  const length = core.length
  if (tracked.keepsAcks) v.ackLost += Math.max(0, tracked.acked - length)
  if (length > tracked.issued) {
    v.wrongBlocks += length - tracked.issued
    v.wrong.push(finding(`length ${length}, but only ${tracked.issued} blocks were appended`))
  }
  // A replicated core holds some blocks below its length, not all: check those it says it has.
  const held = tracked.writable ? undefined : (i: number) => core.has(i)
  const bad = await wrongBlocks(core, tracked.label, Math.min(length, tracked.issued), held)
  v.wrongBlocks += bad.length
  if (bad.length) v.wrong.push(finding(`${bad.length} of ${length} blocks read back wrong, first: ${bad[0]}`))

  if (tracked.writable) {
    const failure = await appendOne(core, tracked.label)
    if (failure) v.cannotAppend.push(finding(failure))
  }
  if (tracked.source) {
    const replication = replicateFrom(store, tracked.source)
    try {
      await within(download(core, tracked.issued, replication), `${tracked.label} to download again`, PATIENCE_MS)
      const again = await wrongBlocks(core, tracked.label, tracked.issued)
      v.wrongBlocks += again.length
      if (again.length) v.wrong.push(finding(`downloaded again, ${again.length} blocks wrong, first: ${again[0]}`))
    } catch (err) {
      v.wrongBlocks += tracked.issued - core.downloaded(0, tracked.issued)
      v.wrong.push(finding(`downloading again: ${messageOf(err)}`))
    } finally {
      replication.stop()
    }
  }
}

/** The blocks below `end` (those `held` says are there) that do not read back as appended: `index: why`. */
async function wrongBlocks(
  core: CallbackHypercore,
  label: string,
  end: number,
  held: (i: number) => boolean = () => true,
): Promise<string[]> {
  const bad: string[] = []
  for (let i = 0; i < end; i++) {
    if (!held(i)) continue
    try {
      const block = await within(engine.get(core, i, { wait: false }), `block ${i}`, PATIENCE_MS)
      if (!blockOf(label, i).equals(block))
        bad.push(`${i}: ${block.length} bytes, not the ${blockOf(label, i).length} appended`)
    } catch (err) {
      bad.push(`${i}: ${messageOf(err)}`)
    }
  }
  return bad
}

/** Why a writable core cannot take one more block and read it back; `null` when it can. */
async function appendOne(core: CallbackHypercore, label: string): Promise<string | null> {
  if (!core.writable) return 'not writable'
  const index = core.length
  try {
    await within(engine.append(core, blockOf(label, index)), 'an append', PATIENCE_MS)
    const block = await within(engine.get(core, index, { wait: false }), 'the appended block', PATIENCE_MS)
    return blockOf(label, index).equals(block) ? null : `block ${index} appended but read back wrong`
  } catch (err) {
    return `append at ${index}: ${messageOf(err)}`
  }
}
