// Docs that cannot rot: every ```ts / ```typescript / ```js / ```javascript block (and ```mts,
// ```cts, ```mjs, ```cjs) of README.md, docs/*.md and packages/*/README.md is a program that is
// type-checked and, unless it is a fragment, run.
//
// - A block is a whole program by default. It is type-checked with the workspace's settings
//   (tsconfig.base.json: strict, NodeNext; a `js` block with checkJs, as CommonJS when it calls
//   `require()` and imports nothing), then run in a fresh folder of its own (so `./my-store` is a new
//   store) with `node --conditions=source --import tsx`. It must exit by itself, with code 0, within
//   20 s, and without a Node warning (`(node:pid) …`) on standard error.
// - A fragment is marked by an HTML comment on the line before the fence (blank lines allowed),
//   which GitHub does not show: `<!-- fragment: why it cannot run -->`. It is type-checked, never
//   run. The harness gives it no context of its own: whatever it uses and does not define is declared
//   in the comment, on the lines after the first. A line `...` there says where the block goes
//   (otherwise after the context), so a block can be a class's methods too:
//       <!-- fragment: store is a ready Corestore
//       import type { Corestore } from '@corestore/core'
//       declare const store: Corestore
//       -->
//   There is no way to skip the type-check: a fragment whose context cannot be declared is not an
//   example of this API.
//
// Each test is named after the Markdown file and the line of the block's opening fence, and each
// compiler error is reported at the Markdown line it is on. Examples stay on 127.0.0.1: a network
// example starts a local testnet (hyperdht/testnet) itself; one on the public DHT is a fragment.
import assert from 'node:assert/strict'
import { rm } from 'node:fs/promises'
import { after, before, describe, test } from 'node:test'
import {
  type Block,
  docFiles,
  nameOf,
  parseBlocks,
  type Ran,
  readBlocks,
  runBlock,
  sourceOf,
  type TypeCheck,
  typeCheck,
  type Workspace,
  writeWorkspace,
} from '../helpers/docs.ts'

/** How long an example may take before it counts as one that never exits. */
const EXIT_WITHIN = 20_000

const blocks = (await Promise.all((await docFiles()).map(readBlocks))).flat()

let workspace: Workspace
let checked: TypeCheck

before(async () => {
  workspace = await writeWorkspace(blocks)
  checked = typeCheck(workspace, blocks)
})

after(async () => {
  if (workspace) await rm(workspace.dir, { recursive: true, force: true })
})

test('the docs have code blocks, and the compiler reports nothing outside them', () => {
  assert.ok(blocks.length > 0, 'no ```ts or ```js block found in the docs')
  assert.deepEqual(checked.elsewhere, [])
})

for (const block of blocks) {
  const fragment = block.fragment ? ` (a fragment${block.fragment.reason ? `: ${block.fragment.reason}` : ''})` : ''
  test(`${nameOf(block)} type-checks${fragment}`, () => {
    const errors = checked.byBlock.get(nameOf(block)) ?? []
    const told = errors.map((e) => `${e.where}: ${e.code}: ${e.message}`).join('\n')
    assert.equal(errors.length, 0, `${told}\n--- as checked, with the Markdown's line numbers\n${listing(block)}`)
  })
}

for (const block of blocks.filter((b) => !b.fragment)) {
  test(`${nameOf(block)} runs and exits by itself`, async () => {
    const ran = await runBlock(workspace, block, EXIT_WITHIN)
    assert.ok(!ran.timedOut, `still running after ${EXIT_WITHIN / 1000} s: is something left open?\n${told(ran)}`)
    assert.equal(ran.code, 0, told(ran))
    assert.doesNotMatch(ran.stderr, /^\(node:\d+\) /m, `a Node warning\n${told(ran)}`)
  })
}

function told(ran: Ran): string {
  return `exit ${ran.code ?? 'killed'}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`
}

/** The program as written, each line with its Markdown line number. */
function listing(block: Block): string {
  return sourceOf(block)
    .map((l) => `${String(l.at).padStart(4)} | ${l.text}`)
    .join('\n')
}

describe('how the docs test reads Markdown', () => {
  const md = [
    'Text.', //                                 1
    '```sh', //                                 2
    '```ts', //                                 3 (inside a shell block: not a fence)
    '```', //                                   4
    '- in a list:', //                          5
    '  ```ts', //                               6
    '  const a = 1', //                         7
    '  ```', //                                 8
    '<!-- fragment: a method of a class', //    9
    "import { x } from 'y'", //                10
    'class C {', //                            11
    '...', //                                  12
    '}', //                                    13
    '-->', //                                  14
    '', //                                     15
    '```js', //                                16
    'm() {}', //                               17
    '```', //                                  18
    '<!-- not a fragment -->', //              19
    '````javascript', //                       20
    "const x = require('x')", //               21
    '````', //                                 22
    '<!-- fragment -->', //                    23
    '```typescript', //                        24
    'x', //                                    25
    '```', //                                  26
  ].join('\n')
  const [indented, method, commonjs, bare] = parseBlocks('x.md', md)

  test('only code fences are blocks: not a fence inside another, nor a shell block; an indented one is', () => {
    assert.deepEqual(
      parseBlocks('x.md', md).map((b) => [b.line, b.ext]),
      [
        [6, '.ts'],
        [16, '.mjs'],
        [20, '.cjs'],
        [24, '.ts'],
      ],
    )
    assert.deepEqual(indented?.code, [{ text: 'const a = 1', at: 7 }])
    assert.equal(indented?.fragment, null)
    assert.equal(commonjs?.fragment, null)
  })

  test('a fragment is its context around the block, each line with its place in the Markdown', () => {
    assert.equal(method?.fragment?.reason, 'a method of a class')
    assert.deepEqual(
      sourceOf(method as Block).map((l) => [l.at, l.text]),
      [
        [10, "import { x } from 'y'"],
        [11, 'class C {'],
        [17, 'm() {}'],
        [13, '}'],
      ],
    )
    assert.deepEqual(bare?.fragment, { reason: '', before: [], after: [] })
  })
})
