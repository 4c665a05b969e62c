import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CorestoreError, isCorestoreError } from '@corestore/errors'
import { checkOptions, describe, ERROR_BRAND, OPTION_CHECKS } from '@corestore/errors/internal'

test('a corestore error carries a stable code and names the culprit', () => {
  const err = CorestoreError.invalidKey('key', 'must be 32 bytes, got 31')
  assert.ok(err instanceof Error)
  assert.equal(err.name, 'CorestoreError')
  assert.equal(err.code, 'INVALID_KEY')
  assert.match(err.message, /^key must be 32 bytes/)
})

test('isCorestoreError recognises an error from another copy of the package by name and code', () => {
  const foreign = Object.assign(new Error('x'), { name: 'CorestoreError', code: 'STORE_CLOSED' })
  assert.ok(isCorestoreError(foreign))
  assert.ok(isCorestoreError(CorestoreError.closed()))
  assert.ok(!isCorestoreError(new TypeError('nope')))
})

test('an option table names the first bad option in its own order, and skips what is not given', () => {
  const table = { sparse: OPTION_CHECKS.boolean, maxRequests: OPTION_CHECKS.count }
  assert.doesNotThrow(() => checkOptions({ sparse: undefined, other: 'left alone' }, 'opts', table))
  assert.throws(
    () => checkOptions({ maxRequests: -1, sparse: 'yes' }, 'opts', table),
    (err: unknown) =>
      isCorestoreError(err) &&
      err.code === 'INVALID_OPTION' &&
      err.argument === 'opts.sparse' &&
      err.message === 'opts.sparse must be a boolean, not a string',
  )
  assert.throws(() => checkOptions({ maxRequests: 1.5 }, 'opts', table), {
    message: 'opts.maxRequests must be a non-negative integer, not a number',
  })
})

test('the brand marks errors of the family, and describe names values as messages do', () => {
  assert.equal((CorestoreError.closed() as unknown as Record<symbol, unknown>)[ERROR_BRAND], true)
  assert.equal(ERROR_BRAND, Symbol.for('@corestore/error'))
  assert.deepEqual([null, undefined, [], new Uint8Array(0), Buffer.alloc(3), '', 'x', {}, 1].map(describe), [
    'null',
    'undefined',
    'an array',
    'an empty Uint8Array',
    '3 bytes',
    'an empty string',
    'a string',
    'an object',
    'a number',
  ])
})
