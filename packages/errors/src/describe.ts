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
