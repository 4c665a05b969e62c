import type { Stats } from 'node:fs'
import { access, constants, lstat, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { MASTER_KEY_FILE } from '@corestore/bootstrap'
import { engine } from '@corestore/engine/internal'
import { UsageError } from './command.js'

/**
 * Refuse, in one line, a store directory a command cannot use: checked before the store is opened,
 * so the person at the keyboard reads what is wrong with the path rather than a failed `mkdir`.
 * With `create`, `dir` may be missing (the command creates it, or the store in it): then the folder
 * that will have to be written must be writable.
 * @throws {UsageError} `dir` is a file or below one, missing (without `create`), or cannot be
 *   read, or written where the store would be created
 */
export async function checkDirectory(dir: string, opts: { create: boolean }): Promise<void> {
  const found = await stat(dir).catch((err: NodeJS.ErrnoException) => err)
  if (!(found instanceof Error)) {
    if (!found.isDirectory()) {
      throw new UsageError(`${dir} ${found.isFile() ? 'is a file, not a directory' : 'is not a directory'}`)
    }
    await need(dir, constants.R_OK | constants.X_OK, (reason) => `cannot read ${dir}: ${reason}`)
    // An existing store is written where its files are; a new one first gets master_key here.
    if (opts.create && !(await exists(join(dir, MASTER_KEY_FILE)))) {
      await need(dir, constants.W_OK, (reason) => `cannot write ${dir}: ${reason}`)
    }
    return
  }
  if (!engine.isAbsent(found)) throw new UsageError(`${dir}: ${reasonOf(found)}`)
  // Only a link can be there and not be found: it points at nothing, and nothing can be created through it.
  if (await exists(dir)) throw new UsageError(`${dir} is a symbolic link to a path that does not exist`)
  const [above, st] = await nearestExisting(dir)
  if (!st.isDirectory()) throw new UsageError(`${dir}: ${above} ${st.isFile() ? 'is a file' : 'is not a directory'}`)
  if (!opts.create) throw new UsageError(`${dir}: no such directory`)
  await need(above, constants.W_OK | constants.X_OK, (reason) => `${dir}: cannot write ${above}: ${reason}`)
}

/** The closest folder above `dir` that exists (or the file that stands in the way), with its stats. */
async function nearestExisting(dir: string): Promise<[string, Stats]> {
  let path = dir
  for (;;) {
    const parent = dirname(path)
    // `.` and `/` always exist; getting here means they did not answer `stat` either.
    if (parent === path) throw new UsageError(`${dir}: no such directory`)
    path = parent
    const st = await stat(path).catch((err: NodeJS.ErrnoException) => err)
    if (!(st instanceof Error)) return [path, st]
    if (!engine.isAbsent(st)) throw new UsageError(`${dir}: ${reasonOf(st)}`)
  }
}

async function need(path: string, mode: number, message: (reason: string) => string): Promise<void> {
  try {
    await access(path, mode)
  } catch (err) {
    throw new UsageError(message(reasonOf(err as NodeJS.ErrnoException)))
  }
}

/** Whether anything (a file, a folder, a dangling link) is at `path`. */
export async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  )
}

/**
 * The system's words for an error, without its code and call: node writes
 * `EACCES: permission denied, access '/x'`; this gives `permission denied`.
 */
export function reasonOf(err: NodeJS.ErrnoException): string {
  return /^E[A-Z0-9]+: ([^,]+)/.exec(err.message)?.[1] ?? err.message
}
