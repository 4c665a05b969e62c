#!/usr/bin/env bash
# Run hypercore 9.12.0's own test suite (tape) on the hypercore the engine loads, twice: with the
# engine's page tables in place (the engine imported first, as a user's program does) and with
# memory-pager 1.5.0 (no engine): both must pass the same tests. Nothing of hypercore's is kept in
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
printf 'module.exports = require(%s)\n' "'$hypercore'" > suite/index.js
mkdir suite/lib
for f in bitfield tree-index; do printf 'module.exports = require(%s)\n' "'$hypercore/lib/$f'" > "suite/lib/$f.js"; done

cd suite
check='const c = require("./index.js")(require("random-access-memory")); c.ready(() => { const t = c.bitfield.pages.constructor.name; console.log("page table in use:", t); process.exitCode = (t === process.argv[1] ? 0 : 1) })'

echo "== with the engine's page tables (node --import @corestore/engine)"
node --import "$engine" -e "$check" PageTable
node --import "$engine" ../node_modules/tape/bin/tape 'test/*.js' > ../with-engine.tap || true
tail -n 5 ../with-engine.tap

echo "== with memory-pager 1.5.0 (no engine)"
node -e "$check" Pager
node ../node_modules/tape/bin/tape 'test/*.js' > ../stock.tap || true
tail -n 5 ../stock.tap

# hypercore 9.12.0 fails 4 assertions on Node 20 with memory-pager too ("regression: replicate without
# timeout", "seek ifAvailable multiple peers"); "chaos monkey randomized" makes a random number of them.
# The page tables pass when every test fails exactly where memory-pager's run fails.
failures() { awk '/^# /{t=$0} /^not ok/{sub(/^not ok [0-9]+ /, ""); print t " :: " $0}' "$1" | sort; }
if diff <(failures ../stock.tap) <(failures ../with-engine.tap); then
  echo "same results with the page tables as with memory-pager 1.5.0 ($(grep '^# ' ../with-engine.tap | grep -vc '^# \(tests\|pass\|fail\|ok\)') tests)"
else
  echo "the page tables change hypercore's test results (above: < memory-pager, > page tables)" >&2
  exit 1
fi
