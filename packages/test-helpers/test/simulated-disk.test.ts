import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type RandomAccessStorage, randomAccessFile } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import {
  CRASH_MODELS,
  type CrashModel,
  createSimulatedDisk,
  PAGE,
  SECTOR,
  type SimulatedDisk,
  seeded,
  tmpDir,
} from '../src/index.ts'

const write = (f: RandomAccessStorage, offset: number, data: Buffer) => engine.write(f, offset, data)
const read = (f: RandomAccessStorage, offset: number, size: number) =>
  engine.call<Buffer>((cb) => f.read(offset, size, cb))
const del = (f: RandomAccessStorage, offset: number, size: number) => engine.call((cb) => f.del(offset, size, cb))
const size = (f: RandomAccessStorage) => engine.call<{ size: number }>((cb) => f.stat(cb)).then((s) => s.size)
const sync = (d: SimulatedDisk, path: string) => engine.call((cb) => d.storage(path).sync?.(cb))

/** The outcome of a call as a test compares it: the value, or the error's code. */
const outcome = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ value }),
    (err) => ({ code: (err as { code?: string }).code }),
  )

/** What a file holds in `disk`: its bytes, `null` when absent. */
async function contents(disk: SimulatedDisk, path: string): Promise<Buffer | null> {
  const file = disk.storage(path)
  const got = await outcome(size(file).then((n) => read(file, 0, n)))
  return 'value' in got ? got.value : null
}

/** `old` made durable at `path`, then `fresh` written over it (and beyond) without a sync. */
async function overwritten(opts: { old: Buffer; fresh: Buffer; offset: number }): Promise<SimulatedDisk> {
  const disk = createSimulatedDisk()
  await write(disk.storage('f'), 0, opts.old)
  await sync(disk, 'f')
  await write(disk.storage('f'), opts.offset, opts.fresh)
  return disk
}

test('files behave as random-access-file 2.2.1 does on a directory, call for call', async (t) => {
  const dir = await tmpDir(t)
  const script = async (open: (path: string) => RandomAccessStorage) => {
    // A fresh instance each: random-access-file fails everything with "Not opened" after a failed open.
    const out: unknown[] = [await outcome(read(open('x/f'), 0, 1)), await outcome(size(open('x/f')))]
    const a = open('x/f')
    await write(a, 3, Buffer.from('abcdef'))
    const b = open('x/f')
    out.push(await outcome(read(b, 0, 9)), await outcome(read(b, 6, 4)), await outcome(read(b, 20, 0)))
    await del(b, 1, 2) // not at the end: nothing happens
    out.push(await size(b))
    await del(b, 5, 100) // reaches the end: truncates to 5
    out.push(await size(b), await outcome(read(a, 0, 5)))
    await engine.call((cb) => a.close(cb))
    await engine.call((cb) => b.destroy(cb))
    out.push(await outcome(size(open('x/f'))))
    return out
  }
  const sim = createSimulatedDisk()
  const expected = await script((path) => randomAccessFile(path, { directory: dir }))
  assert.deepEqual(await script(sim.storage), expected)
  assert.deepEqual(expected.slice(0, 2), [{ code: 'ENOENT' }, { code: 'ENOENT' }])
  assert.deepEqual(expected[3], { code: 'EPARTIALREAD' })
})

test('every mutating operation is numbered in the log, in the order issued', async () => {
  const disk = createSimulatedDisk()
  const f = disk.storage('a')
  await write(f, 0, Buffer.from('hello'))
  await read(f, 0, 5)
  await del(f, 2, 3)
  await sync(disk, 'a')
  await engine.call((cb) => f.destroy(cb))
  assert.deepEqual(disk.log, [
    { seq: 1, path: 'a', op: 'write', offset: 0, size: 5 },
    { seq: 2, path: 'a', op: 'del', offset: 2, size: 3 },
    { seq: 3, path: 'a', op: 'sync', offset: 0, size: 0 },
    { seq: 4, path: 'a', op: 'destroy', offset: 0, size: 0 },
  ])
  assert.equal(typeof createSimulatedDisk({ sync: false }).storage('a').sync, 'undefined')
})

test('crashAfter(n): the n-th mutating operation is not performed and nothing calls back after it', async () => {
  const disk = createSimulatedDisk()
  const f = disk.storage('a')
  await write(f, 0, Buffer.from('one'))
  disk.crashAfter(2)
  const crashed = disk.whenCrashed()
  const calls: string[] = []
  f.write(3, Buffer.from('two'), () => calls.push('second write'))
  f.read(0, 3, () => calls.push('read in flight'))
  f.write(6, Buffer.from('three'), () => calls.push('third write'))
  await crashed
  assert.equal(disk.crashed, true)
  f.stat(() => calls.push('stat'))
  f.close(() => calls.push('close'))
  await new Promise((resolve) => setTimeout(resolve, 20))
  assert.deepEqual(calls, [], 'the world stopped')
  assert.deepEqual(
    disk.log.map((o) => o.offset),
    [0, 3],
  )
  assert.deepEqual(disk.files()[0]?.current, Buffer.from('onetwo'))
})

test('synced bytes survive power loss in every model, and a synced file is never lost', async () => {
  for (const model of CRASH_MODELS) {
    for (let seed = 0; seed < 100; seed++) {
      const disk = await overwritten({ old: Buffer.alloc(3 * PAGE, 7), fresh: Buffer.alloc(2000, 9), offset: 5000 })
      await write(disk.storage('g'), 0, Buffer.from('synced'))
      await sync(disk, 'g')
      const image = disk.image(model, seeded(seed))
      assert.deepEqual(await contents(image, 'g'), Buffer.from('synced'), `${model} seed ${seed}`)
      const f = (await contents(image, 'f')) as Buffer
      assert.ok(f, `${model} seed ${seed}: f exists`)
      assert.deepEqual(f.subarray(0, 4096), Buffer.alloc(4096, 7), `${model} seed ${seed}: untouched bytes`)
    }
  }
})

test('an unsynced write is kept whole, dropped, or torn on absolute 512-byte sector bounds', async () => {
  const seen = new Set<string>()
  for (const model of ['sector', 'create'] as CrashModel[]) {
    for (let seed = 0; seed < 200; seed++) {
      const disk = await overwritten({ old: Buffer.alloc(4000, 1), fresh: Buffer.alloc(2500, 2), offset: 300 })
      const f = (await contents(disk.image(model, seeded(seed)), 'f')) as Buffer
      assert.ok(f.length === 4000, 'the write lay within the file')
      for (let i = 1; i < f.length; i++) {
        if (f[i] !== f[i - 1])
          assert.ok(i === 300 || i === 2800 || i % SECTOR === 0, `${model} seed ${seed}: a cut at ${i}`)
      }
      const fresh = f.subarray(300, 2800)
      seen.add(fresh.every((b) => b === 2) ? 'whole' : fresh.every((b) => b === 1) ? 'dropped' : 'torn')
    }
  }
  assert.deepEqual([...seen].sort(), ['dropped', 'torn', 'whole'])
})

test('unsynced writes can survive out of order: a later one kept, an earlier one lost', async () => {
  let reordered = 0
  for (let seed = 0; seed < 100; seed++) {
    const disk = createSimulatedDisk()
    await write(disk.storage('f'), 0, Buffer.from('first'))
    await write(disk.storage('f'), 5, Buffer.from('second'))
    const f = await contents(disk.image('sector', seeded(seed)), 'f')
    if (f?.toString() === '\0\0\0\0\0second') reordered++
  }
  assert.ok(reordered > 0)
})

test('page model: each 4 KiB page is the durable one or the one at the crash, the size either size', async () => {
  const pages = new Set<string>()
  for (let seed = 0; seed < 100; seed++) {
    const disk = await overwritten({
      old: Buffer.alloc(2 * PAGE, 1),
      fresh: Buffer.alloc(2 * PAGE, 2),
      offset: PAGE + 100,
    })
    const f = (await contents(disk.image('page', seeded(seed)), 'f')) as Buffer
    assert.ok(f.length === 2 * PAGE || f.length === 3 * PAGE + 100, `seed ${seed}: size ${f.length}`)
    const second = f.subarray(PAGE, 2 * PAGE)
    assert.ok(
      second.equals(Buffer.alloc(PAGE, 1)) ||
        second.equals(Buffer.concat([Buffer.alloc(100, 1), Buffer.alloc(PAGE - 100, 2)])),
    )
    pages.add(`${second[PAGE - 1]}/${f.length}`)
  }
  assert.deepEqual([...pages].sort(), ['1/12388', '1/8192', '2/12388', '2/8192'])
})

test('a file whose creation was never synced may come back whole, empty, or not at all (create model)', async () => {
  const fates = new Set<string>()
  for (let seed = 0; seed < 100; seed++) {
    const disk = createSimulatedDisk()
    await write(disk.storage('new'), 0, Buffer.from('data'))
    const f = await contents(disk.image('create', seeded(seed)), 'new')
    fates.add(f === null ? 'absent' : f.length === 0 ? 'empty' : f.toString())
  }
  assert.deepEqual([...fates].sort(), ['absent', 'data', 'empty'])
})

test('the same seed gives the same image and the same interleaving', async () => {
  const run = async (seed: number) => {
    const disk = createSimulatedDisk({ random: seeded(seed) })
    const order: number[] = []
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        write(disk.storage(`f${i % 2}`), i * 700, Buffer.alloc(900, i)).then(() => order.push(i)),
      ),
    )
    const image = disk.image('sector', seeded(seed))
    return { order, files: await Promise.all(['f0', 'f1'].map((p) => contents(image, p))) }
  }
  assert.deepEqual(await run(1), await run(1))
  const orders = new Set<string>()
  for (let seed = 0; seed < 10; seed++) orders.add((await run(seed)).order.join())
  assert.ok(orders.size > 1, 'completions interleave differently by seed')
})

test('an image is all durable: a second power loss changes nothing', async () => {
  const disk = await overwritten({ old: Buffer.alloc(1000, 1), fresh: Buffer.alloc(1000, 2), offset: 600 })
  const image = disk.image('sector', seeded(3))
  const again = image.image('create', seeded(4))
  assert.deepEqual(await contents(again, 'f'), await contents(image, 'f'))
  assert.deepEqual(
    image.files().map((f) => f.unsynced.length),
    [0],
  )
})

test('an unlinked file comes back as it was made durable, or not at all, in every model', async () => {
  for (const model of CRASH_MODELS) {
    const fates = new Set<string>()
    for (let seed = 0; seed < 50; seed++) {
      const disk = await overwritten({ old: Buffer.alloc(PAGE + 10, 1), fresh: Buffer.alloc(10, 2), offset: 0 })
      await engine.call((cb) => disk.storage('f').destroy(cb))
      const f = await contents(disk.image(model, seeded(seed)), 'f')
      if (f) assert.ok(f.equals(Buffer.alloc(PAGE + 10, 1)) || model !== 'page', `${model} seed ${seed}`)
      fates.add(f === null ? 'absent' : 'there')
    }
    assert.deepEqual([...fates].sort(), ['absent', 'there'], model)
  }
})
