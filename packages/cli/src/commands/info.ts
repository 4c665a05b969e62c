import { openStorage, readStoredSize, storedCores } from '@corestore/bootstrap'
import { fingerprint, Keychain } from '@corestore/keychain'
import { type Command, flag, write } from '../command.js'
import { hex, table } from '../format.js'
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
  help: `Usage: corestore info <dir> [--json]

Shows the store's master key fingerprint (the first 8 bytes of BLAKE2b-256 of master_key, in hex;
never the key itself), then one row per stored core: discovery key, key, the name its key pair
derives from (text, or hex for random bytes; - when not derived here), whether this store can
write to it, its length in blocks and its size in bytes (? when its files are damaged).

Reads the files only: nothing is created or changed, no lock is taken, and a store that is open
in another process can be looked at. A directory without master_key is refused.

Options:
  --json      one JSON object on stdout, for programs
  -h, --help  this help`,
  options: { json: { type: 'boolean' } },
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
    const rows = cores.map((c) => [
      hex(c.discoveryKey),
      hex(c.key),
      c.name ?? '-',
      c.writable ? 'yes' : 'no',
      c.size ? String(c.size.length) : '?',
      c.size ? String(c.size.byteLength) : '?',
    ])
    const lines = [
      `store        ${dir}`,
      `master key   fingerprint ${print} (the key itself is never shown)`,
      `cores        ${cores.length} (${writable} writable)`,
    ]
    if (rows.length > 0) {
      lines.push('', table(['discovery key', 'key', 'name', 'writable', 'length', 'bytes'], rows, new Set([4, 5])))
    }
    await write(io.stdout, `${lines.join('\n')}\n`)
  },
}
