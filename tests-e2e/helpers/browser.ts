import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Metafile } from 'esbuild'
import { type Browser, chromium } from 'playwright-core'
import { requestPath } from './registry.ts'

/** Debian's chromium: `.ci/run` installs it when it is missing. */
export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export interface Bundle {
  code: string
  /** Bytes minified, and gzipped. */
  size: number
  gzip: number
  /** Every file the bundle was made from, relative to tests-e2e. */
  inputs: string[]
}

/**
 * Bundle `entry` (a file of tests-e2e/browser) for browsers as a user would: esbuild, platform
 * browser, no plugin, no alias; only the Buffer and process globals injected (browser/shim.js).
 */
export async function bundle(entry: string): Promise<Bundle> {
  const result = await build({
    entryPoints: [here(`../browser/${entry}`)],
    absWorkingDir: here('..'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    inject: [here('../browser/shim.js')],
  })
  const [out] = result.outputFiles
  if (!out) throw new Error(`esbuild wrote nothing for ${entry}`)
  return {
    code: out.text,
    size: out.contents.length,
    gzip: gzipSync(out.contents).length,
    inputs: Object.keys((result.metafile as Metafile).inputs),
  }
}

export interface Site {
  url: string
  close(): Promise<void>
}

/** Serve `files` (path → body) from 127.0.0.1; anything else is 404. */
export async function serve(files: Record<string, { type: string; body: string }>): Promise<Site> {
  const server = createServer((req, res) => {
    const file = files[requestPath(req)]
    if (!file) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A page that runs the bundle as a module and nothing else. */
export function pageWith(script: string): Record<string, { type: string; body: string }> {
  return {
    '/': {
      type: 'text/html',
      body: '<!doctype html><meta charset="utf-8"><script type="module" src="/app.js"></script>',
    },
    '/app.js': { type: 'text/javascript', body: script },
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, timeout: 30_000 })
}
