import { describe } from './describe.js'
import { CorestoreError } from './index.js'

/** A type check for one option: the test, and what the option must be, for the error's message. */
export type OptionCheck = readonly [test: (value: unknown) => boolean, expected: string]

/** The checks most option tables are made of. */
export const OPTION_CHECKS = {
  boolean: [(v) => typeof v === 'boolean', 'a boolean'],
  count: [(v) => typeof v === 'number' && Number.isInteger(v) && v >= 0, 'a non-negative integer'],
  number: [(v) => typeof v === 'number' && v >= 0, 'a non-negative number'],
  function: [(v) => typeof v === 'function', 'a function'],
  object: [(v) => typeof v === 'object' && v !== null, 'an object'],
} as const satisfies Record<string, OptionCheck>

/**
 * Check `value`, the option `argument` names (`opts.sparse`), against `check`.
 * @throws {CorestoreError} `INVALID_OPTION` naming `argument`: "opts.sparse must be a boolean, not a string"
 */
export function checkOption(value: unknown, argument: string, [test, expected]: OptionCheck): void {
  if (!test(value)) throw CorestoreError.invalidOption(argument, `${expected}, not ${describe(value)}`)
}

/**
 * Check every option of `table` that `options` gives (not `undefined`), in the table's order, so
 * that of two bad options the same one is named every time. Options the table does not name are
 * left alone.
 * @throws {CorestoreError} `INVALID_OPTION` naming `<argument>.<option>`
 */
export function checkOptions(options: object, argument: string, table: Record<string, OptionCheck>): void {
  for (const [name, check] of Object.entries(table)) {
    const value = (options as Record<string, unknown>)[name]
    if (value !== undefined) checkOption(value, `${argument}.${name}`, check)
  }
}
