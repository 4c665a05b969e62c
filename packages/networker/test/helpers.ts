import { createRequire } from 'node:module'
import type { TestContext } from 'node:test'
import { Corestore } from '@corestore/core'
import { randomAccessMemory } from '@corestore/engine'
import { Networker, type NetworkerOptions } from '@corestore/networker'
import { defer } from '@corestore/test-helpers'

const require = createRequire(import.meta.url)

/** hyperdht's local DHT: bootstrap nodes on 127.0.0.1. */
export interface Testnet {
  readonly bootstrap: { host: string; port: number }[]
  destroy(): Promise<void>
}

const createTestnet = require('hyperdht/testnet') as (size?: number, opts?: { host?: string }) => Promise<Testnet>

/** Every swarm in the tests binds its DHT node to loopback, so no packet leaves this machine. */
export const LOOPBACK = '127.0.0.1'

export function startTestnet(size = 3): Promise<Testnet> {
  return createTestnet(size, { host: LOOPBACK })
}

export interface Node {
  readonly store: Corestore
  readonly networker: Networker
}

/**
 * A loopback testnet and the stores and networkers of one test, all torn down when it ends,
 * networkers first (they leave their topics on the testnet), then stores, then the testnet.
 * (node:test runs `t.after` hooks first-in first-out, so one hook keeps the order.)
 */
export class Cluster {
  readonly testnet: Testnet
  readonly #nodes: Node[] = []
  readonly #cleanups: (() => Promise<unknown>)[] = []

  private constructor(testnet: Testnet) {
    this.testnet = testnet
  }

  static async start(t: TestContext, size = 3): Promise<Cluster> {
    const cluster = new Cluster(await startTestnet(size))
    defer(t, () => cluster.destroy())
    return cluster
  }

  /** A ready in-memory store (or `store`) with a networker on this testnet (or on `opts.swarm`). */
  async node(store?: Corestore, opts: NetworkerOptions = {}): Promise<Node> {
    store ??= new Corestore(randomAccessMemory)
    await store.ready()
    const onTestnet = opts.swarm ? {} : { bootstrap: this.testnet.bootstrap, host: LOOPBACK }
    const networker = new Networker(store, { ...onTestnet, ...opts })
    const node = { store, networker }
    this.#nodes.push(node)
    return node
  }

  /** Run `fn` at teardown, after the networkers close and while the testnet still runs. */
  defer(fn: () => Promise<unknown>): void {
    this.#cleanups.push(fn)
  }

  async destroy(): Promise<void> {
    await Promise.allSettled(this.#nodes.map((n) => n.networker.close()))
    await Promise.allSettled(this.#cleanups.map((fn) => fn()))
    await Promise.allSettled(this.#nodes.map((n) => n.store.close()))
    await this.testnet.destroy()
  }
}
