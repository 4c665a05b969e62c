import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CorestoreError, isCorestoreError } from '@corestore/errors'

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

test('a corrupt master key error says the file was left untouched', () => {
  const err = CorestoreError.corruptMasterKey('/tmp/store/master_key', 7)
  assert.equal(err.code, 'CORRUPT_MASTER_KEY')
  assert.match(err.message, /master_key holds 7 bytes/)
  assert.match(err.message, /left untouched/)
})
