import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TwoTierCache } from '@corestore/cache'
import { isCorestoreError } from '@corestore/errors'
import { childName, Holdings, ROOT_NAME, viewNameOf } from '@corestore/namespace'
import { isInNamespace, listedNamespace, nameText, rootName } from '@corestore/namespace/internal'

test('a namespace under the root is named by its own name, nested ones join with a colon', () => {
  assert.equal(childName(null, 'a'), 'a')
  assert.equal(childName('a', 'b'), 'a:b')
  assert.equal(childName(childName('a', 'b'), 'c'), 'a:b:c')
  assert.equal(ROOT_NAME, 'default')
})

test('a Buffer name becomes its hex', () => {
  assert.equal(childName(null, Buffer.from([0xde, 0xad])), 'dead')
  assert.equal(childName('x', new Uint8Array([1, 2])), 'x:0102')
})

test('no name gives 32 random bytes as hex, different each time', () => {
  const a = childName(null)
  assert.match(a, /^[0-9a-f]{64}$/)
  assert.notEqual(a, childName(null))
  assert.match(childName('p', ''), /^p:[0-9a-f]{64}$/)
})

test('any falsy name is no name, as corestore 5 tests it for truth', () => {
  for (const none of [undefined, null, '', 0, false, Number.NaN]) {
    assert.match(childName(null, none), /^[0-9a-f]{64}$/)
    assert.match(childName('p', none), /^p:[0-9a-f]{64}$/)
  }
})

test('a name that is neither a string nor bytes is refused with INVALID_NAME', () => {
  for (const bad of [42, {}, true, () => {}]) {
    assert.throws(
      () => childName(null, bad),
      (err: unknown) => isCorestoreError(err) && err.code === 'INVALID_NAME',
    )
  }
})

test('a view references a core once however many times it holds it', () => {
  const cache = new TwoTierCache<object>({ maxSize: 10 })
  const view = new Holdings(cache)
  const core = {}
  cache.set('c', core)
  assert.equal(view.hold('c', core), true)
  assert.equal(view.hold('c', core), false)
  assert.equal(cache.refs('c'), 1)
  assert.deepEqual(view.toMap(), new Map([['c', core]]))
})

test("releasing one view leaves another view's references alone", () => {
  const cache = new TwoTierCache<object>({ maxSize: 10 })
  const a = new Holdings(cache)
  const b = new Holdings(cache)
  cache.set('shared', {})
  cache.set('own', {})
  a.hold('shared', {})
  a.hold('own', {})
  b.hold('shared', {})
  a.releaseAll()
  assert.equal(cache.refs('shared'), 1)
  assert.equal(cache.refs('own'), 0)
  assert.ok(cache.has('own'), 'released cores stay cached, as passive')
  assert.equal(a.size, 0)
})

test('forget drops a gone core without touching the cache', () => {
  const cache = new TwoTierCache<object>({ maxSize: 10 })
  const view = new Holdings(cache)
  cache.set('c', {})
  view.hold('c', {})
  cache.delete('c')
  assert.equal(view.forget('c'), true)
  assert.equal(view.has('c'), false)
})

test("a derived core's name gives back the view it is the default of, even with ':' inside a name", () => {
  assert.equal(viewNameOf(Buffer.from('default')), ROOT_NAME)
  assert.equal(viewNameOf(Buffer.from(childName(childName(null, 'a:x'), 'b'))), 'a:x:b')
  assert.equal(viewNameOf(Buffer.from('dead')), childName(null, Buffer.from([0xde, 0xad])))
})

test('random name bytes (a get() with no name) are no view: NOT_A_NAMESPACE_DEFAULT', () => {
  assert.throws(
    () => viewNameOf(Buffer.from([0xff, 0x00, 0xc3])),
    (err: unknown) => isCorestoreError(err) && err.code === 'NOT_A_NAMESPACE_DEFAULT' && /ff00c3/.test(err.message),
  )
})

test('a name is text when it is well-formed UTF-8, control characters included: the listing and namespaceOf agree', () => {
  assert.equal(nameText(Buffer.from('drive1:photos ✓')), 'drive1:photos ✓')
  assert.equal(nameText(Buffer.from([0xff, 0xfe])), null)
  // namespace('a\nb') is a view like any other: its default's name reads back as that view's name.
  assert.equal(nameText(Buffer.from('a\nb')), 'a\nb')
  assert.equal(viewNameOf(Buffer.from('a\nb')), childName(null, 'a\nb'))
})

test('a name is in a namespace when it is the namespace or below it, not when it only starts alike', () => {
  assert.equal(isInNamespace(Buffer.from('a'), 'a'), true)
  assert.equal(isInNamespace(Buffer.from('a:b:c'), 'a'), true)
  assert.equal(isInNamespace(Buffer.from('ab'), 'a'), false)
  assert.equal(isInNamespace(Buffer.from([0xff]), 'a'), false)
})

test("a root's name (corestore 5's opts.name): a string, or ROOT_NAME for any falsy value", () => {
  assert.equal(rootName({ name: 'app' }), 'app')
  for (const none of [undefined, null, {}, { name: '' }, { name: null }, { name: 0 }])
    assert.equal(rootName(none), ROOT_NAME)
  for (const bad of [5, true, Buffer.from('app')]) {
    assert.throws(
      () => rootName({ name: bad }),
      (err: unknown) => isCorestoreError(err) && err.code === 'INVALID_OPTION' && /opts\.name/.test(err.message),
    )
  }
})

test('a listing covers the view, or opts.namespace below the prefix: a named root lists everything', () => {
  assert.equal(listedNamespace(null, {}), null)
  assert.equal(listedNamespace(null, { namespace: 'a' }), 'a')
  assert.equal(listedNamespace(null, {}, 'app'), null)
  assert.equal(listedNamespace(null, { namespace: 'a' }, 'app'), 'app:a')
  assert.equal(listedNamespace('x', { namespace: 'y' }), 'x:y')
  assert.throws(
    () => listedNamespace(null, null),
    (err: unknown) => isCorestoreError(err) && err.code === 'INVALID_OPTION',
  )
})
