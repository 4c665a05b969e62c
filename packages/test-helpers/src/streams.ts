import type { Duplex } from 'node:stream'

/** Pipe two replication streams together; tearing one down is the expected end, not a failure. */
export function link(a: Duplex, b: Duplex): void {
  a.on('error', () => {})
  b.on('error', () => {})
  a.pipe(b).pipe(a)
}
