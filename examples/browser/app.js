// A corestore in the browser: its cores live in IndexedDB (they are still there after a reload),
// and it replicates with the Node store that served this page, over a WebSocket.
import Corestore from '@corestore/core'
import idb from 'random-access-idb'

const log = (line) => {
  document.getElementById('log').textContent += `${line}\n`
}

/** Carry a replication stream over a WebSocket: messages in are written to it, what it reads out is sent. */
function replicateOver(url, stream) {
  const socket = new WebSocket(url)
  socket.binaryType = 'arraybuffer'
  socket.onopen = () => stream.on('data', (chunk) => socket.send(chunk))
  socket.onmessage = (event) => stream.write(Buffer.from(event.data))
  socket.onclose = () => stream.destroy()
  stream.on('close', () => socket.close())
}

const store = new Corestore(idb('corestore-example'))
await store.ready()
const visits = store.default()
await visits.ready()
await visits.append(Buffer.from(`visit at ${new Date().toISOString()}`))
log(`my core      ${visits.key.toString('hex')}: ${visits.length} visit(s), kept in IndexedDB`)

const { key } = await (await fetch('/hello', { method: 'POST', body: visits.key.toString('hex') })).json()
const greetings = store.get({ key: Buffer.from(key, 'hex') })
await greetings.ready()
replicateOver(`ws://${location.host}/replicate`, store.replicate(true, { live: true }))
const greeting = await greetings.get(0, { timeout: 10_000 })
log(`from node:   ${greeting.toString()}`)
