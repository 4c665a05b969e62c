import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deriveSecret, deriveSeed, Keychain, KeychainError } from '@corestore/keychain'
import { namespacePrefix } from '@corestore/keychain/internal'
import { fixture, masterKey, nameOf } from './vectors.ts'

for (const v of fixture.secrets) {
  test(`derives corestore 5.8.2's secret for ${v.label}`, () => {
    assert.equal(deriveSecret(masterKey, v.namespace, nameOf(v)).toString('hex'), v.secret)
    assert.equal(new Keychain(masterKey).secret(v.namespace, nameOf(v)).toString('hex'), v.secret)
  })
}

test('the prefix is the namespace length in decimal, a newline, and the namespace', () => {
  assert.deepEqual(namespacePrefix('corestore'), Buffer.from('9\ncorestore'))
  assert.deepEqual(namespacePrefix('@hypercore-protocol/hyperspace'), Buffer.from('30\n@hypercore-protocol/hyperspace'))
  assert.deepEqual(namespacePrefix(''), Buffer.from('0\n'))
  // Node's 'ascii' encoding, which derive-key uses, keeps the low byte of each UTF-16 unit.
  assert.deepEqual(namespacePrefix('é€'), Buffer.from([0x32, 0x0a, 0xe9, 0xac]))
})

test("a core's seed is the secret of its name in the namespace corestore", () => {
  for (const name of ['default', 'a:b', Buffer.from('00ff', 'hex')]) {
    assert.deepEqual(deriveSeed(masterKey, name), deriveSecret(masterKey, 'corestore', name))
  }
})

test('a string name and its UTF-8 bytes give the same secret', () => {
  const name = 'héllo ✓'
  assert.deepEqual(deriveSecret(masterKey, 'app', name), deriveSecret(masterKey, 'app', new TextEncoder().encode(name)))
})

test('the namespace separates secrets of the same name', () => {
  assert.notDeepEqual(deriveSecret(masterKey, 'a', 'swarm-id'), deriveSecret(masterKey, 'b', 'swarm-id'))
})

const badArguments: [string, () => unknown, string][] = [
  [
    'a namespace that is not a string',
    () => deriveSecret(masterKey, Buffer.from('x') as unknown as string, 'n'),
    'INVALID_NAME',
  ],
  ['a name that is a number', () => deriveSecret(masterKey, 'ns', 42 as unknown as string), 'INVALID_NAME'],
  ['a name that is null', () => deriveSecret(masterKey, 'ns', null as unknown as string), 'INVALID_NAME'],
  ['a master key of 31 bytes', () => deriveSecret(Buffer.alloc(31), 'ns', 'n'), 'INVALID_MASTER_KEY'],
]
for (const [label, call, code] of badArguments) {
  test(`deriveSecret refuses ${label} with ${code}`, () => {
    assert.throws(call, (err: unknown) => err instanceof KeychainError && err.code === code)
  })
}
