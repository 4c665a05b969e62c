import assert from 'node:assert/strict'
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { type TestContext, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startTestnet } from './helpers.ts'

const root = fileURLToPath(new URL('../../..', import.meta.url))

/** A fixture script in its own node process, killed if the test ends first; its stdout read as JSON lines. */
class Child {
  readonly process: ChildProcessWithoutNullStreams
  readonly #lines: AsyncIterator<string>
  stderr = ''

  constructor(t: TestContext, fixture: string, args: string[]) {
    this.process = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', `packages/networker/test/fixtures/${fixture}`, ...args],
      { cwd: root },
    )
    this.process.stderr.on('data', (data: Buffer) => {
      this.stderr += data.toString()
    })
    this.#lines = createInterface({ input: this.process.stdout })[Symbol.asyncIterator]()
    t.after(() => {
      if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill()
    })
  }

  /** The next line it prints, parsed. */
  async next(ms = 40_000): Promise<Record<string, unknown>> {
    const timeout = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error(`no output within ${ms} ms; stderr: ${this.stderr}`)), ms).unref()
    })
    const line = await Promise.race([this.#lines.next(), timeout])
    if (line.done) throw new Error(`the process ended early; stderr: ${this.stderr}`)
    return JSON.parse(line.value) as Record<string, unknown>
  }

  /** Its exit code, once it exits by itself: a handle left open would keep it running past `ms`. */
  async exited(ms = 10_000): Promise<number | null> {
    if (this.process.exitCode !== null) return this.process.exitCode
    const [code] = (await once(this.process, 'exit', { signal: AbortSignal.timeout(ms) })) as [number | null]
    return code
  }
}

test('an owner and a reader in two node processes replicate over the testnet, then exit by themselves', {
  timeout: 60_000,
}, async (t) => {
  const testnet = await startTestnet()
  t.after(() => testnet.destroy())
  const bootstrap = JSON.stringify(testnet.bootstrap)

  const owner = new Child(t, 'owner.ts', [bootstrap])
  const { key } = await owner.next(30_000)
  assert.match(String(key), /^[0-9a-f]{64}$/)

  const reader = new Child(t, 'reader.ts', [bootstrap, String(key), '3'])
  const received = [await reader.next(30_000), await reader.next(), await reader.next()]
  assert.deepEqual(
    received.map((r) => r.block),
    ['one', 'two', 'three'],
  )
  assert.deepEqual(await reader.next(), { closed: true })
  assert.equal(await reader.exited(), 0, `the reader exits on its own; stderr: ${reader.stderr}`)

  owner.process.stdin.end()
  assert.deepEqual(await owner.next(), { closed: true })
  assert.equal(await owner.exited(), 0, `the owner exits on its own; stderr: ${owner.stderr}`)
})

test('the first-block benchmark runs and reports a median', { timeout: 60_000 }, async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'packages/networker/bench/first-block.ts', '2'],
    { cwd: root, timeout: 50_000 },
  )
  assert.match(stdout, /run {2}2: [\d.]+ ms/)
  assert.match(stdout, /median of 2: [\d.]+ ms/)
})
