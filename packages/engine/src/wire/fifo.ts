/// <reference path="../untyped.d.ts" />

import FastFIFO from 'fast-fifo'

/** A first-in, first-out queue, constant time at both ends, however long a flood makes it. */
export interface Fifo<T> {
  readonly length: number
  push(value: T): void
  /** The oldest value, taken off; `undefined` when empty. */
  shift(): T | undefined
  clear(): void
}

/** A `Fifo` on fast-fifo, the queue streamx (and so every hypercore-protocol stream) already uses. */
export function createFifo<T>(): Fifo<T> {
  return new FastFIFO() as Fifo<T>
}
