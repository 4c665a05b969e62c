// The reader: looks a core up by its key on the DHT and prints its blocks as they arrive.
//   node --conditions=source --import tsx examples/networker-reader.ts <key> <blocks> [--bootstrap host:port]
import { Corestore, randomAccessMemory } from '@corestore/core'
import { Networker } from '@corestore/networker'
import { networkOptions } from './networker-options.ts'

const [key, blocks] = process.argv.slice(2)
if (!key || !blocks) throw new Error('usage: networker-reader.ts <key> <blocks> [--bootstrap host:port]')

const store = new Corestore(randomAccessMemory)
await store.ready()
const copy = store.get(key)
await copy.ready()

const networker = new Networker(store, networkOptions(process.argv))
// A reader looks up and need not announce: nobody has to find it.
await networker.join(copy.discoveryKey as Buffer, { announce: false, lookup: true })
for (let i = 0; i < Number(blocks); i++) {
  const block = await copy.get(i, { timeout: 30_000 })
  console.log(`#${i}  ${block.toString()}`)
}

await networker.close()
await store.close()
console.log('closed')
