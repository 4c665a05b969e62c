import {
  engine,
  type RandomAccessStorage,
  RandomAccessStorageClass,
  type StorageFactory,
  type StorageRequest,
} from '@corestore/engine'
import { CorestoreError } from '@corestore/errors'
import type { Keychain } from '@corestore/keychain'
import { coreDirectory } from './layout.js'
import { decodeName, encodeName } from './name-file.js'
import type { Storage } from './storage.js'

/** What the caller knows of a core before opening it. */
export interface CoreIdentity {
  readonly discoveryKey: Buffer
  /** `null` when the core is opened by discovery key alone: it is then read from the `key` file. */
  readonly publicKey: Buffer | null
  readonly secretKey: Buffer | null
  /** The name a derived core's key pair comes from; written to the core's `name` file. */
  readonly name: Buffer | null
}

interface Resolved {
  /** A secret key learnt from the `name` file (or known from the name), served in place of a `secret_key` file. */
  readonly derivedSecretKey: Buffer | null
  /** What the `key` file held when it was read to settle the keys (`null`: absent); not read: `undefined`. */
  readonly storedKey?: Buffer | null
}

/**
 * The storage function to give hypercore for one core, laid out as corestore 5 lays it out.
 *
 * `key` and `secret_key` are served through thin virtual files so that, before hypercore reads
 * anything else, the core's keys are settled: a derived core gets its `name` file, and a core
 * opened by key or discovery key gets its secret key back from `name`, so it stays writable.
 * If that fails (no such core, a damaged `name`), every other file of the core fails to open
 * with the typed error, so hypercore's open fails with it and nothing is written.
 */
export function coreStorage(storage: Storage, keychain: Keychain, identity: CoreIdentity): StorageFactory {
  const dkHex = identity.discoveryKey.toString('hex')
  const directory = coreDirectory(dkHex)
  const open = (file: string) => storage.file(`${directory}/${file}`)
  const keyFile = lazyFile(() => open('key'))
  const secretKeyFile = lazyFile(() => open('secret_key'))

  let failure: Error | null = null
  let keyWritten = false
  let resolved: Promise<Resolved> | null = null
  const resolve = () => {
    resolved ??= resolveKeys(identity, keychain, open, keyFile.get, `${directory}/name`).catch((err: Error) => {
      failure = err
      throw err
    })
    return resolved
  }

  // The key file read while settling the keys is served from memory to hypercore's two reads that
  // follow, until hypercore writes it: one file operation per open instead of three.
  let storedKey: Buffer | null | undefined
  const key = new RandomAccessStorageClass({
    read(req) {
      resolve().then((r) => {
        if (storedKey === undefined && r.storedKey !== undefined && !keyWritten) storedKey = r.storedKey
        if (storedKey === undefined) keyFile.get().read(req.offset, req.size, done(req))
        else if (storedKey && req.offset + req.size <= storedKey.length) {
          req.callback(null, storedKey.subarray(req.offset, req.offset + req.size))
        } else req.callback(notFound(`${directory}/key`))
      }, done(req))
    },
    write(req) {
      keyWritten = true
      storedKey = undefined
      keyFile.get().write(req.offset, req.data as Buffer, done(req))
    },
    stat: (req) => keyFile.get().stat(done(req)),
    close: (req) => keyFile.close(req),
  })

  const secretKey = new RandomAccessStorageClass({
    read(req) {
      resolve().then(({ derivedSecretKey }) => {
        if (derivedSecretKey) req.callback(null, derivedSecretKey.subarray(req.offset, req.offset + req.size))
        else secretKeyFile.get().read(req.offset, req.size, done(req))
      }, done(req))
    },
    write: (req) => secretKeyFile.get().write(req.offset, req.data as Buffer, done(req)),
    stat: (req) => secretKeyFile.get().stat(done(req)),
    close: (req) => secretKeyFile.close(req),
  })

  return (file) => {
    if (file === 'key') return key
    if (file === 'secret_key') return secretKey
    if (failure) return failingFile(failure)
    return open(file)
  }
}

async function resolveKeys(
  identity: CoreIdentity,
  keychain: Keychain,
  open: (file: string) => RandomAccessStorage,
  keyFile: () => RandomAccessStorage,
  namePath: string,
): Promise<Resolved> {
  if (identity.name) {
    // A core whose key file exists was created with its name file; only a new core needs one.
    const storedKey = await engine.readMaybe(keyFile(), 0, 32)
    if (!storedKey) {
      await withFile(open('name'), (file) => engine.write(file, 0, encodeName(identity.name as Buffer)))
    }
    return { derivedSecretKey: identity.secretKey, storedKey }
  }
  // An explicit key pair: hypercore keeps its secret key in `secret_key` itself.
  if (identity.secretKey) return { derivedSecretKey: null }

  const storedKey = identity.publicKey ? undefined : await engine.readMaybe(keyFile(), 0, 32)
  const publicKey = identity.publicKey ?? storedKey
  if (publicKey?.length !== 32) {
    throw CorestoreError.coreNotFound(identity.discoveryKey.toString('hex'))
  }
  const stored = await withFile(open('name'), readName)
  if (stored === null) return { derivedSecretKey: null, storedKey }
  if (stored === 'corrupt') {
    throw new CorestoreError('CORRUPT_NAME', `${namePath} is damaged: it does not hold a length-prefixed name`)
  }
  const derived = keychain.keyPair(stored)
  if (!derived.publicKey.equals(publicKey)) {
    throw new CorestoreError(
      'NAME_MISMATCH',
      `${namePath} derives the key ${derived.publicKey.toString('hex')}, not this core's ${publicKey.toString('hex')}`,
    )
  }
  return { derivedSecretKey: derived.secretKey, storedKey }
}

async function readName(file: RandomAccessStorage): Promise<Buffer | 'corrupt' | null> {
  const size = await engine.statMaybe(file)
  if (!size) return null
  const buf = await engine.readMaybe(file, 0, size)
  return (buf && decodeName(buf)) ?? 'corrupt'
}

async function withFile<T>(file: RandomAccessStorage, fn: (file: RandomAccessStorage) => Promise<T>): Promise<T> {
  try {
    return await fn(file)
  } finally {
    await engine.closeStorage(file).catch(() => {})
  }
}

/** A real file opened on first use, so a core that never needs `secret_key` never opens it. */
function lazyFile(create: () => RandomAccessStorage) {
  let file: RandomAccessStorage | null = null
  return {
    get: () => {
      file ??= create()
      return file
    },
    close(req: StorageRequest) {
      if (file) file.close(done(req))
      else req.callback(null)
    },
  }
}

function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file, ${path}`), { code: 'ENOENT' })
}

/** A request's callback as a plain function (it is a method of the request). */
function done<T>(req: StorageRequest<T>): (err: Error | null, value?: T) => void {
  return (err, value) => req.callback(err, value)
}

function failingFile(err: Error): RandomAccessStorage {
  const fail = (req: StorageRequest) => req.callback(err)
  return new RandomAccessStorageClass({ read: fail, write: fail, del: fail, stat: fail })
}
