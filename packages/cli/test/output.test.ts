import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { lineWriter, write } from '../src/command.ts'

/** An output whose reader takes nothing: every write after the first is backpressure. */
function stuck(): Writable & { written: string[] } {
  const written: string[] = []
  const out = new Writable({
    highWaterMark: 1,
    write(chunk, _enc, cb) {
      written.push(String(chunk))
      // Never calls back: the reader went to sleep.
      void cb
    },
  })
  return Object.assign(out, { written })
}

test('write() to an output that fails instead of draining rejects with the failure', async () => {
  const out = stuck()
  const pending = write(out, 'first\n')
  out.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))
  await assert.rejects(pending, /EPIPE/)
})

test('write() to an output that closes instead of draining rejects, and leaves no listener behind', async () => {
  const out = stuck()
  const pending = write(out, 'first\n')
  out.destroy()
  await assert.rejects(pending, (err: NodeJS.ErrnoException) => err.code === 'EPIPE')
  assert.equal(out.listenerCount('drain'), 0)
})

test('a burst of lines from event handlers waits once at a time, in order', async () => {
  const chunks: string[] = []
  let release: (() => void) | null = null
  const out = new Writable({
    highWaterMark: 1,
    write(chunk, _enc, cb) {
      chunks.push(String(chunk))
      release = () => cb()
    },
  })
  const warnings: Error[] = []
  const onwarning = (w: Error) => warnings.push(w)
  process.on('warning', onwarning)
  const say = lineWriter(out)
  for (let i = 0; i < 50; i++) say(`line ${i}`)
  assert.ok(out.listenerCount('drain') <= 1, `${out.listenerCount('drain')} drain listeners`)
  while (chunks.length < 50) {
    await new Promise((r) => setImmediate(r))
    const r = release as (() => void) | null
    release = null
    r?.()
  }
  process.off('warning', onwarning)
  assert.deepEqual(
    chunks,
    Array.from({ length: 50 }, (_, i) => `line ${i}\n`),
  )
  assert.deepEqual(warnings, [])
})
