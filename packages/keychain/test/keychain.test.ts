import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deriveSeed, discoveryKey, fingerprint, Keychain, KeychainError, keyPairFromSeed } from '@corestore/keychain'
import { findKey, parseKey } from '@corestore/keychain/internal'
import { fixture, masterKey, nameOf } from './vectors.ts'

for (const v of fixture.vectors) {
  test(`derives corestore 5.8.2's keys for the ${v.label}`, () => {
    const keychain = new Keychain(masterKey)
    const { publicKey, secretKey } = keychain.keyPair(nameOf(v))
    assert.equal(publicKey.toString('hex'), v.publicKey)
    assert.equal(secretKey.toString('hex'), v.secretKey)
    assert.equal(discoveryKey(publicKey).toString('hex'), v.discoveryKey)
  })
}

test('a string name and its UTF-8 bytes derive the same key pair', () => {
  const keychain = new Keychain(masterKey)
  const name = 'héllo ✓'
  assert.deepEqual(keychain.keyPair(name), keychain.keyPair(new TextEncoder().encode(name)))
})

test('the seed is what deriveSeed computes, and the key pair comes from it', () => {
  const keychain = new Keychain(masterKey)
  const seed = deriveSeed(masterKey, 'default')
  assert.deepEqual(keychain.seed('default'), seed)
  assert.deepEqual(keychain.keyPair('default'), keyPairFromSeed(seed))
  assert.equal(seed.length, 32)
})

test('different master keys derive different keys for the same name', () => {
  const a = new Keychain(Keychain.generateMasterKey())
  const b = new Keychain(Keychain.generateMasterKey())
  assert.notDeepEqual(a.keyPair('default').publicKey, b.keyPair('default').publicKey)
})

test('generateMasterKey gives 32 fresh random bytes', () => {
  const a = Keychain.generateMasterKey()
  assert.equal(a.length, 32)
  assert.notDeepEqual(a, Keychain.generateMasterKey())
})

test('the keychain keeps its own copy of the master key', () => {
  const key = Buffer.from(masterKey)
  const keychain = new Keychain(key)
  key.fill(0)
  assert.equal(keychain.keyPair('default').publicKey.toString('hex'), fixture.vectors[0]?.publicKey)
})

const badMasterKeys: [string, unknown][] = [
  ['undefined', undefined],
  ['a string', '00'.repeat(32)],
  ['31 bytes', Buffer.alloc(31)],
  ['33 bytes', Buffer.alloc(33)],
  ['an array of numbers', Array.from({ length: 32 }, () => 0)],
]
for (const [label, value] of badMasterKeys) {
  test(`a master key that is ${label} is refused with INVALID_MASTER_KEY naming masterKey`, () => {
    assert.throws(
      () => new Keychain(value as Uint8Array),
      (err: unknown) =>
        err instanceof KeychainError && err.code === 'INVALID_MASTER_KEY' && /masterKey/.test(err.message),
    )
  })
}

const badNames: [string, unknown][] = [
  ['empty string', ''],
  ['empty buffer', Buffer.alloc(0)],
  ['number', 42],
  ['null', null],
  ['plain object', { name: 'default' }],
]
for (const [label, value] of badNames) {
  test(`a name that is ${label} is refused with INVALID_NAME naming name`, () => {
    const keychain = new Keychain(masterKey)
    assert.throws(
      () => keychain.keyPair(value as string),
      (err: unknown) => err instanceof KeychainError && err.code === 'INVALID_NAME' && /name/.test(err.message),
    )
  })
}

test('discoveryKey refuses a public key that is not 32 bytes', () => {
  assert.throws(
    () => discoveryKey(Buffer.alloc(31)),
    (err: unknown) => err instanceof KeychainError && err.code === 'INVALID_KEY',
  )
})

test('a fingerprint is the first 8 bytes of BLAKE2b-256 of the master key, and shows nothing of the key', () => {
  // b2sum -l 256 of the bytes 00 01 … 1f, cut to 16 hex characters.
  assert.equal(fingerprint(masterKey), 'cb2f5160fc1f7e05')
  assert.equal(fingerprint(masterKey).length, 16)
  assert.ok(!masterKey.toString('hex').includes(fingerprint(masterKey)))
  assert.throws(
    () => fingerprint(Buffer.alloc(31)),
    (err: unknown) => err instanceof KeychainError,
  )
})

test('a keychain error is a CorestoreError: isCorestoreError and instanceof know it, and it names its argument', async () => {
  const { CorestoreError, isCorestoreError } = await import('@corestore/errors')
  try {
    new Keychain(Buffer.alloc(3))
    assert.fail('expected INVALID_MASTER_KEY')
  } catch (err) {
    assert.ok(isCorestoreError(err))
    assert.ok(err instanceof CorestoreError)
    assert.equal(err.name, 'CorestoreError')
    assert.equal(err.code, 'INVALID_MASTER_KEY')
    assert.equal(err.argument, 'masterKey')
  }
})

test("findKey reads a key where corestore 5's get() found one: the first run of 64 hex characters", () => {
  const hex = 'ab'.repeat(32)
  for (const given of [hex, `${hex}\n`, ` ${hex}\t`, hex.toUpperCase(), `hyper://${hex}+5/a.txt`, `key: ${hex}.`]) {
    assert.equal(findKey(given, 'key').toString('hex'), hex, JSON.stringify(given))
  }
  assert.equal(findKey(Buffer.from(hex, 'hex'), 'key').toString('hex'), hex)
  const refused = (err: unknown) =>
    err instanceof KeychainError && err.code === 'INVALID_KEY' && /opts\.key/.test(err.message)
  for (const given of [`${hex}0`, 'abcd', `${'ab'.repeat(31)} ${hex.slice(0, 2)}`, '', 42, Buffer.alloc(31)]) {
    assert.throws(() => findKey(given, 'opts.key'), refused, JSON.stringify(given))
  }
  // parseKey stays strict: a CLI argument that is not a key is a name.
  assert.throws(() => parseKey(`${hex}\n`, 'key'), KeychainError)
})
