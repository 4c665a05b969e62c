// The reporter of `pnpm test`: a line as each test file ends, each failure in full, a line when nothing
// was printed for a while (so a long run shows it is alive), and at the end the failures again, one
// line each, then node's own counts (`# tests N`, `# pass N`, `# fail N`, …) as node's TAP reporter
// prints them. Those counts are the last lines printed: CI reads them.
//
// node runs two files at once but reports their tests one file at a time: the tests of a file that
// ran beside the reported one come in a burst, later. Only a file's end (`test:complete` of the file,
// passed or not) comes as it happens, so the file's line says no more than that and how long it took;
// its failures and diagnostics follow as node reports them.
//
// node's test runner loads this file (`--test-reporter=./scripts/test-reporter.js`) before any
// `--import` hook, so it is JavaScript, type-checked through its JSDoc (tsconfig.test.json).
// `CORESTORE_TEST_HEARTBEAT_MS` sets how quiet a run may be before it says it is still running (30 s).
import { relative } from 'node:path'
import { Transform } from 'node:stream'
import { inspect } from 'node:util'

/** @typedef {import('node:test/reporters').TestEvent} TestEvent */
/** @typedef {Extract<TestEvent, { type: 'test:fail' }>['data']} TestFail */

/**
 * A failure as the summary lists it.
 * @typedef {object} Failure
 * @property {string} where `file:line › suite › test`
 * @property {string} reason the first line of what went wrong
 * @property {number} cancelled tests cancelled because of it (a failed hook, a file that stopped)
 */

/** A test file: when it started, whether it ended, and what node has reported of it so far. */
class FileRun {
  started = Date.now()
  ended = false
  /** @type {string[]} the name of the test reported at each nesting level, to name a failure by its suites */
  path = []
  /** Cancelled tests whose cause node has not reported yet: it reports them before it. */
  unowned = 0
}

/** The counts node prints last: the run's own diagnostics (they have no file). */
const COUNTS = /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /

const heartbeatMs = Number(process.env.CORESTORE_TEST_HEARTBEAT_MS) || 30_000

/**
 * A file's path as typed at the root: `packages/core/test/basic.test.ts`.
 * @param {string | undefined} file
 */
function shortPath(file) {
  return file === undefined ? '(no file)' : relative(process.cwd(), file) || file
}

/** @param {number} ms */
function seconds(ms) {
  const s = ms / 1000
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`
}

/**
 * @param {number} n
 * @param {string} word
 */
function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/**
 * Whether an event is about a test file itself (node runs each file as a test named by its path).
 * @param {{ name?: string, file?: string, nesting: number }} data
 * @returns {data is { name: string, file: string, nesting: 0 }}
 */
function isFileEvent(data) {
  return data.nesting === 0 && data.file !== undefined && data.name === data.file
}

/**
 * The error a test threw (node wraps it in an `ERR_TEST_FAILURE` whose `cause` it is), and why the
 * test failed: `testCodeFailure`, `hookFailed`, `cancelledByParent`, `subtestsFailed`…
 * @param {Error} error
 * @returns {{ cause: unknown, failureType: string | undefined }}
 */
function thrown(error) {
  const { cause, failureType } = /** @type {Error & { failureType?: string }} */ (error)
  return { cause: cause ?? error, failureType }
}

/**
 * The line of `file` where a failure happened: the first frame of the error's stack in that file
 * (tsx maps those to the TypeScript source), or else the test's own line, which node reads from the
 * code it ran: right for JavaScript, the compiled line for TypeScript, so not given for it.
 * @param {string | undefined} file
 * @param {unknown} error
 * @param {number | undefined} testLine
 * @returns {number | undefined}
 */
function lineOf(file, error, testLine) {
  if (file === undefined) return undefined
  const stack = error instanceof Error ? (error.stack ?? '') : ''
  for (const frame of stack.split('\n')) {
    const at = /\((?:file:\/\/)?(.*):(\d+):\d+\)$|at (?:file:\/\/)?(.*):(\d+):\d+$/.exec(frame.trim())
    const path = at?.[1] ?? at?.[3]
    if (path !== undefined && decodeURI(path) === file) return Number(at?.[2] ?? at?.[4])
  }
  return /\.[cm]?ts$/.test(file) ? undefined : testLine
}

/** @param {unknown} value */
function firstLine(value) {
  const text = value instanceof Error ? value.message : String(value)
  const line = text.split('\n').find((l) => l.trim() !== '') ?? ''
  return line.length > 160 ? `${line.slice(0, 159)}…` : line
}

/** @param {string} text */
function indent(text) {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n')
}

export class TestReporter extends Transform {
  /** @type {Map<string, FileRun>} */
  #files = new Map()
  /** @type {Failure[]} */
  #failures = []
  /** @type {string[]} */
  #counts = []
  #reported = 0
  /** @type {NodeJS.Timeout | null} */
  #timer = null

  constructor() {
    super({ writableObjectMode: true })
    this.#quiet()
  }

  /**
   * @override
   * @param {TestEvent} event
   * @param {BufferEncoding} _encoding
   * @param {import('node:stream').TransformCallback} callback
   */
  _transform(event, _encoding, callback) {
    this.#on(event)
    callback()
  }

  /**
   * @override
   * @param {import('node:stream').TransformCallback} callback
   */
  _flush(callback) {
    if (this.#timer) clearTimeout(this.#timer)
    for (const [file, run] of this.#files) {
      if (run.unowned > 0) this.#fail(run, shortPath(file), `${plural(run.unowned, 'test')} cancelled`)
    }
    const lines = ['']
    if (this.#failures.length === 0) lines.push(`all ${plural(this.#files.size, 'test file')} passed`)
    else {
      const cancelled = this.#failures.reduce((n, f) => n + f.cancelled, 0)
      const withThem = cancelled > 0 ? ` (and ${plural(cancelled, 'test')} cancelled with them)` : ''
      lines.push(`${plural(this.#failures.length, 'failure')}${withThem}:`)
      for (const f of this.#failures) {
        lines.push(`  ✖ ${f.where}${f.cancelled > 0 ? ` [${f.cancelled} cancelled]` : ''}`, `      ${f.reason}`)
      }
    }
    lines.push(...this.#counts.map((c) => `# ${c}`))
    callback(null, `${lines.join('\n')}\n`)
  }

  /** @param {TestEvent} event */
  #on(event) {
    switch (event.type) {
      case 'test:dequeue':
        if (isFileEvent(event.data)) this.#files.set(event.data.file, new FileRun())
        break
      case 'test:start': {
        const run = this.#run(event.data.file)
        if (!run) break
        run.path.length = event.data.nesting
        run.path.push(event.data.name)
        break
      }
      case 'test:pass':
        if (!isFileEvent(event.data) && event.data.details.type !== 'suite') this.#reported++
        break
      case 'test:fail':
        this.#failed(event.data)
        break
      case 'test:diagnostic': {
        const { file, message } = event.data
        if (file === undefined && COUNTS.test(message)) this.#counts.push(message)
        else this.#say(`# ${file === undefined ? '' : `${shortPath(file)}: `}${message}`)
        break
      }
      case 'test:stdout':
      case 'test:stderr': {
        const { file, message } = event.data
        const lines = message.replace(/\n$/, '').split('\n')
        this.#say(lines.map((line) => `[${shortPath(file)}] ${line}`).join('\n'))
        break
      }
      case 'test:complete': {
        const run = this.#run(event.data.file)
        if (!run || !isFileEvent(event.data)) break
        run.ended = true
        const took = seconds(Date.now() - run.started)
        this.#say(`${event.data.details.passed ? '✔' : '✖'} ${shortPath(event.data.file)}  ${took}`)
        break
      }
      default:
        break
    }
  }

  /** @param {string | undefined} file */
  #run(file) {
    return file === undefined ? undefined : this.#files.get(file)
  }

  /** @param {TestFail} data */
  #failed({ file, name, nesting, line, details }) {
    const run = this.#run(file)
    const { cause, failureType } = thrown(details.error)
    const isFile = isFileEvent({ file, name, nesting })
    if (!isFile && details.type !== 'suite') this.#reported++
    if (failureType === 'cancelledByParent') {
      if (run) run.unowned++
      return
    }
    // A suite or file whose tests failed has nothing of its own to say: they were listed.
    if (failureType === 'subtestsFailed') return
    if (isFile) {
      // It did not load, or its process ended with tests pending: it said why on its standard error.
      if (run) this.#fail(run, shortPath(file), 'the file stopped before its tests ended (its output is above)')
      return
    }
    const at = lineOf(file, cause, line)
    const names = [...(run?.path.slice(0, nesting) ?? []), name]
    const where = [`${shortPath(file)}${at === undefined ? '' : `:${at}`}`, ...names].join(' › ')
    if (run) this.#fail(run, where, firstLine(cause))
    const hook = failureType === 'hookFailed' ? ` (${firstLine(details.error)})` : ''
    this.#say(`✖ FAILED ${where}${hook}\n${indent(inspect(cause, { depth: 4 }))}`)
  }

  /**
   * Record a failure, with the tests node cancelled because of it.
   * @param {FileRun} run
   * @param {string} where
   * @param {string} reason
   */
  #fail(run, where, reason) {
    this.#failures.push({ where, reason, cancelled: run.unowned })
    run.unowned = 0
  }

  /** @param {string} text */
  #say(text) {
    this.push(`${text}\n`)
    this.#quiet()
  }

  /** Say that the run is alive once nothing else has been printed for `heartbeatMs`. */
  #quiet() {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.#heartbeat(), heartbeatMs)
    this.#timer.unref()
  }

  #heartbeat() {
    const now = Date.now()
    const running = [...this.#files.entries()]
      .filter(([, run]) => !run.ended)
      .map(([file, run]) => `${shortPath(file)} (${seconds(now - run.started)})`)
    const what = running.length > 0 ? running.join(', ') : 'the next file is starting'
    this.#say(`… still running: ${what}; ${plural(this.#reported, 'test')} reported so far`)
  }
}

export default new TestReporter()
