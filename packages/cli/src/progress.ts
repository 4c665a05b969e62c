import cliProgress from 'cli-progress'
import { bytes, duration } from './format.js'

/** The width a line must fit when the stream does not say (a pipe, a file, a terminal that does not tell). */
const DEFAULT_WIDTH = 80
const MAX_BAR = 40
/** Narrower than this, a bar says nothing: the line goes without it. */
const MIN_BAR = 10
/** The widest `bytes()` and `duration()` write (under 100 hours). */
const WIDEST_BYTES = '1000.0 MB'
const WIDEST_ETA = '59m 59s'

/**
 * The download progress bar of `corestore clone`: blocks and bytes, rate and time left, in one
 * line that fits the terminal. Drawn in place on a terminal (by `cli-progress`); into a file or a
 * pipe, a line a second while blocks arrive, and the last state once.
 */
export class Progress {
  readonly #stream: NodeJS.WritableStream
  readonly #total: number
  readonly #bar: cliProgress.SingleBar | null
  #blocks = 0
  #fetched = 0
  #bytes = 0
  #started = 0
  /** Off a terminal: the blocks the last printed line showed, and the timer of the next. */
  #printed: number | null = null
  #timer: NodeJS.Timeout | null = null

  /** @param total the blocks to end with (those already here count as done) */
  constructor(stream: NodeJS.WritableStream, total: number) {
    this.#stream = stream
    this.#total = total
    this.#bar = isTTY(stream)
      ? new cliProgress.SingleBar({
          stream,
          format: (_options, params) => this.#line(params.maxWidth),
          hideCursor: true,
        })
      : null
  }

  /** Show the bar, counting `blocks` already here as done. */
  start(blocks: number): void {
    this.#blocks = blocks
    this.#started = Date.now()
    if (this.#bar) {
      this.#bar.start(this.#total, blocks)
      return
    }
    this.#print()
    this.#timer = setInterval(() => this.#print(), 1000)
    this.#timer.unref()
  }

  /** One block of `size` bytes arrived. */
  add(size: number): void {
    this.#blocks++
    this.#fetched++
    this.#bytes += size
    this.#bar?.update(this.#blocks)
  }

  /** Show the last state (once) and stop; safe to call twice. */
  stop(): void {
    if (this.#bar) {
      this.#bar.stop()
      return
    }
    if (this.#timer === null) return
    clearInterval(this.#timer)
    this.#timer = null
    this.#print()
  }

  /**
   * The progress as one line of less than `width` characters (the last column is left free, so no
   * terminal wraps it). The bar takes the room the text leaves at its widest, so it keeps its size
   * while the numbers grow; it goes when there is too little room.
   */
  #line(width = DEFAULT_WIDTH): string {
    const seconds = Math.max((Date.now() - this.#started) / 1000, 0.001)
    // The time left at the rate so far: steadier than the last few blocks' rate, and '-' before any.
    const perSecond = this.#fetched / seconds
    const remaining = this.#total - this.#blocks
    const left = remaining === 0 ? '0s' : perSecond > 0 ? duration(remaining / perSecond) : '-'
    const done = this.#total === 0 ? 1 : this.#blocks / this.#total
    const text = (percent: string, blocks: string, received: string, rate: string, eta: string) =>
      ` ${percent}% | ${blocks}/${this.#total} blocks | ${received} | ${rate}/s | ETA ${eta}`
    const widest = text('100', String(this.#total), WIDEST_BYTES, WIDEST_BYTES, WIDEST_ETA)
    const line = text(
      String(Math.floor(done * 100)),
      String(this.#blocks),
      bytes(this.#bytes),
      bytes(Math.round(this.#bytes / seconds)),
      left,
    )
    const room = Math.min(MAX_BAR, width - 2 - widest.length)
    if (room < MIN_BAR) return line
    const full = Math.round(done * room)
    return ` ${'\u2588'.repeat(full)}${'\u2591'.repeat(room - full)}${line}`
  }

  /** Off a terminal: a line, unless it would show the same blocks as the last one. */
  #print(): void {
    if (this.#printed === this.#blocks) return
    this.#printed = this.#blocks
    this.#stream.write(`${this.#line()}\n`)
  }
}

function isTTY(stream: NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true
}
