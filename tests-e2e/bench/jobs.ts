// How run.ts hands measurements to the scripts it starts: `<scenario> <impl> <size>` triples on the
// command line, one JSON line printed for each, in order.

/** One measurement asked of a script. */
export type Job = [scenario: string, impl: string, size: number]

/** The jobs on this process's command line. */
export function jobsFromArgv(args: readonly string[] = process.argv.slice(2)): Job[] {
  const jobs: Job[] = []
  for (let i = 0; i < args.length; i += 3) jobs.push([args[i] as string, args[i + 1] as string, Number(args[i + 2])])
  return jobs
}

/** Measure each job in turn and print its result as one JSON line. */
export async function printEach(jobs: readonly Job[], measure: (job: Job) => Promise<unknown>): Promise<void> {
  for (const job of jobs) process.stdout.write(`${JSON.stringify(await measure(job))}\n`)
}
