// docs/migrating.md names every difference from corestore 5.8.2 that docs/api.md records (api.md's
// rows and notes are where the compat tests' findings are written down), so neither can drift.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { root } from '../helpers/consumer.ts'

const read = (file: string) => readFile(join(root, file), 'utf8')

/** The text of the `## heading` section of a Markdown file, up to the next `## `. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`)
  assert.notEqual(start, -1, `docs/api.md has a section "${heading}"`)
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, end === -1 ? undefined : end)
}

const spans = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '')
const codes = (text: string) => spans(text).filter((s) => /^[A-Z][A-Z_]+$/.test(s))

/** The cells of a Markdown table's body rows. */
function rows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
    .slice(1)
    .map((line) => line.slice(2, -2).split(' | '))
}

test('every surface api.md says differs or is not supported is named in docs/migrating.md', async () => {
  const [api, guide] = await Promise.all([read('docs/api.md'), read('docs/migrating.md')])
  const beyond = rows(section(api, 'What corestore 5 programs use beyond the README'))
  const differing = beyond.filter(([, , status]) => /^(differ|not supported|not offered)/.test(status ?? ''))
  assert.ok(differing.length >= 5, 'api.md lists what differs')
  const missing = differing.flatMap(([surface]) => spans(surface ?? '')).filter((s) => !guide.includes(s))
  assert.deepEqual(missing, [])
})

test("every one of api.md's choices not to copy 5.8.2 is in docs/migrating.md, with its error code", async () => {
  const [api, guide] = await Promise.all([read('docs/api.md'), read('docs/migrating.md')])
  const notes = section(api, 'What we chose not to copy from corestore 5.8.2')
    .split('\n- ')
    .slice(1)
    .map((bullet) => bullet.replace(/\n\s*/g, ' '))
  assert.ok(notes.length >= 8, 'api.md lists its choices')
  const missing = notes.flatMap((note) => {
    const named = [spans(note)[0] ?? note.slice(0, 40), ...codes(note)]
    return named.filter((s) => !guide.includes(s)).map((s) => `${s} (from: ${note.slice(0, 60)}…)`)
  })
  assert.deepEqual(missing, [])
})

test("every error code in api.md's differences from 5.8.2, and the nanoresource difference, are in docs/migrating.md", async () => {
  const [api, guide] = await Promise.all([read('docs/api.md'), read('docs/migrating.md')])
  const table = rows(api.slice(0, api.indexOf('\n## ')))
  // Rows whose 5.8.2 column is "—" are ours only: nothing to migrate.
  const differences = table.filter(([, theirs, difference]) => theirs !== '—' && difference !== '—')
  const named = differences.flatMap(([, , difference]) => codes(difference ?? ''))
  assert.ok(named.length >= 4, 'api.md names the codes')
  assert.deepEqual(
    named.filter((code) => !guide.includes(code)),
    [],
  )
  const nanoresource = differences.find(([, theirs]) => theirs?.includes('nanoresource'))
  assert.match(nanoresource?.[2] ?? '', /`opened` is `false`/)
  assert.match(guide, /`store\.opened` is `false` here/)
})
