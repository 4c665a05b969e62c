// How corestore 5.8.2 behaves on the fault suite's scenarios, for docs/reliability.md.
// Run: node --conditions=source --import tsx tests-e2e/faults/legacy-behaviour.ts
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { GetInput } from '@corestore/core'
import { createProtocolStream, type Hypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { link, openFds, snapshot, tmpDir } from '@corestore/test-helpers'
import { LegacyCorestore } from '../helpers/legacy.ts'

// Not a test: the temporary directories are removed at the end of the script.
const cleanups: (() => unknown)[] = []
const fresh = () => tmpDir({ after: (fn) => cleanups.push(fn) })
const files = async (dir: string) => (await snapshot(dir)).size
const report: [string, string][] = []
const say = (what: string, how: string) => {
  report.push([what, how])
  console.log(`${what}: ${how}`)
}
const describeError = (err: unknown) =>
  `${(err as Error).constructor?.name}${(err as { code?: string }).code ? ` (code ${(err as { code?: string }).code})` : ' (no code)'}: ${(err as Error).message}`

{
  const dir = await fresh()
  const s = new LegacyCorestore(dir)
  await s.ready()
  const core = s.default()
  await engine.ready(core)
  await s.close()
  await writeFile(join(dir, 'master_key'), Buffer.alloc(7, 1))
  const again = new LegacyCorestore(dir)
  await again.ready()
  const after = await readFile(join(dir, 'master_key'))
  const d = again.default()
  await engine.ready(d)
  say(
    'torn master_key (7 bytes)',
    `opens without error; master_key is now ${after.length} bytes of a new key; default() key ${d.key?.equals(core.key as Buffer) ? 'unchanged' : 'changed (the old writable cores are orphaned)'}`,
  )
  await again.close()
}

{
  const s = new LegacyCorestore(await fresh())
  await s.ready()
  for (const [label, input] of [
    ['get("zz")', 'zz'],
    ['get({ key: 31 bytes })', { key: Buffer.alloc(31) }],
    ['get({ name: 5 })', { name: 5 }],
  ] as const) {
    try {
      const core = s.get(input as GetInput)
      await engine.ready(core).then(
        () => say(label, 'accepted'),
        (err) => say(label, `core fails later: ${describeError(err)}`),
      )
    } catch (err) {
      say(label, `throws ${describeError(err)}`)
    }
  }
  const dir = await fresh()
  const j = new LegacyCorestore(dir)
  await j.ready()
  const before = await files(dir)
  const unknown = j.get({ discoveryKey: Buffer.alloc(32, 9) })
  await engine.ready(unknown).catch(() => {})
  say(
    'get({ discoveryKey }) of a core not on disk',
    `fails on open, after writing ${(await files(dir)) - before} files`,
  )
  await j.close()
  await s.close()
  try {
    s.get()
    say('get() after close()', 'accepted: returns a core')
  } catch (err) {
    say('get() after close()', `throws ${describeError(err)}`)
  }
}

{
  const dir = await fresh()
  const a = new LegacyCorestore(dir)
  await a.ready()
  const b = new LegacyCorestore(dir)
  try {
    await b.ready()
    say('a second store on an open directory (same process)', 'accepted: both open the same files')
  } catch (err) {
    say('a second store on an open directory (same process)', `refused: ${describeError(err)}`)
  }
  await Promise.all([a.close(), b.close()])
}

{
  const dir = await fresh()
  const s = new LegacyCorestore(dir)
  await s.ready()
  const core = s.namespace('victim').default()
  await engine.ready(core)
  await engine.append(core, [Buffer.from('a'), Buffer.from('b')])
  await s.close()
  const dk = (core.discoveryKey as Buffer).toString('hex')
  await rm(join(dir, dk.slice(0, 2), dk.slice(2, 4), dk, 'key'))
  const again = new LegacyCorestore(dir)
  await again.ready()
  const reopened = again.namespace('victim').default()
  await engine.ready(reopened)
  say('a lost key file, core reopened by name', `opens; length ${reopened.length} of 2 blocks`)
  await again.close()
}

for (const [label, bytes] of [
  ['a torn name file', Buffer.from([0x06, 0x76, 0x69])],
  ['a name file deriving another key', Buffer.concat([Buffer.from([12]), Buffer.from('someone-else')])],
] as const) {
  const dir = await fresh()
  const s = new LegacyCorestore(dir)
  await s.ready()
  const core = s.namespace('victim').default()
  await engine.ready(core)
  await engine.append(core, Buffer.from('a'))
  await s.close()
  const dk = (core.discoveryKey as Buffer).toString('hex')
  await writeFile(join(dir, dk.slice(0, 2), dk.slice(2, 4), dk, 'name'), bytes)
  const again = new LegacyCorestore(dir)
  await again.ready()
  const byKey = again.get({ key: core.key })
  await engine.ready(byKey).then(
    () => say(`${label}, core reopened by key`, `opens without error, writable: ${byKey.writable}`),
    (err) => say(`${label}, core reopened by key`, `fails: ${describeError(err)}`),
  )
  await again.close()
}

{
  const N = 1000
  const dir = await fresh()
  const s = new LegacyCorestore(dir, { cacheSize: 100 })
  await s.ready()
  const keys: Buffer[] = []
  for (let i = 0; i < N; i += 100) {
    const batch = Array.from({ length: 100 }, () => s.get())
    for (const c of batch) {
      await engine.ready(c)
      await engine.append(c, Buffer.from('x'))
      keys.push(c.key as Buffer)
    }
    await Promise.all(batch.map((c: Hypercore) => engine.close(c)))
  }
  await s.close()
  const owner = new LegacyCorestore(dir, { cacheSize: 100 })
  await owner.ready()
  const start = await openFds()
  let peak = start
  const raw = createProtocolStream(false, { live: true })
  link(owner.replicate(true, { live: true }), raw)
  for (const key of keys) raw.open(key)
  const until = Date.now() + 20_000
  while (Date.now() < until) {
    peak = Math.max(peak, await openFds())
    await new Promise((r) => setTimeout(r, 50))
  }
  say(
    `a peer requesting ${N} stored cores, cacheSize 100`,
    `descriptors ${start} → ${peak} (about ${((peak - start) / N).toFixed(1)} per requested core)`,
  )
  raw.destroy()
  await owner.close()
}

for (const cleanup of cleanups) await cleanup()
process.exit(0)
