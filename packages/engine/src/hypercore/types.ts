import type { EventEmitter } from 'node:events'
import type { Duplex } from 'node:stream'
import type { StorageFactory } from './storage-types.js'

export type Callback<T = void> = (err: Error | null, value?: T) => void

/** hypercore-protocol 8's stream: one Noise-encrypted connection multiplexing cores by discovery key. */
export interface ProtocolStream extends Duplex {
  readonly publicKey: Buffer | null
  readonly remotePublicKey: Buffer | null
  readonly channelCount: number
  /** Bytes handed to the stream's reader so far (queued or taken). */
  readonly bytesSent: number
  readonly destroyed: boolean
  /** Open a channel for a core's key; the remote sees a request for its discovery key. */
  open(key: Buffer, handlers?: ChannelHandlers): ProtocolChannel
  /** Close the channel of one discovery key (tells the remote we do not have it). */
  close(discoveryKey: Buffer): void
  /** End the stream once every channel is closed. */
  finalize(): void
  opened(key: Buffer): boolean
  remoteOpened(key: Buffer): boolean
  setKeepAlive(ms: number): void
  /** Send a keep-alive message now. */
  ping(): void
  on(event: 'discovery-key', listener: (discoveryKey: Buffer) => void): this
  on(event: 'handshake', listener: () => void): this
  on(event: string | symbol, listener: (...args: never[]) => void): this
}

/** Callbacks of one hypercore-protocol channel (only those corestore's tests use). */
export interface ChannelHandlers {
  onopen?(): void
  onclose?(): void
  ondata?(message: DataMessage): void
  onrequest?(message: RequestMessage): void
}

/** A hypercore-protocol `Request`: block `index` (or its hash only), `nodes` the asker's digest. */
export interface RequestMessage {
  index: number
  bytes?: number
  hash?: boolean
  nodes?: number
}

/** A hypercore-protocol `Data` message: a block (null for a hash request) and its proof. */
export interface DataMessage {
  index: number
  value: Buffer | null
  nodes: { index: number; hash: Buffer; size: number }[]
  signature: Buffer | null
}

/** One core's channel on a protocol stream, as `open()` returns it (only what corestore's tests use). */
export interface ProtocolChannel {
  readonly discoveryKey: Buffer
  request(message: RequestMessage): boolean
  close(): void
}

export interface ProtocolOptions {
  live?: boolean
  encrypted?: boolean
  noise?: boolean
  keepAlive?: boolean
  timeout?: number | false
  keyPair?: { publicKey: Buffer; secretKey: Buffer }
  onauthenticate?: (remotePublicKey: Buffer, done: (err?: Error | null) => void) => void
  ondiscoverykey?: (discoveryKey: Buffer) => void
  onchannelclose?: (discoveryKey: Buffer, publicKey: Buffer) => void
}

/** Options hypercore 9's `replicate()` accepts, besides the protocol stream's own. */
export interface ReplicationOptions extends ProtocolOptions {
  stream?: ProtocolStream
  download?: boolean
  upload?: boolean
  sparse?: boolean
  ack?: boolean
  /** hypercore 9 spells it `encrypt` in places; both are passed through. */
  encrypt?: boolean
}

export interface GetOptions {
  wait?: boolean
  timeout?: number
  valueEncoding?: unknown
  ifAvailable?: boolean
}

/** A value encoding: a name hypercore 9 knows, or a codec of your own. */
export type ValueEncoding = string | { encode(value: unknown): Buffer; decode(buf: Buffer): unknown }

/** The options hypercore 9's constructor reads (exact: a misspelt one is a compile error). */
export interface HypercoreOptions {
  createIfMissing?: boolean
  overwrite?: boolean
  valueEncoding?: ValueEncoding
  sparse?: boolean
  eagerUpdate?: boolean
  secretKey?: Buffer | null
  storeSecretKey?: boolean
  storageCacheSize?: number
  onwrite?: (index: number, data: Buffer, peer: unknown, cb: Callback) => void
  stats?: boolean
  live?: boolean
  extensions?: string[]
  cache?: { data?: unknown; tree?: unknown }
  noiseKeyPair?: { publicKey: Buffer; secretKey: Buffer }
  maxRequests?: number
  indexing?: boolean
  ifAvailable?: boolean
  allowPush?: boolean
  downloading?: boolean
  uploading?: boolean
  writable?: boolean
  crypto?: object
  timeouts?: { get?: number; update?: number }
}

/** A range `download()` fetches; `undownload()` takes it back to cancel. */
export interface DownloadRange {
  start?: number
  end?: number
  linear?: boolean
  blocks?: number[]
}

/** A hypercore 9 feed as hypercore 9 itself makes it: an append-only, signed log, callback API. */
export interface CallbackHypercore<Block = Buffer> extends EventEmitter {
  readonly key: Buffer | null
  readonly discoveryKey: Buffer | null
  readonly secretKey: Buffer | null
  readonly writable: boolean
  readonly readable: boolean
  readonly opened: boolean
  readonly closed: boolean
  readonly closing: boolean
  readonly length: number
  readonly byteLength: number
  readonly sparse: boolean
  readonly live: boolean
  readonly peers: unknown[]
  readonly ifAvailable: { wait(): void; continue(): void; ready(cb: () => void): void }

  ready(cb?: Callback): void
  close(cb?: Callback): void
  append(data: Block | Block[], cb?: Callback<number>): void
  get(index: number, cb: Callback<Block>): void
  get(index: number, opts: GetOptions, cb: Callback<Block>): void
  getBatch(start: number, end: number, cb: Callback<Block[]>): void
  getBatch(start: number, end: number, opts: GetOptions, cb: Callback<Block[]>): void
  head(cb: Callback<Block>): void
  head(opts: GetOptions, cb: Callback<Block>): void
  has(index: number): boolean
  has(start: number, end: number): boolean
  /** How many blocks in `[start, end)` are stored locally. */
  downloaded(start?: number, end?: number): number
  download(range?: DownloadRange | number, cb?: Callback): DownloadRange
  undownload(range: unknown): void
  update(cb: Callback): void
  update(opts: { minLength?: number; ifAvailable?: boolean; hash?: boolean } | number, cb: Callback): void
  seek(byteOffset: number, cb: Callback<number>): void
  clear(start: number, end?: number, cb?: Callback): void
  replicate(isInitiator: boolean, opts?: ReplicationOptions): ProtocolStream
  createReadStream(opts?: {
    start?: number
    end?: number
    live?: boolean
    snapshot?: boolean
    tail?: boolean
  }): NodeJS.ReadableStream
  createWriteStream(opts?: { maxBlockSize?: number }): NodeJS.WritableStream
  setDownloading(downloading: boolean): void
  setUploading(uploading: boolean): void
  registerExtension(name: string, handlers: Record<string, unknown>): unknown
  stats: unknown
}

/**
 * A hypercore 9 feed as the store hands it out: hypercore 9's callback API unchanged (corestore 5
 * programs keep working), and the same methods called without a callback return a promise.
 * `Block` is what `valueEncoding` makes of a block: `Buffer` by default, `string` for `'utf-8'`…
 */
export interface Hypercore<Block = Buffer> extends CallbackHypercore<Block> {
  ready(): Promise<void>
  ready(cb: Callback): void
  close(): Promise<void>
  close(cb: Callback): void
  /** Resolves once the blocks are written, with the index of the first (hypercore 9's `seq`). */
  append(data: Block | Block[]): Promise<number>
  append(data: Block | Block[], cb: Callback<number>): void
  get(index: number, opts?: GetOptions): Promise<Block>
  get(index: number, cb: Callback<Block>): void
  get(index: number, opts: GetOptions, cb: Callback<Block>): void
  getBatch(start: number, end: number, opts?: GetOptions): Promise<Block[]>
  getBatch(start: number, end: number, cb: Callback<Block[]>): void
  getBatch(start: number, end: number, opts: GetOptions, cb: Callback<Block[]>): void
  head(opts?: GetOptions): Promise<Block>
  head(cb: Callback<Block>): void
  head(opts: GetOptions, cb: Callback<Block>): void
  update(opts?: UpdateOptions | number): Promise<void>
  update(cb: Callback): void
  update(opts: UpdateOptions | number, cb: Callback): void
  /** The range being fetched; awaiting it waits until every block of it is here. */
  download(range?: DownloadRange | number): DownloadRange & PromiseLike<void>
  download(range: DownloadRange | number | undefined, cb: Callback): DownloadRange
  clear(start: number, end?: number): Promise<void>
  clear(start: number, end: number | undefined, cb: Callback): void
}

export interface UpdateOptions {
  minLength?: number
  ifAvailable?: boolean
  hash?: boolean
}

export type HypercoreConstructor = (
  storage: StorageFactory,
  key: Buffer | null,
  opts?: HypercoreOptions,
) => CallbackHypercore
