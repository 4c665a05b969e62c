import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Corestore, isCorestoreError } from '@corestore/core'
import { HypercoreProtocol, randomAccessMemory } from '@corestore/engine'
import { Keychain } from '@corestore/keychain'
import { tmpDir, withStore } from '@corestore/test-helpers'
import { fixture, masterKey, nameOf } from '../../keychain/test/vectors.ts'
import { diskStore, memoryStore } from './helpers.ts'

// The master key and the secrets corestore 5.8.2 derived from it.
const HYPERSPACE = '@hypercore-protocol/hyperspace'

test("inner._deriveSecret gives corestore 5.8.2's secrets for the store's master key", async (t) => {
  const store = await memoryStore(t, { masterKey })
  for (const v of fixture.secrets) {
    assert.equal(store.inner._deriveSecret(v.namespace, nameOf(v)).toString('hex'), v.secret)
  }
})

test('a daemon gets the same network identity from its store after a restart, as hyperspace does', async (t) => {
  const dir = await tmpDir(t)
  const identity = () =>
    withStore(new Corestore(dir), (store) => {
      // hyperspace's server: a Noise key pair seeded from the store, and a swarm id.
      const seed = store.inner._deriveSecret(HYPERSPACE, 'replication-keypair')
      const id = store.inner._deriveSecret(HYPERSPACE, 'swarm-id')
      return { publicKey: HypercoreProtocol.keyPair(seed).publicKey, id }
    })
  const first = await identity()
  assert.deepEqual(await identity(), first)
  assert.equal(first.id.length, 32)
})

test('every view has the one inner, whose cache is the store cache', async (t) => {
  const store = await diskStore(t)
  const view = store.namespace('a').namespace('b')
  assert.equal(view.inner, store.inner)
  assert.equal(store.inner.cache, store.cache)
  assert.deepEqual(view.inner._deriveSecret('app', 'x'), store.inner._deriveSecret('app', 'x'))
})

test('the secret is the keychain secret of the master key, and differs per namespace and name', async (t) => {
  const key = Keychain.generateMasterKey()
  const store = await memoryStore(t, { masterKey: key })
  assert.deepEqual(store.inner._deriveSecret('app', 'id'), new Keychain(key).secret('app', 'id'))
  assert.notDeepEqual(store.inner._deriveSecret('app', 'id'), store.inner._deriveSecret('other', 'id'))
  assert.notDeepEqual(store.inner._deriveSecret('app', 'id'), store.inner._deriveSecret('app', 'id2'))
})

test('inner._deriveSecret before ready() is STORE_NOT_READY (corestore 5 hashes with no key then)', () => {
  const store = new Corestore(randomAccessMemory)
  assert.throws(
    () => store.inner._deriveSecret(HYPERSPACE, 'swarm-id'),
    (err: unknown) => isCorestoreError(err) && err.code === 'STORE_NOT_READY' && /_deriveSecret/.test(err.message),
  )
})

test('inner._deriveSecret refuses a namespace or name of the wrong type with INVALID_NAME', async (t) => {
  const store = await memoryStore(t)
  const invalidName = (argument: RegExp) => (err: unknown) =>
    isCorestoreError(err) && err.code === 'INVALID_NAME' && argument.test(err.message)
  assert.throws(() => store.inner._deriveSecret(42 as unknown as string, 'x'), invalidName(/namespace/))
  assert.throws(() => store.inner._deriveSecret('app', null as unknown as string), invalidName(/name/))
  assert.throws(() => store.inner._deriveSecret('app', { a: 1 } as unknown as string), invalidName(/name/))
})
