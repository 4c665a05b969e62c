import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { PassThrough } from 'node:stream'
import { type TestContext, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { type InfoJson, run } from '@corestore/cli'
import { Corestore, type Hypercore } from '@corestore/core'
import { engine } from '@corestore/engine/internal'
import { CorestoreError } from '@corestore/errors'
import { fingerprint } from '@corestore/keychain'
import { EXACT, link, opened, snapshot, tmpDir } from '@corestore/test-helpers'
import { COMMANDS } from '../src/cli.ts'
import { BIN, corestore, writeStore } from './helpers.ts'

const hexKey = (core: Hypercore) => (core.key as Buffer).toString('hex')

test('info --wide shows the fingerprint and a row per core, every key whole, and leaves every file as it was', async (t) => {
  const { dir, masterKey, cores } = await writeStore(await tmpDir(t))
  const before = await snapshot(dir, EXACT)
  const { code, stdout, stderr } = await corestore(['info', dir, '--wide'])
  assert.equal(stderr, '')
  assert.equal(code, 0)
  assert.deepEqual(await snapshot(dir, EXACT), before, 'no byte, mode or mtime changed, nothing created')
  assert.match(stdout, new RegExp(`master key   fingerprint ${fingerprint(masterKey)} `))
  assert.ok(!stdout.includes(masterKey.toString('hex')), 'the master key itself is never printed')
  assert.match(stdout, /cores {8}4 \(3 writable\)/)
  const row = (core: Hypercore) =>
    stdout
      .split('\n')
      .find((line) => line.includes(hexKey(core)))
      ?.split(/\s+/)
  assert.deepEqual(row(cores.main)?.slice(1), [hexKey(cores.main), 'default', 'yes', '2', '10'])
  assert.deepEqual(row(cores.photos)?.slice(1), [hexKey(cores.photos), 'drive1:photos', 'yes', '1', '9'])
  assert.deepEqual(row(cores.copy)?.slice(1), [hexKey(cores.copy), '-', 'no', '0', '0'])
  assert.match(row(cores.random)?.[2] ?? '', /^[0-9a-f]{64}$/)
  assert.match(stdout, /discovery key +key +name +writable +length +bytes/)
})

/** The lines of `text` wider than `columns` (a `…` is one column). */
const wider = (text: string, columns: number) => text.split('\n').filter((line) => [...line].length > columns)

test('info fits 80 columns off a terminal: keys cut and said so, names, writable, length and bytes', async (t) => {
  const { dir, cores } = await writeStore(await tmpDir(t))
  const { code, stdout } = await corestore(['info', dir])
  assert.equal(code, 0)
  assert.deepEqual(wider(stdout, 80), [])
  assert.match(stdout, /\nkey +name +writable +length +bytes\n/)
  assert.match(stdout, /\n\(keys cut to fit 80 columns: --wide shows them whole\)\n$/)
  const row = (core: Hypercore) => {
    const line = stdout.split('\n').find((l) => l.startsWith(hexKey(core).slice(0, 16)))
    return line?.split(/\s+/)
  }
  const [key, ...rest] = row(cores.main) ?? []
  assert.ok(key?.endsWith('…') && hexKey(cores.main).startsWith(key.slice(0, -1)), `${key} is the start of the key`)
  assert.deepEqual(rest, ['default', 'yes', '2', '10'])
  assert.deepEqual(row(cores.photos)?.slice(1), ['drive1:photos', 'yes', '1', '9'])
  assert.deepEqual(row(cores.copy)?.slice(1), ['-', 'no', '0', '0'])
  assert.match(row(cores.random)?.[1] ?? '', /^[0-9a-f]{8,}…$/, 'a name of random bytes is cut too')
})

test("info on a terminal takes the terminal's width: whole rows when they fit, cut ones when not", async (t) => {
  const { dir, cores } = await writeStore(await tmpDir(t))
  const onTerminal = async (columns: number) => {
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns })
    let printed = ''
    stdout.on('data', (d: Buffer) => {
      printed += d.toString()
    })
    assert.equal(await run(['info', dir], { stdin: new PassThrough(), stdout, stderr: new PassThrough() }), 0)
    return printed
  }
  const wide = await onTerminal(240)
  assert.match(wide, /\ndiscovery key +key +name +writable +length +bytes\n/)
  assert.ok(wide.includes(`${(cores.main.discoveryKey as Buffer).toString('hex')}  ${hexKey(cores.main)}  default`))
  assert.doesNotMatch(wide, /keys cut/)
  const narrow = await onTerminal(76)
  assert.deepEqual(wider(narrow, 76), [])
  assert.match(narrow, /\(keys cut to fit 76 columns/)
})

test('info --json gives the same for programs', async (t) => {
  const { dir, masterKey, cores } = await writeStore(await tmpDir(t))
  const { code, stdout } = await corestore(['info', dir, '--json'])
  assert.equal(code, 0)
  const json = JSON.parse(stdout) as InfoJson
  assert.equal(json.fingerprint, fingerprint(masterKey))
  const main = json.cores.find((c) => c.key === hexKey(cores.main))
  assert.deepEqual(main, {
    discoveryKey: (cores.main.discoveryKey as Buffer).toString('hex'),
    key: hexKey(cores.main),
    name: 'default',
    writable: true,
    length: 2,
    byteLength: 10,
  })
  assert.equal(json.cores.length, 4)
})

test('info refuses a directory that is not a store, and creates nothing in it', async (t) => {
  const dir = await tmpDir(t)
  const { code, stdout, stderr } = await corestore(['info', dir])
  assert.equal(code, 1)
  assert.equal(stdout, '')
  assert.equal(stderr, `corestore info: ${dir} is not a corestore: it has no master_key\n`)
  assert.deepEqual(await readdir(dir), [])
  const missing = await corestore(['info', join(dir, 'nope')])
  assert.equal(missing.code, 1)
  assert.match(missing.stderr, /no such directory/)
})

test('errors from the packages are shown by their code and message, in one line', async (t) => {
  const dir = await tmpDir(t)
  await writeFile(join(dir, 'master_key'), Buffer.alloc(5))
  const { code, stderr } = await corestore(['cat', dir, 'default'])
  assert.equal(code, 1)
  assert.match(stderr, /^corestore cat: CORRUPT_MASTER_KEY: .*master_key holds 5 bytes instead of 32.*\n$/)
})

test('append writes blocks to the default core, cat prints them back, by name or key, in a range', async (t) => {
  const dir = join(await tmpDir(t), 'store')
  const first = await corestore(['append', dir, 'hello', 'world'])
  assert.equal(first.code, 0, first.stderr)
  assert.match(first.stdout, /^appended 2 blocks to the default core\nkey {5}[0-9a-f]{64}\nlength {2}2\n$/)
  const key = /key {5}([0-9a-f]{64})/.exec(first.stdout)?.[1] as string
  const piped = await corestore(['append', dir, '-'], { input: 'from\nstdin\n' })
  assert.match(piped.stdout, /appended 2 blocks.*\n.*\nlength {2}4/)

  assert.deepEqual(await corestore(['cat', dir, 'default']), {
    code: 0,
    stdout: 'hello\nworld\nfrom\nstdin\n',
    stderr: '',
  })
  assert.equal((await corestore(['cat', dir, key, '--start', '1', '--end', '3'])).stdout, 'world\nfrom\n')
  assert.equal((await corestore(['cat', dir, key, '--start', '3', '--raw'])).stdout, 'stdin')
  assert.equal((await corestore(['cat', dir, key, '--start', '2', '--end', '9'])).stdout, 'from\nstdin\n')
  assert.deepEqual(await corestore(['cat', dir, 'default', '--start', '4']), {
    code: 1,
    stdout: '',
    stderr: 'corestore cat: --start 4 is past the end: default has 4 blocks (the last is 3)\n',
  })

  const ns = await corestore(['append', dir, '--namespace', 'chat', 'hi'])
  assert.match(ns.stdout, /to the default core of namespace chat/)
  assert.equal((await corestore(['cat', dir, 'chat'])).stdout, 'hi\n')
  const unknown = await corestore(['cat', dir, 'nope'])
  assert.equal(unknown.code, 1)
  assert.match(unknown.stderr, /^corestore cat: no core with key or name nope is stored in this store\n$/)
})

test('cat reads a store another Corestore holds open, and changes no file', async (t) => {
  const { dir, cores } = await writeStore(await tmpDir(t))
  const holder = await opened(t, new Corestore(dir))
  const main = holder.default()
  await engine.ready(main)
  await engine.append(main, [Buffer.from('!'), Buffer.alloc(0), Buffer.from('last')])
  const before = await snapshot(dir, EXACT)

  const printed = await corestore(['cat', dir, 'default'])
  assert.deepEqual(printed, { code: 0, stdout: 'hello\nworld\n!\n\nlast\n', stderr: '' })
  const range = await corestore(['cat', dir, hexKey(cores.main), '--start', '2', '--end', '5', '--raw'])
  assert.deepEqual(range, { code: 0, stdout: '!last', stderr: '' })
  assert.equal((await corestore(['cat', dir, 'drive1:photos'])).stdout, '<cat.png>\n')
  assert.deepEqual(await snapshot(dir, EXACT), before, 'no byte, mode or mtime changed, nothing created')
  // The holder still owns the store: it can go on writing.
  await engine.append(main, Buffer.from('more'))
  assert.equal(main.length, 6)
})

test('cat prints the blocks a sparse copy holds, and stops at the first one it lacks', async (t) => {
  const dir = await tmpDir(t)
  const source = new Corestore(join(dir, 'source'))
  const copy = new Corestore(join(dir, 'copy'))
  await Promise.all([source.ready(), copy.ready()])
  const blocks = Array.from({ length: 7 }, (_, i) => Buffer.from(`block ${i} `.repeat(i + 1)))
  const original = source.default()
  await engine.ready(original)
  await engine.append(original, blocks)
  const sparse = copy.get({ key: original.key as Buffer, sparse: true })
  await engine.ready(sparse)
  link(source.replicate(true, { live: true }), copy.replicate(false, { live: true }))
  for (const i of [1, 4, 6]) assert.deepEqual(await engine.get(sparse, i), blocks[i])
  await Promise.all([source.close(), copy.close()])

  const key = hexKey(original)
  const at = async (start: number, end: number) =>
    corestore(['cat', join(dir, 'copy'), key, '--start', String(start), '--end', String(end)])
  for (const i of [1, 4, 6]) assert.deepEqual(await at(i, i + 1), { code: 0, stdout: `${blocks[i]}\n`, stderr: '' })
  const gap = await at(4, 7)
  assert.equal(gap.code, 1)
  assert.equal(gap.stdout, `${blocks[4]}\n`)
  assert.equal(gap.stderr, 'corestore cat: block 5 is not stored here (this copy is sparse)\n')
})

test('rm asks before deleting a writable core, and deletes it on yes, leaving the rest', async (t) => {
  const { dir, cores } = await writeStore(await tmpDir(t))
  const refused = await corestore(['rm', dir, hexKey(cores.photos)], { input: 'n\n' })
  assert.equal(refused.code, 1)
  // The answer came from a pipe, so nothing echoed it: the prompt's line is ended before the refusal.
  const prompt = `core ${hexKey(cores.photos)} (drive1:photos) is writable: its blocks cannot be recovered. Remove it? [y/N] \n`
  const refusal = 'corestore rm: not removed (answer y, or pass --yes, to remove a writable core)\n'
  assert.equal(refused.stderr, prompt + refusal)
  const noAnswer = await corestore(['rm', dir, hexKey(cores.photos)])
  assert.equal(noAnswer.code, 1, 'no answer is no')
  assert.equal(noAnswer.stderr, prompt + refusal)

  const removed = await corestore(['rm', dir, hexKey(cores.photos)], { input: 'y\n' })
  assert.equal(removed.code, 0, removed.stderr)
  assert.equal(removed.stdout, `removed ${hexKey(cores.photos)} (drive1:photos)\n`)
  const readOnly = await corestore(['rm', dir, (cores.copy.discoveryKey as Buffer).toString('hex')])
  assert.equal(readOnly.code, 0, 'a read-only copy goes without asking')
  const yes = await corestore(['rm', dir, hexKey(cores.random), '--yes'])
  assert.equal(yes.code, 0)

  const { stdout } = await corestore(['info', dir, '--json'])
  assert.deepEqual(
    (JSON.parse(stdout) as InfoJson).cores.map((c) => c.key),
    [hexKey(cores.main)],
  )
  const again = await corestore(['rm', dir, hexKey(cores.photos), '--yes'])
  assert.equal(again.code, 1)
  assert.match(again.stderr, /no core with key [0-9a-f]{64} is stored/)
})

test('rm refuses a store another process has open', async (t) => {
  const { dir, cores } = await writeStore(await tmpDir(t))
  await opened(t, new Corestore(dir))
  const { code, stderr } = await corestore(['rm', dir, hexKey(cores.copy)])
  assert.equal(code, 1)
  assert.match(stderr, /^corestore rm: STORE_LOCKED: /)
})

test('every command has --help; a mistake in the command line says what is missing or unknown, then the usage line, exit code 1', async () => {
  for (const { name } of COMMANDS) {
    const { code, stdout } = await corestore([name, '--help'])
    assert.equal(code, 0)
    assert.match(stdout, new RegExp(`^Usage: corestore ${name} `))
  }
  const main = await corestore(['--help'])
  assert.equal(main.code, 0)
  for (const { name } of COMMANDS) assert.match(main.stdout, new RegExp(`\\n  ${name} `))
  const unknown = await corestore(['frobnicate'])
  assert.deepEqual(unknown, {
    code: 1,
    stdout: '',
    stderr:
      'corestore: unknown command "frobnicate"\nusage: corestore <command> [arguments] [options] (corestore --help lists the commands)\n',
  })

  const cases: [string[], string][] = [
    [['info'], 'missing <dir>'],
    [['cat', '.'], 'missing <key|name>'],
    [['clone'], 'missing <key> and <dir>'],
    [['append', '.'], 'missing <data...|->'],
    [['info', 'a', 'b'], 'unexpected argument "b"'],
    [['info', '.', '--jsn'], 'unknown option --jsn'],
    [['info', '.', '-x'], 'unknown option -x'],
    [['info', '.', '--json=yes'], '--json takes no value'],
    [['cat', '.', 'x', '--start'], '--start needs a value'],
    [['cat', '.', 'x', '--start', 'one'], '--start must be a non-negative integer, got "one"'],
    [['cat', '.', 'x', '--start', '-1'], '--start needs a value (one that starts with - is written --start=-…)'],
    [['clone', 'abc', '.'], '"abc" is not a key: 64 hex characters expected'],
    [['serve', '.', '--bootstrap', 'nowhere'], '--bootstrap must be host:port, got "nowhere"'],
    [['append', '.', '--namespace', '', 'x'], '--namespace must not be empty'],
  ]
  for (const [args, message] of cases) {
    const command = COMMANDS.find((c) => c.name === args[0])
    const usage = command?.help.split('\n')[0]?.replace('Usage: ', 'usage: ')
    const { code, stdout, stderr } = await corestore(args)
    assert.deepEqual(
      { code, stdout, stderr },
      { code: 1, stdout: '', stderr: `corestore ${args[0]}: ${message}\n${usage}\n` },
    )
  }
})

test('the bin runs linked onto PATH, from any folder, and pnpm corestore runs it in packages/cli', async (t) => {
  const dir = await tmpDir(t)
  await mkdir(join(dir, 'bin'))
  await symlink(BIN, join(dir, 'bin', 'corestore'))
  const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  const env = { ...process.env, PATH: `${join(dir, 'bin')}${delimiter}${process.env.PATH}` }
  const linked = spawnSync('corestore', ['info', 'nowhere'], { cwd: dir, env, encoding: 'utf8' })
  assert.equal(linked.stderr, 'corestore info: nowhere: no such directory\n', 'a path relative to where it runs')
  assert.equal(spawnSync('corestore', ['--version'], { cwd: dir, env, encoding: 'utf8' }).stdout, `${version}\n`)
  const cli = fileURLToPath(new URL('..', import.meta.url))
  const pnpm = spawnSync('pnpm', ['-s', 'corestore', '--version'], { cwd: cli, encoding: 'utf8' })
  assert.equal(pnpm.stdout, `${version}\n`, pnpm.stderr)
})

/** `corestore info` on a store, in this process, with a standard output whose writes throw `err`. */
async function infoFailingWith(t: TestContext, err: Error): Promise<{ code: number; said: string }> {
  const { dir } = await writeStore(await tmpDir(t))
  const stdout = new PassThrough()
  stdout.write = () => {
    throw err
  }
  const stderr = new PassThrough()
  let said = ''
  stderr.on('data', (d: Buffer) => {
    said += d.toString()
  })
  const code = await run(['info', dir], { stdin: new PassThrough(), stdout, stderr })
  return { code, said }
}

test('an internal error exits with code 2 and its stack', async (t) => {
  const { code, said } = await infoFailingWith(t, new Error('disk on fire'))
  assert.equal(code, 2)
  assert.match(said, /^corestore info: internal error \(a bug: please report it\)\nError: disk on fire\n {4}at /)
})

test('a file the system refuses is one line and exit code 1, whether or not a package wrapped it', async (t) => {
  const denied = () =>
    Object.assign(new Error("EACCES: permission denied, open '/srv/notes/LOCK'"), {
      code: 'EACCES',
      errno: -13,
      syscall: 'open',
      path: '/srv/notes/LOCK',
    })
  assert.deepEqual(await infoFailingWith(t, denied()), {
    code: 1,
    said: 'corestore info: cannot open /srv/notes/LOCK: permission denied\n',
  })
  const wrapped = new CorestoreError(
    'STORAGE_ERROR',
    "/srv/notes/LOCK: EACCES: permission denied,\nopen '/srv/notes/LOCK'",
    {
      cause: denied(),
    },
  )
  assert.deepEqual(await infoFailingWith(t, wrapped), {
    code: 1,
    said: "corestore info: STORAGE_ERROR: /srv/notes/LOCK: EACCES: permission denied, open '/srv/notes/LOCK'\n",
  })
})

test('cat into a pipe its reader closes early (| head -1) ends quietly with exit 0', async (t) => {
  const dir = join(await tmpDir(t), 'store')
  const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n')
  assert.equal((await corestore(['append', dir, '-'], { input: `${lines}\n` })).code, 0)
  // What cat says on its standard error, then its exit status, both on descriptor 3: the shell's own
  // standard error is not cat's (bash warns there of an LC_ALL naming a locale this machine lacks).
  const piped = spawnSync(
    'bash',
    ['-c', '"$0" "$1" cat "$2" default 2>&3 | head -1; echo "status $PIPESTATUS" >&3', process.execPath, BIN, dir],
    {
      encoding: 'utf8',
      env: { ...process.env, CORESTORE_FROM_SOURCE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    },
  )
  assert.equal(piped.stdout, 'line 0\n')
  assert.equal(piped.output[3], 'status 0\n')
})
