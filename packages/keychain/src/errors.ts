export type KeychainErrorCode = 'INVALID_MASTER_KEY' | 'INVALID_NAME' | 'INVALID_KEY'

/** Thrown for bad input to the keychain; `code` is stable, the message names the argument. */
export class KeychainError extends Error {
  readonly code: KeychainErrorCode

  constructor(code: KeychainErrorCode, message: string) {
    super(message)
    this.name = 'KeychainError'
    this.code = code
  }
}
