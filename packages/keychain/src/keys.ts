import { KeychainError } from './errors.js'

/** A key as callers give it: bytes, or hex (also inside a `hyper://`- or `dat://`-style URL). */
export type KeyInput = Uint8Array | string

const KEY_IN_URL = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([0-9a-f]{64})(?:[/?#].*)?$/i

/**
 * The one key parser of the corestore packages: a public key, discovery key (32 bytes) or secret
 * key (`length` 64) from a Buffer, a Uint8Array or hex. A 32-byte key may also be given as a URL
 * whose host is the hex key (`hyper://<64 hex>/path`).
 * @param argument the argument's name, for the error (`key`, `opts.discoveryKey`…)
 * @throws {KeychainError} `INVALID_KEY` naming `argument`
 */
export function parseKey(value: unknown, argument: string, length: 32 | 64 = 32): Buffer {
  if (value instanceof Uint8Array) {
    if (value.byteLength !== length) {
      throw new KeychainError('INVALID_KEY', argument, `must be ${length} bytes, got ${value.byteLength} bytes`)
    }
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  }
  if (typeof value === 'string') {
    const hex = length === 32 ? KEY_IN_URL.exec(value)?.[1] : /^[0-9a-f]{128}$/i.test(value) ? value : undefined
    if (hex) return Buffer.from(hex, 'hex')
    throw new KeychainError(
      'INVALID_KEY',
      argument,
      `must be ${length * 2} hex characters, got ${JSON.stringify(value.slice(0, 80))}`,
    )
  }
  const hint = value === null || value === undefined ? " (a core's keys are null until the core is ready)" : ''
  throw new KeychainError(
    'INVALID_KEY',
    argument,
    `must be a Buffer, a Uint8Array or a hex string, got ${value === null ? 'null' : typeof value}${hint}`,
  )
}

/**
 * A 32-byte key as corestore 5's `get()` reads one: bytes as `parseKey` takes them, or from a string
 * the first run of 64 hex characters anywhere in it, so that a key read with its newline, padded,
 * or inside a URL with a version (`hyper://<hex>+5/path`) names its core. A first run of more than
 * 64 hex characters is no key. For `get()`'s keys only: where a string may be a name, use `parseKey`.
 * @throws {KeychainError} `INVALID_KEY` naming `argument`
 */
export function findKey(value: unknown, argument: string): Buffer {
  if (typeof value !== 'string') return parseKey(value, argument)
  const run = /[0-9a-f]{64,}/i.exec(value)?.[0]
  return parseKey(run?.length === 64 ? run : value, argument)
}
