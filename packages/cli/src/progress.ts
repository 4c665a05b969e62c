import cliProgress from 'cli-progress'
import { bytes, duration } from './format.js'

/**
 * The download progress bar of `corestore clone`: blocks and bytes, rate and time left. Drawn in
 * place on a terminal; into a file or a pipe, one line a second (so a log shows it too).
 */
export class Progress {
  readonly #bar: cliProgress.SingleBar
  readonly #total: number
  #blocks = 0
  #fetched = 0
  #bytes = 0
  #started = 0

  /** @param total the blocks to end with (those already here count as done) */
  constructor(stream: NodeJS.WritableStream, total: number) {
    this.#total = total
    this.#bar = new cliProgress.SingleBar({
      stream,
      format: ' {bar} {percentage}% | {value}/{total} blocks | {received} | {rate}/s | ETA {left}',
      barCompleteChar: '\u2588',
      barIncompleteChar: '\u2591',
      noTTYOutput: true,
      notTTYSchedule: 1000,
      hideCursor: true,
    })
  }

  /** Show the bar, counting `blocks` already here as done. */
  start(blocks: number): void {
    this.#blocks = blocks
    this.#started = Date.now()
    this.#bar.start(this.#total, blocks, this.#payload())
  }

  /** One block of `size` bytes arrived. */
  add(size: number): void {
    this.#blocks++
    this.#fetched++
    this.#bytes += size
    this.#bar.update(this.#blocks, this.#payload())
  }

  stop(): void {
    this.#bar.stop()
  }

  #payload(): Record<string, string> {
    const seconds = Math.max((Date.now() - this.#started) / 1000, 0.001)
    // The time left at the rate so far: steadier than the last few blocks' rate, and '-' before any.
    const perSecond = this.#fetched / seconds
    const remaining = this.#total - this.#blocks
    const left = remaining === 0 ? '0s' : perSecond > 0 ? duration(remaining / perSecond) : '-'
    return { received: bytes(this.#bytes), rate: bytes(Math.round(this.#bytes / seconds)), left }
  }
}
