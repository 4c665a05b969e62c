import assert from 'node:assert/strict'
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { EXACT, snapshot, tmpDir, tmpDirOthersReach } from '@corestore/test-helpers'
import { corestore, readOnly, Teardown, type User, writeStore } from './helpers.ts'

const KEY = 'ab'.repeat(32)
/** clone's network options: a bootstrap node on this machine, so that nothing ever leaves it. */
const OFFLINE = ['--bootstrap', '127.0.0.1:9', '--timeout', '1']

/** `corestore ...args` exits 1 with exactly `message` on standard error, nothing on standard output. */
async function refused(args: string[], message: string, as: User = {}): Promise<void> {
  const { code, stdout, stderr } = await corestore(args, { as, timeout: 20_000 })
  assert.deepEqual({ code, stdout, stderr }, { code: 1, stdout: '', stderr: `corestore ${args[0]}: ${message}\n` })
}

test('append and clone refuse a file, a path below a file and a folder they cannot write, each in one line', {
  timeout: 60_000,
}, async (context) => {
  const t = new Teardown(context)
  const dir = await tmpDirOthersReach(t)
  const file = join(dir, 'file')
  await writeFile(file, 'not a store\n')
  const locked = join(dir, 'locked')
  await mkdir(locked)
  const link = join(dir, 'link')
  await symlink(join(dir, 'nowhere'), link)
  const as = await readOnly(t, dir, locked)

  for (const command of [(path: string) => ['append', path, 'x'], (path: string) => ['clone', KEY, path, ...OFFLINE]]) {
    await refused(command(file), `${file} is a file, not a directory`)
    await refused(command(join(file, 'store')), `${join(file, 'store')}: ${file} is a file`)
    await refused(command(join(file, 'a', 'b')), `${join(file, 'a', 'b')}: ${file} is a file`)
    await refused(command(link), `${link} is a symbolic link to a path that does not exist`)
    await refused(command(locked), `cannot write ${locked}: permission denied`, as)
    await refused(
      command(join(locked, 'store')),
      `${join(locked, 'store')}: cannot write ${locked}: permission denied`,
      as,
    )
  }
  assert.equal(await readFile(file, 'utf8'), 'not a store\n')
  assert.deepEqual(await readdir(locked), [])
  assert.deepEqual((await readdir(dir)).sort(), ['file', 'link', 'locked'])
})

test('info, cat, rm and serve call a file a file, and name the file in the way of a path below it', {
  timeout: 60_000,
}, async (t) => {
  const dir = await tmpDir(t)
  const file = join(dir, 'file')
  await writeFile(file, 'not a store\n')
  const below = join(file, 'store')
  for (const args of [['info'], ['cat', 'default'], ['rm', KEY], ['serve', ...OFFLINE.slice(0, 2)]]) {
    const [name, ...rest] = args as [string, ...string[]]
    await refused([name, file, ...rest], `${file} is a file, not a directory`)
    await refused([name, below, ...rest], `${below}: ${file} is a file`)
    await refused([name, join(dir, 'missing'), ...rest], `${join(dir, 'missing')}: no such directory`)
  }
})

test('writing to a store this user cannot write fails in one line, and changes nothing', {
  timeout: 60_000,
}, async (context) => {
  const t = new Teardown(context)
  const root = await tmpDirOthersReach(t)
  const { dir, cores } = await writeStore(join(root, 'store'))
  const as = await readOnly(t, root, dir)
  const before = await snapshot(dir, EXACT)
  const key = (cores.copy.key as Buffer).toString('hex')
  for (const args of [
    ['append', dir, 'x'],
    ['rm', dir, key, '--yes'],
    ['serve', dir, ...OFFLINE.slice(0, 2)],
  ]) {
    const { code, stdout, stderr } = await corestore(args, { as, timeout: 20_000 })
    assert.equal(code, 1, stderr)
    assert.equal(stdout, '')
    // One line naming the file that could not be opened for writing, and why.
    const lock = join(dir, 'LOCK').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    assert.match(stderr, new RegExp(`^corestore ${args[0]}: [^\\n]*${lock}[^\\n]*permission denied[^\\n]*\\n$`, 'i'))
  }
  assert.deepEqual(await snapshot(dir, EXACT), before, 'no byte, mode or mtime changed, nothing created')
})

test('info and cat read a store this user cannot write', { timeout: 60_000 }, async (context) => {
  const t = new Teardown(context)
  const root = await tmpDirOthersReach(t)
  const { dir } = await writeStore(join(root, 'store'))
  const as = await readOnly(t, root, dir)
  const before = await snapshot(dir, EXACT)
  const info = await corestore(['info', dir], { as })
  assert.equal(info.stderr, '')
  assert.equal(info.code, 0)
  assert.match(info.stdout, /cores {8}4 \(3 writable\)/)
  assert.deepEqual(await corestore(['cat', dir, 'default'], { as }), { code: 0, stdout: 'hello\nworld\n', stderr: '' })
  assert.deepEqual(await snapshot(dir, EXACT), before)
})
