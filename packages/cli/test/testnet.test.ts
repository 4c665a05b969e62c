import assert from 'node:assert/strict'
import { createSocket, type Socket } from 'node:dgram'
import { existsSync } from 'node:fs'
import { readdir, readFile, readlink } from 'node:fs/promises'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import { run } from '@corestore/cli'
import { LOOPBACK, type SocketAddress, Testnet } from '../src/testnet.ts'
import { type Hooks, Running, Teardown, until } from './helpers.ts'

/** dht-rpc keeps each node's two UDP sockets here: the one others reach it on, and the one it asks from. */
interface NodeSockets {
  io: { serverSocket: { address(): SocketAddress }; clientSocket: { address(): SocketAddress } }
}

test('every node of a testnet binds both its sockets to 127.0.0.1, and --bootstrap names the first', async (t) => {
  const net = await Testnet.start({ size: 3 })
  t.after(() => net.close())
  assert.equal(net.nodes.length, 3)
  assert.equal(net.bootstrap, `127.0.0.1:${net.nodes[0]?.address()?.port}`)
  for (const node of net.nodes) {
    assert.deepEqual({ ...node.address(), port: 0 }, { host: LOOPBACK, family: 4, port: 0 })
    const { io } = node as unknown as NodeSockets
    for (const socket of [io.serverSocket, io.clientSocket]) assert.equal(socket.address().host, LOOPBACK)
  }
  await net.close()
  await net.close()
})

/** The inet sockets process `pid` holds, from Linux's /proc: protocol and local address of each. */
async function socketsOf(pid: number): Promise<string[]> {
  const inodes = new Set<string>()
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1]
    if (inode) inodes.add(inode)
  }
  const out: string[] = []
  for (const table of ['udp', 'udp6', 'tcp', 'tcp6', 'raw', 'raw6']) {
    // Each row: sl, local address (hex IP:port), remote address, state, …, inode (the 10th field).
    for (const row of (await readFile(`/proc/${pid}/net/${table}`, 'utf8')).split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/)
      if (fields[9] && inodes.has(fields[9])) out.push(`${table} ${address(fields[1] as string)}`)
    }
  }
  return out.sort()
}

/** `0100007F:C289` (the IPv4 address in the byte order of x86 and ARM, the port in hex) as `127.0.0.1:49801`. */
function address(hex: string): string {
  const [ip = '', port = ''] = hex.split(':')
  const host =
    ip.length === 8
      ? (ip.match(/../g) ?? [])
          .reverse()
          .map((b) => Number.parseInt(b, 16))
          .join('.')
      : ip
  return `${host}:${Number.parseInt(port, 16)}`
}

/** `corestore testnet ...args` until it says it is ready; killed when the test ends. */
async function started(t: Hooks, args: string[]): Promise<Running> {
  const running = new Running(t, ['testnet', ...args])
  await running.line(/^ready: press Ctrl-C to stop$/)
  return running
}

test('corestore testnet opens no socket but UDP on 127.0.0.1, prints what serve and clone take, and exits 0 on SIGINT', {
  skip: existsSync('/proc/self/net/udp') ? false : 'reads the process sockets from Linux /proc',
  timeout: 60_000,
}, async (context) => {
  const t = new Teardown(context)
  const running = await started(t, [])
  const port = /--bootstrap 127\.0\.0\.1:(\d+)$/.exec(running.lines[2] ?? '')?.[1]
  assert.deepEqual(running.lines, [
    'a DHT of 3 nodes on 127.0.0.1, for this machine only',
    'serve and clone on this machine join it with:',
    `  corestore serve <dir> --bootstrap 127.0.0.1:${port}`,
    `  corestore clone <key> <dir> --bootstrap 127.0.0.1:${port}`,
    'ready: press Ctrl-C to stop',
  ])
  const sockets = await socketsOf(running.child.pid as number)
  // Two UDP sockets a node, each on 127.0.0.1; the bootstrap node's on the printed port.
  assert.equal(sockets.length, 6, sockets.join('\n'))
  for (const socket of sockets) assert.match(socket, /^udp 127\.0\.0\.1:\d+$/)
  assert.ok(sockets.includes(`udp 127.0.0.1:${port}`), sockets.join('\n'))

  running.child.kill('SIGINT')
  assert.equal(await running.exited, 0, running.stderr)
  assert.deepEqual(running.lines.slice(-2), ['SIGINT: closing', 'closed'])
  assert.deepEqual(running.errors, [])
})

/** A UDP socket on 127.0.0.1, on a port the system picks. */
async function udpSocket(): Promise<Socket> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve))
  return socket
}

/**
 * A UDP port on 127.0.0.1 that is free now and that the system never hands out for port 0 (below
 * Linux's and macOS's ephemeral ranges): another test's socket cannot take it before the testnet does.
 */
async function freePortOutsideEphemeralRange(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    const socket = createSocket('udp4')
    const bound = await new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(false))
      socket.bind(port, LOOPBACK, () => resolve(true))
    })
    if (bound) {
      await closeSocket(socket)
      return port
    }
    socket.close()
  }
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()))
}

test('testnet --port puts the bootstrap node on that port, --nodes sets how many; SIGTERM closes it too', {
  timeout: 60_000,
}, async (context) => {
  const t = new Teardown(context)
  const port = await freePortOutsideEphemeralRange()
  const running = await started(t, ['--port', String(port), '--nodes', '1'])
  assert.equal(running.lines[0], 'a DHT of 1 node on 127.0.0.1, for this machine only')
  assert.equal(running.lines[2], `  corestore serve <dir> --bootstrap 127.0.0.1:${port}`)
  running.child.kill('SIGTERM')
  assert.equal(await running.exited, 0, running.stderr)
  assert.deepEqual(running.lines.slice(-2), ['SIGTERM: closing', 'closed'])
})

/** `corestore ...args` run in this process: what it printed and its exit code. */
async function runHere(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()]
  const text = (stream: PassThrough) => stream.setEncoding('utf8').read() ?? ''
  const code = await run(args, { stdin: new PassThrough(), stdout, stderr })
  return { code, stdout: text(stdout), stderr: text(stderr) }
}

test('testnet refuses bad options naming them, with its usage line and exit code 1', async () => {
  const cases: [string[], string][] = [
    [['--nodes', '0'], '--nodes must be a whole number from 1 to 64, got "0"'],
    [['--nodes', '65'], '--nodes must be a whole number from 1 to 64, got "65"'],
    [['--nodes', 'three'], '--nodes must be a whole number from 1 to 64, got "three"'],
    [['--port', '0'], '--port must be a whole number from 1 to 65535, got "0"'],
    [['--port', '65536'], '--port must be a whole number from 1 to 65535, got "65536"'],
    [['--port', '-1'], '--port needs a value (one that starts with - is written --port=-…)'],
    [['--port'], '--port needs a value'],
    [['--host', '0.0.0.0'], 'unknown option --host'],
    [['now'], 'unexpected argument "now"'],
  ]
  for (const [args, message] of cases) {
    const usage = 'usage: corestore testnet [--nodes n] [--port port]\n'
    const expected = { code: 1, stdout: '', stderr: `corestore testnet: ${message}\n${usage}` }
    assert.deepEqual(await runHere(['testnet', ...args]), expected, args.join(' '))
  }
})

test('testnet refuses a port in use in one line, and exits at once', { timeout: 30_000 }, async (context) => {
  const t = new Teardown(context)
  const holder = await udpSocket()
  t.after(() => closeSocket(holder))
  const taken = holder.address().port
  // Exits at once, not at the launcher's 5 s backstop: the command leaves no socket open (no half-made
  // DHT node). Run in this process, every socket it made is closed by the time it returns. A closed
  // socket leaves node's list in libuv's close phase, which follows the check phase of the same loop
  // turn: two setImmediate turns are past it, whatever the machine's load.
  const sockets = async () => {
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve))
    return process.getActiveResourcesInfo().filter((kind) => kind === 'UDPWrap').length
  }
  const before = await sockets()
  const here = await runHere(['testnet', '--port', String(taken)])
  assert.equal(here.code, 1)
  assert.equal(here.stderr, `corestore testnet: cannot bind 127.0.0.1:${taken}: address already in use\n`)
  assert.equal(await sockets(), before, 'no socket left open')

  // And as a user runs it: one line, exit code 1.
  const running = new Running(t, ['testnet', '--port', String(taken)])
  await until([running], () => running.errors.length > 0, 20_000, 'refused')
  assert.equal(await running.exited, 1)
  assert.deepEqual(running.errors, [`corestore testnet: cannot bind 127.0.0.1:${taken}: address already in use`])
  assert.deepEqual(running.lines, [])
})
