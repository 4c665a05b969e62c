import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { seedFromEnv } from './fixtures/random.ts'
import { brokenPromises, runScenario } from './power-loss/runner.ts'
import { closeRemoteWriter, SCENARIOS } from './power-loss/scenarios.ts'
import { ours } from './power-loss/stores.ts'
import { table } from './power-loss/table.ts'

// Seeded power cuts on a simulated disk (see @corestore/test-helpers' createSimulatedDisk): for each
// scenario, model of what the platter keeps, and mode, TRIALS runs each lose power at an operation
// drawn from the scenario's own, then the store is reopened on what survived.
const TRIALS = Number(process.env.POWER_LOSS_TRIALS ?? 60)
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
