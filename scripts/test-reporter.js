// The reporter of `pnpm test`: one line per test file as it ends, each failure in full as it happens,
// a line when nothing was printed for a while (so a long run shows it is alive), and at the end the
// failures again, one line each, then node's own counts (`# tests N`, `# pass N`, `# fail N`, …) as
// node's TAP reporter prints them. Those counts are the last lines printed: CI reads them.
//
// node's test runner loads it (`--test-reporter=./scripts/test-reporter.js`) before any `--import`
// hook, so it is JavaScript, type-checked through its JSDoc (tsconfig.test.json). What it yields goes
// to standard output. `CORESTORE_TEST_HEARTBEAT_MS` sets how quiet a run may be before it says it is
// still running (30 s).
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

/**
 * What a test file has done so far. node runs two files at once but reports their tests one file at a
 * time: the events of a file that ran beside the reported one come in a burst, after the file itself
 * has ended. So a file's line waits until its end has come (`completed`, as it happens) and every
 * top-level test it enqueued has reported (`pending`).
 */
class FileRun {
  started = Date.now()
  /** @type {number | null} how long the file's process ran, once it has ended */
  took = null
  passedFile = false
  /** Top-level tests enqueued and not yet reported as passed or failed. */
  pending = 0
  /** Its line has been printed. */
  ended = false
  passed = 0
  failed = 0
  cancelled = 0
  skipped = 0
  /** Cancelled tests whose cause node has not reported yet. */
  unowned = 0
  /** @type {string[]} the name of the test running at each nesting level, to name a failure by its suites */
  path = []
  /** @type {string[]} its `t.diagnostic()` lines, printed under the file's line */
  diagnostics = []
  /** @type {Failure[]} */
  failures = []
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

/**
 * Whether an event is about a test file itself (node runs each file as a test named by its path).
 * @param {{ name?: string, file?: string, nesting: number }} data
 * @returns {data is { name: string, file: string, nesting: 0 }}
 */
function isFileEvent(data) {
  return data.nesting === 0 && data.file !== undefined && data.name === data.file
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
  /** @type {string[]} */
  #counts = []
  #done = 0
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
    // A file whose process was killed never reports its pending tests.
    for (const [file, run] of this.#files) if (!run.ended) this.#fileEnded(file, run)
    if (this.#timer) clearTimeout(this.#timer)
    const failures = [...this.#files.values()].flatMap((run) => run.failures)
    const lines = ['']
    if (failures.length === 0) lines.push(`all ${plural(this.#files.size, 'test file')} passed`)
    else {
      const cancelled = failures.reduce((n, f) => n + f.cancelled, 0)
      const withThem = cancelled > 0 ? ` (and ${plural(cancelled, 'test')} cancelled with them)` : ''
      lines.push(`${plural(failures.length, 'failure')}${withThem}:`)
      for (const f of failures) {
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
      case 'test:enqueue': {
        const run = this.#run(event.data.file)
        if (run && event.data.nesting === 0 && !isFileEvent(event.data)) run.pending++
        break
      }
      case 'test:start': {
        const run = this.#run(event.data.file)
        if (!run) break
        run.path.length = event.data.nesting
        run.path.push(event.data.name)
        break
      }
      case 'test:pass': {
        const run = this.#run(event.data.file)
        if (!run || isFileEvent(event.data)) break
        if (event.data.details.type !== 'suite') {
          if (event.data.skip !== undefined || event.data.todo !== undefined) run.skipped++
          else run.passed++
          this.#done++
        }
        this.#reported(event.data.file, run, event.data.nesting)
        break
      }
      case 'test:fail': {
        this.#failed(event.data)
        const run = this.#run(event.data.file)
        if (run && !isFileEvent(event.data)) this.#reported(event.data.file, run, event.data.nesting)
        break
      }
      case 'test:diagnostic': {
        const { file, message, nesting } = event.data
        const run = this.#run(file)
        if (run && !run.ended) run.diagnostics.push(`${'  '.repeat(nesting + 1)}# ${message}`)
        else if (file === undefined && COUNTS.test(message)) this.#counts.push(message)
        else this.#say(`# ${message}`)
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
        run.took = Date.now() - run.started
        run.passedFile = event.data.details.passed
        this.#maybeEnded(event.data.file, run)
        break
      }
      default:
        break
    }
  }

  /**
   * A test of `file` has passed or failed.
   * @param {string | undefined} file
   * @param {FileRun} run
   * @param {number} nesting
   */
  #reported(file, run, nesting) {
    if (nesting !== 0 || file === undefined) return
    run.pending--
    this.#maybeEnded(file, run)
  }

  /**
   * Print the file's line once it has ended and all its tests have reported.
   * @param {string} file
   * @param {FileRun} run
   */
  #maybeEnded(file, run) {
    if (!run.ended && run.took !== null && run.pending <= 0) this.#fileEnded(file, run)
  }

  /** @param {string | undefined} file */
  #run(file) {
    return file === undefined ? undefined : this.#files.get(file)
  }

  /** @param {TestFail} data */
  #failed({ file, name, nesting, line, details }) {
    const run = this.#run(file)
    const { cause, failureType } = thrown(details.error)
    if (failureType === 'cancelledByParent') {
      // node reports a cancelled test before the failure that stopped it (a suite's hook, the file).
      if (run) {
        run.cancelled++
        run.unowned++
      }
      this.#done++
      return
    }
    // A suite whose tests failed has nothing of its own to say: they were listed.
    if (failureType === 'subtestsFailed') return
    const isFile = nesting === 0 && name === file
    const names = isFile ? [] : [...(run?.path.slice(0, nesting) ?? []), name]
    const at = isFile ? undefined : lineOf(file, cause, line)
    const where = [`${shortPath(file)}${at === undefined ? '' : `:${at}`}`, ...names].join(' › ')
    const reason = firstLine(cause)
    // A file that stopped has said why on its standard error, printed as it came.
    if (isFile) {
      if (run && !run.ended) this.#fileStopped(run, where)
      return
    }
    if (run) {
      run.failures.push({ where, reason, cancelled: run.unowned })
      run.unowned = 0
    }
    if (details.type !== 'suite') {
      if (run) run.failed++
      this.#done++
    }
    const hook = failureType === 'hookFailed' ? ` (${firstLine(details.error)})` : ''
    this.#say(`✖ FAILED ${where}${hook}\n${indent(inspect(cause, { depth: 4 }))}`)
  }

  /**
   * @param {string} file
   * @param {FileRun} run
   */
  #fileEnded(file, run) {
    const parts = [`${run.passed} passed`]
    if (run.failed > 0) parts.push(`${run.failed} failed`)
    if (run.cancelled > 0) parts.push(`${run.cancelled} cancelled`)
    if (run.skipped > 0) parts.push(`${run.skipped} skipped`)
    if (!run.passedFile && (run.failures.length === 0 || run.unowned > 0)) {
      parts.push('then the file stopped')
      this.#fileStopped(run, shortPath(file))
    }
    const line = `${run.passedFile ? '✔' : '✖'} ${shortPath(file)}  ${parts.join(', ')}  ${seconds(run.took ?? 0)}`
    this.#say([line, ...run.diagnostics].join('\n'))
    run.diagnostics.length = 0
    run.ended = true
  }

  /**
   * A file that ended early (it did not load, or its process exited with tests pending), with the tests
   * it cancelled: node reports it before or after the file's end.
   * @param {FileRun} run
   * @param {string} where
   */
  #fileStopped(run, where) {
    const reason = 'the file stopped before its tests ended (its output is above)'
    run.failures.push({ where, reason, cancelled: run.unowned })
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
      .filter(([, run]) => run.took === null)
      .map(([file, run]) => `${shortPath(file)} (${seconds(now - run.started)})`)
    const what = running.length > 0 ? running.join(', ') : 'the next file is starting'
    this.#say(`… still running: ${what}; ${plural(this.#done, 'test')} done so far`)
  }
}

export default new TestReporter()
