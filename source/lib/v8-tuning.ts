/**
 * V8 settings the app makes for itself at start-up: `npx arb-tui` cannot pass
 * flags to node, so the one that pays is set through `v8.setFlagsFromString`
 * before any work is done. It changes a garbage-collection heuristic only, never
 * what the program computes.
 *
 * `--no-allocation-site-pretenuring`: V8 tags objects made by object and array
 * literals with a memento naming the place that made them, and every
 * young-generation collection looks each surviving object's memento up to
 * decide whether that place should allocate straight into the old generation.
 * Fresh order books (a literal per level, arrays per ladder, all alive until
 * the next refresh) are exactly such survivors, and in a process as large as
 * the app the lookups made each collection 3–4 times slower (measured: 8–10 ms
 * instead of 2–3 ms each, the collections' share of the detector's time 11–21%
 * instead of 6–9%; matching 100k × 200k markets was 5–10% faster too). V8
 * never decided to pretenure these places anyway: it only paid for asking.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

export const V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];

/** Set to 1 to leave V8's defaults alone (to compare, or to rule the flags out when chasing a problem). */
export const NO_TUNING_ENV = 'ARB_NO_V8_TUNING';

/** Sets `V8_FLAGS` (idempotent), unless `ARB_NO_V8_TUNING=1`; whether it did. */
export function tuneV8(env: NodeJS.ProcessEnv = process.env, set: (flags: string) => void = setFlagsFromString): boolean {
  if (env[NO_TUNING_ENV] === '1') return false;
  for (const flag of V8_FLAGS) set(flag);
  return true;
}

/**
 * Run `work` with young-generation collections made by the main thread alone
 * (`--no-parallel-scavenge`), then turn parallel collections back on: for a
 * large matcher refresh read ahead on a worker thread, on a machine of two
 * cores. There, V8's helper threads that share each collection wait for a
 * core the worker and the main thread are using, and the main thread waits
 * for them: the full match of 100k × 200k synthetic markets took 4% less time
 * and 5–10% less CPU with the collections on the main thread (interleaved
 * runs). Left on everywhere else: the detector's collections of fresh books
 * took 7% of its time with parallel collections and 12% without.
 *
 * Nothing is changed with `ARB_NO_V8_TUNING=1`, on more than two cores, or when
 * node was started with a parallel-scavenge flag of its own (which stays as
 * given). Never changes what is computed.
 */
export function scavengingAlone<T>(work: () => T, options: ScavengeOptions = {}): T {
  const env = options.env ?? process.env;
  const cores = options.cores ?? availableParallelism();
  const given = [...(options.execArgv ?? process.execArgv), env.NODE_OPTIONS ?? ''].some((a) => /parallel[-_]scavenge/.test(a));
  if (env[NO_TUNING_ENV] === '1' || cores > 2 || given || scavengingAloneDepth > 0) return work();
  const set = options.set ?? setFlagsFromString;
  set('--no-parallel-scavenge');
  scavengingAloneDepth += 1;
  try {
    return work();
  } finally {
    scavengingAloneDepth -= 1;
    set('--parallel-scavenge');
  }
}

/** What `scavengingAlone` reads (the process's, by default; tests give their own). */
export interface ScavengeOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cores?: number;
  readonly execArgv?: readonly string[];
  readonly set?: (flags: string) => void;
}

let scavengingAloneDepth = 0;
