import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import { Corestore, isCorestoreError } from '@corestore/core'
import { randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { appendAll, link, tmpDir, until, withStore } from '@corestore/test-helpers'

/** Handles and requests the process has beyond the ones it had at `before`. */
function leaked(before: string[]): string[] {
  const left = [...before]
  const extra: string[] = []
  for (const r of process.getActiveResourcesInfo()) {
    const i = left.indexOf(r)
    if (i === -1) extra.push(r)
    else left.splice(i, 1)
  }
  return extra
}

/** The process's handles and requests, once what earlier code started has had a few loop turns to end. */
async function resources(): Promise<string[]> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
  return process.getActiveResourcesInfo()
}

/**
 * What is left beyond `before` once closing has run its course. Files close on libuv's thread pool,
 * after `close()` resolves, so this polls until nothing is left, up to a generous bound, and then
 * reports whatever remains.
 */
async function leftAfterClose(before: string[], ms = 30_000): Promise<string[]> {
  await until(() => leaked(before).length === 0, 'every handle to close', ms).catch(() => {})
  return leaked(before)
}

/** Fail the test on any unhandled rejection while it runs. */
function noUnhandledRejections(t: TestContext): void {
  const seen: unknown[] = []
  const onrejection = (err: unknown) => seen.push(err)
  process.on('unhandledRejection', onrejection)
  t.after(() => {
    process.off('unhandledRejection', onrejection)
    assert.deepEqual(seen, [], 'unhandled rejections')
  })
}

test('close() twice, even at once, closes once and both calls resolve', async (t) => {
  noUnhandledRejections(t)
  const store = new Corestore(await tmpDir(t))
  await store.ready()
  await appendAll(store.default(), ['x'])
  const [a, b] = [store.close(), store.close()]
  assert.equal(a, b)
  await Promise.all([a, b])
  await store.close()
  assert.equal(store.closed, true)
})

test('close() while cores are still opening closes every one of them and leaves no handle behind', async (t) => {
  noUnhandledRejections(t)
  const dir = await tmpDir(t)
  const before = await resources()
  const store = new Corestore(dir)
  await store.ready()
  const cores = Array.from({ length: 50 }, () => store.get())
  const ns = store.namespace('n')
  cores.push(ns.default(), ns.get())
  await store.close()
  assert.ok(
    cores.every((c) => c.closed),
    'every core is closed',
  )
  assert.deepEqual(await leftAfterClose(before), [])
})

test('close() with live streams ends them, and the peer sees its stream end', async (t) => {
  noUnhandledRejections(t)
  const before = await resources()
  const store = new Corestore(randomAccessMemory)
  const peer = new Corestore(randomAccessMemory)
  await Promise.all([store.ready(), peer.ready()])
  const core = store.default()
  await appendAll(core, ['live'])
  const ours = store.replicate(true, { live: true, keepAlive: true })
  const theirs = peer.replicate(false, { live: true, keepAlive: true })
  link(ours, theirs)
  assert.equal((await engine.get(peer.get(core.key as Buffer), 0, { timeout: 5000 })).toString(), 'live')
  const peerClosed = new Promise((r) => theirs.once('close', r))
  await store.close()
  await peerClosed
  assert.equal(ours.destroyed, true)
  await peer.close()
  assert.deepEqual(await leftAfterClose(before), [])
})

test('every method of a closed store refuses with STORE_CLOSED, without a crash', async (t) => {
  noUnhandledRejections(t)
  const store = new Corestore(randomAccessMemory)
  await store.ready()
  const view = store.namespace('v')
  await store.close()
  for (const call of [
    () => store.get(),
    () => store.default(),
    () => store.namespace('x'),
    () => store.replicate(true),
    () => view.get(),
  ]) {
    assert.throws(call, (err: unknown) => isCorestoreError(err) && err.code === 'STORE_CLOSED')
  }
})

test('close() before ready() has finished leaves nothing open', async (t) => {
  noUnhandledRejections(t)
  const dir = await tmpDir(t)
  const before = await resources()
  const store = new Corestore(dir)
  const opening = store.ready().catch(() => {})
  await store.close()
  await opening
  assert.deepEqual(await leftAfterClose(before), [])
  await withStore(new Corestore(dir), () => {})
})
