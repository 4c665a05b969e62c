// How long a reader waits for the first block of a core after it joins the core's discovery key:
// DHT look-up, connection, replication handshake and one block, on a loopback testnet.
// Run: pnpm bench:network [runs]   (default 10; prints every run and the median)
import { Corestore } from '@corestore/core'
import { randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { Networker } from '@corestore/networker'
import { LOOPBACK, startTestnet } from '../test/helpers.ts'

const runs = Number(process.argv[2] ?? 10)
const testnet = await startTestnet()
const onTestnet = { bootstrap: testnet.bootstrap, host: LOOPBACK }

async function ready(): Promise<Corestore> {
  const store = new Corestore(randomAccessMemory)
  await store.ready()
  return store
}

/** One run: a fresh owner announces a fresh core; a fresh reader joins and reads block 0. */
async function firstBlock(): Promise<number> {
  const [ownerStore, readerStore] = await Promise.all([ready(), ready()])
  const core = ownerStore.default()
  await engine.ready(core)
  await engine.append(core, Buffer.from('the first block'))
  const owner = new Networker(ownerStore, onTestnet)
  const reader = new Networker(readerStore, onTestnet)
  try {
    await owner.join(core.discoveryKey as Buffer, { announce: true, lookup: false })
    const copy = readerStore.get(core.key as Buffer)
    await engine.ready(copy)
    const start = process.hrtime.bigint()
    const joined = reader.join(core.discoveryKey as Buffer, { announce: false, lookup: true })
    await engine.get(copy, 0, { timeout: 30_000 })
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    await joined
    return ms
  } finally {
    await Promise.all([owner.close(), reader.close()])
    await Promise.all([ownerStore.close(), readerStore.close()])
  }
}

const times: number[] = []
for (let i = 0; i < runs; i++) {
  const ms = await firstBlock()
  times.push(ms)
  console.log(`run ${String(i + 1).padStart(2)}: ${ms.toFixed(1)} ms`)
}
await testnet.destroy()

const sorted = [...times].sort((a, b) => a - b)
const mid = Math.floor(sorted.length / 2)
const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
console.log(`median of ${runs}: ${median.toFixed(1)} ms (first block after join, loopback testnet of 3 nodes)`)
