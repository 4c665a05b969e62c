// Two stores replicate a namespace's cores over ONE stream.
// The owner keeps its cores in a directory; the reader holds copies in memory.
// Run: pnpm start              (or pnpm start ./my-store to keep the owner's store, for corestore info)
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Corestore, randomAccessMemory } from '@corestore/core'

const kept = process.argv[2]
const dir = kept ?? (await mkdtemp(join(tmpdir(), 'corestore-example-')))
const owner = new Corestore(dir)
await owner.ready()

// A chat app keeps its data under one namespace: the log of messages and a log of attachments.
const chat = owner.namespace('chat')
const messages = chat.default()
const attachments = chat.get({ name: 'chat/attachments' })
await Promise.all([messages.ready(), attachments.ready()]) // promises, or hypercore 9's callbacks
await messages.append([Buffer.from('hello'), Buffer.from('is anyone there?')])
await attachments.append(Buffer.from('<cat.png, 42 KiB>'))
console.log(`owner (on disk in ${dir}):`)
console.log(`  messages     ${messages.key?.toString('hex')}  ${messages.length} blocks, writable`)
console.log(`  attachments  ${attachments.key?.toString('hex')}  ${attachments.length} block, writable`)

// The reader knows the two keys (shared out of band) and opens read-only copies.
const reader = new Corestore(randomAccessMemory)
await reader.ready()
const messagesCopy = reader.get(messages.key as Buffer)
const attachmentsCopy = reader.get(attachments.key as Buffer)

// One stream pair carries both cores.
const a = chat.replicate(true, { live: true })
const b = reader.replicate(false, { live: true })
a.pipe(b).pipe(a)

console.log('\nreader received, over one stream:')
for (const [label, copy, length] of [
  ['messages', messagesCopy, 2],
  ['attachments', attachmentsCopy, 1],
] as const) {
  for (let i = 0; i < length; i++) {
    const block = await copy.get(i, { timeout: 10_000 })
    console.log(`  ${label.padEnd(12)} #${i}  ${block.toString()}`)
  }
}

a.destroy()
await Promise.all([owner.close(), reader.close()])
if (kept) console.log(`\nthe owner's store is in ${dir}: look inside with pnpm corestore info ${dir}`)
else await rm(dir, { recursive: true, force: true })
console.log('\ndone: both stores closed.')
