import { isCorestoreError } from '@corestore/errors'
import { hypercoreError } from './errors.js'
import type { CallbackHypercore, DownloadRange, Hypercore } from './types.js'

type Method = (this: CallbackHypercore<unknown>, ...args: unknown[]) => unknown
type Done = (err: Error | null, value?: unknown) => void

/** hypercore 9's methods that end in a callback and so also get a promise form. */
const DUAL = ['ready', 'close', 'append', 'get', 'getBatch', 'head', 'update', 'clear'] as const

function noop(): void {}

/** hypercore 9's error as the store names it (see `hypercoreError`), else as it is. */
function typed(core: CallbackHypercore<unknown>, err: Error): Error {
  if (isCorestoreError(err)) return err
  return hypercoreError(err, core.closed || core.closing) ?? err
}

/** Run hypercore 9's own method with a callback that settles a promise. */
function settle(core: CallbackHypercore<unknown>, method: Method, args: unknown[]): Promise<unknown> {
  const promise = new Promise((resolve, reject) => {
    method.call(core, ...args, ((err, value) => (err ? reject(typed(core, err)) : resolve(value))) as Done)
  })
  // A program that neither awaits nor passes a callback (as corestore 5 programs may) must not
  // crash the process on a failure hypercore 9 would have swallowed; an `await` still sees it.
  promise.catch(noop)
  return promise
}

/**
 * One wrapper per method for every core (no closure per core): with a callback it is hypercore 9's
 * method, its failures typed; without one it returns a promise. Calls hypercore makes on itself pass
 * a callback, so they take the first path.
 */
const wrappers = Object.fromEntries(
  DUAL.map((name) => [
    name,
    function (this: CallbackHypercore<unknown>, ...args: unknown[]): unknown {
      const method = (Object.getPrototypeOf(this) as Record<string, Method>)[name] as Method
      const last = args[args.length - 1]
      if (typeof last === 'function') {
        const cb = last as (err: Error | null, ...values: unknown[]) => void
        args[args.length - 1] = (err: Error | null, ...values: unknown[]) => cb(err && typed(this, err), ...values)
        return method.apply(this, args)
      }
      // Trailing `undefined`s (an omitted `opts`) would otherwise take the callback's place.
      while (args.length > 0 && args[args.length - 1] === undefined) args.pop()
      return settle(this, method, args)
    },
  ]),
) as Record<(typeof DUAL)[number], Method>

/**
 * `download()` keeps returning the range object (`undownload()` cancels by it), made awaitable:
 * it resolves once every block of the range is here.
 */
function download(this: CallbackHypercore<unknown>, ...args: unknown[]): unknown {
  const method = (Object.getPrototypeOf(this) as Record<string, Method>).download as Method
  if (typeof args[args.length - 1] === 'function') return method.apply(this, args)
  let done: Done = noop
  const finished = new Promise<void>((resolve, reject) => {
    done = (err) => (err ? reject(err) : resolve())
  })
  finished.catch(noop)
  const range = method.call(this, args[0], ((err) => done(err)) as Done) as DownloadRange
  Object.defineProperty(range, 'then', {
    value: (onfulfilled?: () => unknown, onrejected?: (err: unknown) => unknown) =>
      finished.then(onfulfilled, onrejected),
  })
  return range
}

/**
 * Give a hypercore 9 core the promise forms of its methods, in place: the same object, its callback
 * API unchanged. Returns it typed as such.
 */
export function withPromises<Block = Buffer>(core: CallbackHypercore<unknown>): Hypercore<Block> {
  Object.assign(core, wrappers, { download })
  return core as unknown as Hypercore<Block>
}
