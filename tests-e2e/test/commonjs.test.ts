import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const cwd = fileURLToPath(new URL('..', import.meta.url))
const root = fileURLToPath(new URL('../..', import.meta.url))

test('a CommonJS program written for corestore 5.8.2 runs unchanged with require("@corestore/core")', async () => {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'fixtures/corestore5-program.cjs'],
    { cwd, timeout: 60_000 },
  )
  assert.equal(stdout.trim(), 'hello from commonjs')
})

// What docs/packaging.md promises a CommonJS TypeScript program: with `"module": "nodenext"` (TypeScript
// ≥ 5.8, or "node20" from 5.9) `require()` of our ES modules is typed from the .d.ts files of dist/ (as
// installed: no `source` condition), `require('@corestore/core')` being the class itself.
test('a CommonJS TypeScript program (module nodenext) gets the types of require("@corestore/core") and runs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'corestore-cjs-ts-'))
  try {
    await symlink(join(cwd, 'node_modules'), join(dir, 'node_modules'))
    await writeFile(join(dir, 'package.json'), '{ "type": "commonjs", "private": true }\n')
    const compilerOptions = {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
      outDir: 'out',
    }
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['program.ts'] }))
    await copyFile(join(cwd, 'fixtures/typed-commonjs-program.cts'), join(dir, 'program.ts'))
    const tsc = join(root, 'node_modules/typescript/bin/tsc')
    const compiled = await run(process.execPath, [tsc, '-p', '.'], { cwd: dir, timeout: 60_000 }).catch(
      (err: { stdout: string }) => assert.fail(`tsc failed:\n${err.stdout}`),
    )
    assert.equal(compiled.stdout, '')
    const emitted = await readFile(join(dir, 'out/program.js'), 'utf8')
    assert.match(emitted, /= require\("@corestore\/core"\)/, 'compiled to CommonJS: require(), not import')
    const { stdout } = await run(process.execPath, ['out/program.js'], { cwd: dir, timeout: 60_000 })
    assert.equal(stdout, 'hello from typed commonjs\n')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
