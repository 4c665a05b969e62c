import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openStorage } from '@corestore/bootstrap'
import { lockStore } from '@corestore/bootstrap/internal'
import { createMemoryStorage } from '@corestore/engine'
import { isCorestoreError } from '@corestore/errors'
import { tmpDir } from '@corestore/test-helpers'

const locked = (err: unknown) => isCorestoreError(err) && err.code === 'STORE_LOCKED'

test('a second lock on one directory in the same process is STORE_LOCKED until the first is released', async (t) => {
  const dir = await tmpDir(t)
  const first = await lockStore(openStorage(dir))
  await assert.rejects(lockStore(openStorage(dir)), locked)
  await first?.release()
  const second = await lockStore(openStorage(dir))
  assert.ok(second)
  await second.release()
  await second.release()
})

test('a lock held by another process refuses us, and a killed holder leaves no stale lock', async (t) => {
  const dir = await tmpDir(t)
  const script = `
    import { openStorage } from '@corestore/bootstrap'
import { lockStore } from '@corestore/bootstrap/internal'
    await lockStore(openStorage(${JSON.stringify(dir)}))
    console.log('locked')
    setInterval(() => {}, 1000)
  `
  const holder = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      // fileURLToPath, not URL.pathname: the checkout's path may hold spaces (%20 in a URL).
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  t.after(() => holder.kill('SIGKILL'))
  await new Promise<void>((resolve, reject) => {
    // A guard against a hung holder, cleared once it answers: a live timer would keep this file's process up.
    const guard = setTimeout(() => reject(new Error('holder took too long')), 60_000)
    holder.stdout.on('data', (d: Buffer) => {
      if (!d.toString().includes('locked')) return
      clearTimeout(guard)
      resolve()
    })
    holder.on('exit', () => {
      clearTimeout(guard)
      reject(new Error('holder exited'))
    })
  })
  await assert.rejects(lockStore(openStorage(dir)), locked)
  holder.kill('SIGKILL')
  await new Promise((r) => holder.once('exit', r))
  const ours = await lockStore(openStorage(dir))
  assert.ok(ours, 'the lock of a killed process is gone with it')
  await ours.release()
})

test('a storage function has nothing to lock', async () => {
  assert.equal(await lockStore(openStorage(createMemoryStorage())), null)
})
