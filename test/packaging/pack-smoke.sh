#!/usr/bin/env bash
# Pack arb-tui, install the tarball into an empty prefix, and run it from there:
# --help, --version, `doctor` (which loads sql.js's WASM from the installed
# location) and `markets --demo` (offline). Needs the npm registry for the
# dependencies, nothing else.
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm run build --silent
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball"
if tar -tzf "$work/$tarball" | grep -E '(^package/(source|test)/|\.test\.|/bench/)'; then
  echo "pack-smoke: the tarball contains files that should not ship" >&2
  exit 1
fi
prefix="$work/prefix"
mkdir -p "$prefix"
npm install --global --prefix "$prefix" --no-audit --no-fund --ignore-scripts "$work/$tarball" >/dev/null
bin="$prefix/bin/arb-tui"
cd "$work" # an unrelated directory: nothing may resolve from the checkout
"$bin" --help | grep -q 'arb-tui markets'
"$bin" --version | grep -qE '^[0-9]+\.[0-9]+\.[0-9]+'
"$bin" doctor | grep -q 'sql.js: ok'
"$bin" markets --venue polymarket --demo --limit 3 --json | grep -q '"best_yes_ask"'
echo "pack-smoke: ok (installed in $prefix)"
