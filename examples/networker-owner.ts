// The owner: writes a chat log, announces it on the DHT, and keeps writing while a peer listens.
// Run through the launcher (pnpm example:network), or alone against the public DHT:
//   node --conditions=source --import tsx examples/networker-owner.ts [--bootstrap host:port]
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Corestore } from '@corestore/core'
import { Networker } from '@corestore/networker'
import { networkOptions } from './networker-options.ts'

const dir = await mkdtemp(join(tmpdir(), 'corestore-owner-'))
const store = new Corestore(dir)
await store.ready()
const messages = store.namespace('chat').default()
await messages.ready()
await messages.append([Buffer.from('hello from the owner'), Buffer.from('this log lives on my disk')])

const networker = new Networker(store, networkOptions(process.argv))
// The owner only needs to be found: it announces, and lets readers dial it.
await networker.join(messages.discoveryKey as Buffer, { announce: true, lookup: false })
// The launcher reads this line to tell the reader which core to look up.
console.log(`key ${(messages.key as Buffer).toString('hex')}`)

networker.once('peer-add', async (peer) => {
  console.log(`peer ${peer.remotePublicKey.toString('hex').slice(0, 8)}… connected`)
  // Blocks written now travel over the live stream as they are appended.
  for (const text of ['written while you were listening', 'bye!']) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    await messages.append(Buffer.from(text))
  }
})

// Stop when the launcher closes our stdin, or on Ctrl-C.
async function stop(): Promise<void> {
  process.stdin.pause()
  await networker.close()
  await store.close()
  await rm(dir, { recursive: true, force: true })
  console.log('closed')
}
process.stdin.resume()
process.stdin.once('end', stop)
process.once('SIGINT', stop)
