import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Teardown, tmpDir, until } from './helpers.ts'
import { readTranscript, Shell, type Step, shellWords } from './transcript.ts'

const README = new URL('../README.md', import.meta.url)
const HEADING = '## A trial on one machine'
/** How long one command of the transcript may take, with the lines the jobs print meanwhile. */
const STEP_MS = 20_000

/**
 * What changes from one run to the next, found by the same pattern in the README and in what the
 * commands print: the testnet's port, and the key of the core `append` creates.
 */
const VARIABLES = [/--bootstrap 127\.0\.0\.1:(\d+)/, /^key {5}([0-9a-f]{64})$/]

/** The README's value of each variable, and this run's once printed. */
class Values {
  readonly #values: { pattern: RegExp; written: string; now: string | null }[]

  constructor(steps: Step[]) {
    const lines = steps.flatMap((step) => step.output.map((shown) => shown.text))
    this.#values = VARIABLES.map((pattern) => {
      const written = lines.map((line) => pattern.exec(line)?.[1]).find((value) => value !== undefined)
      if (written === undefined) throw new Error(`the transcript prints nothing that matches ${pattern}`)
      return { pattern, written, now: null }
    })
  }

  /** Take this run's values from the lines printed so far. */
  learn(lines: string[]): void {
    for (const value of this.#values) {
      value.now ??= lines.map((line) => value.pattern.exec(line)?.[1]).find((found) => found !== undefined) ?? null
    }
  }

  /** A word of a command as this run needs it. */
  toRun(word: string): string {
    return this.#values.reduce((w, { written, now }) => (now === null ? w : w.replaceAll(written, now)), word)
  }

  /** A printed line as the README would show it. */
  asWritten(line: string): string {
    return this.#values.reduce((l, { written, now }) => (now === null ? l : l.replaceAll(now, written)), line)
  }
}

/** What a line may differ in from the README's and still be the same: peer ids, times and rates. */
function normal(line: string): string {
  return line
    .replace(/^peer [0-9a-f]{16}…/, 'peer <id>…')
    .replace(/ in [\d.]+ s$/, ' in <t> s')
    .replace(/\| [\d.]+ [KMGT]?B\/s \|/, '| <rate>/s |')
}

function normalAll(lines: string[]): string[] {
  return lines.map(normal)
}

/**
 * Whether the streams hold the lines expected, each stream in the order written: processes print
 * side by side, so lines of different streams may come in either order.
 */
function sameLines(expected: string[], streams: string[][]): boolean {
  const sorted = (lines: string[]) => [...lines].sort().join('\n')
  if (sorted(streams.flat()) !== sorted(expected)) return false
  return streams.every((stream) => {
    let at = 0
    for (const line of stream) {
      at = expected.indexOf(line, at) + 1
      if (at === 0) return false
    }
    return true
  })
}

/** Who printed what: `null` is the step's own command, else the job's command (`serve`). */
type Printed = { from: string | null; streams: string[][] }[]

/** Each printer's lines as one sorted list, `serve: peer <id>… connected`, to show what differs. */
function attributed(printed: Printed): string[] {
  return printed
    .flatMap(({ from, streams }) => streams.flat().map((line) => `${from ?? '(this command)'}: ${line}`))
    .sort()
}

/** Whether every printer printed its lines, and no other printer anything. */
function samePrinters(expected: Printed, printed: Printed): boolean {
  const froms = new Set([...expected, ...printed.filter((p) => p.streams.some((s) => s.length > 0))].map((p) => p.from))
  return [...froms].every((from) => {
    const lines = expected.filter((p) => p.from === from).flatMap((p) => p.streams.flat())
    return sameLines(
      lines,
      printed.filter((p) => p.from === from).flatMap((p) => p.streams),
    )
  })
}

test('the one-machine trial in the README runs as written: testnet, serve, clone, append, clone again', {
  timeout: 90_000,
}, async (context) => {
  const t = new Teardown(context)
  const steps = await readTranscript(README, HEADING)
  const shell = new Shell(t, await tmpDir(t))
  const values = new Values(steps)
  for (const step of steps) {
    const mark = shell.mark()
    const ending = shell.run(
      step.words.map((word) => values.toRun(word)),
      step.background,
    )
    // What each process printed meanwhile, stream by stream, as the README would show it.
    const printed = (): Printed => {
      const shown = shell.printedSince(mark)
      values.learn(shown.flatMap((p) => p.streams.flat()))
      return shown.map(({ from, streams }) => ({
        from,
        streams: streams.map((stream) => normalAll(stream.map((line) => values.asWritten(line)))),
      }))
    }
    const expected: Printed = step.output.map(({ text, from }) => ({ from, streams: [[normal(text)]] }))
    const done = () => ending.every((p) => p.ended) && samePrinters(expected, printed())
    await until(shell.processes, done, STEP_MS, 'as the README shows').catch((err: Error) => {
      // Show what differs (a line, or who printed it), then (when only the order or an exit is wrong) the whole story.
      assert.deepEqual(attributed(printed()), attributed(expected), `$ ${step.line}`)
      throw err
    })
    for (const p of ending) assert.equal(p.child.exitCode, 0, `$ ${step.line} exits 0\n${p.stderr}`)
  }
  assert.deepEqual(shell.jobs, [], 'the transcript stops every job it starts')
})

test('the transcript is read as a shell reads it, and what the test could not run is refused', () => {
  assert.deepEqual(shellWords("corestore append ./notes 'day 1: it works' x  # a comment"), [
    'corestore',
    'append',
    './notes',
    'day 1: it works',
    'x',
  ])
  assert.deepEqual(shellWords('corestore serve ./notes &'), ['corestore', 'serve', './notes', '&'])
  for (const line of ['echo "x"', 'corestore cat $DIR', 'corestore info . | head', "corestore append ./n 'open"]) {
    assert.throws(() => shellWords(line), line)
  }
})
