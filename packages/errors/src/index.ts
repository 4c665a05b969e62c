import { ERROR_BRAND } from './brand.js'
import { describe } from './describe.js'

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

/**
 * True for an error of the family, made by any of the packages (the keychain included) or by
 * another installed copy of this one.
 */
export function isCorestoreError(err: unknown): err is CorestoreError<string> {
  if (!(err instanceof Error)) return false
  if ((err as unknown as Record<symbol, unknown>)[ERROR_BRAND] === true) return true
  return err.name === 'CorestoreError' && typeof (err as { code?: unknown }).code === 'string'
}
