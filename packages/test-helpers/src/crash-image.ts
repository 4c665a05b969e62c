/** How much of the unsynced writes the platter holds after power comes back (see `SimulatedDisk.image`). */
export type CrashModel = 'sector' | 'page' | 'create'

export const CRASH_MODELS: readonly CrashModel[] = ['sector', 'page', 'create']

/** A disk writes 512-byte sectors whole or not at all: a larger write may tear between them. */
export const SECTOR = 512
/** The page cache writes 4 KiB pages back, each on its own schedule. */
export const PAGE = 4096

/** A change to a file that no `sync` has made durable yet, in the order it was issued. */
export type Unsynced =
  | { readonly kind: 'write'; readonly offset: number; readonly data: Buffer }
  | { readonly kind: 'truncate'; readonly size: number }
  | { readonly kind: 'destroy' }

/** One file's history since its last sync: `null` bytes mean the file does not exist. */
export interface FileHistory {
  /** What survives power loss for sure: the bytes as of the last sync (`null`: never synced, or unlinked). */
  readonly durable: Buffer | null
  /** The bytes as the running program sees them, at the crash. */
  readonly current: Buffer | null
  readonly unsynced: readonly Unsynced[]
}

/**
 * The odds one image draws for every file, so that some images keep nearly everything, some drop
 * nearly everything, and the rest lie in between.
 */
export interface ImageOdds {
  /** An unsynced operation is applied (else dropped), when not torn. */
  readonly keep: number
  /** A multi-sector write is torn: each of its sectors kept or dropped on its own. */
  readonly tear: number
}

export function drawOdds(random: () => number): ImageOdds {
  return { keep: random(), tear: random() * 0.5 }
}

/** What one file holds after power loss under `model`; `null`: the file is not there. */
export function fileAfterPowerLoss(
  file: FileHistory,
  model: CrashModel,
  odds: ImageOdds,
  random: () => number,
): Buffer | null {
  if (file.unsynced.length === 0) return file.durable && Buffer.from(file.durable)
  if (model === 'page') return pageCache(file, random)
  const kept = sectors(file, odds, random)
  if (model === 'sector' || file.durable !== null) return kept
  // The file's directory entry was never synced: it may come back without its data, or not at all.
  const fate = random()
  if (fate < 1 / 3) return kept
  return fate < 2 / 3 ? Buffer.alloc(0) : null
}

/** From the durable bytes, each unsynced operation applied whole, dropped, or (a write) torn at sectors. */
function sectors(file: FileHistory, odds: ImageOdds, random: () => number): Buffer | null {
  let content: Buffer | null = file.durable && Buffer.from(file.durable)
  for (const op of file.unsynced) {
    if (op.kind === 'write') {
      if (random() < odds.tear) {
        for (const [start, end] of sectorRanges(op.offset, op.data.length)) {
          if (random() < 0.5) content = writeAt(content, start, op.data.subarray(start - op.offset, end - op.offset))
        }
      } else if (random() < odds.keep) content = writeAt(content, op.offset, op.data)
    } else if (random() < odds.keep) {
      // A truncate of a file whose creation was lost has no file to act on.
      content = op.kind === 'destroy' ? null : content && resize(content, op.size)
    }
  }
  return content
}

/** The byte ranges `[start, end)` of a write, split on absolute sector boundaries of the file. */
export function sectorRanges(offset: number, length: number): [number, number][] {
  const ranges: [number, number][] = []
  for (let start = offset; start < offset + length; ) {
    const end = Math.min(offset + length, (Math.floor(start / SECTOR) + 1) * SECTOR)
    ranges.push([start, end])
    start = end
  }
  return ranges
}

/**
 * The page cache partly written back: every page that differs, the durable one or the one at the
 * crash; the size, the durable one or the one at the crash (a file not yet durable has none: it is
 * then absent). A file unlinked at the crash is gone, or still there as it was made durable.
 */
function pageCache(file: FileHistory, random: () => number): Buffer | null {
  const { durable, current } = file
  if (current === null) return random() < 0.5 ? durable && Buffer.from(durable) : null
  const sized = random() < 0.5 ? durable : current
  if (sized === null) return null
  const out = Buffer.alloc(sized.length)
  for (let start = 0; start < out.length; start += PAGE) {
    const old = pageOf(durable, start)
    const now = pageOf(current, start)
    const kept = old.equals(now) || random() < 0.5 ? old : now
    kept.copy(out, start)
  }
  return out
}

/** The page at `start`, zero-filled where the file ends before it does. */
function pageOf(content: Buffer | null, start: number): Buffer {
  const page = Buffer.alloc(PAGE)
  content?.copy(page, 0, Math.min(start, content.length), Math.min(start + PAGE, content.length))
  return page
}

/** `content` with `data` written at `offset`; a file that did not exist is created, holes are zeros. */
export function writeAt(content: Buffer | null, offset: number, data: Buffer): Buffer {
  const end = offset + data.length
  const out = content && content.length >= end ? content : resize(content ?? Buffer.alloc(0), end)
  data.copy(out, offset)
  return out
}

/** `content` cut or zero-extended to `size` bytes (a new buffer when the size changes). */
export function resize(content: Buffer, size: number): Buffer {
  if (content.length === size) return content
  const out = Buffer.alloc(size)
  content.copy(out, 0, 0, Math.min(size, content.length))
  return out
}
