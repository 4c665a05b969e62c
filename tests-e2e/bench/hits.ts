// What a call on a cached core costs, in every form a program asks for one, and how the store's
// own costs grow with the number of open cores: `get-hit` and `scale` (run.ts prints both tables).
import { randomAccessMemory } from '@corestore/engine'
import { randomBytes } from '@corestore/keychain/internal'
import type { Impl } from './impls.ts'
import { now, type Result, ready, store } from './scenarios.ts'

/** Cores open while the hit forms are measured: the one asked for is one among many. */
export const HIT_CORES = 1000

/**
 * The forms measured, in the order printed. 5.8.2 reads a string argument as hex bytes and so has
 * no `get(url)`: it gets the URL as `{ key: url }` (dat-encoding finds the hex in it), noted in the table.
 */
export const HIT_FORMS = [
  'get(keyBuffer)',
  'get({ key })',
  'get(hexString)',
  'get(url)',
  'get({ discoveryKey })',
  'get({ name })',
  'default()',
  'isLoaded({ key })',
] as const
export type HitForm = (typeof HIT_FORMS)[number]

/** A loop calling `fn` `n` times. */
type Loop = (fn: () => unknown, n: number) => void

/**
 * A loop of its own for each figure: one loop function shared by every form would see many callees,
 * and V8 would stop inlining them (the later forms measured up to twice slower than the same call
 * measured first). Each `new Function` is compiled apart, with its own type feedback.
 */
const newLoop = () => new Function('fn', 'n', 'for (let i = 0; i < n; i++) fn()') as Loop

/**
 * Microseconds per call of `fn`, over at least `minCalls` calls when a call takes under a
 * microsecond, else over as many as take `minCalls` µs: either way long enough that one preemption
 * (a few ms on this shared machine) moves the figure by well under a percent.
 */
export function perCall(fn: () => unknown, minCalls: number): number {
  const loop = newLoop()
  const warm = Math.min(100_000, minCalls)
  let t = now()
  loop(fn, warm)
  const estimate = ((now() - t) * 1000) / warm
  const calls = estimate < 1 ? minCalls : Math.max(warm, Math.ceil(minCalls / estimate))
  t = now()
  loop(fn, calls)
  return ((now() - t) * 1000) / calls
}

/** `minCalls` calls of each hit form on one cached core among HIT_CORES open ones (bare: the Map floor). */
export async function getHit(impl: Impl, minCalls: number): Promise<Result> {
  const extra: Record<string, number> = {}
  if (impl === 'bare') {
    // The floor: what any cache must do at least — a Map look-up, by the hex of a key buffer, or by
    // the string given (a hex key, a URL, a name) when the caller passes one.
    const keys = Array.from({ length: HIT_CORES }, () => randomBytes(32))
    const byHex = new Map(keys.map((k, i) => [k.toString('hex'), i]))
    const key = keys[HIT_CORES >> 1] as Buffer
    const hex = key.toString('hex')
    const url = `hyper://${hex}/x`
    const byString = new Map([...byHex.keys()].map((h, i) => [i === HIT_CORES >> 1 ? url : h, i]))
    byString.set('name', 0)
    byString.set(hex, 1)
    // Each string its own function, compiled apart (as the loops are). The look-up by a key buffer's
    // hex allocates a string a call, which makes it slower (0.06 → 0.2 µs) once other loops have run
    // meanwhile (the young generation shrinks, it seems): measured once, first, for every buffer form.
    const lookup = (map: Map<string, number>, arg: string | Buffer) =>
      new Function('map', 'arg', `return () => map.get(${typeof arg === 'string' ? 'arg' : "arg.toString('hex')"})`)(
        map,
        arg,
      ) as () => unknown
    const byBuffer = perCall(lookup(byHex, key), minCalls)
    const strings: Partial<Record<HitForm, string>> = {
      'get(hexString)': hex,
      'get(url)': url,
      'get({ name })': 'name',
      'default()': 'name',
    }
    for (const form of HIT_FORMS) {
      const string = strings[form]
      extra[form] = string === undefined ? byBuffer : perCall(lookup(byString, string), minCalls)
    }
    return { ms: ((extra['get(keyBuffer)'] as number) * minCalls) / 1000, ops: minCalls, extra }
  }
  const s = await store(impl, randomAccessMemory)
  const cores = Array.from({ length: HIT_CORES - 2 }, () => s.get())
  const named = s.get({ name: 'name' })
  const core = s.default()
  cores.push(named, core)
  await ready(cores)
  const key = core.key as Buffer
  const discoveryKey = core.discoveryKey as Buffer
  const hex = key.toString('hex')
  const url = `hyper://${hex}/x`
  const calls: Record<HitForm, () => unknown> = {
    'get(keyBuffer)': () => s.get(key),
    'get({ key })': () => s.get({ key }),
    'get(hexString)': () => s.get(hex),
    'get(url)': impl === 'ours' ? () => s.get(url) : () => s.get({ key: url }),
    'get({ discoveryKey })': () => s.get({ discoveryKey }),
    'get({ name })': () => s.get({ name: 'name' }),
    'default()': () => s.default(),
    'isLoaded({ key })': () => s.isLoaded({ key }),
  }
  for (const form of HIT_FORMS) {
    const fn = calls[form]
    const got = fn()
    // A form that opened another core would measure a miss, not a hit.
    if (typeof got !== 'boolean' && got !== (form === 'get({ name })' ? named : core))
      throw new Error(`${impl}: ${form} did not hit the cached core`)
    extra[form] = perCall(fn, minCalls)
  }
  if (s.list().size !== HIT_CORES) throw new Error(`${impl}: the hits opened cores (${s.list().size} listed)`)
  await s.close()
  return { ms: ((extra['get(keyBuffer)'] as number) * minCalls) / 1000, ops: minCalls, extra }
}

/** The figures of the scale table, in the order printed. */
export const SCALE_FIGURES = [
  'get hit µs',
  'get miss µs',
  'list() µs',
  'isLoaded µs',
  'close ms',
  'close µs/core',
] as const

/**
 * How the store's own costs grow with `n` open cores (ours and 5.8.2 only): hits and isLoaded over
 * every core in turn (`minCalls` calls), misses, list(), and closing the store.
 */
export async function scale(impl: Exclude<Impl, 'bare'>, n: number, minCalls: number): Promise<Result> {
  const s = await store(impl, randomAccessMemory)
  const cores = Array.from({ length: n }, () => s.get())
  await ready(cores)
  const keys = cores.map((c) => c.key as Buffer)
  let i = 0
  const hit = perCall(() => s.get(keys[i++ % n] as Buffer), minCalls)
  const loaded = perCall(() => s.isLoaded({ key: keys[i++ % n] as Buffer }), minCalls)
  // list() copies n entries: as many calls as take about a second.
  const list = perCall(() => s.list(), Math.max(20, Math.ceil(minCalls / 2)))

  const missCount = Math.min(200, n)
  let t = now()
  const fresh = Array.from({ length: missCount }, () => s.get())
  const miss = ((now() - t) * 1000) / missCount
  await ready(fresh)

  t = now()
  await s.close()
  const close = now() - t
  return {
    ms: close,
    ops: n + missCount,
    extra: {
      'get hit µs': hit,
      'get miss µs': miss,
      'list() µs': list,
      'isLoaded µs': loaded,
      'close ms': close,
      'close µs/core': (close * 1000) / (n + missCount),
    },
  }
}
