/**
 * `npm run bench [-- GROUP...]`: prints the figures the issues ask for.
 * Groups: parsing (issue 2), persistence (issue 3), matching (issue 4), engine (issue 5), ui (issue 6), signing and execution (issue 7). Benchmarks print; they never fail on a time.
 */
import { arch, cpus, totalmem } from 'node:os';
import { runParsingBenchmarks } from './parsing.js';
import { runPersistenceBenchmarks } from './persistence.js';
import { runEngineBenchmarks } from './engine.js';
import { runSigningBenchmarks } from './signing.js';
import { runMatchingBenchmarks } from './matching.js';
import { runUiBenchmarks } from './ui.js';
import { runTuiProcessBenchmarks } from './tui-process.js';
import { runExecutionBenchmarks } from './execution.js';
import { NO_TUNING_ENV, tuneV8, V8_FLAGS } from '../lib/v8-tuning.js';

// The app sets these V8 flags for itself at start-up (source/cli.ts); so do the benchmarks, to measure
// what a user runs. ARB_NO_V8_TUNING=1 leaves them out, here and in the app the tui-process group starts.
const tuned = tuneV8();

const groups: Record<string, () => Promise<string[]>> = {
  parsing: runParsingBenchmarks,
  persistence: runPersistenceBenchmarks,
  matching: runMatchingBenchmarks,
  engine: runEngineBenchmarks,
  ui: runUiBenchmarks,
  'tui-process': runTuiProcessBenchmarks,
  signing: runSigningBenchmarks,
  execution: runExecutionBenchmarks,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((g) => !(g in groups));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark group(s): ${unknown.join(', ')}; groups: ${Object.keys(groups).join(', ')}\n`);
  process.exit(2);
}

const cpu = cpus();
process.stdout.write(
  `arb-tui benchmarks — Node ${process.version} ${arch()}, ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB\n`,
);
// The app runs with Node's default heap settings (`npx arb-tui` passes no V8 flags): figures taken
// with other heap flags (a larger young generation speeds up the engine and the matcher by 10–30%)
// are not what a user gets, and the report says so.
const heapFlags = process.execArgv.filter((a) => /^--(max|min)-(semi|old|young)|^--max-heap/.test(a));
process.stdout.write(
  heapFlags.length === 0
    ? 'V8 heap: Node defaults, as the app runs\n'
    : `V8 heap flags ${heapFlags.join(' ')}: NOT how the app runs (it passes none); figures may differ from the app's\n`,
);
process.stdout.write(
  tuned
    ? `V8 flags the app sets for itself: ${V8_FLAGS.join(' ')} (set here too)\n`
    : `V8 flags the app sets for itself: ${V8_FLAGS.join(' ')}: NOT set (${NO_TUNING_ENV}=1), here nor in the app runs\n`,
);
for (const [name, run] of Object.entries(groups)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stdout.write(`\n## ${name}\n`);
  for (const line of await run()) process.stdout.write(`${line}\n`);
}
