import type { ProtocolChannel, ProtocolStream } from '../hypercore/types.js'

/**
 * hypercore-protocol 8's `Channelizer`: what of it the upload limit and `remoteAnswer` hook into.
 * The one place that knows its shape.
 */

/** Its per-message entry points, each called as `(channelId, message…)` for a message from the remote. */
export const CHANNEL_MESSAGES = [
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

type MessageHandler = (channelId: number, ...message: unknown[]) => void

/** One core's channel, as the channelizer sees it: what `open()` returns, and its handlers and ids. */
export interface Channel extends ProtocolChannel {
  /** What handles the channel's messages: a hypercore 9 `Peer` for a core's channel. */
  readonly handlers: unknown
  /** -1 once our side of the channel is closed. */
  readonly localId: number
  /** -1 until the remote opens the channel, and once it closes it. */
  readonly remoteId: number
}

export interface Channelizer extends Record<(typeof CHANNEL_MESSAGES)[number], MessageHandler> {
  /** Channels by the remote's channel id. */
  readonly remote: (Channel | null)[]
  getChannel(discoveryKey: Buffer): Channel | undefined
}

/** The stream's channelizer, or null: a stream passed in may come from another hypercore-protocol. */
export function channelizerOf(stream: ProtocolStream): Channelizer | null {
  const channelizer = (stream as unknown as { channelizer?: Partial<Channelizer> }).channelizer
  if (!channelizer || !Array.isArray(channelizer.remote) || typeof channelizer.getChannel !== 'function') return null
  for (const name of CHANNEL_MESSAGES) if (typeof channelizer[name] !== 'function') return null
  return channelizer as Channelizer
}
