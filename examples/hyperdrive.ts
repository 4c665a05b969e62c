// hyperdrive 10 (a corestore 5 program) on @corestore/core: write a drive, mount another in it, read
// it from a second store over one replication stream, then restart and find the drive writable.
// The only change from corestore 5: the import. docs/migrating.md lists what else can differ.
// Run: pnpm example:hyperdrive
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Corestore, { randomAccessMemory } from '@corestore/core' // was: const Corestore = require('corestore')
import hyperdrive from 'hyperdrive'

const dir = await mkdtemp(join(tmpdir(), 'corestore-hyperdrive-'))
const store = new Corestore(dir)
await store.ready()

// hyperdrive 10 takes the store and derives its cores from it, as it did with corestore 5.
const drive = hyperdrive(store, null)
await drive.promises.ready()
await drive.promises.writeFile('/hello.txt', 'hello from hyperdrive 10')
const photos = hyperdrive(store, null, { namespace: 'photos' })
await photos.promises.ready()
await photos.promises.writeFile('/cat.txt', 'meow')
await drive.promises.mount('/photos', photos.key)
console.log(`drive   ${drive.key.toString('hex')}: ${(await drive.promises.readdir('/')).sort().join(', ')}`)

// A reader knows the drive's key and has a store of its own: one stream carries every core, mounts included.
const reader = new Corestore(randomAccessMemory)
await reader.ready()
const stream = store.replicate(true, { live: true })
stream.pipe(reader.replicate(false, { live: true })).pipe(stream)
const copy = hyperdrive(reader, drive.key)
await copy.promises.ready()
console.log(`reader  /hello.txt: ${await copy.promises.readFile('/hello.txt', 'utf8')}`)
console.log(`reader  /photos/cat.txt: ${await copy.promises.readFile('/photos/cat.txt', 'utf8')}`)

// Closing a drive closes the store it was given, as with corestore 5; the store's close() is safe after it.
stream.destroy()
await Promise.all([copy.promises.close(), photos.promises.close(), drive.promises.close()])
await Promise.all([store.close(), reader.close()])

// After a restart, the drive's key alone opens it writable: its key pair derives from the master key.
const again = new Corestore(dir)
await again.ready()
const reopened = hyperdrive(again, drive.key)
await reopened.promises.ready()
await reopened.promises.writeFile('/again.txt', 'still writable')
console.log(
  `restart /hello.txt: ${await reopened.promises.readFile('/hello.txt', 'utf8')}, writable: ${reopened.writable}`,
)
await reopened.promises.close()
await again.close()
await rm(dir, { recursive: true, force: true })
console.log('done: both stores closed.')
