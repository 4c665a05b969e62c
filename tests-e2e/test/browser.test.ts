// corestore 5 ran in browsers; so does this one. The packages bundle with esbuild alone (Node-only
// code sits behind the "#node" import conditions), and the bundle runs in Debian's chromium: a memory
// store, the keychain, an IndexedDB store across a reload, and replication with a Node store over a
// WebSocket. Everything listens on 127.0.0.1.
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { Corestore, type CorestoreError, type ProtocolStream, randomAccessMemory } from '@corestore/core'
import type { StorageFactory } from '@corestore/engine'
import type { discoveryKey, Keychain } from '@corestore/keychain'
import { within as sharedWithin } from '@corestore/test-helpers'
import type { Browser, Page } from 'playwright-core'
import { createWebSocketStream, WebSocketServer } from 'ws'
import { startBrowserExample } from '../../examples/browser/server.ts'
import { fixture } from '../../packages/keychain/test/vectors.ts'
import { type Bundle, bundle, hasChromium, launchChromium, pageWith, type Site, serve } from '../helpers/browser.ts'

// What browser/page.js puts on globalThis (the page is plain JavaScript), typed as in Node.
declare global {
  var corestore: {
    Corestore: typeof Corestore
    Keychain: typeof Keychain
    discoveryKey: typeof discoveryKey
    ram: typeof randomAccessMemory
    idb: (database: string) => StorageFactory
    Buffer: typeof Buffer
    replicateOver(url: string, stream: ProtocolStream): Promise<unknown>
  }
  var replicating: Corestore | undefined
}

/** The shared `within`, with the bound first: every wait here reads "at most ms, for what". */
const within = <T>(ms: number, what: string, promise: Promise<T>): Promise<T> => sharedWithin(promise, what, ms)

const NODE_ONLY = [
  /packages\/engine\/(dist|src)\/(hypercore\/node|module-hooks\/[a-z-]+)\.[jt]s$/,
  /packages\/bootstrap\/(dist|src)\/(node|descriptor-budget\/file-budget|lock-native)\.[jt]s$/,
  /fs-native-extensions|sodium-native|random-access-file\/index\.js/,
]

let store: Bundle

test('@corestore/core bundles for browsers with esbuild alone, and Node-only code stays out', async (t) => {
  store = await bundle('core.js')
  t.diagnostic(`@corestore/core bundle: ${store.size} bytes minified, ${store.gzip} gzipped`)
  for (const input of store.inputs) {
    for (const pattern of NODE_ONLY) assert.doesNotMatch(input, pattern)
  }
  // The built packages (the "default" condition), each through its browser variant of "#node".
  for (const variant of ['engine/dist/hypercore/browser.js', 'bootstrap/dist/browser.js']) {
    assert.ok(
      store.inputs.some((input) => input.endsWith(`packages/${variant}`)),
      `the bundle uses ${variant}`,
    )
  }
  // No hook picks noise-protocol in a bundle: it is what the installer resolved, and only 3.0.1 works.
  const noise = new Set(store.inputs.flatMap((input) => /noise-protocol@([^_/]+)/.exec(input)?.[1] ?? []))
  assert.deepEqual([...noise], ['3.0.1'])
})

test('the keychain bundles alone for browsers, without hypercore', async (t) => {
  const keychain = await bundle('keychain.js')
  t.diagnostic(`keychain bundle: ${keychain.size} bytes minified, ${keychain.gzip} gzipped`)
  assert.ok(
    !keychain.inputs.some((input) =>
      /hypercore|@corestore\/(engine|bootstrap)|packages\/(engine|bootstrap)/.test(input),
    ),
  )
  assert.ok(keychain.size < store.size / 2)
})

// Never skipped: without a browser these tests fail, saying how to get one (.ci/run installs it).
describe('in Debian chromium', () => {
  let browser: Browser
  let site: Site
  let page: Page

  before(async () => {
    assert.ok(hasChromium, 'no /usr/bin/chromium: install it (apt-get install chromium), as .ci/run does')
    const app = await bundle('page.js')
    site = await serve(pageWith(app.code))
    browser = await launchChromium()
    page = await browser.newPage()
    const errors: Error[] = []
    page.on('pageerror', (err) => errors.push(err))
    await page.goto(site.url, { timeout: 15_000 })
    await page.waitForFunction(() => 'corestore' in globalThis, null, { timeout: 15_000 })
    assert.deepEqual(errors, [])
  })

  after(async () => {
    await browser?.close()
    await site?.close()
  })

  test('a memory store appends and reads, and its default key is the Node store’s for the same master key', async () => {
    const seen = await within(
      15_000,
      'memory store in the browser',
      page.evaluate(async (masterKeyHex) => {
        const { Corestore, ram, Buffer } = globalThis.corestore
        const store = new Corestore(ram, { masterKey: Buffer.from(masterKeyHex, 'hex') })
        await store.ready()
        const core = store.default()
        await core.ready()
        await core.append(Buffer.from('hello from a browser'))
        const block = await core.get(0)
        const result = {
          key: core.key?.toString('hex'),
          writable: core.writable,
          length: core.length,
          block: block.toString(),
        }
        await store.close()
        return result
      }, fixture.masterKey),
    )
    const node = new Corestore(randomAccessMemory, { masterKey: Buffer.from(fixture.masterKey, 'hex') })
    await node.ready()
    try {
      const core = node.default()
      await core.ready()
      assert.deepEqual(seen, {
        key: core.key?.toString('hex'),
        writable: true,
        length: 1,
        block: 'hello from a browser',
      })
    } finally {
      await node.close()
    }
  })

  test('a directory path is INVALID_STORAGE: a browser has no directories', async () => {
    const error = await within(
      10_000,
      'directory store in the browser',
      page.evaluate(async () => {
        try {
          const store = new globalThis.corestore.Corestore('./my-store')
          await store.ready()
          return null
        } catch (err) {
          return { code: (err as CorestoreError).code, argument: (err as CorestoreError).argument }
        }
      }),
    )
    assert.deepEqual(error, { code: 'INVALID_STORAGE', argument: 'storage' })
  })

  test('the keychain derives corestore 5.8.2’s key vectors', async () => {
    const derived = await within(
      10_000,
      'keychain in the browser',
      page.evaluate((vectors) => {
        const { Keychain, discoveryKey, Buffer } = globalThis.corestore
        const keychain = new Keychain(Buffer.from(vectors.masterKey, 'hex'))
        return vectors.vectors.map((v) => {
          const name = 'utf8' in v.name ? v.name.utf8 : Buffer.from(v.name.hex, 'hex')
          const { publicKey, secretKey } = keychain.keyPair(name)
          return {
            publicKey: publicKey.toString('hex'),
            secretKey: secretKey.toString('hex'),
            discoveryKey: discoveryKey(publicKey).toString('hex'),
          }
        })
      }, fixture),
    )
    assert.equal(derived.length, fixture.vectors.length)
    assert.deepEqual(
      derived,
      fixture.vectors.map(({ publicKey, secretKey, discoveryKey }) => ({ publicKey, secretKey, discoveryKey })),
    )
  })

  test('an IndexedDB store keeps its master key, keys and blocks across a reload', async () => {
    const db = `corestore-${Date.now()}`
    const written = await within(
      15_000,
      'IndexedDB store before the reload',
      page.evaluate(async (db) => {
        const { Corestore, idb, Buffer } = globalThis.corestore
        const store = new Corestore(idb(db))
        await store.ready()
        const core = store.default()
        await core.ready()
        await core.append([Buffer.from('kept'), Buffer.from('across a reload')])
        const named = store.namespace('drive').default()
        await named.ready()
        const result = { key: core.key?.toString('hex'), named: named.key?.toString('hex') }
        await store.close()
        return result
      }, db),
    )
    await page.reload({ timeout: 15_000 })
    await page.waitForFunction(() => 'corestore' in globalThis, null, { timeout: 15_000 })
    const read = await within(
      15_000,
      'IndexedDB store after the reload',
      page.evaluate(async (db) => {
        const { Corestore, idb } = globalThis.corestore
        const store = new Corestore(idb(db))
        await store.ready()
        const core = store.default()
        await core.ready()
        const blocks = [(await core.get(0)).toString(), (await core.get(1)).toString()]
        const named = store.namespace('drive').default()
        await named.ready()
        const result = {
          key: core.key?.toString('hex'),
          named: named.key?.toString('hex'),
          writable: core.writable,
          length: core.length,
          blocks,
        }
        await store.close()
        return result
      }, db),
    )
    assert.deepEqual(read, { ...written, writable: true, length: 2, blocks: ['kept', 'across a reload'] })
  })

  test('a browser store and a Node store replicate both ways over a WebSocket', async () => {
    const node = new Corestore(randomAccessMemory)
    await node.ready()
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    try {
      await within(5_000, 'WebSocket server listening', new Promise((resolve) => server.once('listening', resolve)))
      server.on('connection', (socket) => {
        const wire = createWebSocketStream(socket)
        const stream = node.replicate(false, { live: true })
        wire.pipe(stream).pipe(wire)
        wire.on('error', () => stream.destroy())
        stream.on('error', () => wire.destroy())
      })
      const mine = node.default()
      await mine.ready()
      await mine.append(Buffer.from('from node'))
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`

      const browserKey = await within(
        20_000,
        'browser side of the replication',
        page.evaluate(
          async ({ url, nodeKey }) => {
            const { Corestore, ram, Buffer, replicateOver } = globalThis.corestore
            const store = new Corestore(ram)
            await store.ready()
            const own = store.default()
            await own.ready()
            await own.append(Buffer.from('from the browser'))
            const theirs = store.get({ key: Buffer.from(nodeKey, 'hex') })
            await theirs.ready()
            await replicateOver(url, store.replicate(true, { live: true }))
            const block = await theirs.get(0, { timeout: 10_000 })
            globalThis.replicating = store
            return { key: own.key?.toString('hex') ?? '', block: block.toString() }
          },
          { url, nodeKey: (mine.key as Buffer).toString('hex') },
        ),
      )
      assert.equal(browserKey.block, 'from node')

      const theirs = node.get({ key: Buffer.from(browserKey.key, 'hex') })
      await theirs.ready()
      const block = await within(15_000, 'Node reading the browser core', theirs.get(0, { timeout: 10_000 }))
      assert.equal(block.toString(), 'from the browser')
    } finally {
      await within(
        10_000,
        'closing the browser store',
        page.evaluate(() => globalThis.replicating?.close()),
      )
      await node.close()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  test('examples/browser keeps its visits in IndexedDB across a reload and replicates with its Node server both ways', async () => {
    const example = await startBrowserExample()
    const tab = await browser.newPage()
    const log = async (text: string) => {
      await tab.locator('#log', { hasText: text }).waitFor({ timeout: 15_000 })
      return (await tab.textContent('#log')) ?? ''
    }
    try {
      await tab.goto(example.url, { timeout: 15_000 })
      const first = await log('from node:')
      assert.match(
        first,
        /my core {6}[0-9a-f]{64}: 1 visit\(s\), kept in IndexedDB\nfrom node: {3}hello from a Node store\n/,
      )
      assert.match(await within(15_000, 'the server reading the page core', example.received), /^visit at /)

      await tab.reload({ timeout: 15_000 })
      const again = await log('from node:')
      assert.match(again, /: 2 visit\(s\), kept in IndexedDB/)
      assert.equal(again.slice(0, 76), first.slice(0, 76), 'the same core after a reload')
    } finally {
      await tab.close()
      await example.close()
    }
  })
})
