import type { TestContext } from 'node:test'
import { Corestore, type CorestoreOptions } from '@corestore/core'
import { randomAccessMemory } from '@corestore/engine'
import { opened, tmpDir } from '@corestore/test-helpers'

/** A ready store in memory, closed when the test ends. */
export function memoryStore(t: TestContext, opts?: CorestoreOptions): Promise<Corestore> {
  return opened(t, new Corestore(randomAccessMemory, opts))
}

/** A ready store in a temporary directory (or `dir`), closed when the test ends. */
export async function diskStore(t: TestContext, dir?: string, opts?: CorestoreOptions): Promise<Corestore> {
  return opened(t, new Corestore(dir ?? (await tmpDir(t)), opts))
}
