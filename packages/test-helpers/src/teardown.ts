/** Where a helper registers its teardown: a test's `TestContext`, or anything with the same `after`. */
export interface Hooks {
  after(fn: () => unknown): void
}

const stacks = new WeakMap<Hooks, (() => unknown)[]>()

/**
 * Run `fn` when the test ends, before whatever was deferred earlier on the same test: last set up,
 * first torn down. node:test runs `t.after` hooks in the order they were added, so a folder made
 * before a store on it would be removed while the store is still open — and still writing.
 */
export function defer(t: Hooks, fn: () => unknown): void {
  let stack = stacks.get(t)
  if (!stack) {
    const fns: (() => unknown)[] = []
    stacks.set(t, fns)
    t.after(async () => {
      for (let next = fns.pop(); next; next = fns.pop()) await next()
    })
    stack = fns
  }
  stack.push(fn)
}
