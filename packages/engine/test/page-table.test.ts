import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'
import fc from 'fast-check'
import { createPageTable, type Page, type PageTable } from '../src/page-table.ts'

// The reference: memory-pager 1.5.0 itself, the version hypercore 9 installs.
const require = createRequire(import.meta.url)
const memoryPager = require('memory-pager') as typeof createPageTable

/** An index near where memory-pager's addressing changes: its first capacity, the next one, and below 0. */
const WIDTH = 32768
const index = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(WIDTH - 1, WIDTH, WIDTH + 1, 2 * WIDTH, WIDTH ** 2 - 1, WIDTH ** 2, WIDTH ** 2 + 1),
  },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: -1 }) },
)

/** What a `set` gets: nothing, zeros, the deduplicated content, or bytes shorter, as long as or longer than a page. */
const content = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.constant({ kind: 'zeros' as const }),
  fc.constant({ kind: 'same' as const }),
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 12 }) }),
)

const op = fc.oneof(
  fc.record({ op: fc.constant('get' as const), index, noAllocate: fc.boolean() }),
  fc.record({ op: fc.constant('set' as const), index, content }),
  fc.record({ op: fc.constant('write' as const), index, at: fc.nat(), value: fc.constantFrom(0, 1, 255, 17) }),
  fc.record({ op: fc.constant('fill' as const), index }),
  fc.record({ op: fc.constant('touch' as const), index }),
  fc.record({ op: fc.constant('lastUpdate' as const) }),
  fc.record({ op: fc.constant('toBuffer' as const) }),
  fc.record({ op: fc.constant('mutateInput' as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
)
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never

const options = fc.record({
  pageSize: fc.constantFrom(undefined, 0, 1, 4, 8),
  deduplicate: fc.constantFrom('none', 'ones', 'short', 'long', 'mixed'),
})
type Options = typeof options extends fc.Arbitrary<infer T> ? T : never

function dedupBuffer(kind: Options['deduplicate'], pageSize: number): Buffer | null {
  if (kind === 'none') return null
  const size = kind === 'short' ? Math.max(1, pageSize - 1) : kind === 'long' ? pageSize + 1 : pageSize
  const buf = Buffer.alloc(size, 0xff)
  if (kind === 'mixed') buf[0] = 1
  return buf
}

/** One side of the comparison: a table, the buffers it was given, and the pages it handed out. */
interface Side {
  table: PageTable
  dedup: Buffer | null
  lastInput: Buffer | null
}

function makeSide(make: typeof createPageTable, opts: Options): Side {
  const size = opts.pageSize || 1024
  const dedup = dedupBuffer(opts.deduplicate, size)
  const table = dedup ? make(opts.pageSize, { deduplicate: dedup }) : make(opts.pageSize)
  return { table, dedup, lastInput: null }
}

/** Run one operation; what it returns is compared between the two sides. */
function apply(side: Side, o: Op): unknown {
  const { table } = side
  switch (o.op) {
    case 'get':
      return table.get(o.index, o.noAllocate)
    case 'set': {
      const size = table.pageSize
      const c = o.content
      const buf =
        c.kind === 'none'
          ? null
          : c.kind === 'zeros'
            ? Buffer.alloc(side.dedup?.length ?? size)
            : c.kind === 'same'
              ? Buffer.from(side.dedup ?? Buffer.alloc(size, 0xff))
              : Buffer.from(c.bytes)
      side.lastInput = buf
      table.set(o.index, buf)
      return table.get(o.index, true)
    }
    case 'write': {
      const page = table.get(o.index) as Page
      if (page.buffer.length > 0) page.buffer[o.at % page.buffer.length] = o.value
      table.updated(page)
      return page
    }
    case 'fill': {
      // What hypercore does to a bitfield page: every byte set, one update at a time.
      const page = table.get(o.index) as Page
      for (let i = 0; i < page.buffer.length; i++) {
        page.buffer[i] = 255
        table.updated(page)
      }
      return page
    }
    case 'touch': {
      const page = table.get(o.index, true)
      if (page) table.updated(page)
      return page
    }
    case 'lastUpdate':
      return table.lastUpdate()
    case 'toBuffer':
      // Both would build one buffer per page up to `length`: only where that stays small.
      return table.length <= 2 * WIDTH + 2 ? table.toBuffer() : null
    case 'mutateInput':
      // A buffer given to set() may be kept by the table: writing to it afterwards shows through (or not) alike.
      if (side.lastInput && side.lastInput.length > 0) side.lastInput[o.at % side.lastInput.length] = o.value
      return null
  }
}

/** Pages are compared by content, state and identity: the same reference page always maps to the same page of ours. */
class Pairing {
  readonly #ours = new Map<unknown, unknown>()
  readonly #theirs = new Map<unknown, unknown>()

  same(ref: Side, ours: Side, a: unknown, b: unknown, where: string): void {
    if (a === null || a === undefined || Buffer.isBuffer(a)) {
      assert.deepEqual(b, a, where)
      return
    }
    const pa = a as Page
    const pb = b as Page
    assert.ok(pb && typeof pb === 'object', `${where}: a page`)
    const known = this.#ours.get(pa)
    if (known) assert.equal(pb, known, `${where}: the same page as before`)
    else {
      assert.equal(this.#theirs.get(pb), undefined, `${where}: a page handed out before for another`)
      this.#ours.set(pa, pb)
      this.#theirs.set(pb, pa)
    }
    assert.equal(pb.offset, pa.offset, `${where}: offset`)
    assert.deepEqual(pb.buffer, pa.buffer, `${where}: buffer`)
    assert.equal(pb.updated, pa.updated, `${where}: updated`)
    assert.equal(pb.deduplicate, pa.deduplicate, `${where}: deduplicate`)
    assert.equal(pb.buffer === ours.dedup, pa.buffer === ref.dedup, `${where}: shares the deduplicated buffer`)
    assert.equal(
      ours.lastInput !== null && pb.buffer === ours.lastInput,
      ref.lastInput !== null && pa.buffer === ref.lastInput,
      `${where}: keeps the given buffer`,
    )
  }
}

test('the page table behaves as memory-pager 1.5.0 over random operation sequences', () => {
  fc.assert(
    fc.property(options, fc.array(op, { maxLength: 60 }), (opts, ops) => {
      const ref = makeSide(memoryPager, opts)
      const ours = makeSide(createPageTable, opts)
      const pairing = new Pairing()
      for (const [i, o] of ops.entries()) {
        const where = `op ${i} ${JSON.stringify(o)}`
        pairing.same(ref, ours, apply(ref, o), apply(ours, o), where)
        assert.equal(ours.table.length, ref.table.length, `${where}: length`)
        assert.equal(ours.table.updates?.length, ref.table.updates?.length, `${where}: updates`)
        assert.equal(ours.table.maxPages, (ref.table as unknown as { maxPages: number }).maxPages, `${where}: maxPages`)
        assert.equal(ours.table.level, (ref.table as unknown as { level: number }).level, `${where}: level`)
      }
    }),
    { numRuns: 2000 },
  )
})

test('a page table is made with or without new, and with memory-pager defaults', () => {
  const table = createPageTable()
  assert.ok(table instanceof createPageTable)
  assert.equal(table.pageSize, 1024)
  assert.equal(table.deduplicate, null)
  assert.equal(table.zeros, null)
  // biome-ignore lint/suspicious/noExplicitAny: memory-pager's callers use it as a constructor too
  const made = new (createPageTable as any)(8, { deduplicate: Buffer.alloc(8, 1) }) as PageTable
  assert.ok(made instanceof createPageTable)
  assert.deepEqual(made.zeros, Buffer.alloc(8))
  assert.equal(new (createPageTable as unknown as new () => PageTable)().pageSize, 1024)
})

test('an empty page table holds no page-sized slot array', () => {
  // memory-pager's constructor makes `new Array(32768)`; ours holds nothing until a page arrives.
  const table = createPageTable(3584)
  assert.equal(Object.keys(table).includes('pages'), false)
  table.get(3)
  assert.equal(table.length, 4)
  assert.equal(table.get(2, true), undefined)
})

test('hypercores made through the engine use the page table; memory-pager elsewhere stays itself', async () => {
  const { createHypercore, randomAccessMemory } = await import('@corestore/engine')
  const { engine } = await import('@corestore/engine/internal')
  const core = createHypercore(randomAccessMemory, null) as unknown as {
    _reserved: { pages: unknown }
    bitfield: { pages: unknown }
  }
  await engine.ready(core as never)
  assert.ok(core._reserved.pages instanceof createPageTable, 'sparse-bitfield in hypercore')
  assert.ok(core.bitfield.pages instanceof createPageTable, "hypercore's own bitfield")
  assert.equal(memoryPager.name, 'Pager')
  assert.ok(!(memoryPager() instanceof createPageTable), 'this package still gets memory-pager')
  await engine.close(core as never)
})
