import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))

// Only that the benchmark still runs end to end and prints every scenario: its figures are never asserted.
test('the benchmark completes a tiny run and prints every scenario, both baselines and the ratios', async () => {
  // One child process does the measuring: a few seconds when idle. The bound only stops a hang.
  const { stdout, stderr } = await run(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'tests-e2e/bench/run.ts', '--smoke'],
    { cwd: root, timeout: 300_000 },
  )
  assert.doesNotMatch(stderr, /^ {2}! /m, 'a scenario failed')
  assert.doesNotMatch(stdout, /NaN/, 'a figure is missing')
  for (const scenario of ['open-ram', 'open-disk', 'reopen-disk', 'close', 'replicate', 'passive']) {
    assert.match(stdout, new RegExp(`\\| ${scenario} +\\|`), `scenario ${scenario} missing`)
  }
  for (const heading of ['hypercore 9 ms', 'corestore 5.8.2 ms', '@corestore/core ms', 'ours/bare', 'ours/5.8.2']) {
    assert.ok(stdout.includes(heading), `column ${heading} missing`)
  }
  assert.match(stdout, /get\(\) of a cached core, per call/)
  assert.match(stdout, /memory per open core/)
  assert.match(stdout, /scale: the store's own costs/)
  assert.match(stdout, /capacity: disk cores opened/)
  assert.match(stdout, /reads over the budget/)
  for (const mode of ['one at a time', 'batches of 10', 'all at once']) {
    assert.match(stdout, new RegExp(`\\| ${mode} +\\|`), `append mode ${mode} missing`)
  }
  for (const heading of ['durable/non-durable', 'syncs per commit', 'closing the store', 'durable syncs/block']) {
    assert.ok(stdout.includes(heading), `durability figure ${heading} missing`)
  }
  assert.match(stdout, /download: a reader on disk/)
  assert.match(stdout, /seed: a directory store of n stored cores/)
  assert.match(stdout, /swarm: one writer of/)
  for (const seeder of ['hypercore 9 (every core open', 'corestore 5.8.2 (ulimit', '@corestore/core (ulimit']) {
    assert.ok(stdout.includes(`| ${seeder}`), `seed row ${seeder} missing`)
  }
  assert.doesNotMatch(stdout, /stalled \(last block/, 'a seed run stalled')
  assert.match(stdout, /\| @corestore\/core \+ @corestore\/networker \| 1 /)
  assert.match(stdout, /\| corestore 5\.8\.2 \+ networker 1\.2\.1 +\| 1 /)
})
