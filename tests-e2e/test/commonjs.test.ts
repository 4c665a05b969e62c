import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const cwd = fileURLToPath(new URL('..', import.meta.url))

test('a CommonJS program written for corestore 5.8.2 runs unchanged with require("@corestore/core")', async () => {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'fixtures/corestore5-program.cjs'],
    { cwd, timeout: 60_000 },
  )
  assert.equal(stdout.trim(), 'hello from commonjs')
})
