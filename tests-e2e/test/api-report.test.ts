// `pnpm api:check` fails when a package exports what its committed API report does not say, and names the
// package and `pnpm api`; `pnpm api` then writes the report that makes it pass. Run on a copy of one
// package's built declarations in a temporary folder, so the workspace's dist/ and reports stay as they are.
import assert from 'node:assert/strict'
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { root, run, told } from '../helpers/consumer.ts'

let work: string
/** The copy of @corestore/errors: its package.json, dist/ and api/. */
let copy: string

/** `pnpm api` (or, with `--check`, `pnpm api:check`) on the copy only, after the build `pnpm test` made. */
function api(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'scripts/api-report.ts', ...args, copy], root, 120_000)
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'corestore-api-'))
  copy = join(work, 'errors')
  for (const part of ['package.json', 'dist', 'api']) {
    await cp(join(root, 'packages/errors', part), join(copy, part), { recursive: true })
  }
})

after(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

test('api:check passes on the package as committed, fails once it exports one more function, and pnpm api updates the report', async () => {
  const unchanged = await api('--check')
  assert.equal(unchanged.code, 0, told(unchanged))
  assert.match(unchanged.stderr, /every API report is up to date/)

  await appendFile(join(copy, 'dist/index.d.ts'), '\nexport declare function addedWithoutReport(): void;\n')
  const added = await api('--check')
  assert.equal(added.code, 1, told(added))
  assert.match(added.stderr, /the API of @corestore\/errors differs from .*errors\.api\.md/, told(added))
  assert.match(added.stderr, /run `pnpm api` and commit the report/, told(added))
  assert.match(added.stderr, /\+export function addedWithoutReport\(\): void;/, 'the diff shows the new export')
  const committed = await readFile(join(copy, 'api/errors.api.md'), 'utf8')
  assert.doesNotMatch(committed, /addedWithoutReport/, 'the check changes no report')

  const updated = await api()
  assert.equal(updated.code, 0, told(updated))
  assert.match(await readFile(join(copy, 'api/errors.api.md'), 'utf8'), /export function addedWithoutReport\(\): void;/)
  const again = await api('--check')
  assert.equal(again.code, 0, told(again))
})
