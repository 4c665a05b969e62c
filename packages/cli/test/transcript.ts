import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { type Hooks, Running } from './helpers.ts'

/** A line a transcript shows, and who printed it. */
export interface Shown {
  /** The line as the terminal shows it. */
  readonly text: string
  /** The job that printed it (`# from serve`), or `null` for the step's own command. */
  readonly from: string | null
}

/** One command of a console transcript, and the lines shown after it. */
export interface Step {
  /** The line after `$ `, as written (comment and all). */
  readonly line: string
  /** Its words, as a shell splits them, without a trailing `&` or comment. */
  readonly words: readonly string[]
  /** Whether it runs in the background (`&`), as a job. */
  readonly background: boolean
  readonly output: readonly Shown[]
}

/** The mark a transcript puts after a line that a background job printed: `# from serve`. */
const FROM = /\s+# from (\S+)$/

/**
 * The steps of the first ```console block after the line `heading` in a markdown file: each line
 * that starts with `$ ` is a command, and the lines after it are what it printed, and what the jobs
 * running printed meanwhile (those end with `# from <command>`).
 */
export async function readTranscript(file: URL, heading: string): Promise<Step[]> {
  const lines = (await readFile(file, 'utf8')).split('\n')
  const at = lines.indexOf(heading)
  if (at === -1) throw new Error(`${fileURLToPath(file)} has no line ${heading}`)
  const block = /^```console\n([\s\S]*?)^```$/m.exec(lines.slice(at).join('\n'))?.[1]
  if (block === undefined) throw new Error(`${fileURLToPath(file)} has no console block after ${heading}`)
  const steps: { line: string; words: string[]; background: boolean; output: Shown[] }[] = []
  for (const line of block.trimEnd().split('\n')) {
    if (line.startsWith('$ ')) {
      const words = shellWords(line.slice(2))
      const background = words.at(-1) === '&'
      steps.push({ line: line.slice(2), words: background ? words.slice(0, -1) : words, background, output: [] })
    } else {
      const step = steps.at(-1)
      if (!step) throw new Error(`the transcript starts with output, not a command: ${line}`)
      const from = FROM.exec(line)
      step.output.push({ text: from ? line.slice(0, from.index) : line, from: from?.[1] ?? null })
    }
  }
  return steps
}

/**
 * A command line's words as a shell splits them: plain words and 'single-quoted' ones, up to a
 * `#` comment. Anything else a shell would read differently (other quotes, $, ;, |, globs…) is
 * refused, so that the transcript never says more than the test runs.
 */
export function shellWords(line: string): string[] {
  const words: string[] = []
  for (const [, quoted, plain, stray] of line.matchAll(/\s*(?:'([^']*)'|([^\s']+)|(\S))/g)) {
    if (stray !== undefined) throw new Error(`unclosed quote in: ${line}`)
    if (plain?.startsWith('#')) break
    if (plain !== undefined && /["\\$`;|<>(){}*?~]/.test(plain)) {
      throw new Error(`the test does not run shell syntax like ${plain} (in: ${line})`)
    }
    words.push(quoted ?? plain ?? '')
  }
  return words
}

/** How far each process had printed, stream by stream, at some moment. */
export type Mark = readonly { readonly out: number; readonly err: number }[]

const BAR = /^ .*\d+% \| \d+\/\d+ blocks \|/

/** A stream's lines as a terminal leaves them: the progress bar is redrawn in place, so only its last state. */
function onScreen(lines: string[]): string[] {
  return lines.filter((line, i) => !BAR.test(line) || !lines.slice(i + 1).some((next) => BAR.test(next)))
}

/**
 * Runs a transcript's commands as bash would in one terminal: `corestore …` is the real binary
 * (run in `cwd`), `… &` a background job, `kill %n…` SIGTERM to those jobs. Nothing else.
 */
export class Shell {
  /** Every process started, in order. */
  readonly processes: Running[] = []
  /** The command each of them runs (`serve`, `clone`…), by the same index. */
  readonly #commands: string[] = []
  /** Jobs by number, as bash counts them: one more than the highest still running. */
  readonly #jobs = new Map<number, Running>()
  readonly #t: Hooks
  readonly #cwd: string

  constructor(t: Hooks, cwd: string) {
    this.#t = t
    this.#cwd = cwd
  }

  /** The numbers of the jobs still running. */
  get jobs(): number[] {
    return [...this.#jobs.keys()]
  }

  /** Run one command; returns the processes that end with it: the command itself, or the jobs it kills. */
  run([program, ...args]: readonly string[], background: boolean): Running[] {
    if (program === 'corestore') {
      const running = new Running(this.#t, args, { cwd: this.#cwd })
      this.processes.push(running)
      this.#commands.push(args[0] ?? '')
      if (!background) return [running]
      this.#jobs.set(Math.max(0, ...this.#jobs.keys()) + 1, running)
      return []
    }
    if (program === 'kill' && !background) {
      return args.map((spec) => {
        const number = Number(/^%(\d+)$/.exec(spec)?.[1])
        const job = this.#jobs.get(number)
        if (!job) throw new Error(`kill ${spec}: there is no such job`)
        this.#jobs.delete(number)
        job.child.kill('SIGTERM')
        return job
      })
    }
    throw new Error(`the test runs corestore and kill %n, not ${[program, ...args].join(' ')}`)
  }

  mark(): Mark {
    return this.processes.map((p) => ({ out: p.lines.length, err: p.errors.length }))
  }

  /**
   * What each process printed since `mark`, stream by stream, as a terminal shows it, and who it is:
   * `from` is `null` for a process started since `mark` (the step's own command), else its command.
   */
  printedSince(mark: Mark): { from: string | null; streams: string[][] }[] {
    return this.processes.map((p, i) => ({
      from: i < mark.length ? (this.#commands[i] ?? '') : null,
      streams: [p.lines.slice(mark[i]?.out ?? 0), onScreen(p.errors.slice(mark[i]?.err ?? 0))],
    }))
  }
}
