import { Corestore, createMemoryStorage } from '@corestore/core'
import type { CallbackHypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { link } from '@corestore/test-helpers'
import type { StoreLike } from './stores.ts'
import { blockOf, type Trial } from './trial.ts'

/** What a program does to a store before the power goes: small, so a trial takes tens of milliseconds. */
export interface Scenario {
  readonly name: string
  /** It runs on corestore 5.8.2 too (5.8.2 has no purge). */
  readonly legacy: boolean
  run(t: Trial): Promise<void>
}

function scenario(name: string, run: Scenario['run'], opts: { legacy?: boolean } = {}): Scenario {
  return { name, legacy: opts.legacy ?? true, run }
}

const creation = scenario('creation', async (t) => {
  const main = await t.open()
  await t.append(main)
})

const cores = scenario('cores', async (t) => {
  const main = await t.open()
  const named = t.named('named')
  const ns = t.namespaceDefault('ns')
  for (let round = 0; round < 3; round++) {
    for (const c of [main, named, ns]) await t.append(c)
  }
})

const oneAtATime = scenario('one at a time', async (t) => {
  const main = await t.open()
  for (let i = 0; i < 12; i++) await t.append(main)
})

const batched = scenario('batched', async (t) => {
  const main = await t.open()
  for (const n of [3, 5, 2, 4]) await t.append(main, n)
})

const concurrent = scenario('concurrent', async (t) => {
  const main = await t.open()
  const named = t.named('named')
  for (const n of [8, 4]) {
    const appends: Promise<void>[] = []
    for (let i = 0; i < n; i++) appends.push(t.append(i % 2 ? named : main))
    await Promise.all(appends)
  }
})

const purge = scenario(
  'purge',
  async (t) => {
    const main = await t.open()
    const view = t.store.namespace('scratch')
    // Its acknowledged blocks are meant to go: after the crash it is gone or consistent.
    const doomed = t.track('doomed', view.default(), (s) => s.namespace('scratch').default(), { keepsAcks: false })
    await t.append(doomed, 3)
    await t.append(doomed)
    await view.close()
    if (!t.store.purge) throw new Error('this store has no purge()')
    const purged = t.store.purge(doomed.core.key as Buffer)
    for (let i = 0; i < 4; i++) await t.append(main)
    await purged
  },
  { legacy: false },
)

const REMOTE_BLOCKS = 60
let writer: Promise<{ store: Corestore; key: Buffer }> | null = null

/** The store the replicated scenario downloads from: in memory, it never loses power. One per process. */
function remoteWriter(): Promise<{ store: Corestore; key: Buffer }> {
  writer ??= (async () => {
    const store = new Corestore(createMemoryStorage())
    await store.ready()
    const core = store.default()
    await engine.ready(core)
    const blocks = Array.from({ length: REMOTE_BLOCKS }, (_, i) => blockOf('remote', i))
    await engine.append(core, blocks)
    return { store, key: core.key as Buffer }
  })()
  return writer
}

/** Close the replicated scenario's writer, once every trial is done. */
export async function closeRemoteWriter(): Promise<void> {
  const w = await writer
  writer = null
  await w?.store.close()
}

/** A replication between two stores, with its stream pair. */
export interface Replication {
  /** Rejects once either stream has closed: a peer gave up (bad data, a timeout), or `stop()` was called. */
  readonly closed: Promise<never>
  /** End both streams. */
  stop(): void
}

/** Replicate `store` with `source` over one stream pair. */
export function replicateFrom(store: StoreLike, source: StoreLike): Replication {
  const ours = store.replicate(true)
  const theirs = source.replicate(false)
  link(ours, theirs)
  const closed = new Promise<never>((_, reject) => {
    const onclose = () => reject(new Error('the replication stream closed'))
    ours.once('close', onclose)
    theirs.once('close', onclose)
  })
  closed.catch(() => {})
  return {
    closed,
    stop() {
      ours.destroy()
      theirs.destroy()
    },
  }
}

/** Download blocks `[0, end)` of `core` over `replication`; rejects if its streams close first. */
export const download = (core: CallbackHypercore, end: number, replication: Replication) =>
  Promise.race([engine.call((cb) => core.download({ start: 0, end }, cb)), replication.closed])

const replicated = scenario('replicated', async (t) => {
  const { store: source, key } = await remoteWriter()
  await t.open()
  const remote = t.track('remote', t.store.get({ key }), (s) => s.get({ key }), {
    writable: false,
    source,
    issued: REMOTE_BLOCKS,
  })
  await engine.ready(remote.core)
  const replication = replicateFrom(t.store, source)
  t.defer(replication.stop)
  await download(remote.core, REMOTE_BLOCKS, replication)
})

export const SCENARIOS: readonly Scenario[] = [creation, cores, oneAtATime, batched, concurrent, purge, replicated]
