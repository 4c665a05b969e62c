import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where a helper registers its teardown: a test's `TestContext`, or anything with the same `after`. */
export interface Hooks {
  after(fn: () => unknown): void
}

/** A fresh temporary directory, removed when the test ends. */
export async function tmpDir(t: Hooks): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'corestore-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}
