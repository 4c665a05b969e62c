/** Left-aligned columns, two spaces apart; `right` lists the columns to align right (numbers). */
export function table(header: string[], rows: string[][], right: ReadonlySet<number> = new Set()): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

/** The columns output may take: the terminal's width on a terminal, 80 anywhere else (a pipe, a file, a log). */
export function columnsOf(stream: NodeJS.WritableStream): number {
  const { isTTY, columns } = stream as { isTTY?: boolean; columns?: number }
  return isTTY === true && typeof columns === 'number' && columns > 0 ? columns : 80
}

/** `text` in at most `width` columns: cut, and its end marked `…`, when longer. */
export function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB']

/** `1234567` → `1.2 MB` (powers of 1000, as `ls -h --si`). */
export function bytes(n: number): string {
  let value = n
  let unit = 0
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${UNITS[unit]}`
}

/** `75` → `1m 15s`, `4000` → `1h 06m`: a time left, to the second under an hour. */
export function duration(seconds: number): string {
  const s = Math.ceil(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

export function hex(buf: Uint8Array): string {
  return Buffer.from(buf).toString('hex')
}
