// fdatasync latency on this machine, to read the durable figures against: a 1 KiB write then an
// fdatasync (callback form, through libuv's thread pool, as the store calls it), and the same on
// three files at once (what one durable commit syncs: data, tree, signatures). With --load, measured
// while this script keeps the machine busy: one busy loop per core, and one more process writing
// 1 MiB and fsyncing it, over and over. The load average is printed with each line.
// Usage: node --import tsx tests-e2e/bench/fsync-latency.ts [--samples 300] [--load]
import { type ChildProcess, spawn } from 'node:child_process'
import { fdatasync, write } from 'node:fs'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import { fmt, median, table } from './format.ts'

const { values } = parseArgs({
  options: { samples: { type: 'string', default: '300' }, load: { type: 'boolean', default: false } },
})
const samples = Number(values.samples)
const writeAt = promisify(write) as (fd: number, buf: Buffer, off: number, len: number, pos: number) => Promise<unknown>
const datasync = promisify(fdatasync)
const BLOCK = Buffer.alloc(1024, 0x61)

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? 0

/** Milliseconds per round, `samples` rounds: 1 KiB written to each of `files` files, then each synced, all at once. */
async function measure(dir: string, files: number): Promise<number[]> {
  const handles = await Promise.all(Array.from({ length: files }, (_, i) => open(join(dir, `f${files}-${i}`), 'w+')))
  const times: number[] = []
  try {
    for (let round = 0; round < samples; round++) {
      const t = performance.now()
      await Promise.all(
        handles.map(async (h) => {
          await writeAt(h.fd, BLOCK, 0, BLOCK.length, round * BLOCK.length)
          await datasync(h.fd)
        }),
      )
      times.push(performance.now() - t)
    }
  } finally {
    await Promise.all(handles.map((h) => h.close()))
  }
  return times
}

/** Busy loops, one per core, and a writer that syncs 1 MiB at a time: ended by the caller. */
function startLoad(dir: string): ChildProcess[] {
  const spin = 'for (;;) {}'
  const writer = `const fs = require('node:fs'); const fd = fs.openSync(${JSON.stringify(join(dir, 'load'))}, 'w');
    const mib = Buffer.alloc(1 << 20, 1); for (let i = 0; ; i = (i + 1) % 64) { fs.writeSync(fd, mib, 0, mib.length, i << 20); fs.fsyncSync(fd) }`
  return [...cpus().map(() => spin), writer].map((code) => spawn(process.execPath, ['-e', code], { stdio: 'ignore' }))
}

const dir = await mkdtemp(join(tmpdir(), 'fsync-latency-'))
const load = values.load ? startLoad(dir) : []
try {
  if (load.length > 0) await new Promise((resolve) => setTimeout(resolve, 3000))
  const rows = [['what', 'load', 'samples', 'median ms', 'p90 ms', 'p99 ms', 'mean ms', 'load average (1 min)']]
  for (const files of [1, 3]) {
    const times = await measure(dir, files)
    const mean = times.reduce((a, b) => a + b, 0) / times.length
    rows.push([
      files === 1 ? 'write 1 KiB + fdatasync' : '3 files at once (one commit)',
      values.load ? `${load.length - 1} busy loops + a 1 MiB fsync writer` : 'as found',
      String(samples),
      ...[median(times), percentile(times, 0.9), percentile(times, 0.99), mean].map((x) => fmt(x, 3)),
      (loadavg()[0] ?? 0).toFixed(2),
    ])
  }
  console.log(table(rows))
} finally {
  for (const child of load) child.kill()
  await rm(dir, { recursive: true, force: true })
}
