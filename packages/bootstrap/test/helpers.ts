import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import type { TestContext } from 'node:test'
import { type CoreIdentity, coreKeyOptions, coreStorage, openStorage, type Storage } from '@corestore/bootstrap'
import { createHypercore, engine, type Hypercore } from '@corestore/engine'
import { discoveryKey, type Keychain } from '@corestore/keychain'

/** A fresh temporary directory, removed when the test ends. */
export async function tmpDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'corestore-bootstrap-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** Every file under `dir` with its size: what a user would see with `find`. */
export async function tree(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    out.set(relative(dir, path), (await stat(path)).size)
  }
  return out
}

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
  return createHypercore(coreStorage(storage, keychain, id), publicKey, coreKeyOptions(id))
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
