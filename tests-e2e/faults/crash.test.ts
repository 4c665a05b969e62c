import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Corestore } from '@corestore/core'
import { engine } from '@corestore/engine/internal'
import { tmpDir, withStore } from '@corestore/test-helpers'
import { blockFor } from './fixtures/blocks.ts'
import { seeded, seedFromEnv } from './fixtures/random.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const writer = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url))
const KILLS = 20

interface Run {
  keys: [string, string] | null
  acked: Map<string, number>
}

/**
 * Start the writer and SIGKILL it `extraMs` after its `afterAcks`-th acknowledged append, or, when
 * `afterAcks` is 0, `extraMs` after it started (possibly while it is still opening the store).
 */
function runAndKill(dir: string, durable: boolean, afterAcks: number, extraMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = ['--conditions=source', '--import', 'tsx', writer, dir, ...(durable ? ['--durable'] : [])]
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const run: Run = { keys: null, acked: new Map() }
    let acks = 0
    let buffered = ''
    let stderr = ''
    let timer: NodeJS.Timeout | null = afterAcks === 0 ? setTimeout(() => child.kill('SIGKILL'), extraMs) : null
    const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.stderr.on('data', (d: Buffer) => {
      stderr += d
    })
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() as string
      for (const line of lines) {
        const [kind, a, b] = line.split(' ')
        if (kind === 'keys') run.keys = [a as string, b as string]
        if (kind === 'ack') {
          run.acked.set(a as string, Number(b) + 1)
          if (++acks === afterAcks) timer = setTimeout(() => child.kill('SIGKILL'), extraMs)
        }
      }
    })
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline)
      if (timer) clearTimeout(timer)
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${stderr}`))
      else resolve(run)
    })
  })
}

test(`${KILLS} SIGKILLs at random moments during appends, durable or not, lose no acknowledged block and no key`, async (t) => {
  const seed = seedFromEnv('FAULT_SEED')
  t.diagnostic(`seed ${seed} (replay with FAULT_SEED=${seed})`)
  const random = seeded(seed)
  const dir = await tmpDir(t)
  const acked = new Map<string, number>()
  let keys: [string, string] | null = null
  let verified = 0

  for (let kill = 0; kill < KILLS; kill++) {
    const early = random() < 0.3
    // Every other writer is durable: each reopen then repairs what the other mode left.
    const durable = kill % 2 === 1
    const run = early
      ? await runAndKill(dir, durable, 0, Math.floor(random() * 700))
      : await runAndKill(dir, durable, 1 + Math.floor(random() * 40), Math.floor(random() * 60))
    if (run.keys) {
      if (keys) assert.deepEqual(run.keys, keys, `kill ${kill}: the keys changed after a restart`)
      keys = run.keys
    }
    for (const [label, n] of run.acked) acked.set(label, Math.max(acked.get(label) ?? 0, n))

    // The store reopens (the killed writer's lock went with it), both cores writable with old keys.
    await withStore(new Corestore(dir), async (store) => {
      const cores = { default: store.default(), ns: store.namespace('app').default() }
      await Promise.all(Object.values(cores).map(engine.ready))
      const reopened: [string, string] = [cores.default.key?.toString('hex') ?? '', cores.ns.key?.toString('hex') ?? '']
      // Killed before it printed its keys, the writer may not have made them: the first reopen does.
      keys ??= reopened
      assert.deepEqual(reopened, keys, `kill ${kill}: keys after reopen`)
      for (const [label, core] of Object.entries(cores)) {
        assert.equal(core.writable, true, `kill ${kill}: ${label} writable`)
        const expected = acked.get(label) ?? 0
        assert.ok(
          core.length >= expected,
          `kill ${kill}: ${label} has ${core.length} blocks, ${expected} were acknowledged`,
        )
        for (let i = 0; i < expected; i++) {
          assert.deepEqual(await engine.get(core, i), blockFor(label, i), `kill ${kill}: ${label} block ${i}`)
          verified++
        }
      }
    })
  }
  t.diagnostic(
    `${KILLS} kills survived, ${verified} acknowledged block reads verified, final lengths ${[...acked.values()].join('/')}`,
  )
})
