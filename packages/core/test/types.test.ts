import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const here = fileURLToPath(new URL('.', import.meta.url))
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url))

/** A program as a TypeScript user writes it; lines marked `// ERROR` must not compile, the rest must. */
const PROGRAM = `
import Corestore, { type Hypercore } from '@corestore/core'
import { createMemoryStorage } from '@corestore/engine'

const store = new Corestore(createMemoryStorage(), { cacheSize: 10 })
await store.ready()
const log: Hypercore<string> = store.get<string>({ name: 'log', valueEncoding: 'utf-8' })
await log.ready()
const seq: number = await log.append('a string')
const block: string = await log.get(seq)
await log.update({ minLength: 1, ifAvailable: true })
await log.download({ start: 0, end: 1 })
await log.close()
void block
new Corestore(createMemoryStorage(), { cachesize: 10 }) // ERROR
store.get({ valueEncodin: 'utf-8' }) // ERROR
store.replicate(true, { lve: true }) // ERROR
log.append(Buffer.from('not a string')) // ERROR
const wrong: Buffer = await log.get(0) // ERROR
void wrong
await store.close()
`

test('typed promise cores compile, and misspelt options and wrong block types do not', {
  timeout: 120_000,
}, async (t) => {
  const dir = await mkdtemp(join(here, '.tsc-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'program.ts'), PROGRAM)
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../../tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        composite: false,
        declaration: false,
        declarationMap: false,
        customConditions: ['source'],
        allowImportingTsExtensions: true,
      },
      include: ['program.ts'],
    }),
  )
  const result = await run(process.execPath, [tsc, '-p', dir], { cwd: dir }).catch((err: { stdout: string }) => err)
  const errorLines = new Set(
    [...result.stdout.matchAll(/program\.ts\((\d+),\d+\): error (TS\d+)/g)].map((m) => Number(m[1])),
  )
  const expected = PROGRAM.split('\n')
    .map((line, i) => (line.includes('// ERROR') ? i + 1 : 0))
    .filter((n) => n > 0)
  assert.deepEqual(
    [...errorLines].sort((a, b) => a - b),
    expected,
    result.stdout,
  )
})
