// `pnpm test` as a newcomer meets it: the README's first block is what CI runs, and the reporter
// (scripts/test-reporter.js) ends a run with what failed, then node's counts, and says it is alive.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { tmpDir } from '@corestore/test-helpers'
import { root, run, told, userEnv } from '../helpers/consumer.ts'

const REPORTER = '--test-reporter=./scripts/test-reporter.js'

/** Test files as a developer writes them: passing, failing, failing in a hook, not loading at all. */
const FIXTURES: Record<string, string> = {
  'passes.test.mjs': `import { test } from 'node:test'
test('adds', (t) => { t.diagnostic('two and two make 4') })
`,
  'fails.test.mjs': `import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
test('compares', () => { assert.equal(1 + 1, 3, 'one and one make three') })
describe('a suite', () => {
  before(() => { throw new Error('no database') })
  test('reads', () => {})
  test('writes', () => {})
})
`,
  'stops.test.mjs': `import './missing.mjs'
`,
}

async function fixtures(dir: string): Promise<string[]> {
  for (const [name, text] of Object.entries(FIXTURES)) await writeFile(join(dir, name), text)
  return Object.keys(FIXTURES).map((name) => join(dir, name))
}

test('the README starts with the commands CI runs: install, example, and the same pnpm test', async () => {
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  const first = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  const commands = first.split('\n').flatMap((line) =>
    line
      .replace(/#.*$/, '')
      .trim()
      .split(/\s*&&\s*/)
      .filter(Boolean),
  )
  assert.deepEqual(commands, ['pnpm install', 'pnpm start', 'pnpm test'])
  const ci = (await readFile(join(root, '.ci/run'), 'utf8')).trimEnd().split('\n')
  assert.equal(ci.at(-1), 'pnpm test', '.ci/run ends with the README’s test command')
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  assert.match(pkg.scripts.test ?? '', /^tsc -b && node .* --test .*--test-reporter=\.\/scripts\/test-reporter\.js /)
})

test('a run ends with each failure on a line, then node’s counts as the last lines', async (t) => {
  const files = await fixtures(await tmpDir(t))
  const ran = await run(process.execPath, ['--test', REPORTER, ...files], root)
  assert.equal(ran.code, 1, told(ran))
  const lines = ran.stdout.trimEnd().split('\n')
  assert.deepEqual(lines.slice(-8, -1), [
    '# tests 5',
    '# suites 1',
    '# pass 1',
    '# fail 2',
    '# cancelled 2',
    '# skipped 0',
    '# todo 0',
  ])
  assert.match(lines.at(-1) ?? '', /^# duration_ms [\d.]+$/)

  const summary = lines.slice(lines.indexOf('3 failures (and 2 tests cancelled with them):'), -8)
  assert.equal(summary.length, 7, told(ran))
  assert.match(summary[1] ?? '', /^ {2}✖ .*fails\.test\.mjs:3 › compares$/)
  assert.equal(summary[2], '      one and one make three')
  assert.match(summary[3] ?? '', /^ {2}✖ .*fails\.test\.mjs:5 › a suite \[2 cancelled\]$/)
  assert.equal(summary[4], '      no database')
  assert.match(summary[5] ?? '', /^ {2}✖ .*stops\.test\.mjs$/)

  // Along the way: a line as each file ends, each diagnostic and each failure in full.
  assert.match(ran.stdout, /\n✔ \S*passes\.test\.mjs {2}[\d.]+ s\n/)
  assert.match(ran.stdout, /\n# \S*passes\.test\.mjs: two and two make 4\n/)
  assert.match(ran.stdout, /\n✖ \S*fails\.test\.mjs {2}[\d.]+ s\n/)
  assert.match(
    ran.stdout,
    /✖ FAILED \S*fails\.test\.mjs:3 › compares\n {4}AssertionError \[ERR_ASSERTION\]: one and one/,
  )
  assert.match(ran.stdout, /\[\S*stops\.test\.mjs\] Error \[ERR_MODULE_NOT_FOUND\]: Cannot find module/)
})

test('a run that passes says so before the counts', async (t) => {
  const [passes] = await fixtures(await tmpDir(t))
  const ran = await run(process.execPath, ['--test', REPORTER, passes as string], root)
  assert.equal(ran.code, 0, told(ran))
  assert.match(ran.stdout, /\nall 1 test file passed\n# tests 1\n# suites 0\n# pass 1\n# fail 0\n/)
})

test('a run that prints nothing for a while says what is still running', { timeout: 60_000 }, async (t) => {
  const dir = await tmpDir(t)
  const go = join(dir, 'go')
  // A test that waits for this one to see the reporter's heartbeat, then lets it end.
  const waits = join(dir, 'waits.test.mjs')
  await writeFile(
    waits,
    `import { existsSync } from 'node:fs'
import { test } from 'node:test'
test('waits', async () => { while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 20)) })
`,
  )
  const child = spawn(process.execPath, ['--test', REPORTER, waits], {
    cwd: root,
    env: { ...userEnv(), CORESTORE_TEST_HEARTBEAT_MS: '100' },
  })
  t.after(() => child.kill())
  let out = ''
  const heard = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (/… still running: \S*waits\.test\.mjs \([\d.]+ s\); 0 tests reported so far\n/.test(out)) resolve()
    })
  })
  await heard
  await writeFile(go, '')
  const code = await new Promise((resolve) => child.on('close', resolve))
  assert.equal(code, 0, out)
  assert.match(out, /\n✔ \S*waits\.test\.mjs {2}[\d.]+ s\n/)
  assert.match(out, /\n# pass 1\n/)
})
