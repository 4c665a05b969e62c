import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_CACHE_SIZE, TwoTierCache } from '@corestore/cache'
import { cacheCompliance } from '@corestore/cache/compliance'

cacheCompliance('TwoTierCache', (maxPassive) => new TwoTierCache({ maxSize: maxPassive }))

test('the least recently used passive entry is the one evicted', () => {
  const cache = new TwoTierCache({ maxSize: 3 })
  const evicted: string[] = []
  cache.on('evict', (id) => evicted.push(id))
  cache.set('a', {})
  cache.set('b', {})
  cache.set('c', {})
  cache.get('a') // a is now the most recent
  cache.set('d', {})
  assert.deepEqual(evicted, ['b'])
})

test('the evicted value is handed to the listener, so the owner can close it', () => {
  const cache = new TwoTierCache<{ closed: boolean }>({ maxSize: 1 })
  const first = { closed: false }
  cache.on('evict', (_id, value) => {
    value.closed = true
  })
  cache.set('a', first)
  cache.set('b', { closed: false })
  assert.equal(first.closed, true)
})

test('cacheSize defaults to 1000 passive entries, like corestore 5', () => {
  const cache = new TwoTierCache()
  assert.equal(cache.maxSize, DEFAULT_CACHE_SIZE)
  for (let i = 0; i < 1500; i++) cache.set(String(i), {})
  assert.equal(cache.passiveSize, 1000)
})

test('a bound that is not a positive integer is refused', () => {
  assert.throws(() => new TwoTierCache({ maxSize: 0 }), RangeError)
  assert.throws(() => new TwoTierCache({ maxSize: 1.5 }), RangeError)
})

test('adding an id twice is refused rather than silently replacing a live value', () => {
  const cache = new TwoTierCache({ maxSize: 2 })
  cache.set('a', {})
  assert.throws(() => cache.set('a', {}), /already cached/)
})

test('a huge bound costs nothing up front', () => {
  const before = process.memoryUsage().heapUsed
  const cache = new TwoTierCache({ maxSize: Number.MAX_SAFE_INTEGER })
  cache.set('a', {})
  assert.equal(cache.passiveSize, 1)
  assert.ok(process.memoryUsage().heapUsed - before < 10 * 1024 * 1024)
})
