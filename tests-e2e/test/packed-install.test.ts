// What a user gets: every publishable package packed with `pnpm pack:all`, installed from those tarballs
// (the npm line it prints, pnpm overrides) and from a local registry for the @corestore scope (as once
// published), with npm and with pnpm, into empty projects outside the workspace (no overrides there), and
// used as the READMEs say.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { discoveryKey, Keychain } from '@corestore/keychain'
import { build } from 'esbuild'
import { publishable } from '../../scripts/pack-all.ts'
import { checkFolder, formatReport } from '../../scripts/pack-check.ts'
import {
  binCommand,
  blockAfter,
  type ConsumerOptions,
  install,
  installedCopies,
  type PackageManager,
  type Ran,
  readmeExample,
  root,
  run,
  told,
} from '../helpers/consumer.ts'
import { type LocalRegistry, type Manifest, type Packed, readPacked, serveRegistry } from '../helpers/registry.ts'

let work: string
let packed: Packed[]
let registry: LocalRegistry
let consumer: ConsumerOptions
/** What `pnpm pack:all` printed last: the `npm install` line for its tarballs. */
let installLine: string
/** The folder it wrote them to. */
let tarballs: string

/** The yarn the tests install with: yarn 4, through Node's corepack. */
const YARN = '4.5.3'

/**
 * corepack as the tests run it: no prompt before it fetches yarn, and yarn taken from the npm
 * registry (the one npm is set to, else npmjs.org) rather than repo.yarnpkg.com.
 */
const YARN_ENV = {
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  COREPACK_NPM_REGISTRY: process.env.COREPACK_NPM_REGISTRY ?? 'https://registry.npmjs.org',
  YARN_ENABLE_TELEMETRY: '0',
}

/** `yarn <args>` in `cwd` as a user runs it there: through corepack, with the project's own yarn. */
function yarn(args: string[], cwd: string, timeout = 60_000): Promise<Ran> {
  return run('corepack', ['yarn', ...args], cwd, timeout, YARN_ENV)
}

/** `name@version` of a packed package, as a user would ask for it. */
function spec(name: string): string {
  const pkg = packed.find((p) => p.manifest.name === name)
  assert.ok(pkg, `${name} was packed`)
  return `${name}@${pkg.manifest.version}`
}

/**
 * Install `specs` into a new project in `dir` with `pm`, and check that every @corestore package it
 * holds is byte for byte what this run packed: never an earlier run's tarball from an installer's cache.
 */
async function installPacked(pm: PackageManager, dir: string, specs: string[]): Promise<void> {
  const installed = await install(pm, dir, specs, consumer)
  assert.equal(installed.code, 0, told(installed))
  const copies = await installedCopies(dir, packed)
  for (const wanted of specs.filter((s) => s.startsWith('@corestore/'))) {
    const name = wanted.slice(0, wanted.lastIndexOf('@'))
    assert.ok(
      copies.some((copy) => copy.name === name),
      `${pm} installed ${wanted}`,
    )
  }
  for (const copy of copies) {
    assert.deepEqual(copy.differing, [], `${pm}'s ${copy.path} is the tarball packed in this run`)
  }
}

/**
 * `program` as `program.ts` of a strict TypeScript project `name` in the consumer `dir` (an ES module
 * project, or a CommonJS one), compiled with its own tsc.
 */
async function compile(
  dir: string,
  name: string,
  program: string,
  type: 'module' | 'commonjs' = 'module',
): Promise<{ cwd: string; compiled: Ran }> {
  const cwd = join(dir, name)
  await mkdir(cwd)
  await writeFile(join(cwd, 'package.json'), `{ "type": "${type}" }\n`)
  await writeFile(join(cwd, 'tsconfig.json'), TSCONFIG)
  await writeFile(join(cwd, 'program.ts'), program)
  const compiled = await run('node', [join(dir, 'node_modules/typescript/bin/tsc'), '-p', '.'], cwd)
  return { cwd, compiled }
}

function dependencySpecs(manifest: Manifest): [string, string][] {
  const fields = [manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies]
  return fields.flatMap((deps) => Object.entries(deps ?? {}))
}

// Packing, three installs per package manager and the programs take about 40 s on a warm cache;
// the bound leaves room for a cold npm cache.
describe('a registry install', { timeout: 300_000 }, () => {
  before(
    async () => {
      work = await mkdtemp(join(tmpdir(), 'corestore-packed-'))
      tarballs = join(work, 'tarballs')
      // As a user packs them: one package at a time, each after its prepack (tsc -b), with
      // workspace:* written as the packed versions. Its last line is how to install them.
      const pack = await run('pnpm', ['-s', 'pack:all', tarballs], root, 180_000)
      assert.equal(pack.code, 0, told(pack))
      installLine = pack.stdout.trimEnd().split('\n').at(-1) ?? ''
      packed = await Promise.all((await readdir(tarballs)).map((file) => readPacked(join(tarballs, file))))
      registry = await serveRegistry(packed)
      const store = await run('pnpm', ['store', 'path'], root)
      consumer = { registry: registry.url, storeDir: store.stdout.trim(), cacheDir: join(work, 'pnpm-cache') }
    },
    { timeout: 120_000 },
  )

  after(async () => {
    await registry?.close()
    if (work) await rm(work, { recursive: true, force: true })
  })

  test('every publishable package packs its built dist, with exports, types and bin that exist and no workspace: range', async () => {
    const names = (await publishable()).map(({ name }) => name)
    assert.deepEqual(packed.map((p) => p.manifest.name).sort(), names.sort())

    const versions = new Map(packed.map((p) => [p.manifest.name, p.manifest.version]))
    for (const { manifest, files } of packed) {
      const has = (path: string) => files.includes(path.replace(/^\.\//, ''))
      // Tools read a package's manifest (`require('<name>/package.json')`), older ones its `main`.
      assert.equal(manifest.exports?.['./package.json'], './package.json', `${manifest.name} exports its package.json`)
      assert.equal(manifest.main, './dist/index.js', `${manifest.name} main`)
      for (const [entry, conditions] of Object.entries(manifest.exports ?? {})) {
        if (typeof conditions === 'string') continue
        assert.match(conditions.default ?? '', /^\.\/dist\/.*\.js$/, `${manifest.name} ${entry}: default is built code`)
        assert.match(conditions.types ?? '', /^\.\/dist\/.*\.d\.ts$/, `${manifest.name} ${entry}: types are built`)
        for (const target of Object.values(conditions)) assert.ok(has(target), `${manifest.name} ships ${target}`)
      }
      // "#node" picks Node-only code: built code for Node and for everything else, sources under "source".
      for (const [entry, conditions] of Object.entries(manifest.imports ?? {})) {
        for (const condition of ['node', 'default']) {
          const target = conditions[condition]
          assert.match(
            typeof target === 'string' ? target : '',
            /^\.\/dist\/.*\.js$/,
            `${manifest.name} ${entry}: ${condition}`,
          )
        }
        const targets = Object.values(conditions).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))
        for (const target of targets) assert.ok(has(target), `${manifest.name} ships ${target}`)
      }
      if (manifest.types) assert.ok(has(manifest.types), `${manifest.name} ships ${manifest.types}`)
      for (const target of Object.values(manifest.bin ?? {})) assert.ok(has(target), `${manifest.name} ships ${target}`)
      for (const [name, range] of dependencySpecs(manifest)) {
        assert.doesNotMatch(range, /^(workspace|link|file):/, `${manifest.name} depends on ${name}@${range}`)
        if (versions.has(name)) assert.equal(range, versions.get(name), `${manifest.name} depends on ${name}`)
      }
    }
  })

  test('publint and Are the Types Wrong find no error in any tarball, as pnpm pack:check runs them (docs/packaging.md)', async (t) => {
    const reports = await checkFolder(tarballs)
    assert.deepEqual(
      reports.map((r) => r.tarball),
      packed.map((p) => basename(p.file)).sort(),
    )
    for (const r of reports) {
      t.diagnostic(`${r.tarball}: publint ${r.publint.length} messages, attw exit ${r.attwCode}`)
    }
    assert.deepEqual(reports.filter((r) => r.failed).map(formatReport), [])
    // The one finding the configuration ignores is the one docs/packaging.md explains, and only that one.
    assert.deepEqual(JSON.parse(await readFile(join(root, '.attw.json'), 'utf8')), {
      ignoreRules: ['cjs-resolves-to-esm'],
    })
  })

  describe('before they are published: the tarballs pnpm pack:all wrote, as docs/install.md says', () => {
    test('npm: the line pack:all prints installs them in an empty project, where the README example and npx corestore run', async () => {
      assert.match(installLine, /^npm install (\S+\.tgz ){10}\S+\.tgz$/)
      const dir = join(work, 'npm-line')
      await mkdir(dir)
      await writeFile(join(dir, 'package.json'), '{ "name": "consumer", "private": true }\n')
      // The line as printed; only npm's cache use and its audit and fund requests are the test's.
      const installed = await run('bash', ['-c', installLine], dir, 180_000, QUIET_NPM)
      assert.equal(installed.code, 0, told(installed))
      await readmeExampleAndInfo('npm', dir)
    })

    test('pnpm: overrides naming the tarballs, then pnpm add @corestore/core', async () => {
      const dir = join(work, 'pnpm-overrides')
      await mkdir(dir)
      const overrides = Object.fromEntries(packed.map((p) => [p.manifest.name, `file:${p.file}`]))
      const manifest = { name: 'consumer', private: true, pnpm: { overrides } }
      await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
      const args = ['add', '--prefer-offline', `--store-dir=${consumer.storeDir}`, '@corestore/core', '@corestore/cli']
      const installed = await run('pnpm', args, dir, 180_000)
      assert.equal(installed.code, 0, told(installed))
      await readmeExampleAndInfo('pnpm', dir)
    })
  })

  for (const pm of ['npm', 'pnpm'] as const) {
    describe(`installed with ${pm}`, () => {
      let dir: string

      before(
        async () => {
          dir = join(work, pm)
          // TypeScript and Node's types too: a strict TypeScript program is one of the users tried here.
          const specs = [
            spec('@corestore/core'),
            spec('@corestore/cli'),
            'random-access-memory@^3',
            `typescript@${TYPESCRIPT}`,
            '@types/node@^20',
          ]
          await installPacked(pm, dir, specs)
        },
        { timeout: 180_000 },
      )

      test("the README example runs, reopens the same writable default core, and corestore info shows the store's cores", async (t) => {
        await readmeExampleAndInfo(pm, dir)
        t.diagnostic(await noiseVersions(dir))
      })

      test('the core README example replicates a block between two stores over the Noise-encrypted stream', async () => {
        const ran = await replicateExample(dir)
        assert.equal(ran.code, 0, told(ran))
        assert.equal(ran.stdout, 'replicated: hello\n')
      })

      test('a project already on noise-protocol 3.0.2 adds @corestore/core: it replicates, and the project keeps its 3.0.2', async (t) => {
        const project = join(work, `${pm}-noise-3.0.2`)
        const specs = ['noise-protocol@3.0.2', spec('@corestore/core'), 'random-access-memory@^3']
        await installPacked(pm, project, specs)
        const versions = await noiseVersions(project)
        t.diagnostic(versions)
        assert.match(
          versions,
          /^simple-hypercore-protocol resolves noise-protocol@3\.0\.2;/,
          'the installer gave it 3.0.2',
        )

        const ownDh = `const { createRequire } = await import('node:module')
  console.log('own dh:', typeof createRequire(import.meta.url)('noise-protocol/dh'))`
        const ran = await replicateExample(project, ownDh)
        assert.equal(ran.code, 0, told(ran))
        assert.equal(ran.stdout, 'replicated: hello\nown dh: function\n')
      })

      test('the installed @corestore/core bundles for browsers with esbuild, no plugin, with noise-protocol 3.0.1 for the handshake', async (t) => {
        const { inputs, noise } = await bundleCore(dir)
        assert.ok(
          !inputs.some((input) =>
            /\/(node|file-budget|noise-pin|page-tables|resolve)\.js$|fs-native-extensions/.test(input),
          ),
        )
        t.diagnostic(`the bundle carries noise-protocol ${noise.join(', ')}`)
        assert.deepEqual(noise, ['3.0.1'], 'only noise-protocol 3.0.1 makes the handshake hypercore-protocol 8 expects')
      })

      test(`a project that pins noise-protocol 3.0.2 for its whole tree, with the ${pm} overrides docs/install.md gives, replicates and bundles 3.0.1`, async (t) => {
        const project = join(work, `${pm}-noise-pinned`)
        const line = pm === 'npm' ? 'For npm, both at once' : 'For pnpm (tested'
        const manifest = JSON.parse(await blockAfter('docs/install.md', line, 'json')) as Record<string, unknown>
        const specs = [spec('@corestore/core'), 'random-access-memory@^3']
        const installed = await install(pm, project, specs, consumer, manifest)
        assert.equal(installed.code, 0, told(installed))
        t.diagnostic(await noiseVersions(project))

        const ownDh = `const { createRequire } = await import('node:module')
  console.log('own:', createRequire(import.meta.url)('noise-protocol/package.json').version)`
        const ran = await replicateExample(project, ownDh)
        assert.equal(ran.code, 0, told(ran))
        assert.equal(ran.stdout, 'replicated: hello\nown: 3.0.2\n')
        assert.deepEqual((await bundleCore(project)).noise, ['3.0.1'], 'the bundle carries 3.0.1 only')
      })

      test('a CommonJS program written for corestore 5.8.2 runs with require("@corestore/core")', async () => {
        await copyFile(join(root, 'tests-e2e/fixtures/corestore5-program.cjs'), join(dir, 'program.cjs'))
        const ran = await run('node', ['program.cjs'], dir)
        assert.equal(ran.code, 0, told(ran))
        assert.equal(ran.stdout, 'hello from commonjs\n')
        const manifest = await run('node', ['-p', "require('@corestore/core/package.json').name"], dir)
        assert.equal(manifest.stdout, '@corestore/core\n', told(manifest))
      })

      test('a strict TypeScript program (NodeNext) with typed promise cores compiles against the published types and runs', async () => {
        const { cwd, compiled } = await compile(dir, 'typed', TYPED_PROGRAM)
        assert.equal(compiled.code, 0, told(compiled))
        const ran = await run('node', ['out/program.js'], cwd)
        assert.equal(ran.code, 0, told(ran))
        assert.equal(ran.stdout, 'hello world\n')
      })

      test('a CommonJS TypeScript program (module nodenext) gets the published types of require("@corestore/core") and runs', async () => {
        const program = await readFile(join(root, 'tests-e2e/fixtures/typed-commonjs-program.cts'), 'utf8')
        const { cwd, compiled } = await compile(dir, 'typed-commonjs', program, 'commonjs')
        assert.equal(compiled.code, 0, told(compiled))
        assert.match(await readFile(join(cwd, 'out/program.js'), 'utf8'), /= require\("@corestore\/core"\)/)
        const ran = await run('node', ['out/program.js'], cwd)
        assert.equal(ran.code, 0, told(ran))
        assert.equal(ran.stdout, 'hello from typed commonjs\n')
      })

      test('misspelt store, get() and replicate() options, and a wrong block type, do not compile', async () => {
        const { compiled } = await compile(dir, 'misspelt', MISSPELT_PROGRAM)
        const errors = [...compiled.stdout.matchAll(/program\.ts\((\d+),\d+\): error (TS\d+)/g)]
        const lines = errors.map((m) => Number(m[1]))
        const expected = MISSPELT_PROGRAM.split('\n').flatMap((line, i) => (line.includes('// ERROR') ? [i + 1] : []))
        assert.deepEqual(lines, expected, told(compiled))
      })

      test('the corestore command prints its help', async () => {
        const [cmd, args] = binCommand(pm, 'corestore', ['--help'])
        const ran = await run(cmd, args, dir)
        assert.equal(ran.code, 0, told(ran))
        assert.match(ran.stdout, /^Usage: corestore <command>/)
        for (const command of ['info', 'cat', 'append', 'rm', 'serve', 'clone']) {
          assert.match(ran.stdout, new RegExp(`\\n {2}${command} `))
        }
      })

      test("the keychain installs with @corestore/errors alone, no other corestore package, and recomputes a store's keys", async () => {
        const alone = join(work, `${pm}-keychain`)
        await installPacked(pm, alone, [spec('@corestore/keychain')])
        const copies = (await installedCopies(alone, packed)).map((copy) => copy.name)
        assert.deepEqual([...new Set(copies)].sort(), ['@corestore/errors', '@corestore/keychain'])

        const masterKey = Buffer.alloc(32, 7)
        await mkdir(join(alone, 'my-store'))
        await writeFile(join(alone, 'my-store/master_key'), masterKey)
        await writeFile(join(alone, 'keys.mjs'), await readmeExample('packages/keychain/README.md', '## Example'))
        const ran = await run('node', ['keys.mjs'], alone)
        assert.equal(ran.code, 0, told(ran))
        const { publicKey } = new Keychain(masterKey).keyPair('default')
        assert.equal(
          ran.stdout,
          `key ${publicKey.toString('hex')}\ndiscovery key ${discoveryKey(publicKey).toString('hex')}\n`,
        )
      })
    })
  }

  // yarn 4 (through corepack, as Node ships it) with each of its linkers: node_modules, and Plug'n'Play,
  // where there is no node_modules at all and Yarn's own resolver answers every require. Both go
  // through the engine's one module hook (@corestore/engine's README, "Module hooks").
  for (const linker of ['node-modules', 'pnp'] as const) {
    describe(`installed with yarn ${YARN} (${linker} linker)`, () => {
      let dir: string

      before(
        async () => {
          dir = join(work, `yarn-${linker}`)
          const installed = await yarnInstall(dir, linker, {
            '@corestore/core': spec('@corestore/core').split('@').at(-1) as string,
            '@corestore/cli': spec('@corestore/cli').split('@').at(-1) as string,
            'random-access-memory': '^3',
          })
          assert.equal(installed.code, 0, told(installed))
          // Every @corestore package came from this run's registry (yarn records where it fetched each).
          const lock = await readFile(join(dir, 'yarn.lock'), 'utf8')
          const fetched = [...lock.matchAll(/"(@corestore\/[a-z-]+)@npm:[^"]*__archiveUrl=([^"#]+)/g)]
          assert.ok(fetched.length >= 10, 'yarn.lock names the @corestore tarballs it fetched')
          for (const [, name, url] of fetched) {
            assert.ok(
              decodeURIComponent(url as string).startsWith(registry.url),
              `${name} came from this run's registry`,
            )
          }
          assert.equal(
            existsSync(join(dir, 'node_modules')),
            linker === 'node-modules',
            'the linker the project asked for',
          )
        },
        { timeout: 180_000 },
      )

      test("the core README example replicates over the Noise stream, hypercore's memory-pager replaced by page tables", async (t) => {
        // yarn resolves simple-hypercore-protocol's noise-protocol ^3.0.1 to 3.0.2, with which hypercore 9
        // cannot make a key pair: replicating at all shows the engine's pin at work.
        const lock = await readFile(join(dir, 'yarn.lock'), 'utf8')
        const resolved = /"[^"\n]*noise-protocol@npm:\^3\.0\.1[^"\n]*":\n\s+version: ([\d.]+)/.exec(lock)?.[1]
        t.diagnostic(`yarn resolves noise-protocol ^3.0.1 to ${resolved}`)
        const check = `const { createRequire } = await import('node:module')
  const cached = Object.keys(createRequire(import.meta.url).cache)
  console.log('page tables:', cached.some((id) => id.endsWith('page-table.memory-pager.cjs')))
  console.log('memory-pager loaded:', cached.some((id) => /[\\\\/]memory-pager[\\\\/]index\\.js$/.test(id)))`
        const ran = await replicateExample(dir, check, (file, cwd) => yarn(['node', file], cwd))
        assert.equal(ran.code, 0, told(ran))
        assert.equal(ran.stdout, 'replicated: hello\npage tables: true\nmemory-pager loaded: false\n')
      })

      test('yarn corestore info and cat read the store the example wrote', async () => {
        const info = await yarn(['corestore', 'info', 'core-readme/my-store', '--json'], dir)
        assert.equal(info.code, 0, told(info))
        const shown = JSON.parse(info.stdout) as { cores: { name: string; writable: boolean }[] }
        assert.deepEqual(
          shown.cores.map((c) => `${c.name} ${c.writable}`),
          ['default true'],
        )
        const cat = await yarn(['corestore', 'cat', 'core-readme/my-store', 'default'], dir)
        assert.equal(cat.code, 0, told(cat))
        assert.equal(cat.stdout, 'hello\n')
      })
    })
  }
})

/**
 * A new yarn 4 project in `dir` with `dependencies`, the @corestore scope on this run's registry, the
 * given linker and the .yarnrc.yml docs/install.md gives for Plug'n'Play, installed. Yarn's global
 * folder (its cache and the metadata it keeps per registry) is this run's own, so no earlier run's
 * tarball stands in for this one's.
 */
async function yarnInstall(
  dir: string,
  linker: 'node-modules' | 'pnp',
  dependencies: Record<string, string>,
): Promise<Ran> {
  await mkdir(dir, { recursive: true })
  const manifest = { name: 'consumer', private: true, packageManager: `yarn@${YARN}`, dependencies }
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  const documented = await blockAfter('docs/install.md', 'For yarn 4 with Plug', 'yaml')
  const rc = [
    `nodeLinker: ${linker}`,
    `globalFolder: ${JSON.stringify(join(work, 'yarn-global'))}`,
    'enableGlobalCache: true',
    'unsafeHttpWhitelist: ["127.0.0.1"]',
    `npmScopes: { corestore: { npmRegistryServer: ${JSON.stringify(registry.url)} } }`,
    documented,
  ]
  await writeFile(join(dir, '.yarnrc.yml'), `${rc.join('\n')}\n`)
  await writeFile(join(dir, 'yarn.lock'), '')
  // A new project's first install writes its lockfile. Yarn refuses to when it sees CI=true (as CI
  // machines set it), so this first install says it may, as a user's does on their own machine.
  return yarn(['install', '--no-immutable'], dir, 180_000)
}

/** npm as the tests run it: from its cache when it can, without its audit and funding requests. */
const QUIET_NPM = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' }

/**
 * The root README's example in a project `dir` that installed the packages with `pm`: run twice (the
 * same writable cores after a restart), then `corestore info` through the installed bin shows them.
 */
async function readmeExampleAndInfo(pm: PackageManager, dir: string): Promise<void> {
  const example = `${await readmeExample('README.md', '## Use it')}
// Not in the README: show what it made, and close.
const ready = (c) => new Promise((resolve, reject) => c.ready((err) => (err ? reject(err) : resolve())))
await Promise.all([ready(core), ready(drive)])
console.log('default', core.key.toString('hex'), core.writable ? 'writable' : 'read-only')
console.log('drive1', drive.key.toString('hex'), drive.writable ? 'writable' : 'read-only')
stream.destroy()
await store.close()
`
  const cwd = join(dir, 'readme')
  await mkdir(cwd)
  await writeFile(join(cwd, 'readme.mjs'), example)
  const first = await run('node', ['readme.mjs'], cwd)
  assert.equal(first.code, 0, told(first))
  const lines = first.stdout.trim().split('\n')
  assert.equal(lines.length, 2, told(first))
  assert.match(lines[0] ?? '', /^default [0-9a-f]{64} writable$/)
  assert.match(lines[1] ?? '', /^drive1 [0-9a-f]{64} writable$/)
  const again = await run('node', ['readme.mjs'], cwd)
  assert.equal(again.code, 0, told(again))
  assert.equal(again.stdout, first.stdout, 'the same cores after a restart')

  const [cmd, args] = binCommand(pm, 'corestore', ['info', 'readme/my-store', '--json'])
  const info = await run(cmd, args, dir)
  assert.equal(info.code, 0, told(info))
  const shown = JSON.parse(info.stdout) as { cores: { key: string; name: string; writable: boolean }[] }
  assert.deepEqual(
    shown.cores.map((c) => `${c.name} ${c.key} ${c.writable ? 'writable' : 'read-only'}`).sort(),
    [...lines].sort(),
    'corestore info lists the two cores, writable',
  )
}

/** `@corestore/core` as installed in `dir`, bundled for browsers: its input files and the noise-protocol versions in it. */
async function bundleCore(dir: string): Promise<{ inputs: string[]; noise: string[] }> {
  const built = await build({
    stdin: { contents: "export { default } from '@corestore/core'", resolveDir: dir },
    absWorkingDir: dir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    inject: [join(root, 'tests-e2e/browser/shim.js')],
  })
  const inputs = Object.keys(built.metafile.inputs)
  const noise = new Set<string>()
  for (const input of inputs) {
    const pkg = /^(.*node_modules\/noise-protocol)\//.exec(input)?.[1]
    if (pkg) noise.add(JSON.parse(await readFile(join(dir, pkg, 'package.json'), 'utf8')).version)
  }
  return { inputs, noise: [...noise] }
}

/** The TypeScript the workspace builds with: users of the packed types get the same compiler. */
const TYPESCRIPT = '5.9.3'

/** What a strict TypeScript user compiles with: NodeNext, strict, our .d.ts files checked too. */
const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    outDir: 'out',
  },
  include: ['program.ts'],
})

const TYPED_PROGRAM = `import Corestore, { type Hypercore, randomAccessMemory } from '@corestore/core'

const store = new Corestore(randomAccessMemory, { cacheSize: 10 })
await store.ready()
const log: Hypercore<string> = store.get<string>({ name: 'log', valueEncoding: 'utf-8' })
await log.ready()
await log.append(['hello', 'world'])
const words: string[] = await log.getBatch(0, log.length)
console.log(words.join(' '))
await store.close()
`

const MISSPELT_PROGRAM = `import Corestore, { randomAccessMemory } from '@corestore/core'

const store = new Corestore(randomAccessMemory, { cachesize: 10 }) // ERROR
await store.ready()
store.get({ valueEncodin: 'utf-8' }) // ERROR
store.replicate(true, { lve: true }) // ERROR
const log = store.get<string>({ valueEncoding: 'utf-8' })
await log.append(Buffer.from('not a string')) // ERROR
await store.close()
`

/**
 * The core README's example, in a folder of the project `dir`, with a few lines added that wait for the
 * block to arrive, close both stores, and then run `after`.
 */
async function replicateExample(
  dir: string,
  after = '',
  runner: (file: string, cwd: string) => Promise<Ran> = (file, cwd) => run('node', [file], cwd),
): Promise<Ran> {
  const example = `${await readmeExample('packages/core/README.md', '## Example')}
// Not in the README: wait for the block to arrive, and close.
const block = await new Promise((resolve, reject) => core2.get(0, (err, b) => (err ? reject(err) : resolve(b))))
console.log('replicated:', block.toString())
stream.destroy()
await Promise.all([store1.close(), store2.close()])
${after}
`
  const cwd = join(dir, 'core-readme')
  await mkdir(cwd, { recursive: true })
  await writeFile(join(cwd, 'example.mjs'), example)
  return runner('example.mjs', cwd)
}

/** Which noise-protocol the installer gave hypercore-protocol's handshake, and which one the engine loads. */
async function noiseVersions(dir: string): Promise<string> {
  const script = `
const { createRequire } = require('node:module')
const version = (from, name) => createRequire(from)(name + '/package.json').version
const from = (file, name) => createRequire(file).resolve(name)
const engine = from(require.resolve('@corestore/core'), '@corestore/engine')
const simple = from(from(engine, 'hypercore-protocol'), 'simple-hypercore-protocol')
console.log('simple-hypercore-protocol resolves noise-protocol@' + version(simple, 'noise-protocol') +
  '; @corestore/engine loads noise-protocol@' + version(engine, 'noise-protocol'))
`
  const probe = join(dir, 'noise-versions.cjs')
  await writeFile(probe, script)
  const ran = await run('node', [probe], dir)
  return ran.code === 0 ? ran.stdout.trim() : `could not tell: ${ran.stderr.trim()}`
}
