import { defer, type Hooks } from './teardown.ts'

/** A store as these helpers need it: ours, corestore 5.8.2, or a view. */
export interface Resource {
  ready(): Promise<void>
  close(): Promise<void>
}

/** `store`, ready, and closed when the test ends. */
export async function opened<S extends Resource>(t: Hooks, store: S): Promise<S> {
  await store.ready()
  defer(t, () => store.close())
  return store
}

/**
 * Open `store`, run `use` with it and close it (also when `use` fails), resolving with what `use`
 * returned: a store that an earlier run of a program wrote and closed, for a test to reopen.
 */
export async function withStore<S extends Resource, T>(store: S, use: (store: S) => Promise<T> | T): Promise<T> {
  await store.ready()
  try {
    return await use(store)
  } finally {
    await store.close()
  }
}

/** Store options corestore 5.8.2 reads with `||`: each falsy value means "the default". */
export const FALSY_STORE_OPTIONS: readonly (readonly [label: string, opts: Record<string, unknown>])[] = [
  ['cacheSize: 0', { cacheSize: 0 }],
  ['cacheSize: null', { cacheSize: null }],
  ['masterKey: null', { masterKey: null }],
  ["masterKey: ''", { masterKey: '' }],
]
