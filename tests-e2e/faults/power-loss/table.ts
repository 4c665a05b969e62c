import type { Cell, Tally } from './runner.ts'

const COLUMNS = [
  'model',
  'mode',
  'ops',
  'trials',
  'trials failing',
  'stores failing to open',
  'cores failing to open',
  'blocks read back wrong',
  'writable cores that cannot append',
  'acked appends lost: trials / blocks',
  'master keys replaced',
  'scenario errors',
] as const

/** One scenario's rows as a Markdown table, then its `examples` most frequent kinds of failure with an example each. */
export function table(rows: readonly (readonly [Cell, Tally])[], examples = 4): string {
  const lines = [
    `| ${COLUMNS.join(' | ')} |`,
    `| ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...rows.map(([cell, t]) => {
      const cells = [
        cell.model,
        cell.durable ? 'durable' : 'non-durable',
        t.operations,
        t.trials,
        t.failedTrials,
        t.storesFailed,
        t.coresFailed,
        t.wrongBlocks,
        t.cannotAppend,
        `${t.ackLossTrials} / ${t.ackLostBlocks}`,
        t.keysReplaced,
        t.errors,
      ]
      return `| ${cells.join(' | ')} |`
    }),
  ]
  const kinds = new Map<string, { count: number; example: string }>()
  for (const [cell, t] of rows) {
    for (const [kind, seen] of t.examples) {
      const known = kinds.get(kind)
      if (known) known.count += seen.count
      else
        kinds.set(kind, {
          count: seen.count,
          example: `${cell.model}, ${cell.durable ? 'durable' : 'non-durable'}: ${seen.example}`,
        })
    }
  }
  const top = [...kinds.values()].sort((a, b) => b.count - a.count).slice(0, examples)
  if (top.length) lines.push('', ...top.map((k) => `- ${k.count}× ${k.example}`))
  return lines.join('\n')
}
