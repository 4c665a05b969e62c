// docs/design.md's import graph is the one the sources have: each package's src/ imports the roots
// and the `/internal` entries the table says, no more and no fewer. And no root exports what only
// sibling packages use: every `/internal` entry exists, is in the package's `exports`, and its README
// says it is outside the API.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { root } from '../helpers/consumer.ts'

async function sources(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await sources(path)))
    else if (entry.name.endsWith('.ts')) out.push(path)
  }
  return out
}

/** `{ root: [...], internal: [...] }` of the corestore packages a package's src/ imports, sorted. */
async function importsOf(name: string): Promise<{ root: string[]; internal: string[] }> {
  const found = { root: new Set<string>(), internal: new Set<string>() }
  for (const file of await sources(join(root, 'packages', name, 'src'))) {
    const text = await readFile(file, 'utf8')
    for (const [, pkg, sub] of text.matchAll(/from '@corestore\/([a-z-]+)(\/internal)?'/g)) {
      ;(sub ? found.internal : found.root).add(pkg as string)
    }
  }
  return { root: [...found.root].sort(), internal: [...found.internal].sort() }
}

/** The table between the import-graph markers of docs/design.md, a row per package. */
async function documentedGraph(): Promise<Map<string, { root: string[]; internal: string[] }>> {
  const text = await readFile(join(root, 'docs/design.md'), 'utf8')
  const table = /<!-- import-graph:start -->\n([\s\S]*?)<!-- import-graph:end -->/.exec(text)?.[1]
  assert.ok(table, 'docs/design.md has the import graph between its markers')
  const list = (cell: string) => (cell.trim() === '—' ? [] : cell.split(',').map((s) => s.trim()))
  const rows = new Map<string, { root: string[]; internal: string[] }>()
  for (const line of table.trim().split('\n').slice(2)) {
    const [, name = '', roots = '', internals = ''] = line.split('|')
    rows.set(name.trim(), { root: list(roots), internal: list(internals) })
  }
  return rows
}

/** The published packages: every folder of packages/ but the private test helpers. */
async function published(): Promise<string[]> {
  const names: string[] = []
  for (const name of await readdir(join(root, 'packages'))) {
    const manifest = JSON.parse(await readFile(join(root, 'packages', name, 'package.json'), 'utf8'))
    if (!manifest.private) names.push(name)
  }
  return names.sort()
}

test("docs/design.md's import graph is what every package's src/ imports, root and /internal", async () => {
  const documented = await documentedGraph()
  const names = await published()
  assert.deepEqual([...documented.keys()].sort(), names, 'a row per published package')
  for (const name of names) {
    assert.deepEqual(await importsOf(name), documented.get(name), `${name}'s row`)
  }
})

test('every /internal a package imports is an entry of its exports, and its README says it is outside the API', async () => {
  const internals = new Set<string>()
  for (const name of await published()) for (const pkg of (await importsOf(name)).internal) internals.add(pkg)
  for (const pkg of internals) {
    const manifest = JSON.parse(await readFile(join(root, 'packages', pkg, 'package.json'), 'utf8'))
    assert.equal(manifest.exports['./internal']?.source, './src/internal.ts', `${pkg} exports ./internal`)
    assert.deepEqual(manifest.typesVersions?.['*']?.internal, ['./dist/internal.d.ts'], `${pkg}: node10 types`)
    const readme = await readFile(join(root, 'packages', pkg, 'README.md'), 'utf8')
    assert.match(readme, new RegExp(`## Internal: \`@corestore/${pkg}/internal\``), `${pkg}'s README`)
    assert.match(readme, /\*\*not part of\s+the API\*\*/, `${pkg}'s README says /internal is not part of the API`)
  }
})

test("every value a package root exports is in its README, and @corestore/core's root is the store's API", async () => {
  for (const name of await published()) {
    const readme = await readFile(join(root, 'packages', name, 'README.md'), 'utf8')
    const exported = Object.keys(await import(`@corestore/${name}`))
    for (const key of exported.filter((k) => k !== 'default' && k !== 'module.exports')) {
      const named = new RegExp(`\`[^\`\n]*\\b${key}\\b[^\`\n]*\``)
      assert.match(readme, named, `@corestore/${name} exports ${key}, which its README does not document`)
    }
  }
  const core = await import('@corestore/core')
  assert.deepEqual(Object.keys(core).sort(), [
    'Corestore',
    'CorestoreError',
    'createMemoryStorage',
    'default',
    'isCorestoreError',
    'module.exports',
    'randomAccessMemory',
  ])
  const engine = await import('@corestore/engine')
  assert.equal('engine' in engine, false, '@corestore/engine has no grab-bag of helpers at its root')
})

test("every path docs/design.md's table of concerns names exists", async () => {
  const text = await readFile(join(root, 'docs/design.md'), 'utf8')
  const table = text.slice(text.indexOf('### Where a concern lives'))
  const paths = [...table.matchAll(/\| `(packages\/[^`]+)` \|/g)].map((m) => m[1] as string)
  assert.ok(paths.length >= 10, 'the table names the places')
  for (const path of paths) assert.ok(existsSync(join(root, path)), `${path} exists`)
})

test('the facade stays thin: @corestore/core/src is at most 800 non-blank lines', async () => {
  let lines = 0
  for (const file of await sources(join(root, 'packages/core/src'))) {
    lines += (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '').length
  }
  assert.ok(lines <= 800, `${lines} non-blank lines in packages/core/src`)
})

test("no root API report names a type from an /internal entry: a user's types never depend on a seam", async () => {
  for (const name of await published()) {
    for (const file of await readdir(join(root, 'packages', name, 'api'))) {
      if (file.endsWith('-internal.api.md')) continue
      const report = await readFile(join(root, 'packages', name, 'api', file), 'utf8')
      assert.doesNotMatch(report, /from '@corestore\/[a-z-]+\/internal'/, `${name}/api/${file}`)
    }
  }
})
