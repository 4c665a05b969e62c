export type KeychainErrorCode = 'INVALID_MASTER_KEY' | 'INVALID_NAME' | 'INVALID_KEY'

/**
 * The keychain's errors: the same shape, name and codes as `@corestore/errors`' `CorestoreError`
 * (and its brand, so `isCorestoreError` recognises them), built here because the keychain is
 * installed alone and depends on no other corestore package.
 */
export class KeychainError extends Error {
  readonly code: KeychainErrorCode
  /** The argument at fault (`masterKey`, `name`, `opts.key`…). */
  readonly argument: string | undefined

  constructor(code: KeychainErrorCode, argument: string, message: string) {
    super(`${argument} ${message}`)
    this.name = 'CorestoreError'
    this.code = code
    this.argument = argument
    Object.defineProperty(this, Symbol.for('@corestore/error'), { value: true })
  }
}
