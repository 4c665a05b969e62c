import { createHash, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename } from 'node:path'
import { gunzipSync } from 'node:zlib'

/** The fields of a packed package.json the tests look at. */
export interface Manifest {
  name: string
  version: string
  private?: boolean
  exports?: Record<string, string | Record<string, string>>
  main?: string
  imports?: Record<string, Record<string, string | Record<string, string>>>
  types?: string
  bin?: Record<string, string>
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

/** A tarball made by `pnpm pack`: its manifest and the files it holds (paths without the `package/` prefix). */
export interface Packed {
  file: string
  manifest: Manifest
  files: string[]
  /** Each file's bytes, by path. */
  contents: Map<string, Buffer>
  bytes: Buffer
}

/** Read a `.tgz` as npm lays it out: ustar entries under `package/`. */
export async function readPacked(file: string): Promise<Packed> {
  const bytes = await readFile(file)
  const tar = gunzipSync(bytes)
  const entries = new Map<string, Buffer>()
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512)
    const name = field(header, 0, 100)
    if (name === '') break
    const prefix = field(header, 345, 155)
    const size = Number.parseInt(field(header, 124, 12) || '0', 8)
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^package\//, '')
    const type = String.fromCharCode(header[156] ?? 0)
    if (type === '0' || type === '\0') entries.set(path, tar.subarray(offset + 512, offset + 512 + size))
    offset += 512 + Math.ceil(size / 512) * 512
  }
  const json = entries.get('package.json')
  if (!json) throw new Error(`${file} has no package/package.json`)
  return {
    file,
    manifest: JSON.parse(json.toString()) as Manifest,
    files: [...entries.keys()],
    contents: entries,
    bytes,
  }
}

function field(header: Buffer, start: number, length: number): string {
  return header
    .subarray(start, start + length)
    .toString()
    .replace(/\0.*$/s, '')
    .trim()
}

export interface LocalRegistry {
  /** Base URL, with a trailing slash, to give as `@scope:registry`. */
  url: string
  close(): Promise<void>
}

/**
 * The path an HTTP request asks for, decoded: a route of these test servers (a package name, a page),
 * never a file on disk, so no file-URL conversion applies.
 */
export function requestPath(req: IncomingMessage): string {
  // An HTTP request line's target is already a path (origin form); only its query is cut.
  const target = req.url ?? '/'
  const query = target.search(/[?#]/)
  return decodeURIComponent(query === -1 ? target : target.slice(0, query))
}

/**
 * An npm registry on 127.0.0.1 serving these tarballs and nothing else: a consumer that points the
 * packages' scope at it installs them exactly as it would once they are published, with every other
 * package coming from its usual registry.
 *
 * Every run packs the same name@version with new contents, and installers keep what registries sent:
 * npm by URL, pnpm by host and port, both used as is under `--prefer-offline`. A port the kernel hands
 * out again would then install an earlier run's tarballs. So the registry lives under a path no run
 * has used before, says `no-store`, and consumers give pnpm a metadata cache of the run's own
 * (`ConsumerOptions.cacheDir`).
 */
export async function serveRegistry(packages: Packed[], port = 0): Promise<LocalRegistry> {
  const byName = new Map(packages.map((pkg) => [pkg.manifest.name, pkg]))
  const base = `/run-${randomBytes(8).toString('hex')}/`
  const headers = (type: string) => ({ 'content-type': type, 'cache-control': 'no-store' })
  const server = createServer((req, res) => {
    const full = requestPath(req)
    const path = full.startsWith(base) ? full.slice(base.length) : null
    const tarball = packages.find((pkg) => path === `-/${basename(pkg.file)}`)
    if (tarball) {
      res.writeHead(200, headers('application/octet-stream')).end(tarball.bytes)
      return
    }
    const pkg = path === null ? undefined : byName.get(path)
    if (!pkg) {
      res.writeHead(404, headers('application/json')).end('{"error":"not found"}')
      return
    }
    res.writeHead(200, headers('application/json')).end(JSON.stringify(packument(pkg, url)))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${base}`
  return {
    url,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

function packument(pkg: Packed, url: string): object {
  const { name, version } = pkg.manifest
  const dist = {
    tarball: `${url}-/${basename(pkg.file)}`,
    integrity: `sha512-${createHash('sha512').update(pkg.bytes).digest('base64')}`,
    shasum: createHash('sha1').update(pkg.bytes).digest('hex'),
  }
  return {
    name,
    'dist-tags': { latest: version },
    versions: { [version]: { ...pkg.manifest, _id: `${name}@${version}`, dist } },
  }
}
