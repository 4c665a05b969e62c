import { createFifo } from '@corestore/engine/internal'

/**
 * Runs the look-ups one stream's peer asks for, a few at a time and each key once, so a peer
 * flooding requests queues behind itself instead of piling up file opens for the whole store.
 * A look-up holds its slot until `done` has settled: what `done` waits for (the peer's answer) paces
 * the look-ups that follow.
 */
export class LookupQueue<T> {
  readonly #concurrency: number
  readonly #run: (key: Buffer) => Promise<T>
  readonly #done: (key: Buffer, result: T | null) => unknown
  readonly #waiting = createFifo<Buffer>()
  readonly #queued = new Set<string>()
  #running = 0
  #stopped = false

  constructor(concurrency: number, run: (key: Buffer) => Promise<T>, done: (key: Buffer, result: T | null) => unknown) {
    this.#concurrency = concurrency
    this.#run = run
    this.#done = done
  }

  get pending(): number {
    return this.#waiting.length + this.#running
  }

  push(key: Buffer): void {
    const hex = key.toString('hex')
    if (this.#stopped || this.#queued.has(hex)) return
    this.#queued.add(hex)
    this.#waiting.push(key)
    this.#drain()
  }

  /** Drop what is waiting; look-ups under way finish but report nothing. */
  stop(): void {
    this.#stopped = true
    this.#waiting.clear()
    this.#queued.clear()
  }

  #drain(): void {
    while (!this.#stopped && this.#running < this.#concurrency && this.#waiting.length > 0) {
      const key = this.#waiting.shift() as Buffer
      this.#running++
      this.#run(key)
        .then(
          (result) => this.#finish(key, result),
          () => this.#finish(key, null),
        )
        .then(
          () => this.#release(),
          () => this.#release(),
        )
    }
  }

  #finish(key: Buffer, result: T | null): unknown {
    if (this.#stopped) return
    this.#queued.delete(key.toString('hex'))
    return this.#done(key, result)
  }

  #release(): void {
    this.#running--
    this.#drain()
  }
}
