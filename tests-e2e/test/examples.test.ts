import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { tmpDir } from '@corestore/test-helpers'
import { blockAfter } from '../helpers/consumer.ts'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../..', import.meta.url))

async function example(file: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', `examples/${file}`], {
    cwd: root,
    timeout: 60_000,
  })
  return stdout
}

test('the README example replicates a namespace between two stores and prints what arrived', async () => {
  const out = await example('replicate.ts')
  assert.match(out, /messages {5}#0 {2}hello/)
  assert.match(out, /messages {5}#1 {2}is anyone there\?/)
  assert.match(out, /attachments {2}#0 {2}<cat\.png, 42 KiB>/)
  assert.match(out, /done: both stores closed\./)
})

test('the keychain example prints the keys of a fresh master key', async () => {
  const out = await example('keys.ts')
  assert.match(out, /master key .*: [0-9a-f]{64}/)
  assert.equal(out.match(/discovery key {2}[0-9a-f]{64}/g)?.length, 3)
})

test('the network example replicates between two processes over a loopback DHT and exits cleanly', async () => {
  const out = await example('networker.ts')
  assert.match(out, /testnet: bootstrap 127\.0\.0\.1:\d+/)
  assert.match(out, /owner: announced [0-9a-f]{64}/)
  assert.match(out, / {2}#0 {2}hello from the owner/)
  assert.match(out, / {2}#2 {2}written while you were listening/)
  assert.match(out, / {2}#3 {2}bye!/)
  assert.match(out, /reader: closed/)
  assert.match(out, /owner: closed/)
  assert.match(out, /done: both processes exited and the testnet is down\./)
})

test('the hyperdrive 10 example writes, mounts, replicates to a second store and reopens the drive writable', async () => {
  const out = await example('hyperdrive.ts')
  assert.match(out, /^drive {3}[0-9a-f]{64}: hello\.txt, photos\n/)
  assert.match(out, /\nreader {2}\/hello\.txt: hello from hyperdrive 10\n/)
  assert.match(out, /\nreader {2}\/photos\/cat\.txt: meow\n/)
  assert.match(out, /\nrestart \/hello\.txt: hello from hyperdrive 10, writable: true\n/)
  assert.match(out, /\ndone: both stores closed\.\n$/)
})

test("the README's corestore info shows the example's store: its two chat cores, writable", async (t) => {
  const dir = join(await tmpDir(t), 'chat-store')
  const { stdout } = await run(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'examples/replicate.ts', dir],
    { cwd: root, timeout: 60_000 },
  )
  assert.match(stdout, /the owner's store is in .*chat-store: look inside with pnpm corestore info/)
  const info = await run(process.execPath, ['packages/cli/bin/corestore.js', 'info', dir], {
    cwd: root,
    env: { ...process.env, CORESTORE_FROM_SOURCE: '1' },
  })
  assert.match(info.stdout, /cores {8}2 \(2 writable\)/)
  assert.match(info.stdout, /\n[0-9a-f]{20,}… {2}chat {14}yes {12}2 {5}21\n/)
  assert.match(info.stdout, /\n[0-9a-f]{20,}… {2}chat\/attachments {2}yes {12}1 {5}17\n/)
  assert.deepEqual(
    info.stdout.split('\n').filter((line) => [...line].length > 80),
    [],
    'every line fits 80 columns',
  )
})

const BROWSER_SERVER = ['--conditions=source', '--import', 'tsx', 'examples/browser/server.ts']

test("docs/browser.md shows the browser example's page as it is", async () => {
  const page = await readFile(join(root, 'examples/browser/index.html'), 'utf8')
  assert.equal(await blockAfter('docs/browser.md', 'Then load the bundle from a page', 'html'), page)
})

test('pnpm example:browser serves its page and bundle on the --port asked for, and a taken port is one line', {
  timeout: 60_000,
}, async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  const taken = (blocker.address() as AddressInfo).port
  t.after(() => new Promise((resolve) => blocker.close(resolve)))
  const refused = await run(process.execPath, [...BROWSER_SERVER, '--port', String(taken)], { cwd: root }).then(
    () => ({ code: 0, stdout: '', stderr: '' }),
    ({ code, stdout, stderr }: { code: number; stdout: string; stderr: string }) => ({ code, stdout, stderr }),
  )
  assert.deepEqual(refused, {
    code: 1,
    stdout: '',
    stderr: `example:browser: 127.0.0.1:${taken} is in use (another copy of this example?): pass --port <n>, or --port 0 for any free port\n`,
  })

  const child = spawn(process.execPath, [...BROWSER_SERVER, '--port', '0'], { cwd: root })
  t.after(() => child.kill('SIGKILL'))
  const exited = new Promise((resolve) => child.on('close', resolve))
  const [first] = await once(createInterface({ input: child.stdout }), 'line')
  const url = /^open (http:\/\/127\.0\.0\.1:\d+\/) in a browser/.exec(String(first))?.[1]
  assert.ok(url, String(first))
  assert.equal(await (await fetch(url)).text(), await readFile(join(root, 'examples/browser/index.html'), 'utf8'))
  const bundle = await fetch(new URL('app.bundle.js', url))
  assert.equal(bundle.headers.get('content-type'), 'text/javascript')
  child.kill('SIGINT')
  assert.equal(await exited, 0, 'Ctrl-C closes it')
})
