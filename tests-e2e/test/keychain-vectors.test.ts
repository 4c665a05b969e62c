import assert from 'node:assert/strict'
import { test } from 'node:test'
import { randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { deriveSecret, discoveryKey, Keychain } from '@corestore/keychain'
import { withStore } from '@corestore/test-helpers'
import { fixture, nameOf } from '../../packages/keychain/test/vectors.ts'
import { LegacyCorestore } from '../helpers/legacy.ts'

const names: [string, string | Buffer][] = [
  ['default', 'default'],
  ['a namespace', 'drive1'],
  ['a nested namespace', 'a:b'],
  ['a 32-byte binary name', Buffer.from('8d1a3c0e9f2b4d6a8c0e1f3a5b7c9d0e2f4a6b8c0d1e3f5a7b9c0d2e4f6a8b0c', 'hex')],
  ['a non-ASCII name', 'héllo wörld ✓ 名前'],
]

for (const [label, name] of names) {
  test(`the keychain derives the same keys as corestore 5.8.2 for ${label}`, async () => {
    const masterKey = Keychain.generateMasterKey()
    await withStore(new LegacyCorestore(randomAccessMemory, { masterKey }), async (legacy) => {
      const core = legacy.get({ name })
      await engine.ready(core)

      const { publicKey, secretKey } = new Keychain(masterKey).keyPair(name)
      assert.deepEqual(publicKey, core.key)
      assert.deepEqual(secretKey, core.secretKey)
      assert.deepEqual(discoveryKey(publicKey), core.discoveryKey)
    })
  })
}

test("corestore 5.8.2's namespace views derive from the names the keychain composes", async () => {
  const masterKey = Keychain.generateMasterKey()
  await withStore(new LegacyCorestore(randomAccessMemory, { masterKey }), async (legacy) => {
    const root = legacy.default()
    const nested = legacy.namespace('a').namespace('b').default()
    await Promise.all([engine.ready(root), engine.ready(nested)])

    const keychain = new Keychain(masterKey)
    assert.deepEqual(keychain.keyPair('default').publicKey, root.key)
    assert.deepEqual(keychain.keyPair('a:b').publicKey, nested.key)
  })
})

for (const v of fixture.secrets) {
  test(`the keychain derives the secret corestore 5.8.2's inner._deriveSecret does for ${v.label}`, async () => {
    const masterKey = Keychain.generateMasterKey()
    await withStore(new LegacyCorestore(randomAccessMemory, { masterKey }), (legacy) => {
      const name = nameOf(v)
      assert.deepEqual(new Keychain(masterKey).secret(v.namespace, name), legacy.inner._deriveSecret(v.namespace, name))
      assert.deepEqual(deriveSecret(masterKey, v.namespace, name), legacy.inner._deriveSecret(v.namespace, name))
    })
  })
}
