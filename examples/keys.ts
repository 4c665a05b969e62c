// Derive the keys of a fresh store's cores from one master key, with the keychain alone.
// Run: pnpm start
import { discoveryKey, Keychain } from '@corestore/keychain'

const keychain = new Keychain(Keychain.generateMasterKey())
console.log('master key (back this up: it is the only secret):', keychain.masterKey.toString('hex'))

// The name a core's keys derive from: `default` for store.default(), the namespace path for a view's default().
const cores: [string, string][] = [
  ['store.default()', 'default'],
  ["store.namespace('drive1').default()", 'drive1'],
  ["….namespace('drive1').namespace('photos').default()", 'drive1:photos'],
]
for (const [call, name] of cores) {
  const { publicKey } = keychain.keyPair(name)
  console.log(`\n${call}  (name '${name}')`)
  console.log(`  key            ${publicKey.toString('hex')}`)
  console.log(`  discovery key  ${discoveryKey(publicKey).toString('hex')}`)
}
