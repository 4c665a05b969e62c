import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import type { InfoJson } from '@corestore/cli'
import type { Hypercore } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { fingerprint, Keychain } from '@corestore/keychain'
import { appendAll, EXACT, snapshot, tmpDir, withStore } from '@corestore/test-helpers'
import { corestore } from '../../packages/cli/test/helpers.ts'
import { LegacyCorestore } from '../helpers/legacy.ts'

test('corestore info reads a store written by corestore 5.8.2, and changes nothing in it', async (t) => {
  const dir = await tmpDir(t)
  const other = new Keychain(Keychain.generateMasterKey())
  const cores = await withStore(new LegacyCorestore(dir), async (legacy) => {
    const cores: Record<string, Hypercore> = {
      default: legacy.default(),
      drive: legacy.namespace('drive1').default(),
      photos: legacy.namespace('drive1').namespace('photos').default(),
      random: legacy.get(),
      keyPair: legacy.get({ keyPair: other.keyPair('explicit') }),
      copy: legacy.get({ key: other.keyPair('someone else').publicKey }),
    }
    for (const core of Object.values(cores)) await engine.ready(core)
    await appendAll(cores.default as Hypercore, ['hello', 'from corestore 5.8.2'])
    await appendAll(cores.drive as Hypercore, ['a drive'])
    await appendAll(cores.keyPair as Hypercore, ['signed with an explicit key pair'])
    return cores
  })

  const before = await snapshot(dir, EXACT)
  const text = await corestore(['info', dir, '--wide'])
  const json = await corestore(['info', dir, '--json'])
  assert.deepEqual(await snapshot(dir, EXACT), before, 'info changed nothing')
  assert.equal(text.code, 0, text.stderr)
  assert.equal(json.code, 0, json.stderr)

  const info = JSON.parse(json.stdout) as InfoJson
  assert.equal(info.fingerprint, fingerprint(await readFile(join(dir, 'master_key'))))
  const hexKey = (label: string) => ((cores[label] as Hypercore).key as Buffer).toString('hex')
  const row = (label: string) => info.cores.find((c) => c.key === hexKey(label))
  const summary = (label: string) => {
    const c = row(label)
    return c && [c.name, c.writable, c.length, c.byteLength]
  }
  assert.deepEqual(summary('default'), ['default', true, 2, 25])
  assert.deepEqual(summary('drive'), ['drive1', true, 1, 7])
  assert.deepEqual(summary('photos'), ['drive1:photos', true, 0, 0])
  assert.deepEqual(summary('keyPair'), [null, true, 1, 32])
  assert.deepEqual(summary('copy'), [null, false, 0, 0])
  assert.match(row('random')?.name ?? '', /^[0-9a-f]{64}$/)
  assert.equal(row('random')?.writable, true)
  assert.equal(info.cores.length, 6)
  for (const c of info.cores) assert.match(text.stdout, new RegExp(`${c.discoveryKey}  ${c.key}  `))
})
