import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import Module, { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { registerModule, whileLoading } from '../src/module-hooks/resolve.ts'

// Each request below is made once per process: Node caches a parent's resolution of a request, and a
// second require() of it would not ask the resolver at all.
const require = createRequire(import.meta.url)
const loader = Module as unknown as { _resolveFilename?: unknown }
const here = dirname(fileURLToPath(import.meta.url))
const thisFile = fileURLToPath(import.meta.url)

test('a redirect answers requests from the folders it covers while loading; the rest resolve as before, and nothing after', () => {
  const before = loader._resolveFilename
  const id = `${here}/virtual-answer.cjs`
  registerModule(id, { answer: 42 })
  const asked: string[] = []
  const loaded = whileLoading(
    'a test module',
    [here],
    (request, from) => {
      asked.push(`${request} from ${from === thisFile ? 'this test' : from}`)
      return request === 'the-answer' ? id : undefined
    },
    (): [{ answer: number }, unknown] => [
      require('the-answer'),
      (require('flat-tree') as { fullRoots: unknown }).fullRoots,
    ],
  )
  assert.equal(loaded[0].answer, 42, 'the redirect answered')
  assert.equal(typeof loaded[1], 'function', 'a request the redirect leaves alone resolves as before')
  assert.deepEqual(asked, ['the-answer from this test', 'flat-tree from this test'])
  assert.equal(loader._resolveFilename, before, 'the resolver is the one installed before')
  assert.throws(() => require('the-answer'), { code: 'MODULE_NOT_FOUND' })
})

test('requests from files outside the folders never reach the redirect', () => {
  const asked: string[] = []
  const pkg = whileLoading(
    'a test module',
    ['/nowhere/at/all'],
    (request) => void asked.push(request),
    () => require('random-access-memory/package.json') as { name: string },
  )
  assert.equal(pkg.name, 'random-access-memory')
  assert.deepEqual(asked, [])
})

test('without Module._resolveFilename, importing the engine fails with MODULE_HOOK_UNAVAILABLE, not a stack from hypercore', () => {
  const node = fileURLToPath(new URL('../src/hypercore/node.ts', import.meta.url))
  const script = `
    import Module from 'node:module'
    Module._resolveFilename = undefined
    try {
      await import(${JSON.stringify(node)})
      console.log('loaded')
    } catch (err) {
      console.log(err.code, err.name)
      console.log(err.message)
    }`
  const child = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8', timeout: 30_000 },
  )
  assert.equal(child.status, 0, child.stderr)
  const [first, message] = child.stdout.trim().split('\n')
  assert.equal(first, 'MODULE_HOOK_UNAVAILABLE ResolutionHookUnavailable')
  assert.match(message ?? '', /^@corestore\/engine cannot load hypercore 9: .*README, "Module hooks"/)
})
