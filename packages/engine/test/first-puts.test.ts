import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  bareHypercore,
  type CallbackHypercore,
  createHypercore,
  type Hypercore,
  randomAccessMemory,
  type StorageFactory,
} from '@corestore/engine'
import { engine } from '@corestore/engine/internal'

type Proof = { nodes: unknown[]; signature: Buffer | null }
type Done = (err: Error | null, value?: unknown) => void
/** hypercore 9's `proof` and `put`, which the engine's types leave out. */
interface ProofAndPut {
  proof(index: number, cb: Done): void
  put(index: number, data: Buffer, proof: Proof, cb: Done): void
}

/** A memory storage that counts the writes to each of a core's files. */
function counting(): { storage: StorageFactory; writes: Map<string, number> } {
  const writes = new Map<string, number>()
  const storage = (name: string) => {
    const file = randomAccessMemory()
    const write = file.write.bind(file)
    file.write = ((offset: number, data: Buffer, cb?: (err: Error | null) => void) => {
      writes.set(name, (writes.get(name) ?? 0) + 1)
      write(offset, data, cb)
    }) as typeof file.write
    return file
  }
  return { storage, writes }
}

async function writerOf(blocks: number): Promise<Hypercore> {
  const owner = createHypercore(randomAccessMemory, null)
  await engine.ready(owner)
  await engine.append(
    owner,
    Array.from({ length: blocks }, (_, i) => Buffer.from(`block ${i}`)),
  )
  return owner
}

/** `copy` downloads every block of `owner` over a hypercore-protocol stream pair. */
async function download(owner: Hypercore, copy: CallbackHypercore<unknown>): Promise<void> {
  const done = new Promise<void>((resolve, reject) =>
    copy.download({ start: 0, end: owner.length }, (err: Error | null) => (err ? reject(err) : resolve())),
  )
  const s1 = owner.replicate(true)
  const s2 = copy.replicate(false)
  for (const s of [s1, s2]) s.on('error', () => {})
  s1.pipe(s2).pipe(s1)
  await done
  s1.destroy()
}

function proofOf(core: Hypercore, index: number): Promise<Proof> {
  return new Promise((resolve, reject) =>
    (core as unknown as ProofAndPut).proof(index, (err, proof) => (err ? reject(err) : resolve(proof as Proof))),
  )
}

function put(core: CallbackHypercore<unknown>, index: number, data: Buffer, proof: Proof): Promise<void> {
  return new Promise((resolve, reject) =>
    (core as unknown as ProofAndPut).put(index, data, proof, (err) => (err ? reject(err) : resolve())),
  )
}

test('a new core downloading blocks that arrive together checks and writes the signature once', async () => {
  const owner = await writerOf(64)
  // Bare hypercore 9 puts the first 16 blocks (one request's worth) side by side: each one verifies
  // the signature and writes it.
  const bare = counting()
  const plain = bareHypercore(bare.storage, owner.key)
  await engine.ready(plain)
  await download(owner, plain)
  await engine.close(plain)
  assert.ok(
    (bare.writes.get('signatures') ?? 0) > 2,
    `bare hypercore wrote ${bare.writes.get('signatures')} signatures`,
  )

  const ours = counting()
  const copy = createHypercore(ours.storage, owner.key)
  await engine.ready(copy)
  await download(owner, copy)
  for (let i = 0; i < 64; i++) assert.deepEqual(await engine.get(copy, i), Buffer.from(`block ${i}`))
  assert.equal(copy.length, 64)
  await engine.close(copy)
  await engine.close(owner)
  // The header, then one signature.
  assert.equal(ours.writes.get('signatures'), 2)
  assert.ok((ours.writes.get('tree') ?? 0) < (bare.writes.get('tree') ?? 0), 'fewer tree writes than bare')
})

test('a first put that fails does not hold up the puts waiting behind it', async () => {
  const owner = await writerOf(4)
  const copy = createHypercore(randomAccessMemory, owner.key)
  await engine.ready(copy)
  const proofs = await Promise.all([0, 1, 2, 3].map((i) => proofOf(owner, i)))
  const puts = [
    put(copy, 0, Buffer.from('not block 0'), proofs[0] as Proof),
    put(copy, 1, Buffer.from('block 1'), proofs[1] as Proof),
    put(copy, 2, Buffer.from('block 2'), proofs[2] as Proof),
  ]
  const settled = await Promise.allSettled(puts)
  assert.equal(settled[0]?.status, 'rejected')
  assert.deepEqual(
    settled.slice(1).map((s) => s.status),
    ['fulfilled', 'fulfilled'],
  )
  assert.equal(copy.length, 4)
  assert.deepEqual(await engine.get(copy, 2), Buffer.from('block 2'))
  assert.equal(copy.has(0), false)
  // Once it has a length, a put goes at once, as hypercore's own.
  await put(copy, 3, Buffer.from('block 3'), proofs[3] as Proof)
  assert.deepEqual(await engine.get(copy, 3), Buffer.from('block 3'))
  await Promise.all([engine.close(copy), engine.close(owner)])
})
