import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmod, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type TestContext, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { encodeName } from '@corestore/bootstrap/internal'
import { Corestore, type Hypercore, isCorestoreError } from '@corestore/core'
import { engine } from '@corestore/engine/internal'
import { appendAll, opened, readAll, tmpDir, tmpDirOthersReach, withStore } from '@corestore/test-helpers'

const root = fileURLToPath(new URL('../..', import.meta.url))

function fileOf(dir: string, core: Hypercore, file: string): string {
  const dk = (core.discoveryKey as Buffer).toString('hex')
  return join(dir, dk.slice(0, 2), dk.slice(2, 4), dk, file)
}

/** A closed store with two derived cores holding blocks: the damaged one and a bystander. */
async function storeWithCores(t: TestContext) {
  const dir = await tmpDir(t)
  return withStore(new Corestore(dir), async (store) => {
    const victim = store.namespace('victim').default()
    const bystander = store.default()
    await appendAll(victim, ['v0', 'v1'])
    await appendAll(bystander, ['b0'])
    return { dir, victim, bystander }
  })
}

function code(expected: string, file: RegExp) {
  return (err: unknown) => isCorestoreError(err) && err.code === expected && file.test(err.message)
}

for (const [label, bytes] of [
  ['torn', Buffer.alloc(13, 7)],
  ['empty', Buffer.alloc(0)],
] as const) {
  test(`a ${label} master_key is CORRUPT_MASTER_KEY naming the file, which is left as it was`, async (t) => {
    const { dir } = await storeWithCores(t)
    await writeFile(join(dir, 'master_key'), bytes)
    const store = new Corestore(dir)
    await assert.rejects(store.ready(), code('CORRUPT_MASTER_KEY', /master_key holds/))
    await store.close()
    assert.deepEqual(await readFile(join(dir, 'master_key')), bytes)
  })
}

test('a torn name file is CORRUPT_NAME naming it; the file stays, the rest of the store works', async (t) => {
  const { dir, victim, bystander } = await storeWithCores(t)
  const torn = Buffer.from([0x06, 0x76, 0x69])
  await writeFile(fileOf(dir, victim, 'name'), torn)
  const store = await opened(t, new Corestore(dir))
  await assert.rejects(engine.ready(store.get(victim.key as Buffer)), code('CORRUPT_NAME', /\/name is damaged/))
  assert.deepEqual(await readFile(fileOf(dir, victim, 'name')), torn)
  assert.deepEqual(await readAll(store.get(bystander.key as Buffer)), ['b0'])
})

test('a name file that derives another key is NAME_MISMATCH naming it; the file stays', async (t) => {
  const { dir, victim, bystander } = await storeWithCores(t)
  const other = encodeName(Buffer.from('someone-else'))
  await writeFile(fileOf(dir, victim, 'name'), other)
  const store = await opened(t, new Corestore(dir))
  await assert.rejects(engine.ready(store.get(victim.key as Buffer)), code('NAME_MISMATCH', /\/name derives the key/))
  assert.deepEqual(await readFile(fileOf(dir, victim, 'name')), other)
  await appendAll(store.default(), ['b1'])
  assert.deepEqual(await readAll(store.get(bystander.key as Buffer)), ['b0', 'b1'])
})

test('a lost key file is rewritten from the name: every block kept, still writable, by name, key or discovery key', async (t) => {
  for (const how of ['name', 'key', 'discoveryKey'] as const) {
    const { dir, victim } = await storeWithCores(t)
    await rm(fileOf(dir, victim, 'key'))
    await withStore(new Corestore(dir), async (store) => {
      const core =
        how === 'name'
          ? store.namespace('victim').default()
          : how === 'key'
            ? store.get(victim.key as Buffer)
            : store.get({ discoveryKey: victim.discoveryKey as Buffer })
      assert.deepEqual(await readAll(core), ['v0', 'v1'], `opened by ${how}`)
      await appendAll(core, ['v2'])
      assert.equal(core.writable, true)
    })
    assert.deepEqual(await readFile(fileOf(dir, victim, 'key')), victim.key)
  }
})

test('a core folder the user cannot read is STORAGE_ERROR naming the file; other cores still work, nothing is lost', async (t) => {
  // In a child process: as root, the fixture gives up root (file permissions do not bind root), which
  // this process must keep. It does so after loading its code, so it runs wherever the checkout is;
  // its store goes in a folder made here, where that user can reach it and write (whatever TMPDIR is).
  const base = await tmpDirOthersReach(t)
  await chmod(base, 0o777)
  const result = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'tests-e2e/faults/fixtures/unreadable.ts', base],
    { cwd: root, encoding: 'utf8', timeout: 120_000 },
  )
  assert.equal(result.status, 0, result.stderr)
  const seen = JSON.parse(result.stdout.trim()) as Record<string, unknown>
  assert.notEqual(seen.uid, 0, 'the scenario ran without root, which reads any folder')
  assert.equal(seen.denied, 'EACCES', 'the core folder was out of reach')
  assert.equal(seen.code, 'STORAGE_ERROR')
  assert.match(String(seen.message), /\/key: EACCES: permission denied/)
  assert.equal(seen.opened, undefined)
  assert.equal(seen.otherBlock, 'fine')
  assert.equal(seen.otherLength, 2)
  assert.deepEqual(seen.lockedBlocks, ['secret'], 'the locked core kept its block')
  assert.equal(seen.lockedWritable, true)
})
