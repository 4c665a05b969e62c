// The power-loss table with more trials, for docs/reliability.md; `--legacy` adds corestore 5.8.2.
// Run: node --conditions=source --import tsx tests-e2e/faults/power-loss/report.ts [--trials N] [--seed S] [--legacy]
//   [--scenario NAME] [--examples N] (kinds of failure listed per scenario, with the files' states)
import { parseArgs } from 'node:util'
import { brokenPromises, runScenario } from './runner.ts'
import { closeRemoteWriter, SCENARIOS } from './scenarios.ts'
import { legacy, ours } from './stores.ts'
import { table } from './table.ts'

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '500' },
    seed: { type: 'string', default: String(Math.floor(Math.random() * 2 ** 31)) },
    legacy: { type: 'boolean', default: false },
    examples: { type: 'string', default: '6' },
    scenario: { type: 'string' },
  },
})
const trials = Number(values.trials)
const seed = Number(values.seed)
if (!Number.isInteger(trials) || trials < 1)
  throw new Error(`--trials takes a positive whole number, not ${values.trials}`)

const started = Date.now()
console.log(`# Power loss: ${trials} trials per row, seed ${seed}, node ${process.version}\n`)
for (const impl of values.legacy ? [ours, legacy] : [ours]) {
  let rows = 0
  let failing = 0
  for (const scenario of SCENARIOS.filter((s) => !values.scenario || s.name === values.scenario)) {
    if (impl === legacy && !scenario.legacy) {
      console.log(`### ${scenario.name}: ${impl.name}\n\nnot run: 5.8.2 has no purge()\n`)
      continue
    }
    const results = await runScenario(scenario, { impl, trials, seed })
    rows += results.length
    failing += results.filter((row) => brokenPromises(row).length > 0).length
    console.log(`### ${scenario.name}: ${impl.name}\n\n${table(results, Number(values.examples))}\n`)
  }
  console.log(`${impl.name}: ${failing} of ${rows} rows broke a promise of their mode\n`)
}
console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
await closeRemoteWriter()
