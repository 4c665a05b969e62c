/** Every code a corestore package throws with; stable across releases, safe to branch on. */
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
  | 'NETWORKER_CLOSED'
  | 'CORE_IN_USE'
  | 'NOT_DERIVED'
  | 'NOT_A_NAMESPACE_DEFAULT'

/** The one error class of the corestore packages: `code` says what went wrong, the message names the culprit. */
export class CorestoreError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CorestoreError'
    this.code = code
  }

  /** An argument or option of the wrong type or shape. */
  static invalidOption(argument: string, expected: string): CorestoreError {
    return new CorestoreError('INVALID_OPTION', `${argument} must be ${expected}`)
  }

  /** A key or discovery key that is not 32 bytes or 64 hex characters. */
  static invalidKey(argument: string, detail: string): CorestoreError {
    return new CorestoreError('INVALID_KEY', `${argument} ${detail}`)
  }

  static invalidStorage(got: string): CorestoreError {
    return new CorestoreError(
      'INVALID_STORAGE',
      `storage must be a directory path or a function returning random-access-storage instances, got ${got}`,
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

  /** A file could not be read or written for another reason than not existing (permissions, I/O). */
  static storage(path: string, cause: unknown): CorestoreError {
    const reason = cause instanceof Error ? cause.message : String(cause)
    const code = (cause as { code?: unknown } | null)?.code
    const prefix = typeof code === 'string' && !reason.startsWith(code) ? `${code}: ` : ''
    return new CorestoreError('STORAGE_ERROR', `${path}: ${prefix}${reason}`, { cause })
  }

  static closed(): CorestoreError {
    return new CorestoreError('STORE_CLOSED', 'the corestore is closed')
  }

  static notReady(method: string): CorestoreError {
    return new CorestoreError('STORE_NOT_READY', `await store.ready() before calling ${method}()`)
  }
}

/** True for an error thrown by a corestore package (works across duplicated installs). */
export function isCorestoreError(err: unknown): err is CorestoreError {
  return err instanceof CorestoreError || (err instanceof Error && err.name === 'CorestoreError' && 'code' in err)
}
