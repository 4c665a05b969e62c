import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeName, encodeName } from '@corestore/bootstrap/internal'

test("a name file is the name prefixed by its varint length, byte for byte corestore 5.8.2's", () => {
  // Read off a corestore 5.8.2 store: the default core's `name` file.
  assert.equal(encodeName(Buffer.from('default')).toString('hex'), '0764656661756c74')
  const long = Buffer.alloc(200, 0x61)
  assert.deepEqual(encodeName(long).subarray(0, 2), Buffer.from([0xc8, 0x01]))
})

test('a name reads back from its file', () => {
  for (const name of [Buffer.from('a:b'), Buffer.alloc(32, 7), Buffer.alloc(300, 1)]) {
    assert.deepEqual(decodeName(encodeName(name)), name)
  }
})

test('a torn, padded or empty name file decodes to null', () => {
  const whole = encodeName(Buffer.from('default'))
  assert.equal(decodeName(whole.subarray(0, 5)), null)
  assert.equal(decodeName(Buffer.concat([whole, Buffer.from([0])])), null)
  assert.equal(decodeName(Buffer.alloc(0)), null)
  assert.equal(decodeName(Buffer.from([0x80, 0x80])), null)
})
