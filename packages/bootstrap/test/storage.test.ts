import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openStorage } from '@corestore/bootstrap'
import { randomAccessMemory } from '@corestore/engine'
import { isCorestoreError } from '@corestore/errors'

test('a directory path becomes file storage under that directory', () => {
  const storage = openStorage('/tmp/some-store')
  assert.equal(storage.directory, '/tmp/some-store')
})

test('a storage function is used as given, with no directory', () => {
  const storage = openStorage(randomAccessMemory)
  assert.equal(storage.directory, null)
  assert.equal(typeof storage.file('x').read, 'function')
})

for (const [label, bad] of [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['a plain object', { dir: '/tmp' }],
  ['an array', ['/tmp']],
  ['an empty string', ''],
] as const) {
  test(`storage that is ${label} is refused with INVALID_STORAGE naming storage`, () => {
    assert.throws(
      () => openStorage(bad),
      (err: unknown) => isCorestoreError(err) && err.code === 'INVALID_STORAGE' && /^storage must be/.test(err.message),
    )
  })
}
