import type { ProtocolStream, ReplicationOptions } from '@corestore/engine'
import { checkProtocolOptions } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'

/**
 * Check `replicate(isInitiator, opts)`'s arguments: the stream is built from them, so a wrong
 * type would otherwise surface deep inside hypercore-protocol.
 * @throws {CorestoreError} `INVALID_OPTION` naming the argument
 */
export function checkReplicateArguments(isInitiator: unknown, opts: unknown): ReplicationOptions {
  if (typeof isInitiator !== 'boolean') throw CorestoreError.invalidOption('isInitiator', 'a boolean')
  if (opts === undefined || opts === null) return {}
  if (typeof opts !== 'object' || Array.isArray(opts)) throw CorestoreError.invalidOption('opts', 'an object')
  checkProtocolOptions(opts as Record<string, unknown>, 'opts')
  return opts as ReplicationOptions & { stream?: ProtocolStream }
}

/**
 * `replicate()`'s arguments in either form corestore 5 programs use: `(isInitiator, opts?)`, or
 * hypercore 9's `({ initiator, ...opts })`; checked as `checkReplicateArguments` checks them.
 * @throws {CorestoreError} `INVALID_OPTION` naming the argument
 */
export function parseReplicateArguments(
  initiatorOrOpts: unknown,
  maybeOpts: unknown,
): { isInitiator: boolean; opts: ReplicationOptions } {
  const carried = initiatorOrOpts as { initiator?: unknown } | null
  if (
    maybeOpts === undefined &&
    typeof carried === 'object' &&
    carried !== null &&
    typeof carried.initiator === 'boolean'
  ) {
    const { initiator, ...rest } = carried as { initiator: boolean }
    return { isInitiator: initiator, opts: checkReplicateArguments(initiator, rest) }
  }
  return { isInitiator: initiatorOrOpts as boolean, opts: checkReplicateArguments(initiatorOrOpts, maybeOpts) }
}
