#!/usr/bin/env bash
# Pack arb-tui, install the tarball into an empty prefix, and run it from there:
# --help, --version, `doctor` (which loads sql.js's WASM from the installed
# location) and `markets --demo` (offline); the bundled UI is in the package
# and, where `script` gives a pseudo-terminal, the TUI loads it (ARB_DEBUG
# says which build it uses) and draws live frames even with CI=true. Needs
# the npm registry for the dependencies, nothing else.
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm run build --silent
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball"
if tar -tzf "$work/$tarball" | grep -E '(^package/(source|test)/|\.test\.|/bench/|^package/dist/build/)'; then
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

# The UI bundle ships and is what the TUI loads from the installed package.
pkg="$prefix/lib/node_modules/arb-tui"
for f in dist/ui-bundle/render.js dist/ui-bundle/inputs.json dist/ui/render.js; do
  [ -f "$pkg/$f" ] || { echo "pack-smoke: $f missing from the installed package" >&2; exit 1; }
done
# The matcher's reader thread ships with it and reads from the installed package.
MODS="$pkg/dist/matching" node --input-type=module -e "
const { ReadAhead } = await import(process.env.MODS + '/read-ahead.js');
const { Vocabulary } = await import(process.env.MODS + '/inverted-index.js');
const { fingerprintOfMarket } = await import(process.env.MODS + '/candidate.js');
const markets = Array.from({ length: 2000 }, (_, i) => ({ venue: 'polymarket', id: 'c' + i, eventTitle: 'Final ' + (i >> 4), title: 'Will team ' + i + ' win the 2026 final?', subtitle: null, yesLabel: 'Yes', noLabel: 'No', rules: null, closeTime: 1790000000000 + i, status: 'open' }));
const reader = new ReadAhead(new Vocabulary(), { anyMachine: true });
if (reader.send(markets) !== 0) throw new Error('reading ahead is not available: ' + reader.failure);
for (let i = 0; i < 1000 && reader.answered() < markets.length; i += 1) await new Promise((ok) => setTimeout(ok, 10));
if (reader.answered() !== markets.length) throw new Error('the reader thread did not answer: ' + reader.failure);
if (reader.take(1999)?.reading.years[0] !== 2026) throw new Error('the reader thread read wrong');
// then it fingerprints the markets it was sent
for (let i = 0; i < 1000 && reader.fingerprint(1999) === undefined; i += 1) await new Promise((ok) => setTimeout(ok, 10));
if (reader.fingerprint(1999) !== fingerprintOfMarket(markets[1999])) throw new Error('the reader thread fingerprinted wrong: ' + reader.fingerprint(1999));
reader.close();
" || { echo "pack-smoke: the matcher's reader thread does not run from the installed package" >&2; exit 1; }
if command -v script >/dev/null; then
  mkfifo "$work/keys"
  script -qfec "stty cols 80 rows 24; HOME='$work/home' NO_COLOR=1 CI=true ARB_DEBUG=1 '$bin' --demo" /dev/null <"$work/keys" >"$work/tui.out" 2>&1 &
  tui=$!
  exec 3>"$work/keys"
  drawn=no
  for _ in $(seq 1 300); do
    if grep -q 'K/P' "$work/tui.out"; then drawn=yes; break; fi
    sleep 0.1
  done
  printf q >&3
  status=0
  wait "$tui" || status=$?
  exec 3>&-
  if ! grep -qF "arb-tui: UI from the bundle $pkg/dist/ui-bundle/render.js" "$work/tui.out"; then
    echo "pack-smoke: the TUI did not load the installed bundle; its output:" >&2
    tr -d '\033' <"$work/tui.out" | head -c 2000 >&2
    exit 1
  fi
  # Ink in CI mode would draw nothing until exit: the table must be there while the app runs.
  [ "$drawn" = yes ] || { echo "pack-smoke: no TUI frame within 30 s (CI=true)" >&2; exit 1; }
  [ "$status" -eq 0 ] || { echo "pack-smoke: the TUI exited with $status after q" >&2; exit 1; }
else
  echo "pack-smoke: script (util-linux) not found; TUI run skipped"
fi
echo "pack-smoke: ok (installed in $prefix)"
