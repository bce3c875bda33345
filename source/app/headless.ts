/**
 * `arb-tui --headless`: the same engine without Ink. One JSON object per line
 * on stdout for each engine event (venue status, pairs, opportunities with
 * every figure as decimal strings); human log lines on stderr. Stops cleanly
 * on SIGINT, SIGTERM or SIGHUP after flushing the database.
 *
 * `--once`: one full cycle (catalogs, match, books, detect), then one line per
 * opportunity found (`"type":"opportunity"`) and a summary line, and exit. A stop
 * signal during the cycle ends it at once (the requests under way are aborted):
 * the database is flushed, the session ends with the signal as its reason,
 * nothing is printed on stdout, and the exit code is 128 + the signal's number.
 */
import type { AppContext } from './context.js';
import { startRuntime } from './runtime.js';
import type { Opportunity } from '../engine/detector.js';
import { eventJson, opportunityJson } from '../engine/serialize.js';
import { logLevelShown, type LogEntry } from '../store/store.js';
import { BROKEN_PIPE_EXIT_CODE, interruptedExitCode } from './stop-signal.js';
export { processStopSignal } from './stop-signal.js';

/** How long a stopped `--once` cycle may take to unwind (a retry's pause is not cut short) before the database closes anyway. */
const UNWIND_MS = 1_000;

export interface HeadlessIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM, SIGHUP); injected by tests. */
  readonly stopSignal: Promise<string>;
  readonly now?: () => number;
}

export interface HeadlessOptions {
  readonly once: boolean;
  readonly dbPath?: string | undefined;
}

export async function runHeadless(ctx: AppContext, options: HeadlessOptions, io: HeadlessIo): Promise<number> {
  const now = io.now ?? Date.now;
  const line = (obj: unknown): void => io.stdout(`${JSON.stringify(obj)}\n`);
  let auto: ((event: import('../engine/engine.js').EngineEvent) => void) | null = null;
  let armed: (() => void) | null = null;
  /** A log line on stderr, at or above log_level (the engine's lines and the runtime's own). */
  const printLog = (level: LogEntry['level'], message: string): void => {
    if (logLevelShown(level, ctx.config.logLevel)) io.stderr(`arb-tui: [${level}] ${message}\n`);
  };
  const runtime = await startRuntime(ctx, {
    dbPath: options.dbPath,
    now,
    onEvent: (event, at) => {
      auto?.(event);
      if (event.type === 'log') {
        printLog(event.entry.level, event.entry.message);
        return;
      }
      if (!options.once) line(eventJson(event, at));
    },
    // The runtime's own lines: trade outcomes, execution alerts (a leg not hedged, an order
    // still unknown, the circuit breaker), reconciliation and arming. Warnings and errors are
    // also NDJSON `alert` lines, so that a script reading stdout sees them.
    onLog: (level, message) => {
      printLog(level, message);
      if (level !== 'info' && !options.once) line({ type: 'alert', at: new Date(now()).toISOString(), level, message });
    },
  });
  io.stderr(
    `arb-tui: headless ${ctx.config.mode} on ${ctx.demo ? 'simulated venues' : 'live venues'}, session ${runtime.sessionId}, database ${runtime.dbPath}\n`,
  );
  if (options.once) {
    try {
      const cycle = runtime.engine.runOnce();
      const outcome = await Promise.race([cycle.then((found) => ({ found })), io.stopSignal.then((signal) => ({ signal }))]);
      if ('signal' in outcome) {
        // Stopped before the cycle ended (a venue slow or not answering): stop the engine (it
        // aborts the requests under way), let the cycle unwind, flush and end the session.
        const { signal } = outcome;
        io.stderr(`arb-tui: ${signal}: stopping before the cycle finished, flushing the database\n`);
        await runtime.engine.stop();
        let unwind: NodeJS.Timeout | undefined;
        await Promise.race([
          cycle.catch(() => undefined),
          new Promise<void>((resolve) => {
            unwind = setTimeout(resolve, UNWIND_MS);
          }),
        ]);
        clearTimeout(unwind);
        await runtime.close(signal);
        io.stderr('arb-tui: stopped\n');
        return interruptedExitCode(signal);
      }
      const { found } = outcome;
      const sorted = [...found].sort((a, b) => (a.netProfit > b.netProfit ? -1 : a.netProfit < b.netProfit ? 1 : 0));
      for (const o of sorted) line({ type: 'opportunity', at: new Date(now()).toISOString(), ...opportunityJson(o) });
      runtime.store.flush();
      const venues = runtime.store.getSnapshot().venues;
      line({
        type: 'summary',
        at: new Date(now()).toISOString(),
        session: runtime.sessionId,
        markets: { kalshi: venues.kalshi.marketCount, polymarket: venues.polymarket.marketCount },
        venues: { kalshi: venues.kalshi.state, polymarket: venues.polymarket.state },
        pairs: runtime.store.getSnapshot().pairs.length,
        approved_pairs: runtime.store.getSnapshot().pairs.filter((p) => p.status === 'approved').length,
        opportunities: found.length,
        tradable: found.filter((o) => o.tradable).length,
      });
      const failed = (['kalshi', 'polymarket'] as const).filter((v) => venues[v].state !== 'live');
      await runtime.close('once');
      // Both venues unreachable: nothing was checked, say so with the exit code.
      return failed.length === 2 ? 1 : 0;
    } catch (error) {
      await runtime.close('error');
      throw error;
    }
  }
  const execution = runtime.execution;
  if (execution && ctx.config.execution.autoExecute) {
    io.stderr(`arb-tui: auto-execution is ON (${ctx.config.mode}): tradable opportunities are executed without a keypress, within every risk limit\n`);
    const consider = (o: Opportunity): void => {
      if (!o.tradable || !execution.armed) return;
      void execution.autoExecute(o, runtime.engine.quoteId(o)).then(
        (result) => {
          line({ type: 'auto-execute', at: new Date(now()).toISOString(), opportunity: o.id, result: result.kind, ...('reason' in result ? { reason: result.reason } : {}) });
        },
        // a failure outside the attempt (the database gone while stopping): said, not an unhandled rejection
        (error: unknown) => {
          line({ type: 'auto-execute', at: new Date(now()).toISOString(), opportunity: o.id, result: 'error', reason: error instanceof Error ? error.message : String(error) });
        },
      );
    };
    auto = (event) => {
      if (event.type === 'opportunity-opened' || event.type === 'opportunity-updated') consider(event.opportunity);
    };
    // Opportunities that opened while reconciliation ran are considered once trading arms.
    armed = () => {
      for (const o of runtime.engine.openOpportunities()) consider(o);
    };
  }
  runtime.engine.start();
  // Reconciliation may wait for the catalogs (a trade of an earlier run names its markets):
  // it runs beside the engine, and trading arms when it is done (auto-execution checks `armed`).
  void runtime.arm().then(() => armed?.());
  const signal = await io.stopSignal;
  io.stderr(`arb-tui: ${signal}: stopping, flushing the database\n`);
  await runtime.close(signal);
  io.stderr('arb-tui: stopped\n');
  // stopped because the reader of stdout went away: not a run that ended as asked
  return signal === 'SIGPIPE' ? BROKEN_PIPE_EXIT_CODE : 0;
}
