import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { Corestore, type CorestoreOptions } from '@corestore/core'
import { engine } from '@corestore/engine/internal'
import { createSimulatedDisk } from '@corestore/test-helpers'
import { seedFromEnv } from './fixtures/random.ts'
import { brokenPromises, runScenario } from './power-loss/runner.ts'
import { closeRemoteWriter, SCENARIOS } from './power-loss/scenarios.ts'
import { ours, writeThrough } from './power-loss/stores.ts'
import { table } from './power-loss/table.ts'

// Seeded power cuts on a simulated disk (see @corestore/test-helpers' createSimulatedDisk): for each
// scenario, model of what the platter keeps, and mode, TRIALS runs each lose power at an operation
// drawn from the scenario's own, then the store is reopened on what survived.
const TRIALS = Number(process.env.POWER_LOSS_TRIALS ?? 80)
const seed = seedFromEnv('POWER_LOSS_SEED')

after(closeRemoteWriter)

for (const scenario of SCENARIOS) {
  test(`power lost during "${scenario.name}": every core opens with its appended blocks and stays writable, and with durable no acknowledged append is lost`, async (t) => {
    const rows = await runScenario(scenario, { impl: ours, trials: TRIALS, seed })
    t.diagnostic(`seed ${seed} (replay with POWER_LOSS_SEED=${seed}), ${TRIALS} trials per row`)
    for (const line of table(rows).split('\n')) t.diagnostic(line)
    const broken = rows.flatMap(brokenPromises)
    if (broken.length) assert.fail(`seed ${seed} (replay with POWER_LOSS_SEED=${seed}):\n${broken.join('\n')}`)
  })
}

test('the trials blame no store for a loss the disk caused: on write-through files no acknowledged block is lost', async (t) => {
  const lost: string[] = []
  for (const scenario of SCENARIOS) {
    for (const [cell, tally] of await runScenario(scenario, { impl: writeThrough, trials: 15, seed })) {
      if (tally.ackLostBlocks) lost.push(`${scenario.name}, ${cell.model}: ${tally.ackLostBlocks} blocks`)
    }
  }
  t.diagnostic(`seed ${seed}: ${SCENARIOS.length * 3 * 15} trials`)
  assert.deepEqual(lost, [], `seed ${seed} (replay with POWER_LOSS_SEED=${seed})`)
})

test('a durable store on a storage whose files cannot sync fails with INVALID_OPTION; one whose files can, appends', async () => {
  const durable: CorestoreOptions & { durable: boolean } = { durable: true }
  const use = async (sync: boolean) => {
    const store = new Corestore(createSimulatedDisk({ sync }).storage, durable)
    try {
      await store.ready()
      const core = store.default()
      await engine.append(core, Buffer.from('kept'))
      return (await engine.get(core, 0)).toString()
    } finally {
      await store.close()
    }
  }
  await assert.rejects(use(false), { code: 'INVALID_OPTION' })
  assert.equal(await use(true), 'kept')
})
