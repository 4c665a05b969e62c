import { CorestoreError } from '@corestore/errors'

/**
 * Check the `maxOpenFiles` option: a positive integer, or `Infinity` for no budget.
 * @throws {CorestoreError} `INVALID_OPTION` naming `opts.maxOpenFiles`
 */
export function checkMaxOpenFiles(value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && (value as number) > 0)) {
    return value as number
  }
  throw CorestoreError.invalidOption('opts.maxOpenFiles', `a positive integer or Infinity, not ${String(value)}`)
}
