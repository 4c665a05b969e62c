import { CorestoreError } from '@corestore/errors'

/**
 * What hypercore 9 fails with, in its own words, given the code the store can name: a core that is
 * closed (whatever the operation said), one that is not writable, a block neither here nor at a peer.
 * `null` for any other failure, which is passed on as it is.
 */
export function hypercoreError(err: Error, closed: boolean): CorestoreError | null {
  const message = err.message
  if (closed || message === 'Feed is closed') {
    return new CorestoreError('CORE_CLOSED', 'Feed is closed', { cause: err })
  }
  if (message.startsWith('This feed is not writable') || message === 'Feed is not writable') {
    return new CorestoreError('NOT_WRITABLE', message, { cause: err })
  }
  if (message === 'Block not downloaded' || message === 'Block not available from peers') {
    return new CorestoreError('BLOCK_NOT_AVAILABLE', message, { cause: err })
  }
  return null
}
