/**
 * What marks an error of the family, wherever it was made: this package, or another installed copy
 * of it. A registry symbol, so that two copies of the package agree on it.
 */
export const ERROR_BRAND: unique symbol = Symbol.for('@corestore/error') as never
