// Serve examples/browser/app.js, bundled by esbuild for browsers, with a Node store to replicate with.
// Run: pnpm example:browser, then open the address it prints.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Corestore, randomAccessMemory } from '@corestore/core'
import { build } from 'esbuild'
import { createWebSocketStream, WebSocketServer } from 'ws'

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>corestore</title><pre id="log"></pre><script type="module" src="/app.js"></script>'

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
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
    else if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(app)
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
  const sockets = new WebSocketServer({ server, path: '/replicate' })
  sockets.on('connection', (socket) => {
    const wire = createWebSocketStream(socket)
    const stream = store.replicate(false, { live: true })
    wire.pipe(stream).pipe(wire)
    wire.on('error', () => stream.destroy())
    stream.on('error', () => wire.destroy())
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))

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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const example = await startBrowserExample(8080)
  console.log(`open ${example.url} in a browser (Ctrl-C stops)`)
  example.received.then((block) => console.log(`from the browser: ${block}`))
  process.once('SIGINT', () => example.close())
}
