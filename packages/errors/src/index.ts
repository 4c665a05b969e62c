/** Every code the store's packages throw with; stable across releases, safe to branch on. */
export type ErrorCode =
  | 'INVALID_STORAGE'
  | 'INVALID_OPTION'
  | 'INVALID_KEY'
  | 'INVALID_NAME'
  | 'INVALID_MASTER_KEY'
  | 'CORRUPT_MASTER_KEY'
  | 'CORRUPT_NAME'
  | 'NAME_MISMATCH'
  | 'CORE_NOT_FOUND'
  | 'STORE_NOT_READY'
  | 'STORE_CLOSED'
  | 'LISTING_UNSUPPORTED'
  | 'STORAGE_ERROR'
  | 'STORE_LOCKED'
  | 'CORE_IN_USE'
  | 'NOT_DERIVED'
  | 'NOT_A_NAMESPACE_DEFAULT'
  | 'CORE_CLOSED'
  | 'NOT_WRITABLE'
  | 'BLOCK_NOT_AVAILABLE'

/**
 * What marks an error of the family, wherever it was made: this package, another installed copy
 * of it, or a package that cannot depend on it (the keychain builds the same shape itself).
 */
export const ERROR_BRAND: unique symbol = Symbol.for('@corestore/error') as never

export interface CorestoreErrorOptions {
  cause?: unknown
  /** The argument or option at fault (`storage`, `opts.key`…), so callers need not parse messages. */
  argument?: string
}

/**
 * The one error family of the corestore packages: `code` says what went wrong, `argument` which
 * argument (when one did), the message says it in words. A package above this one may add codes
 * of its own through `Code` (the networker adds `NETWORKER_CLOSED`).
 */
export class CorestoreError<Code extends string = ErrorCode> extends Error {
  readonly code: Code
  readonly argument: string | undefined

  constructor(code: Code, message: string, options: CorestoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CorestoreError'
    this.code = code
    this.argument = options.argument
    Object.defineProperty(this, ERROR_BRAND, { value: true })
  }

  /** An argument or option of the wrong type or shape. */
  static invalidOption(argument: string, expected: string): CorestoreError {
    return new CorestoreError('INVALID_OPTION', `${argument} must be ${expected}`, { argument })
  }

  /** A key or discovery key that is not 32 bytes or 64 hex characters. */
  static invalidKey(argument: string, detail: string): CorestoreError {
    return new CorestoreError('INVALID_KEY', `${argument} ${detail}`, { argument })
  }

  /** A core or namespace name of the wrong type, or empty. */
  static invalidName(argument: string, expected: string, got: unknown): CorestoreError {
    return new CorestoreError('INVALID_NAME', `${argument} must be ${expected}, got ${describe(got)}`, { argument })
  }

  /** The `storage` argument, or the directory it names, cannot hold a store. */
  static invalidStorage(got: string, cause?: unknown): CorestoreError {
    return new CorestoreError(
      'INVALID_STORAGE',
      `storage must be a directory path or a function returning random-access-storage instances, got ${got}`,
      { argument: 'storage', cause },
    )
  }

  static corruptMasterKey(file: string, size: number): CorestoreError {
    return new CorestoreError(
      'CORRUPT_MASTER_KEY',
      `${file} holds ${size} bytes instead of 32; it was left untouched (restore it from a backup, or move it away to start a new store)`,
    )
  }

  static coreNotFound(discoveryKey: string): CorestoreError {
    return new CorestoreError('CORE_NOT_FOUND', `discoveryKey ${discoveryKey} names no core stored here`)
  }

  /** A core's `name` file that does not hold a whole, length-prefixed name. */
  static corruptName(path: string): CorestoreError {
    return new CorestoreError('CORRUPT_NAME', `${path} is damaged: it does not hold a length-prefixed name`)
  }

  /** A core's `name` file whose name derives another key than the core's. */
  static nameMismatch(path: string, derived: Buffer, expected: Buffer): CorestoreError {
    return new CorestoreError(
      'NAME_MISMATCH',
      `${path} derives the key ${derived.toString('hex')}, not this core's ${expected.toString('hex')}`,
    )
  }

  /** A core with a key but no stored name: its key pair was not derived from this store's master key. */
  static notDerived(publicKey: Buffer): CorestoreError {
    return new CorestoreError(
      'NOT_DERIVED',
      `core ${publicKey.toString('hex')} has no name: its key pair was not derived from this store's master key`,
    )
  }

  /** A derived core whose name is not text: it comes from `get()` with no name, not a view's `default()`. */
  static notANamespaceDefault(name: Uint8Array): CorestoreError {
    return new CorestoreError(
      'NOT_A_NAMESPACE_DEFAULT',
      `the core's name (${Buffer.from(name).toString('hex')}) is not text: it comes from get() with no name, not from a namespace's default()`,
    )
  }

  /** A core that cannot be purged or opened right now: `why` completes "core <id> (discovery key) …". */
  static coreInUse(discoveryKey: string, why: string): CorestoreError {
    return new CorestoreError('CORE_IN_USE', `core ${discoveryKey} (discovery key) ${why}`)
  }

  static storeLocked(directory: string): CorestoreError {
    return new CorestoreError(
      'STORE_LOCKED',
      `${directory} is open in another Corestore (this process or another); close that one first`,
    )
  }

  static listingUnsupported(): CorestoreError {
    return new CorestoreError('LISTING_UNSUPPORTED', 'storage is a function: only a directory store can list its cores')
  }

  /** A file could not be read or written for another reason than not existing (permissions, I/O). */
  static storage(path: string, cause: unknown): CorestoreError {
    const reason = cause instanceof Error ? cause.message : String(cause)
    const code = (cause as { code?: unknown } | null)?.code
    const prefix = typeof code === 'string' && !reason.startsWith(code) ? `${code}: ` : ''
    return new CorestoreError('STORAGE_ERROR', `${path}: ${prefix}${reason}`, { cause })
  }

  /**
   * What hypercore 9 fails with, in its own words, given the code the store can name: a core that is
   * closed (whatever the operation said), one that is not writable, a block neither here nor at a peer.
   * `null` for any other failure, which is passed on as it is.
   */
  static fromHypercore(err: Error, closed: boolean): CorestoreError | null {
    const message = err.message
    if (closed || message === 'Feed is closed') {
      return new CorestoreError('CORE_CLOSED', 'Feed is closed', { cause: err })
    }
    if (message.startsWith('This feed is not writable') || message === 'Feed is not writable') {
      return new CorestoreError('NOT_WRITABLE', message, { cause: err })
    }
    if (message === 'Block not downloaded' || message === 'Block not available from peers') {
      return new CorestoreError('BLOCK_NOT_AVAILABLE', message, { cause: err })
    }
    return null
  }

  static closed(): CorestoreError {
    return new CorestoreError('STORE_CLOSED', 'the corestore is closed')
  }

  static notReady(method: string): CorestoreError {
    return new CorestoreError('STORE_NOT_READY', `await store.ready() before calling ${method}()`)
  }
}

/**
 * True for an error of the family, made by any of the packages (the keychain included) or by
 * another installed copy of this one.
 */
export function isCorestoreError(err: unknown): err is CorestoreError<string> {
  if (!(err instanceof Error)) return false
  if ((err as unknown as Record<symbol, unknown>)[ERROR_BRAND] === true) return true
  return err.name === 'CorestoreError' && typeof (err as { code?: unknown }).code === 'string'
}

/** A value as an error message names it: `null`, `an array`, `a number`, `an empty string`… */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Uint8Array) return value.byteLength === 0 ? 'an empty Uint8Array' : `${value.byteLength} bytes`
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}
