import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import type { TestContext } from 'node:test'

/** A fresh temporary directory, removed when the test ends. */
export async function tmpDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'corestore-bootstrap-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** Every file under `dir` with its size: what a user would see with `find`. */
export async function tree(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    out.set(relative(dir, path), (await stat(path)).size)
  }
  return out
}
