import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import { Progress } from '../src/progress.ts'

/** A stream that says it is a terminal `columns` wide, or a pipe; `text()` is all it was given. */
function screen(columns: number | null): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough()
  if (columns !== null) Object.assign(stream, { isTTY: true, columns })
  const chunks: Buffer[] = []
  stream.on('data', (d: Buffer) => chunks.push(d))
  return { stream, text: () => Buffer.concat(chunks).toString() }
}

/** What a terminal shows of each redraw: the text between cursor moves, escapes left out. */
function drawn(output: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what is split on
  return output.split(/\x1b(?:\[[0-9;?]*[A-Za-z]|[78])|\r|\n/).filter((s) => s.trim() !== '')
}

test('on an 80-column terminal the bar fits whole, with its rate and time left', () => {
  for (const [total, blocks, size] of [
    [20_000, 20_000, 410],
    [1_000_000, 3, 999_999_999],
  ] as const) {
    const { stream, text } = screen(80)
    const progress = new Progress(stream, total)
    progress.start(0)
    for (let i = 0; i < blocks; i++) progress.add(size)
    progress.stop()
    const lines = drawn(text())
    assert.ok(lines.length >= 2, text())
    for (const line of lines) assert.ok(line.length < 80, `${line.length} columns: ${JSON.stringify(line)}`)
    assert.match(
      lines.at(-1) ?? '',
      new RegExp(` \\| ${blocks}/${total} blocks \\| [\\d.]+ [KMG]?B \\| .+/s \\| ETA \\S+`),
    )
  }
  const { stream, text } = screen(80)
  const progress = new Progress(stream, 20_000)
  progress.start(0)
  for (let i = 0; i < 20_000; i++) progress.add(410)
  progress.stop()
  assert.match(drawn(text()).at(-1) ?? '', /^ █{10,40} 100% \| 20000\/20000 blocks \| 8\.2 MB \| .+\/s \| ETA 0s$/)
})

test('into a pipe, lines fit 80 columns and the last one is printed once', () => {
  const { stream, text } = screen(null)
  const progress = new Progress(stream, 300)
  progress.start(0)
  for (let i = 0; i < 300; i++) progress.add(1000)
  progress.stop()
  progress.stop()
  const lines = text().split('\n')
  assert.equal(lines.pop(), '', 'every line ends with a newline')
  assert.equal(lines.length, 2, text())
  assert.match(lines[0] ?? '', / 0% \| 0\/300 blocks \| 0 B \| 0 B\/s \| ETA -$/)
  assert.match(lines[1] ?? '', / 100% \| 300\/300 blocks \| 300\.0 KB \| .+\/s \| ETA 0s$/)
  for (const line of lines) assert.ok(line.length < 80, line)
})
