// The packed-install test's registry: a second run on a port an earlier run used must install the
// second run's tarballs, not what npm or pnpm kept from the first (it happened on a CI machine).
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  type ConsumerOptions,
  install,
  installedCopies,
  type PackageManager,
  root,
  run,
  told,
} from '../helpers/consumer.ts'
import { type Packed, readPacked, serveRegistry } from '../helpers/registry.ts'

/** `@corestore/probe@0.0.0` whose only module exports `text`, packed with npm. */
async function probe(dir: string, text: string): Promise<Packed> {
  await mkdir(dir)
  const manifest = { name: '@corestore/probe', version: '0.0.0', main: 'index.js' }
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest))
  await writeFile(join(dir, 'index.js'), `module.exports = ${JSON.stringify(text)}\n`)
  const packed = await run('npm', ['pack', '--silent', `--pack-destination=${dir}`], dir)
  assert.equal(packed.code, 0, told(packed))
  const file = (await readdir(dir)).find((name) => name.endsWith('.tgz'))
  assert.ok(file, 'npm pack wrote a tarball')
  return readPacked(join(dir, file))
}

for (const pm of ['npm', 'pnpm'] as const satisfies PackageManager[]) {
  test(`${pm}: a second registry run on the same port installs its own tarball, not the first run's`, {
    timeout: 120_000,
  }, async (t) => {
    const work = await mkdtemp(join(tmpdir(), 'corestore-registry-'))
    t.after(() => rm(work, { recursive: true, force: true }))
    const store = await run('pnpm', ['store', 'path'], root)
    const texts = [`first ${Date.now()}`, `second ${Date.now()}`]
    // Both packed first, so the port is free for only the moment between one registry and the next.
    const probes = await Promise.all(texts.map((text, i) => probe(join(work, `probe-${i}`), text)))
    let port = 0
    for (const [i, text] of texts.entries()) {
      const packed = probes[i] as Packed
      const registry = await serveRegistry([packed], port)
      try {
        port = Number(new URL(registry.url).port)
        const consumer: ConsumerOptions = {
          registry: registry.url,
          storeDir: store.stdout.trim(),
          // As each packed-install run does: pnpm's metadata cache is the run's own.
          cacheDir: join(work, `pnpm-cache-${i}`),
        }
        const dir = join(work, `consumer-${i}`)
        const installed = await install(pm, dir, ['@corestore/probe@0.0.0'], consumer)
        assert.equal(installed.code, 0, told(installed))
        const copies = await installedCopies(dir, [packed])
        assert.ok(copies.length > 0, 'the probe is installed')
        for (const copy of copies) assert.deepEqual(copy.differing, [], `${copy.path} is this run's tarball`)
        const ran = await run('node', ['-p', "require('@corestore/probe')"], dir)
        assert.equal(ran.stdout, `${text}\n`, told(ran))
      } finally {
        await registry.close()
      }
    }
  })
}
