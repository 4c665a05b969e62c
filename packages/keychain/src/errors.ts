import { CorestoreError } from '@corestore/errors'

export type KeychainErrorCode = 'INVALID_MASTER_KEY' | 'INVALID_NAME' | 'INVALID_KEY'

/**
 * The keychain's errors: a `CorestoreError` (of `@corestore/errors`, the keychain's one dependency
 * among the corestore packages) with one of the three codes bad keys and names give, and the
 * argument at fault (`masterKey`, `name`, `opts.key`…).
 */
export class KeychainError extends CorestoreError<KeychainErrorCode> {
  declare readonly argument: string

  constructor(code: KeychainErrorCode, argument: string, message: string) {
    super(code, `${argument} ${message}`, { argument })
  }
}
