import type { ProtocolStream } from './hypercore-types.js'

/** hypercore-protocol 8's per-message entry points on its `Channelizer`, each `(channelId, …)`. */
const MESSAGES = [
  'onoptions',
  'onstatus',
  'onhave',
  'onunhave',
  'onwant',
  'onunwant',
  'onrequest',
  'oncancel',
  'ondata',
  'onextension',
  'onclose',
] as const

type Handler = (channelId: number, ...rest: unknown[]) => void

interface Channel {
  readonly remoteId: number
}

interface Channelizer extends Record<(typeof MESSAGES)[number], Handler> {
  readonly remote: (Channel | null)[]
  getChannel(discoveryKey: Buffer): Channel | undefined
}

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
  for (const name of MESSAGES) {
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

function channelizerOf(stream: ProtocolStream): Channelizer | null {
  const channelizer = (stream as unknown as { channelizer?: Partial<Channelizer> }).channelizer
  if (!channelizer || !Array.isArray(channelizer.remote) || typeof channelizer.getChannel !== 'function') return null
  for (const name of MESSAGES) if (typeof channelizer[name] !== 'function') return null
  return channelizer as Channelizer
}
