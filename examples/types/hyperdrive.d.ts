// The part of hyperdrive 10 (untyped, CommonJS) that examples/hyperdrive.ts uses.
declare module 'hyperdrive' {
  namespace hyperdrive {
    interface Promises {
      ready(): Promise<void>
      close(): Promise<void>
      writeFile(path: string, data: string | Buffer): Promise<void>
      readFile(path: string, encoding: BufferEncoding): Promise<string>
      readdir(path: string): Promise<string[]>
      mount(path: string, key: Buffer): Promise<void>
    }

    interface Hyperdrive {
      readonly key: Buffer
      readonly writable: boolean
      /** hyperdrive 10's promise API (its methods also take callbacks). */
      readonly promises: Promises
    }
  }

  /**
   * A drive on `store` (a corestore 5 store, or a `@corestore/core` one): a new writable drive when
   * `key` is null, else the drive with that key (writable when the store derived it).
   */
  function hyperdrive(store: object, key?: Buffer | null, opts?: { namespace?: string }): hyperdrive.Hyperdrive

  export = hyperdrive
}
