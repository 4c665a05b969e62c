import { mkdtemp, realpath, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

import { defer, type Hooks } from './teardown.ts'

/** Removed with retries: a file closing as the folder goes may briefly make it ENOTEMPTY or EBUSY. */
function removal(dir: string): () => Promise<void> {
  return () => rm(dir, { recursive: true, force: true, maxRetries: 5 })
}

/** A fresh temporary directory, removed when the test ends, after what was set up on it (`defer`). */
export async function tmpDir(t: Hooks): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'corestore-test-'))
  defer(t, removal(dir))
  return dir
}

/**
 * Where to make a temporary directory that another user can get to: a test running as root that
 * runs a command as `nobody` (file modes do not bind root) needs one. The system's temporary folder
 * ($TMPDIR) when every folder above it lets others pass; else /tmp, since a TMPDIR inside root's
 * home (mode 0700) is out of nobody's reach whatever the directory's own mode.
 */
export async function tmpBaseOthersReach(): Promise<string> {
  for (let dir = await realpath(tmpdir()); ; dir = dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) return '/tmp'
    if (dirname(dir) === dir) return tmpdir()
  }
}

/** `tmpDir`, in a place another user can get to (see `tmpBaseOthersReach`); removed when the test ends. */
export async function tmpDirOthersReach(t: Hooks): Promise<string> {
  const dir = await mkdtemp(join(await tmpBaseOthersReach(), 'corestore-test-'))
  defer(t, removal(dir))
  return dir
}
