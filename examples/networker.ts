// Two processes replicate a chat log over hyperswarm: the owner announces it, the reader looks it
// up and prints blocks as they arrive. Everything runs on a DHT of this machine (127.0.0.1 only).
// Run: pnpm example:network
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

interface Testnet {
  readonly bootstrap: { host: string; port: number }[]
  destroy(): Promise<void>
}
const require = createRequire(import.meta.url)
const createTestnet = require('hyperdht/testnet') as (size: number, opts: { host: string }) => Promise<Testnet>

// A DHT of three bootstrap nodes on loopback: a stand-in for the public one.
const testnet = await createTestnet(3, { host: '127.0.0.1' })
const bootstrap = testnet.bootstrap.map(({ host, port }) => `${host}:${port}`)
console.log(`testnet: bootstrap ${bootstrap.join(', ')}`)

const here = fileURLToPath(new URL('.', import.meta.url))
const flags = bootstrap.flatMap((node) => ['--bootstrap', node])

interface Child {
  readonly child: ChildProcessWithoutNullStreams
  readonly lines: AsyncIterator<string>
  readonly exited: Promise<unknown[]>
}

function start(name: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', `${here}${name}.ts`, ...args])
  child.stderr.pipe(process.stderr)
  return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator](), exited: once(child, 'exit') }
}

const owner = start('networker-owner', flags)
const first = await owner.lines.next()
const key = first.done ? null : /^key ([0-9a-f]{64})$/.exec(first.value)?.[1]
if (!key) throw new Error(`the owner did not announce a key (said ${JSON.stringify(first.value)})`)
console.log(`owner: announced ${key}`)
const ownerDone = (async () => {
  for (let line = await owner.lines.next(); !line.done; line = await owner.lines.next())
    console.log(`owner: ${line.value}`)
})()

const reader = start('networker-reader', [key, '4', ...flags])
console.log('reader received:')
for (let line = await reader.lines.next(); !line.done; line = await reader.lines.next()) {
  console.log(line.value.startsWith('#') ? `  ${line.value}` : `reader: ${line.value}`)
}
const [readerCode] = await reader.exited

owner.child.stdin.end() // the owner closes when its stdin ends
await ownerDone
const [ownerCode] = await owner.exited
await testnet.destroy()
if (readerCode !== 0 || ownerCode !== 0) throw new Error(`exit codes: reader ${readerCode}, owner ${ownerCode}`)
console.log('done: both processes exited and the testnet is down.')
