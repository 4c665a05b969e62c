import type { ProtocolStream, ReplicationOptions } from '@corestore/engine'
import { isProtocolStream } from '@corestore/engine'
import { CorestoreError } from '@corestore/errors'

const BOOLEAN_OPTIONS = ['live', 'download', 'upload', 'sparse', 'encrypt', 'encrypted', 'noise', 'keepAlive', 'ack']

/**
 * Check `replicate(isInitiator, opts)`'s arguments: the stream is built from them, so a wrong
 * type would otherwise surface deep inside hypercore-protocol.
 * @throws {CorestoreError} `INVALID_OPTION` naming the argument
 */
export function checkReplicateArguments(isInitiator: unknown, opts: unknown): ReplicationOptions {
  if (typeof isInitiator !== 'boolean') throw CorestoreError.invalidOption('isInitiator', 'a boolean')
  if (opts === undefined || opts === null) return {}
  if (typeof opts !== 'object' || Array.isArray(opts)) throw CorestoreError.invalidOption('opts', 'an object')
  const o = opts as Record<string, unknown>
  for (const name of BOOLEAN_OPTIONS) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean') {
      throw CorestoreError.invalidOption(`opts.${name}`, 'a boolean')
    }
  }
  if (o.timeout !== undefined && o.timeout !== false && !(typeof o.timeout === 'number' && o.timeout >= 0)) {
    throw CorestoreError.invalidOption('opts.timeout', 'a number of milliseconds or false')
  }
  if (
    o.extensions !== undefined &&
    !(Array.isArray(o.extensions) && o.extensions.every((e) => typeof e === 'string'))
  ) {
    throw CorestoreError.invalidOption('opts.extensions', 'an array of extension names')
  }
  for (const name of ['onauthenticate', 'ondiscoverykey', 'onchannelclose', 'onhandshake']) {
    if (o[name] !== undefined && typeof o[name] !== 'function') {
      throw CorestoreError.invalidOption(`opts.${name}`, 'a function')
    }
  }
  const kp = o.keyPair as { publicKey?: unknown; secretKey?: unknown } | undefined
  if (kp !== undefined && !(kp && Buffer.isBuffer(kp.publicKey) && Buffer.isBuffer(kp.secretKey))) {
    throw CorestoreError.invalidOption('opts.keyPair', 'a Noise key pair { publicKey, secretKey } of Buffers')
  }
  if (o.stream !== undefined && !isProtocolStream(o.stream)) {
    throw CorestoreError.invalidOption('opts.stream', 'a hypercore-protocol stream')
  }
  return o as ReplicationOptions & { stream?: ProtocolStream }
}
