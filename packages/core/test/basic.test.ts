import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Corestore } from '@corestore/core'
import { randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { Keychain } from '@corestore/keychain'
import { randomBytes } from '@corestore/keychain/internal'
import { appendAll, readAll, tmpDir, withStore } from '@corestore/test-helpers'
import { diskStore, memoryStore } from './helpers.ts'

test('a store in memory gives a writable default core that appends and reads back', async (t) => {
  const store = await memoryStore(t)
  const core = store.default()
  await appendAll(core, ['hello', 'world'])
  assert.equal(core.writable, true)
  assert.deepEqual(await readAll(core), ['hello', 'world'])
})

test('the default core is derived from the master key and the name "default"', async (t) => {
  const masterKey = Keychain.generateMasterKey()
  const store = await memoryStore(t, { masterKey })
  const core = store.default()
  await engine.ready(core)
  assert.deepEqual(core.key, new Keychain(masterKey).keyPair('default').publicKey)
})

test('get() with no arguments makes a new writable core each time', async (t) => {
  const store = await memoryStore(t)
  const a = store.get()
  const b = store.get()
  await Promise.all([engine.ready(a), engine.ready(b)])
  assert.notDeepEqual(a.key, b.key)
  assert.ok(a.writable && b.writable)
})

test('getting a loaded core by key, hex key, { key } or discovery key gives the same object', async (t) => {
  const store = await memoryStore(t)
  const core = store.get()
  await engine.ready(core)
  const key = core.key as Buffer
  assert.equal(store.get(key), core)
  assert.equal(store.get(key.toString('hex')), core)
  assert.equal(store.get({ key }), core)
  assert.equal(store.get({ key: key.toString('hex') }), core)
  assert.equal(store.get({ discoveryKey: core.discoveryKey as Buffer }), core)
})

test('two concurrent gets of one key return the same core, from any view', async (t) => {
  const store = await memoryStore(t)
  const key = new Keychain(Keychain.generateMasterKey()).keyPair('x').publicKey
  const [a, b, c] = [store.get(key), store.get({ key }), store.namespace('n').get(key)]
  assert.equal(a, b)
  assert.equal(a, c)
  await engine.ready(a)
})

test('a namespace has its own default core, and nested namespaces join names with ":"', async (t) => {
  const masterKey = Keychain.generateMasterKey()
  const store = await memoryStore(t, { masterKey })
  const keychain = new Keychain(masterKey)
  const drive1 = store.namespace('drive1').default()
  const drive2 = store.namespace('drive2').default()
  const nested = store.namespace('a').namespace('b').default()
  await Promise.all([drive1, drive2, nested].map(engine.ready))
  assert.deepEqual(drive1.key, keychain.keyPair('drive1').publicKey)
  assert.deepEqual(drive2.key, keychain.keyPair('drive2').publicKey)
  assert.deepEqual(nested.key, keychain.keyPair('a:b').publicKey)
  assert.equal(store.namespace('a').name, 'a')
  assert.equal(store.namespace('a').namespace('b').name, 'a:b')
})

test('a Buffer namespace name is used as hex, and no name gives a random namespace', async (t) => {
  const store = await memoryStore(t)
  assert.equal(store.namespace(Buffer.from([1, 2, 3])).name, '010203')
  assert.match(store.namespace().name, /^[0-9a-f]{64}$/)
})

test('get({ name }) derives a core from the name, in any view', async (t) => {
  const masterKey = Keychain.generateMasterKey()
  const store = await memoryStore(t, { masterKey })
  const core = store.namespace('ignored').get({ name: 'photos' })
  await engine.ready(core)
  assert.deepEqual(core.key, new Keychain(masterKey).keyPair('photos').publicKey)
})

test('default() on a directory store is the same writable core after a restart', async (t) => {
  const dir = await tmpDir(t)
  const { key } = await withStore(new Corestore(dir), (first) => appendAll(first.default(), ['one']))

  const again = await diskStore(t, dir)
  const reopened = again.default()
  await appendAll(reopened, ['two'])
  assert.deepEqual(reopened.key, key)
  assert.equal(reopened.writable, true)
  assert.deepEqual(await readAll(reopened), ['one', 'two'])
})

test("a namespace's default core reopened by key after a restart is still writable", async (t) => {
  const dir = await tmpDir(t)
  const core = await withStore(new Corestore(dir), (first) => appendAll(first.namespace('drive1').default(), ['a']))

  const again = await diskStore(t, dir)
  const byKey = again.get(core.key as Buffer)
  await appendAll(byKey, ['b'])
  assert.equal(byKey.writable, true)
  assert.deepEqual(await readAll(byKey), ['a', 'b'])
})

test('a core stored on disk opens by discovery key alone', async (t) => {
  const dir = await tmpDir(t)
  const core = await withStore(new Corestore(dir), (first) => appendAll(first.get(), ['x']))

  const again = await diskStore(t, dir)
  const byDk = again.get({ discoveryKey: core.discoveryKey as Buffer })
  assert.deepEqual(await readAll(byDk), ['x'])
  assert.deepEqual(byDk.key, core.key)
  assert.equal(byDk.writable, true)
})

test('a core made from an explicit key pair is writable and reopens writable', async (t) => {
  const dir = await tmpDir(t)
  const keyPair = new Keychain(Keychain.generateMasterKey()).keyPair('mine')
  await withStore(new Corestore(dir), (first) => appendAll(first.get({ keyPair }), ['kp']))

  const again = await diskStore(t, dir)
  const core = again.get({ key: keyPair.publicKey })
  await appendAll(core, ['again'])
  assert.deepEqual(await readAll(core), ['kp', 'again'])
})

test('a core by key of someone else is read-only and empty until replicated', async (t) => {
  const store = await memoryStore(t)
  const foreign = new Keychain(Keychain.generateMasterKey()).keyPair('theirs').publicKey
  const core = store.get(foreign)
  await engine.ready(core)
  assert.equal(core.writable, false)
  assert.equal(core.length, 0)
})

test('hypercore options pass through: valueEncoding on get and on the store', async (t) => {
  const store = await memoryStore(t, { valueEncoding: 'json' })
  const core = store.get()
  await engine.ready(core)
  await engine.append(core, { hello: 'json' } as unknown as Buffer)
  assert.deepEqual(await engine.get(core, 0), { hello: 'json' })
  const utf8 = store.get({ valueEncoding: 'utf-8' })
  await engine.ready(utf8)
  await engine.append(utf8, 'text' as unknown as Buffer)
  assert.equal(await engine.get(utf8, 0), 'text')
})

test("the 'feed' event fires once per loaded core, on every view, with the get options", async (t) => {
  const store = await memoryStore(t)
  const ns = store.namespace('n')
  const seen: [unknown, unknown][] = []
  const nsSeen: unknown[] = []
  store.on('feed', (core, opts) => seen.push([core, opts]))
  ns.on('feed', (core) => nsSeen.push(core))
  const opts = { sparse: true }
  const core = store.get(opts)
  await engine.ready(core)
  store.get({ key: core.key as Buffer })
  await new Promise((r) => setImmediate(r))
  assert.equal(seen.length, 1)
  assert.equal(seen[0]?.[0], core)
  assert.equal(seen[0]?.[1], opts)
  assert.deepEqual(nsSeen, [core])
})

test('list() maps the hex discovery keys of the cores a view got to the cores', async (t) => {
  const store = await memoryStore(t)
  const ns = store.namespace('n')
  const a = store.get()
  const b = ns.default()
  await Promise.all([engine.ready(a), engine.ready(b)])
  assert.deepEqual([...store.list()], [[(a.discoveryKey as Buffer).toString('hex'), a]])
  assert.deepEqual([...ns.list()], [[(b.discoveryKey as Buffer).toString('hex'), b]])
})

test('isLoaded and isExternal tell open cores from absent ones and held cores from passive ones', async (t) => {
  const store = await memoryStore(t)
  const ns = store.namespace('n')
  const core = ns.default()
  await engine.ready(core)
  const key = core.key as Buffer
  assert.equal(store.isLoaded({ key }), true)
  assert.equal(store.isExternal({ key }), true)
  assert.equal(store.isLoaded(Buffer.alloc(32, 1)), false)
  await ns.close()
  assert.equal(store.isLoaded({ key }), true, 'released cores stay cached, as passive')
  assert.equal(store.isExternal({ key }), false)
})

test('closing a namespace releases only its own cores, which stay usable for other holders', async (t) => {
  const store = await memoryStore(t)
  const a = store.namespace('a')
  const b = store.namespace('b')
  const shared = a.default()
  await engine.ready(shared)
  b.get(shared.key as Buffer)
  const own = a.get()
  await engine.ready(own)
  await a.close()
  assert.equal(store.cache.refs((shared.discoveryKey as Buffer).toString('hex')), 1)
  assert.equal(store.cache.refs((own.discoveryKey as Buffer).toString('hex')), 0)
  assert.equal(shared.closed, false)
  await appendAll(shared, ['still open'])
})

test('close() closes every core the store opened and is safe to call twice', async () => {
  const store = new Corestore(randomAccessMemory)
  await store.ready()
  const cores = [store.default(), store.get(), store.namespace('x').default()]
  await Promise.all(cores.map(engine.ready))
  await store.close()
  await store.close()
  assert.ok(cores.every((c) => c.closed))
  assert.equal(store.closed, true)
  assert.equal(store.cache.size, 0)
})

test('ready() and close() also take callbacks, as in corestore 5', async () => {
  const store = new Corestore(randomAccessMemory)
  await new Promise<void>((resolve, reject) => store.ready((err) => (err ? reject(err) : resolve())))
  await new Promise<void>((resolve, reject) => store.close((err) => (err ? reject(err) : resolve())))
  assert.equal(store.closed, true)
})

test('concurrent ready() calls share one open and one master key', async (t) => {
  const dir = await tmpDir(t)
  const store = new Corestore(dir)
  await Promise.all([store.ready(), store.ready(), store.ready()])
  const core = store.default()
  await engine.ready(core)
  await store.close()
  const again = await diskStore(t, dir)
  const same = again.default()
  await engine.ready(same)
  assert.deepEqual(same.key, core.key)
})

test('a key buffer rewritten in place between two gets names the new key, not the old core', async (t) => {
  const store = await memoryStore(t)
  const a = store.get()
  const b = store.get()
  await Promise.all([engine.ready(a), engine.ready(b)])
  const buf = Buffer.from(a.key as Buffer)
  assert.equal(store.get(buf), a)
  ;(b.key as Buffer).copy(buf)
  assert.equal(store.get(buf), b)
  assert.equal(store.isLoaded(buf), true)
})

test('a discovery key buffer, or a key asked about, rewritten in place names what it holds now', async (t) => {
  const store = await memoryStore(t)
  const a = store.get()
  await engine.ready(a)
  const unknown = randomBytes(32)
  const dk = Buffer.from(a.discoveryKey as Buffer)
  assert.equal(store.get({ discoveryKey: dk }), a)
  const key = Buffer.from(a.key as Buffer)
  assert.equal(store.isLoaded({ key }), true)
  const b = store.get()
  await engine.ready(b)
  ;(b.discoveryKey as Buffer).copy(dk)
  assert.equal(store.get({ discoveryKey: dk }), b)
  unknown.copy(key)
  assert.equal(store.isLoaded({ key }), false)
  ;(b.key as Buffer).copy(key)
  assert.equal(store.isLoaded({ key }), true)
})
