import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Corestore, type CorestoreOptions, isCorestoreError } from '@corestore/core'
import { randomAccessMemory } from '@corestore/engine'
import { engine } from '@corestore/engine/internal'
import { Keychain } from '@corestore/keychain'
import { appendAll, opened, readAll } from '@corestore/test-helpers'
import fc from 'fast-check'

const seed = Number(process.env.FAULT_SEED ?? Date.now() % 2 ** 31)
let inputsTried = 0

/** A rejection must be one of the project's errors (the keychain's included), with a code. */
function typed(err: unknown): boolean {
  if (isCorestoreError(err)) return typeof err.code === 'string'
  throw new Error(`not a typed error: ${String(err)}`)
}

/** Values shaped like what people pass: keys of many lengths, hex-ish strings, option objects. */
const keyish = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 70 }).map((u) => Buffer.from(u)),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((u) => Buffer.from(u)),
  fc.string({ maxLength: 70 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 60, maxLength: 68 }),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((u) => Buffer.from(u).toString('hex')),
)
const optionValue = fc.oneof(fc.anything(), keyish, fc.boolean(), fc.integer())
const optionName = fc.constantFrom(
  'key',
  'discoveryKey',
  'name',
  'keyPair',
  'default',
  'sparse',
  'valueEncoding',
  'live',
  'cacheSize',
  'masterKey',
  'stream',
  'timeout',
  'download',
  'upload',
  'encrypt',
  'keepAlive',
  'extensions',
  'cache',
  'storageCacheSize',
)
const options = fc.dictionary(optionName, optionValue, { maxKeys: 4 })
const anyInput = fc.oneof(fc.anything(), keyish, options, fc.constant(undefined))

/** After the storm, a well-formed call still works. */
async function stillWorks(store: Corestore): Promise<void> {
  const core = store.namespace('after').get()
  await appendAll(core, ['ok'])
  assert.deepEqual(await readAll(core), ['ok'])
}

function property<T>(arb: fc.Arbitrary<T>, runs: number, check: (value: T) => Promise<void> | void) {
  return fc.assert(
    fc.asyncProperty(arb, async (value) => {
      inputsTried++
      await check(value)
    }),
    { numRuns: runs, seed },
  )
}

test(`generated input to new Corestore, get, default, namespace, replicate and Keychain is refused by type only (seed ${seed})`, async (t) => {
  const store = await opened(t, new Corestore(randomAccessMemory))
  const views: Corestore[] = []

  await property(fc.tuple(anyInput, fc.oneof(options, fc.anything())), 1500, ([storage, opts]) => {
    try {
      new Corestore(storage as string, opts as CorestoreOptions)
    } catch (err) {
      typed(err)
    }
  })

  await property(anyInput, 3000, async (input) => {
    const view = store.namespace('fuzz')
    try {
      const core = view.get(input as Buffer)
      // A well-typed request may still name a core that does not exist: then it fails on open, typed.
      await engine.ready(core).catch(typed)
    } catch (err) {
      typed(err)
    } finally {
      await view.close()
    }
  })

  await property(anyInput, 1500, async (input) => {
    try {
      await engine.ready(store.default(input as Buffer)).catch(typed)
    } catch (err) {
      typed(err)
    }
  })

  await property(fc.oneof(fc.anything(), keyish), 1500, (name) => {
    try {
      views.push(store.namespace(name as string))
    } catch (err) {
      typed(err)
    }
  })

  await property(fc.tuple(fc.anything(), fc.oneof(options, fc.anything())), 1500, (input) => {
    const [isInitiator, opts] = input
    try {
      store.replicate(isInitiator as boolean, opts as object).destroy()
    } catch (err) {
      typed(err)
    }
  })

  await property(fc.tuple(fc.oneof(fc.anything(), keyish), fc.oneof(fc.anything(), keyish)), 1000, ([key, name]) => {
    try {
      new Keychain(key as Buffer).keyPair(name as string)
    } catch (err) {
      typed(err)
    }
  })

  await Promise.all(views.map((v) => v.close()))
  await stillWorks(store)
  t.diagnostic(`${inputsTried} generated inputs tried, every rejection typed, the store still works`)
  assert.ok(inputsTried >= 10_000)
})
