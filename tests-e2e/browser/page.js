// What the browser tests drive: a store, the keychain, browser storages, and a WebSocket for a stream.
import Corestore from '@corestore/core'
import { discoveryKey, Keychain } from '@corestore/keychain'
import idb from 'random-access-idb'
import ram from 'random-access-memory'

/**
 * Carry a replication stream over a WebSocket: each binary message is written to the stream and
 * each chunk the stream reads out is sent. Resolves once the socket is open.
 */
function replicateOver(url, stream) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    socket.binaryType = 'arraybuffer'
    socket.onopen = () => {
      stream.on('data', (chunk) => socket.send(chunk))
      resolve(socket)
    }
    socket.onerror = () => reject(new Error(`WebSocket ${url} failed`))
    socket.onmessage = (event) => stream.write(Buffer.from(event.data))
    socket.onclose = () => stream.destroy()
    stream.on('close', () => socket.close())
  })
}

globalThis.corestore = { Corestore, Keychain, discoveryKey, idb, ram, Buffer, replicateOver }
