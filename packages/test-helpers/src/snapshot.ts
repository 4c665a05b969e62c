import { createHash } from 'node:crypto'
import { lstat, readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'

export interface SnapshotOptions {
  /** A hash of each file's bytes, so that a rewrite of the same size shows. */
  hash?: boolean
  /** Each entry's modification time. */
  mtime?: boolean
  /** Each entry's mode: its type and permission bits. */
  mode?: boolean
  /** Folders and links too, not only files. */
  all?: boolean
  /** Paths, relative to the directory, left out (such as the empty `LOCK` of an open store). */
  ignore?: string[]
}

/** What a snapshot tells of one entry; `size` and `sha256` are a file's. */
export interface Entry {
  kind: 'file' | 'dir' | 'other'
  size?: number
  sha256?: string
  mtimeMs?: number
  mode?: number
}

/** Every byte, mode and mtime, folders included: what a command that only reads must leave as it was. */
export const EXACT: SnapshotOptions = { hash: true, mtime: true, mode: true, all: true }

/**
 * Every file under `dir` with its size, keyed by its path relative to `dir`: what a user would see
 * with `find`. `opts` adds detail, so that two snapshots tell whether anything changed in between.
 */
export async function snapshot(dir: string, opts: SnapshotOptions = {}): Promise<Map<string, Entry>> {
  const out = new Map<string, Entry>()
  for (const dirent of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(dirent.parentPath, dirent.name)
    const name = relative(dir, path)
    const kind = dirent.isFile() ? 'file' : dirent.isDirectory() ? 'dir' : 'other'
    if ((kind !== 'file' && !opts.all) || opts.ignore?.includes(name)) continue
    // lstat: a link is described as itself, so a link that leads nowhere (or to itself) is no error.
    const st = await lstat(path)
    const entry: Entry = { kind }
    if (kind === 'file') entry.size = st.size
    if (kind === 'file' && opts.hash) entry.sha256 = sha256(await readFile(path))
    if (opts.mtime) entry.mtimeMs = st.mtimeMs
    if (opts.mode) entry.mode = st.mode
    out.set(name, entry)
  }
  return out
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}
