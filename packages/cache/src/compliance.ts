import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CoreCache } from './types.js'

/**
 * The behaviour every `CoreCache` must have for a corestore to rely on it, as node:test tests.
 * `create(maxPassive)` makes an empty cache that keeps at most `maxPassive` passive entries.
 */
export function cacheCompliance(label: string, create: (maxPassive: number) => CoreCache<object>): void {
  const value = (n: number) => ({ n })
  const evictions = (cache: CoreCache<object>) => {
    const seen: string[] = []
    cache.on('evict', (id) => seen.push(id))
    return seen
  }

  test(`${label}: a new entry is passive and can be looked up`, () => {
    const cache = create(4)
    const v = value(1)
    cache.set('a', v)
    assert.equal(cache.get('a'), v)
    assert.ok(cache.has('a'))
    assert.equal(cache.refs('a'), 0)
    assert.equal(cache.size, 1)
    assert.equal(cache.passiveSize, 1)
    assert.equal(cache.activeSize, 0)
  })

  test(`${label}: references make an entry active, releasing them all makes it passive again`, () => {
    const cache = create(4)
    cache.set('a', value(1))
    assert.equal(cache.ref('a'), 1)
    assert.equal(cache.ref('a'), 2)
    assert.equal(cache.activeSize, 1)
    assert.equal(cache.unref('a'), 1)
    assert.equal(cache.activeSize, 1)
    assert.equal(cache.unref('a'), 0)
    assert.equal(cache.activeSize, 0)
    assert.equal(cache.passiveSize, 1)
    assert.ok(cache.has('a'))
  })

  test(`${label}: passive entries past the bound are evicted with an event, never more kept than the bound`, () => {
    const cache = create(3)
    const evicted = evictions(cache)
    for (let i = 0; i < 10; i++) {
      cache.set(`p${i}`, value(i))
      assert.ok(cache.passiveSize <= 3, `passive ${cache.passiveSize} > 3`)
    }
    assert.equal(evicted.length, 7)
    for (const id of evicted) assert.ok(!cache.has(id))
    assert.equal(cache.size, 3)
  })

  test(`${label}: active entries are never evicted, however many passive ones come`, () => {
    const cache = create(2)
    const evicted = evictions(cache)
    for (let i = 0; i < 5; i++) {
      cache.set(`a${i}`, value(i))
      cache.ref(`a${i}`)
    }
    for (let i = 0; i < 20; i++) cache.set(`p${i}`, value(i))
    for (let i = 0; i < 5; i++) assert.ok(cache.has(`a${i}`))
    assert.ok(evicted.every((id) => id.startsWith('p')))
    assert.equal(cache.activeSize, 5)
  })

  test(`${label}: an entry released past the bound is evicted in its turn`, () => {
    const cache = create(1)
    const evicted = evictions(cache)
    cache.set('a', value(1))
    cache.ref('a')
    cache.set('b', value(2))
    cache.unref('a')
    assert.equal(cache.passiveSize, 1)
    assert.equal(evicted.length, 1)
  })

  test(`${label}: delete removes an entry without an eviction event`, () => {
    const cache = create(4)
    const evicted = evictions(cache)
    cache.set('a', value(1))
    cache.set('b', value(2))
    cache.ref('b')
    assert.ok(cache.delete('a'))
    assert.ok(cache.delete('b'))
    assert.ok(!cache.delete('b'))
    assert.equal(cache.size, 0)
    assert.deepEqual(evicted, [])
  })

  test(`${label}: entries lists active and passive entries with their reference counts`, () => {
    const cache = create(4)
    cache.set('a', value(1))
    cache.set('b', value(2))
    cache.ref('b')
    cache.ref('b')
    const listed = new Map([...cache.entries()].map((e) => [e.id, e.refs]))
    assert.deepEqual(
      listed,
      new Map([
        ['a', 0],
        ['b', 2],
      ]),
    )
  })

  test(`${label}: entry() gives an entry's value and reference count, undefined when absent`, () => {
    const cache = create(4)
    const v = value(1)
    cache.set('a', v)
    cache.ref('a')
    assert.deepEqual(cache.entry('a'), { id: 'a', value: v, refs: 1 })
    cache.unref('a')
    assert.deepEqual(cache.entry('a'), { id: 'a', value: v, refs: 0 })
    assert.equal(cache.entry('nope'), undefined)
  })

  test(`${label}: unref of an unknown or passive entry stays at zero`, () => {
    const cache = create(4)
    assert.equal(cache.unref('nope'), 0)
    cache.set('a', value(1))
    assert.equal(cache.unref('a'), 0)
    assert.ok(cache.has('a'))
  })

  test(`${label}: increment and decrement (corestore 5's refpool names) add and drop one reference`, () => {
    const cache = create(4)
    cache.set('a', value(1))
    cache.increment('a')
    cache.increment('a')
    assert.equal(cache.refs('a'), 2)
    assert.equal(cache.activeSize, 1)
    cache.decrement('a')
    assert.equal(cache.refs('a'), 1)
    cache.decrement('a')
    assert.equal(cache.refs('a'), 0)
    assert.equal(cache.passiveSize, 1)
  })

  test(`${label}: increment and decrement of an unknown id do nothing, and never throw`, () => {
    const cache = create(4)
    cache.increment('nope')
    cache.decrement('nope')
    assert.equal(cache.has('nope'), false)
    assert.equal(cache.size, 0)
  })

  test(`${label}: decrement of a passive entry leaves it at zero references, still evictable`, () => {
    const cache = create(1)
    const evicted = evictions(cache)
    cache.set('a', value(1))
    cache.decrement('a')
    assert.equal(cache.refs('a'), 0)
    cache.increment('a')
    assert.equal(cache.refs('a'), 1, 'one increment makes it active again, not zero')
    cache.decrement('a')
    cache.set('b', value(2))
    assert.deepEqual(evicted, ['a'])
  })

  test(`${label}: an incremented entry is not evicted; once decremented it is, in its turn`, () => {
    const cache = create(2)
    const evicted = evictions(cache)
    cache.set('kept', value(0))
    cache.increment('kept')
    for (let i = 0; i < 5; i++) cache.set(`p${i}`, value(i))
    assert.ok(cache.has('kept'))
    assert.ok(!evicted.includes('kept'))
    cache.decrement('kept')
    for (let i = 5; i < 8; i++) cache.set(`p${i}`, value(i))
    assert.ok(evicted.includes('kept'))
    assert.ok(!cache.has('kept'))
  })
}
