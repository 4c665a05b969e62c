import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Figure, judge } from '../bench/baseline.ts'

const fig = (median: number, spread: number, bare = false): Figure => ({
  median,
  min: median - spread,
  max: median + spread,
  bare,
})

test('--compare marks a figure of ours that moved apart from its runs and beyond what the machine moved bare code by', () => {
  const base = {
    figures: {
      'get-hit 2000000 bare get({ key })': fig(0.08, 0.002, true),
      'get-hit 2000000 ours get({ key })': fig(0.08, 0.002),
      'get-hit 2000000 ours default()': fig(0.09, 0.002),
      'close 500 ours ms': fig(40, 2),
      'memory 200 ours RSS KiB/core': fig(30, 0.5),
    },
  }
  const now = new Map<string, Figure>([
    // The machine ran 12 % faster: bare code moved by 0.88x.
    ['get-hit 2000000 bare get({ key })', fig(0.0704, 0.001, true)],
    // Ours moved with it: within the band, not marked although the ranges do not overlap.
    ['get-hit 2000000 ours get({ key })', fig(0.069, 0.001)],
    // Ours slowed while the machine sped up: a regression.
    ['get-hit 2000000 ours default()', fig(0.12, 0.002)],
    // Overlapping runs: never marked.
    ['close 500 ours ms', fig(41, 3)],
    // Not a time: the ranges alone decide.
    ['memory 200 ours RSS KiB/core', fig(33, 0.5)],
  ])
  const { judged } = judge(base, now)
  const verdicts = Object.fromEntries(judged.map((j) => [j.name, j.verdict]))
  assert.deepEqual(verdicts, {
    'get-hit 2000000 bare get({ key })': 'lower',
    'get-hit 2000000 ours get({ key })': '',
    'get-hit 2000000 ours default()': 'higher',
    'close 500 ours ms': '',
    'memory 200 ours RSS KiB/core': 'higher',
  })
})
