import assert from 'node:assert/strict'
import Module, { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { ResolutionHookUnavailable, registerModule, whileLoading } from '../src/module-hooks/resolve.ts'

const require = createRequire(import.meta.url)
const loader = Module as unknown as { _resolveFilename?: unknown }
const here = dirname(fileURLToPath(import.meta.url))

test('a redirect answers requests from the folders it covers while loading, and nothing after', () => {
  const before = loader._resolveFilename
  const id = `${here}/virtual-answer.cjs`
  registerModule(id, { answer: 42 })
  const seen: string[] = []
  const loaded = whileLoading(
    'a test module',
    [here],
    (request, from) => {
      seen.push(`${request} from ${from === __filenameOf() ? 'this test' : from}`)
      return request === 'the-answer' ? id : undefined
    },
    () => [require('the-answer') as { answer: number }, typeof (require('node:path') as { join: unknown }).join],
  )
  assert.deepEqual(loaded, [{ answer: 42 }, 'function'], 'the redirect answered; other requests resolved as usual')
  assert.deepEqual(seen.slice(0, 1), ['the-answer from this test'])
  assert.equal(loader._resolveFilename, before, 'the resolver is the one installed before')
  assert.throws(() => require('the-answer'), { code: 'MODULE_NOT_FOUND' })
})

test('requests from files outside the folders never reach the redirect', () => {
  const asked: string[] = []
  whileLoading(
    'a test module',
    ['/nowhere/at/all'],
    (request) => void asked.push(request),
    () => require('node:os'),
  )
  assert.deepEqual(asked, [])
})

test('without Module._resolveFilename the engine says what it cannot load, with a code, and changes nothing', () => {
  const original = loader._resolveFilename
  loader._resolveFilename = undefined
  try {
    assert.throws(
      () =>
        whileLoading(
          'noise-protocol 3.0.1',
          [here],
          () => undefined,
          () => 'loaded',
        ),
      (err: unknown) =>
        err instanceof ResolutionHookUnavailable &&
        err.code === 'MODULE_HOOK_UNAVAILABLE' &&
        /cannot load noise-protocol 3\.0\.1/.test(err.message) &&
        /README, "Module hooks"/.test(err.message),
    )
    assert.equal(loader._resolveFilename, undefined)
  } finally {
    loader._resolveFilename = original
  }
})

function __filenameOf(): string {
  return fileURLToPath(import.meta.url)
}
