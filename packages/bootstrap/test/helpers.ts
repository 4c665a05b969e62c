import { openStorage, type Storage } from '@corestore/bootstrap'
import { coreKeyOptions, coreStorage } from '@corestore/bootstrap/internal'
import { createHypercore, type Hypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import type { CoreIdentity } from '@corestore/keychain'
import { discoveryKey, type Keychain } from '@corestore/keychain'

/** What a store knows of a core derived from `name`. */
export function derivedIdentity(keychain: Keychain, name: string | Buffer) {
  const { publicKey, secretKey } = keychain.keyPair(name)
  return {
    kind: 'derived',
    discoveryKey: discoveryKey(publicKey),
    publicKey,
    secretKey,
    name: Buffer.from(name),
  } as const
}

/** What a store knows of a core asked for by its public key alone. */
export function keyIdentity(publicKey: Buffer): CoreIdentity {
  return { kind: 'key', discoveryKey: discoveryKey(publicKey), publicKey }
}

/** What a store knows of a core asked for by discovery key alone. */
export function discoveryKeyIdentity(dk: Buffer): CoreIdentity {
  return { kind: 'discoveryKey', discoveryKey: dk }
}

/** A hypercore on the store's files for `id`, opened as the store opens it. */
export function openCore(storage: Storage, keychain: Keychain, id: CoreIdentity): Hypercore {
  const publicKey = id.kind === 'discoveryKey' ? null : id.publicKey
  return createHypercore(coreStorage(storage, keychain, id).file, publicKey, coreKeyOptions(id))
}

/** Write a core with `blocks` into the directory store `dir`, and close it. */
export async function createCore(
  dir: string,
  keychain: Keychain,
  id: CoreIdentity,
  blocks: string[] = [],
): Promise<void> {
  const core = openCore(openStorage(dir), keychain, id)
  await engine.ready(core)
  if (blocks.length) {
    await engine.append(
      core,
      blocks.map((b) => Buffer.from(b)),
    )
  }
  await engine.close(core)
}
