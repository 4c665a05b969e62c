// Serve examples/browser: its page (index.html) and app.js bundled by esbuild for browsers, with a
// Node store to replicate with.
// Run: pnpm example:browser [--port n] (8080 by default; 0 for any free port), then open the address it prints.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Corestore, randomAccessMemory } from '@corestore/core'
import { build } from 'esbuild'
import { createWebSocketStream, WebSocketServer } from 'ws'

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

/** The port a browser finds the example on by default: a fixed one, so its IndexedDB (kept per origin) is found again. */
const DEFAULT_PORT = 8080

export interface BrowserExample {
  url: string
  /** The first block of each browser core this server was told about, as it arrives. */
  received: Promise<string>
  close(): Promise<void>
}

export async function startBrowserExample(port = 0): Promise<BrowserExample> {
  const bundled = await build({
    entryPoints: [here('./app.js')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    inject: [here('./shim.js')],
  })
  const app = bundled.outputFiles[0]?.text ?? ''
  const page = await readFile(here('./index.html'), 'utf8')

  const store = new Corestore(randomAccessMemory)
  await store.ready()
  const greetings = store.default()
  await greetings.ready()
  await greetings.append(Buffer.from('hello from a Node store'))

  let receive: (block: string) => void = () => {}
  const received = new Promise<string>((resolve) => {
    receive = resolve
  })

  const server = createServer(async (req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(page)
    else if (req.url === '/app.bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(app)
    else if (req.url === '/hello' && req.method === 'POST') {
      let body = ''
      for await (const chunk of req) body += chunk
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ key: greetings.key?.toString('hex') }))
      // Open the browser's core: the replication stream carries it, and its first block arrives.
      const visits = store.get({ key: Buffer.from(body, 'hex') })
      visits.get(0, { timeout: 10_000 }).then(
        (block: Buffer) => receive(block.toString()),
        () => {},
      )
    } else res.writeHead(404).end()
  })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', resolve)
    })
  } catch (err) {
    await store.close()
    throw err
  }
  // Made once the port is ours: a WebSocketServer repeats its HTTP server's errors, a taken port's too.
  const sockets = new WebSocketServer({ server, path: '/replicate' })
  sockets.on('connection', (socket) => {
    const wire = createWebSocketStream(socket)
    const stream = store.replicate(false, { live: true })
    wire.pipe(stream).pipe(wire)
    wire.on('error', () => stream.destroy())
    stream.on('error', () => wire.destroy())
  })

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    received,
    async close() {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await store.close()
    },
  }
}

/** The port `--port` asks for; a mistake is one line and exit code 1, as the corestore command does it. */
function portOption(args: string[]): number {
  const fail = (why: string): never => {
    console.error(`example:browser: ${why}\nusage: pnpm example:browser [--port n]`)
    process.exit(1)
  }
  let value: string | undefined
  try {
    value = parseArgs({ args, options: { port: { type: 'string' } } }).values.port
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? ''
    return fail(message.replace(/^Unknown option '(.*)'.*$/, 'unknown option $1'))
  }
  if (value === undefined) return DEFAULT_PORT
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    fail(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(value)}`)
  return Number(value)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = portOption(process.argv.slice(2))
  try {
    const example = await startBrowserExample(port)
    console.log(`open ${example.url} in a browser (Ctrl-C stops)`)
    example.received.then((block) => console.log(`from the browser: ${block}`))
    process.once('SIGINT', () => example.close())
    process.once('SIGTERM', () => example.close())
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    console.error(
      `example:browser: 127.0.0.1:${port} is in use (another copy of this example?): pass --port <n>, or --port 0 for any free port`,
    )
    process.exitCode = 1
  }
}
