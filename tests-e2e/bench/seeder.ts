// The seeder of the seed scenario (seed.ts starts it, under `ulimit -n`): serves a directory of
// stored cores to the one peer that connects over TCP on 127.0.0.1, and reports what it cost.
// Usage: seeder.ts <impl> <dir> [<keys file>]   (bare needs the keys: it opens every core up front)
// Prints `{ "port": … }` once listening; on a line `stats` on stdin, prints its figures (below);
// exits when stdin ends.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const [impl = 'ours', dir = '.', keysFile] = process.argv.slice(2)
// The baselines run on hypercore 9 as its users get it, with memory-pager (see child.ts).
if (impl !== 'ours') createRequire(import.meta.url)('hypercore')
const { coreDirectory } = await import('@corestore/bootstrap/internal')
const { createProtocolStream } = await import('@corestore/engine')
const { engine } = await import('@corestore/engine/internal')
const { discoveryKey } = await import('@corestore/keychain')
const { bareCore, openStore } = await import('./impls.ts')

/** Figures the seeder reports: the most descriptors and RSS seen, failed opens, errors, CPU time. */
const stats = { peakFds: 0, errors: 0, firstError: '', cores: 0, failedOpens: 0, firstOpenError: '' }

// Every file a store opens goes through fs.open (random-access-file): count the opens that fail for
// want of a descriptor.
// 5.8.2 turns a failed open into a refused channel or a core that never opens, and reports nothing.
const fs = createRequire(import.meta.url)('node:fs') as { open: (...args: unknown[]) => void }
const open = fs.open
fs.open = (...args: unknown[]) => {
  const cb = args.pop() as (err: NodeJS.ErrnoException | null, fd?: number) => void
  open(...args, (err: NodeJS.ErrnoException | null, fd?: number) => {
    // Files that do not exist yet (a bare core's secret_key) fail too: only running out counts.
    if (err && (err.code === 'EMFILE' || err.code === 'ENFILE')) {
      stats.failedOpens++
      stats.firstOpenError ||= String(err.code)
    }
    cb(err, fd)
  })
}
const sample = () => {
  try {
    stats.peakFds = Math.max(stats.peakFds, readdirSync('/proc/self/fd').length - 1)
  } catch {
    // No descriptor left to list them with: the limit is the figure.
  }
}
const sampler = setInterval(sample, 50)
const onerror = (err: Error) => {
  stats.errors++
  stats.firstError ||= `${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`.trim()
}
process.on('uncaughtException', onerror)

/** One replication stream for the peer: the store's, or (bare) every core opened up front on one. */
async function server(): Promise<{ replicate(): ReturnType<typeof createProtocolStream>; close(): Promise<void> }> {
  if (impl === 'bare') {
    const keys = (JSON.parse(readFileSync(keysFile as string, 'utf8')) as string[]).map((k) => Buffer.from(k, 'hex'))
    const cores: import('@corestore/engine').CallbackHypercore[] = []
    // One at a time, so where the descriptors run out is exact.
    for (const key of keys) {
      const core = bareCore(join(dir, coreDirectory(discoveryKey(key).toString('hex'))), key)
      core.on('error', onerror)
      try {
        await engine.ready(core)
      } catch (err) {
        onerror(err as Error)
        break
      }
      cores.push(core)
    }
    stats.cores = cores.length
    return {
      replicate() {
        const stream = createProtocolStream(true, { live: true })
        for (const core of cores) core.replicate(true, { stream, live: true })
        return stream
      },
      close: () => Promise.all(cores.map((c) => engine.close(c).catch(() => {}))).then(() => {}),
    }
  }
  const store = openStore(impl === 'legacy' ? 'legacy' : 'ours', dir)
  ;(store as unknown as NodeJS.EventEmitter).on?.('error', onerror)
  await store.ready()
  return { replicate: () => store.replicate(true, { live: true }), close: () => store.close().catch(() => {}) }
}

const serving = await server()
const sockets = new Set<Socket>()
let cpuAtConnect = process.cpuUsage()
const tcp = createServer((socket) => {
  cpuAtConnect = process.cpuUsage()
  sockets.add(socket)
  const stream = serving.replicate()
  socket.on('error', () => {})
  stream.on('error', onerror)
  socket.pipe(stream).pipe(socket)
})
tcp.listen(0, '127.0.0.1', () => {
  const address = tcp.address()
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`)
})

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'stats') continue
  sample()
  const cpu = process.cpuUsage(cpuAtConnect)
  process.stdout.write(
    `${JSON.stringify({
      ...stats,
      peakRssKiB: process.resourceUsage().maxRSS,
      cpuMs: (cpu.user + cpu.system) / 1000,
    })}\n`,
  )
}
clearInterval(sampler)
for (const socket of sockets) socket.destroy()
tcp.close()
await serving.close()
process.exit(0)
