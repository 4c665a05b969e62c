import { openStorage, readStoredSize, storedCores } from '@corestore/bootstrap'
import { fingerprint, Keychain } from '@corestore/keychain'
import { type Command, flag, write } from '../command.js'
import { clip, columnsOf, hex, table } from '../format.js'
import { requireStore } from '../store.js'

/** What `corestore info --json` prints. */
export interface InfoJson {
  readonly directory: string
  /** First 8 bytes of BLAKE2b-256 of the master key, hex. */
  readonly fingerprint: string
  readonly cores: {
    readonly discoveryKey: string
    readonly key: string
    readonly name: string | null
    readonly writable: boolean
    /** `null` when the core's files are damaged. */
    readonly length: number | null
    readonly byteLength: number | null
  }[]
}

export const info: Command = {
  name: 'info',
  summary: "what a store holds: its master key's fingerprint, then every core",
  help: `Usage: corestore info <dir> [--wide] [--json]

Shows the store's master key fingerprint (the first 8 bytes of BLAKE2b-256 of master_key, in hex;
never the key itself), then one row per stored core: discovery key, key, the name its key pair
derives from (text, or hex for random bytes; - when not derived here), whether this store can
write to it, its length in blocks and its size in bytes (? when its files are damaged).

Reads the files only: nothing is created or changed, no lock is taken, and a store that is open
in another process can be looked at. A directory without master_key is refused.

The table fits the terminal (80 columns when the output is not a terminal): when the keys do not
fit whole, it leaves out the discovery keys and cuts the keys, and says so.

Options:
  --wide      every key whole, and the discovery keys, however wide the rows
  --json      one JSON object on stdout, for programs
  -h, --help  this help`,
  options: { json: { type: 'boolean' }, wide: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const dir = args.positionals[0] as string
    const masterKey = await requireStore(dir)
    const storage = openStorage(dir)
    const cores = []
    for await (const core of storedCores(storage, new Keychain(masterKey))) {
      cores.push({ ...core, size: await readStoredSize(storage, core.discoveryKey) })
    }
    const print = fingerprint(masterKey)

    if (flag(args, 'json')) {
      const json: InfoJson = {
        directory: dir,
        fingerprint: print,
        cores: cores.map((c) => ({
          discoveryKey: hex(c.discoveryKey),
          key: hex(c.key),
          name: c.name,
          writable: c.writable,
          length: c.size?.length ?? null,
          byteLength: c.size?.byteLength ?? null,
        })),
      }
      await write(io.stdout, `${JSON.stringify(json, null, 2)}\n`)
      return
    }

    const writable = cores.filter((c) => c.writable).length
    const lines = [
      `store        ${dir}`,
      `master key   fingerprint ${print} (the key itself is never shown)`,
      `cores        ${cores.length} (${writable} writable)`,
    ]
    const rows = cores.map((c) => ({
      discoveryKey: hex(c.discoveryKey),
      key: hex(c.key),
      name: c.name ?? '-',
      writable: c.writable ? 'yes' : 'no',
      length: c.size ? String(c.size.length) : '?',
      bytes: c.size ? String(c.size.byteLength) : '?',
    }))
    if (rows.length > 0)
      lines.push('', coreTable(rows, flag(args, 'wide') ? Number.POSITIVE_INFINITY : columnsOf(io.stdout)))
    await write(io.stdout, `${lines.join('\n')}\n`)
  },
}

interface Row {
  discoveryKey: string
  key: string
  name: string
  writable: string
  length: string
  bytes: string
}

/** Names get at most what leaves a cut key this many columns. */
const KEY_ROOM = 20

/**
 * The cores as a table in `width` columns: every column whole when it fits; otherwise without the
 * discovery keys, with the keys (and long names) cut to fit, and a line saying so.
 */
function coreTable(rows: Row[], width: number): string {
  const right = new Set([4, 5])
  const whole = table(
    ['discovery key', 'key', 'name', 'writable', 'length', 'bytes'],
    rows.map((r) => [r.discoveryKey, r.key, r.name, r.writable, r.length, r.bytes]),
    right,
  )
  if (Math.max(...whole.split('\n').map((line) => line.length)) <= width) return whole

  const widest = (header: string, cell: (row: Row) => string) =>
    Math.max(header.length, ...rows.map((row) => cell(row).length))
  // The columns after the name; each has two spaces before it.
  const fixed =
    widest('writable', (r) => r.writable) + widest('length', (r) => r.length) + widest('bytes', (r) => r.bytes)
  // What the key and the name share, less the two spaces between them.
  const room = width - (fixed + 3 * 2) - 2
  const nameWidth = Math.min(
    widest('name', (r) => r.name),
    Math.max(8, room - KEY_ROOM),
  )
  const keyWidth = Math.max(9, room - nameWidth)
  const cut = table(
    ['key', 'name', 'writable', 'length', 'bytes'],
    rows.map((r) => [clip(r.key, keyWidth), clip(r.name, nameWidth), r.writable, r.length, r.bytes]),
    new Set([3, 4]),
  )
  return `${cut}\n(keys cut to fit ${width} columns: --wide shows them whole)`
}
