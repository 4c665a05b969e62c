#!/usr/bin/env bash
# Run hypercore 9.12.0's own test suite (tape) on the hypercore the engine loads, three times: with
# the engine's page tables in place (the engine imported first, as a user's program does), with every
# core made by the engine's createHypercore (as a store makes them), and with memory-pager 1.5.0 (no
# engine): all must pass the same tests. Nothing of hypercore's is kept in
# this repository: its tests come from the registry tarball into a temporary folder.
#
#   bash tests-e2e/hypercore-suite/run.sh        (after pnpm build; needs the npm registry)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
engine="$root/packages/engine/dist/index.js"
[ -f "$engine" ] || { echo "build first: pnpm build" >&2; exit 1; }
hypercore=$(cd "$root/packages/engine" && node -p "require('path').dirname(require.resolve('hypercore/package.json'))")
work=$(mktemp -d /tmp/hypercore-suite-XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

cd "$work"
npm pack hypercore@9.12.0 --silent >/dev/null
tar xzf hypercore-9.12.0.tgz
mkdir suite
cp -r package/test suite/test

# The tests' own dependencies (hypercore's devDependencies, and what they require of its dependencies),
# with noise-protocol held at 3.0.1 as the engine holds it for hypercore-protocol 8.
cat > package.json <<'JSON'
{
  "private": true,
  "dependencies": {
    "tape": "^4.6.3",
    "random-access-memory": "^3.1.0",
    "stream-collector": "^1.0.1",
    "buffer-from": "^1.1.1",
    "buffer-alloc-unsafe": "^1.1.0",
    "hypercore-protocol": "8.0.7",
    "hypercore-crypto": "^2.0.0",
    "flat-tree": "^1.6.0"
  },
  "overrides": { "noise-protocol": "3.0.1" }
}
JSON
npm install --silent --no-audit --no-fund >/dev/null

# `require('../')`, `require('../..')` and `require('../lib/…')` in the tests reach the engine's hypercore.
# With ENGINE_CORES set (the third pass), `hypercore(…)` makes its cores with the engine's
# createHypercore, as a store does: promise forms, and a new core's first puts one at a time.
cat > suite/index.js <<JS
const hypercore = require('$hypercore')
const create = process.env.ENGINE_CORES ? globalThis.createEngineHypercore : null
if (process.env.ENGINE_CORES && !create) throw new Error('run with --import ../engine-cores.mjs')
function engineHypercore(storage, key, opts) { return create(storage, key, opts) }
engineHypercore.prototype = hypercore.prototype
module.exports = create ? Object.assign(engineHypercore, hypercore) : hypercore
JS
printf 'import { createHypercore } from %s\nglobalThis.createEngineHypercore = createHypercore\n' "'$engine'" > engine-cores.mjs
mkdir suite/lib
for f in bitfield tree-index; do printf 'module.exports = require(%s)\n' "'$hypercore/lib/$f'" > "suite/lib/$f.js"; done

cd suite
check='const c = require("./index.js")(require("random-access-memory")); c.ready(() => { const t = c.bitfield.pages.constructor.name; console.log("page table in use:", t); process.exitCode = (t === process.argv[1] ? 0 : 1) })'

echo "== with the engine's page tables (node --import @corestore/engine)"
node --import "$engine" -e "$check" PageTable
node --import "$engine" ../node_modules/tape/bin/tape 'test/*.js' > ../with-engine.tap || true
tail -n 5 ../with-engine.tap

echo "== every core made by the engine's createHypercore"
ENGINE_CORES=1 node --import ../engine-cores.mjs ../node_modules/tape/bin/tape 'test/*.js' > ../engine-cores.tap || true
tail -n 5 ../engine-cores.tap

echo "== with memory-pager 1.5.0 (no engine)"
node -e "$check" Pager
node ../node_modules/tape/bin/tape 'test/*.js' > ../stock.tap || true
tail -n 5 ../stock.tap

# hypercore 9.12.0 fails 4 assertions on Node 20 with memory-pager too ("regression: replicate without
# timeout", "seek ifAvailable multiple peers"); "chaos monkey randomized" makes a random number of them.
# The page tables pass when every test fails exactly where memory-pager's run fails.
failures() { awk '/^# /{t=$0} /^not ok/{sub(/^not ok [0-9]+ /, ""); print t " :: " $0}' "$1" | sort; }
tests() { grep '^# ' "$1" | grep -vc '^# \(tests\|pass\|fail\|ok\)'; }
if ! diff <(failures ../stock.tap) <(failures ../with-engine.tap); then
  echo "the page tables change hypercore's test results (above: < memory-pager, > page tables)" >&2
  exit 1
fi
echo "same results with the page tables as with memory-pager 1.5.0 ($(tests ../with-engine.tap) tests)"
if ! diff <(failures ../stock.tap) <(failures ../engine-cores.tap); then
  echo "the engine's cores change hypercore's test results (above: < memory-pager, > createHypercore)" >&2
  exit 1
fi
echo "same results with every core made by createHypercore ($(tests ../engine-cores.tap) tests)"
