import type { ProtocolStream } from '../hypercore/types.js'
import { CHANNEL_MESSAGES, type Channel, type Channelizer, channelizerOf } from './channelizer.js'

/** Per stream: the channels someone waits on, and who. */
const watched = new WeakMap<ProtocolStream, Map<Channel, (() => void)[]>>()

/**
 * Resolves once the remote sends anything on the channel of `discoveryKey` — for a hypercore 9 peer
 * that our side opened in answer to its open, its `want` or `status` (sent as soon as it reads our
 * open) — or closes the channel, or the stream closes. At once when there is no such channel open
 * by the remote, or the stream is not hypercore-protocol 8's.
 *
 * A store that opens cores for a peer waits for this before opening more for it: the peer's answer
 * comes only after it read everything sent before our open, so the cores a slow peer makes a store
 * open stay within what it is reading.
 */
export function remoteAnswer(stream: ProtocolStream, discoveryKey: Buffer): Promise<void> {
  const channelizer = channelizerOf(stream)
  const channel = channelizer?.getChannel(discoveryKey)
  if (!channelizer || !channel || channel.remoteId === -1 || stream.destroyed) return Promise.resolve()
  const waiting = watch(stream, channelizer)
  return new Promise((resolve) => {
    const list = waiting.get(channel)
    if (list) list.push(resolve)
    else waiting.set(channel, [resolve])
  })
}

function watch(stream: ProtocolStream, channelizer: Channelizer): Map<Channel, (() => void)[]> {
  let waiting = watched.get(stream)
  if (waiting) return waiting
  const map = new Map<Channel, (() => void)[]>()
  waiting = map
  watched.set(stream, map)
  for (const name of CHANNEL_MESSAGES) {
    const handle = channelizer[name]
    channelizer[name] = function (this: Channelizer, channelId, ...rest) {
      if (map.size > 0) {
        const channel = channelizer.remote[channelId]
        const answered = channel && map.get(channel)
        if (answered) {
          map.delete(channel)
          for (const resolve of answered) resolve()
        }
      }
      return handle.call(this, channelId, ...rest)
    }
  }
  stream.once('close', () => {
    for (const answered of map.values()) for (const resolve of answered) resolve()
    map.clear()
  })
  return map
}
