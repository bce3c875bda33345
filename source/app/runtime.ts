/**
 * Composition root, part 3: one running arb-tui — venues, database, session,
 * pair registry, store, engine, recorder — and the actions the UI may call.
 * Both the Ink UI and the headless runner start exactly this.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppActions, ConfirmResult, ExportResult, TicketQuote, TicketResult } from './actions.js';
import type { AppContext } from './context.js';
import { createVenues, type Venues } from './venues.js';
import { UserError } from '../cli/user-error.js';
import { resolveDbPath, tradingModeConflict } from './db-path.js';
import { Retry } from './retry.js';
export { resolveDbPath } from './db-path.js';
import { DbVerdictStore, Recorder } from './recorder.js';
import type { Size } from '../domain/money.js';
import { notTradableMessage } from '../engine/detector.js';
import { Engine, type EngineEvent, type PresetPair } from '../engine/engine.js';
import { PairRegistry } from '../engine/registry.js';
import { openDatabase, type ArbDatabase } from '../persistence/database.js';
import {
  fillExportRows,
  opportunityExportRows,
  pairExportRows,
  tradeExportRows,
} from '../persistence/export-queries.js';
import { fillsCsv, opportunitiesCsv, pairsCsv, tradesCsv } from '../export/session-csv.js';
import { Store, type LogEntry, type PositionView } from '../store/store.js';
import { PLANTED_PAIRS } from '../venues/simulated/planted-pairs.js';
import { VERSION } from '../version.js';
import { createExecution, type Execution } from '../engine/execution/create-execution.js';
import { createTradingVenues, refuseUnsafeModes, type TradingVenues } from './trading.js';
import { pairKeyOf } from '../engine/execution/executor.js';
import { positionView, withMark } from '../engine/execution/views.js';

export interface RuntimeOptions {
  /** Database file; default: config db_path (a separate `-demo` file with --demo). */
  readonly dbPath?: string | undefined;
  readonly now?: () => number;
  /** Every engine event with its time, after it is recorded. */
  readonly onEvent?: (event: EngineEvent, at: number) => void;
  /** Where exports go (default: `exports/` beside the database). */
  readonly exportDir?: string;
  /** A store the UI already renders (the TUI draws before the runtime is up). */
  readonly store?: Store;
  /**
   * Every line the runtime itself logs (execution alerts and trade outcomes, reconciliation,
   * arming, exports, the kill switch), besides the store's log: headless mode prints them.
   * The engine's own log lines come as `log` events through `onEvent`.
   */
  readonly onLog?: (level: LogEntry['level'], message: string) => void;
  /** First wait before a failed start-up reconciliation is tried again (default 30 s, doubling to 5 min). */
  readonly rearmDelayMs?: number;
  /** Proposed pairs written to the database in one transaction (default PAIRS_PER_WRITE). */
  readonly pairsPerWrite?: number;
}

export interface Runtime {
  readonly engine: Engine;
  readonly store: Store;
  readonly actions: AppActions;
  readonly db: ArbDatabase;
  readonly sessionId: number;
  readonly dbPath: string;
  /** Null in monitor mode. */
  readonly execution: Execution | null;
  /** Start-up reconciliation (paper and execute): arms trading, or leaves a read-only banner. */
  arm(): Promise<void>;
  /** Stop everything and flush the database; safe to call twice. */
  close(reason?: string): Promise<void>;
}

const HALTED_KEY = 'kill_switch';

function mergeBy<T>(current: readonly T[], changed: readonly T[], key: (row: T) => string): T[] {
  const map = new Map(current.map((row) => [key(row), row]));
  for (const row of changed) map.set(key(row), row);
  return [...map.values()];
}

function demoPresets(): PresetPair[] {
  return PLANTED_PAIRS.map((p) => ({
    kalshiTicker: p.kalshiTicker,
    polymarketConditionId: p.polymarketConditionId,
    relation: p.relation,
    decidedBy: 'demo',
    note: p.note,
  }));
}

export async function startRuntime(ctx: AppContext, options: RuntimeOptions = {}): Promise<Runtime> {
  const now = options.now ?? Date.now;
  refuseUnsafeModes(ctx);
  const dbPath = resolveDbPath(ctx, options.dbPath);
  // The venues' modules load (and the demo's catalog is read) while the database opens.
  const venuesPending = createVenues(ctx, { now });
  venuesPending.catch(() => undefined);
  let db: ArbDatabase;
  const earlyWarnings: string[] = [];
  let databaseWarning = (message: string): void => {
    earlyWarnings.push(message);
  };
  try {
    await mkdir(dirname(dbPath), { recursive: true, mode: 0o700 });
    // Saving runs in the background: a failure (disk full, folder made read-only) must reach the
    // person at once, not at quit when the data since is lost. Held until the log exists.
    db = await openDatabase({ path: dbPath, now, onWarning: (message) => databaseWarning(message) });
  } catch (error) {
    await (await venuesPending.catch(() => null))?.close();
    throw error;
  }
  const conflict = tradingModeConflict(db.repos.sessions.list(), (id) => db.repos.trades.listBySession(id).length, ctx.config.mode, dbPath);
  if (conflict !== null) {
    await db.close().catch(() => undefined);
    await (await venuesPending.catch(() => null))?.close();
    throw new UserError(conflict);
  }
  let venues: Venues | null = null;
  let started: number | null = null;
  try {
    const sessionId = db.write((r) =>
      r.sessions.start({ mode: ctx.config.mode, demo: ctx.demo, appVersion: VERSION, configDigest: ctx.loaded.digest, startedAt: now() }),
    ).id;
    started = sessionId;
    await db.flushNow();
    const halted = db.repos.state.get(HALTED_KEY) === 'on';
    const session = { mode: ctx.config.mode, demo: ctx.demo, dbPath, startedAt: now(), version: VERSION, banner: null, halted };
    const store = options.store ?? new Store({ now, session });
    store.setLogLevel(ctx.config.logLevel);
    if (options.store) {
      store.update((d) => {
        d.session = session;
      });
    }
    const log = (level: LogEntry['level'], message: string): void => {
      store.log(level, message);
      // (headless applies log_level to its stderr lines itself: its NDJSON alerts are events, always written)
      options.onLog?.(level, message);
    };
    // config files the search passed over (another user's, or writable by others), then the database's notices
    for (const notice of ctx.loaded.notices) log('warn', notice);
    for (const notice of db.notices) log('warn', notice);
    databaseWarning = (message) => log('error', `database: ${message}; what happened since the last save is held in memory until a save succeeds`);
    for (const message of earlyWarnings.splice(0)) databaseWarning(message);
    // a kill switch left on by an earlier session: said at once (headless prints it on stderr)
    if (halted && ctx.config.mode !== 'monitor') {
      log('warn', `kill switch is ON (set earlier): no trade will be attempted; release it with K in the terminal UI, or with \`arb-tui kill-switch off --db ${dbPath}\` while arb-tui is not running`);
    }
    venues = await venuesPending;
    const registry = new PairRegistry(new DbVerdictStore(db, () => sessionId), now);
    const recorder = new Recorder(db, sessionId, (error) => log('error', `database: ${error.message}`), options.pairsPerWrite);
    const t = ctx.config.thresholds;
    const engine = new Engine({
      venues,
      store,
      registry,
      now,
      settings: {
        catalogIntervalMs: ctx.config.refresh.catalogIntervalMs,
        booksIntervalMs: ctx.config.refresh.booksIntervalMs,
        candidateBooksIntervalMs: ctx.config.refresh.candidateBooksIntervalMs,
        minMatchConfidence: Number(t.minMatchConfidence) / 1e6,
        minPairConfidence: Number(t.minPairConfidence) / 1e6,
        detector: {
          thresholds: {
            minNetProfit: t.minNetProfit,
            minRoi: t.minRoi,
            minAnnualizedReturn: t.minAnnualizedReturn,
            maxSizePerTrade: t.maxSizePerTrade,
            maxCapitalPerPair: t.maxCapitalPerPair,
            staleQuoteMs: t.staleQuoteMs,
          },
          kalshiFeeRounding: ctx.config.kalshi.feeRounding,
        },
        presetPairs: [
          ...ctx.config.pairs.map((p): PresetPair => ({ ...p, decidedBy: 'config' })),
          ...(ctx.demo ? demoPresets() : []),
        ],
      },
      onEvent: (event) => {
        const at = now();
        try {
          recorder.record(event, at);
        } catch (error) {
          log('error', `database: ${(error as Error).message}`);
        }
        options.onEvent?.(event, at);
      },
    });

    // Positions are marked at the best bid of the books the engine holds: when they
    // change, and on every book refresh interval.
    const marked = (p: PositionView): PositionView => withMark(p, engine.book(p.venue, p.marketId));
    let trading: TradingVenues | null = null;
    let execution: Execution | null = null;
    /** Set once `close` has begun. */
    let closing: Promise<void> | null = null;
    /** A re-detection after an execution update, pending. */
    let redetect: NodeJS.Immediate | null = null;
    // What the account can pay for moved (fills, balances, a reservation released): size the
    // opportunities to it again, once, after the executor's current step (not inside its call).
    const redetectSoon = (): void => {
      if (redetect !== null || closing) return;
      redetect = setImmediate(() => {
        redetect = null;
        engine.detectAll();
      });
    };
    try {
      trading = await createTradingVenues(ctx, engine, now, db);
    } catch (error) {
      await engine.stop();
      throw error;
    }
    if (trading) {
      const t2 = ctx.config.thresholds;
      execution = createExecution({
        db,
        sessionId,
        venues: trading,
        now,
        paper: ctx.config.mode === 'paper',
        kalshiFeeRounding: ctx.config.kalshi.feeRounding,
        books: (venue, id) => engine.book(venue, id),
        // Reconciliation runs at start-up, before the catalogs are in: a market not
        // known yet is looked up again once its venue's catalog has loaded.
        // With its details (Polymarket: the CLOB's tick and neg-risk, which its orders need).
        resolveMarket: async (venue, id) => {
          const known = await engine.detailedMarket(venue, id);
          if (known) return known;
          await engine.catalogReady(venue);
          return engine.detailedMarket(venue, id);
        },
        settings: {
          legMode: ctx.config.execution.legMode,
          unequalFills: ctx.config.execution.unequalFills,
          unwindMaxSlippage: ctx.config.execution.unwindMaxSlippage,
          pollDeadlineMs: ctx.config.execution.pollDeadlineMs,
          cooldownMs: ctx.config.execution.cooldownMs,
          maxOneLegFailuresPerPair: ctx.config.execution.maxOneLegFailures,
          circuitBreakerFailures: ctx.config.execution.circuitBreakerFailures,
          dailyLossLimit: ctx.config.execution.dailyLossLimit,
          maxTotalExposure: ctx.config.execution.maxTotalExposure,
          maxTradeNotional: ctx.config.execution.maxTradeNotional,
          maxPairNotional: t2.maxCapitalPerPair,
          maxQuoteAgeMs: t2.staleQuoteMs,
          autoExecute: ctx.config.execution.autoExecute,
        },
        // Updates carry the rows that changed: merge them by key.
        onUpdate: (u) => {
          store.update((d) => {
            d.orders = mergeBy(d.orders, u.orders, (o) => `${o.venue}|${o.id}`);
            d.fills = mergeBy(d.fills, u.fills, (f) => `${f.venue}|${f.id}`);
            d.positions = mergeBy(d.positions, u.positions.map(marked), (p) => `${p.venue}|${p.marketId}|${p.side}`).filter((p) => p.size !== 0n);
          });
          redetectSoon();
        },
        onAccountChange: () => redetectSoon(),
        onAlert: (message) => log('warn', message),
        onLog: (level, message) => log(level, message),
      });
      store.update((d) => {
        d.session = { ...d.session, banner: 'reconciling with the venues: trading not armed yet' };
      });
      // opportunities are sized to what the account can pay for, as the risk gate measures it
      const account = execution;
      engine.setAccount(() => account.accountView());
    }
    const remark = setInterval(() => {
      const positions = store.getSnapshot().positions;
      if (positions.every((p) => marked(p) === p)) return;
      store.update((d) => {
        d.positions = d.positions.map(marked);
      });
    }, ctx.config.refresh.booksIntervalMs);
    remark.unref();

    let lastBanner: string | null = null;
    const armOnce = async (): Promise<boolean> => {
      if (!execution) return true;
      try {
        const result = await execution.reconcile();
        // What became of attempts an earlier run left open ("trade 4: intent → complete"), position mismatches.
        if (result.armed) for (const note of result.notes) log(note.startsWith('position mismatch') ? 'warn' : 'info', `reconciled: ${note}`);
      } catch (error) {
        log('error', `reconciliation: ${(error as Error).message}`);
      }
      // Stopping while reconciliation waited (for a catalog, a venue): nothing more to show.
      if (closing !== null) return true;
      // Positions held from earlier sessions (the venues' own after reconciliation).
      const held = db.repos.orders.positions().filter((p) => p.size !== 0n);
      store.update((d) => {
        d.positions = mergeBy(
          d.positions,
          held.map((p) => {
            // A leg of an arbitrage pair (⇄) when a trade of ours placed it.
            const pair = db.repos.orders.tradedPairOf(p.venue, p.marketId);
            const key = pair ? pairKeyOf(pair.kalshiMarketId, pair.polymarketMarketId) : null;
            const m = engine.market(p.venue, p.marketId);
            return marked(positionView(p, m ?? null, key));
          }),
          (p) => `${p.venue}|${p.marketId}|${p.side}`,
        );
      });
      const banner = execution.armed ? null : `read-only: ${execution.readOnlyReason ?? 'reconciliation failed'}`;
      store.update((d) => {
        d.session = { ...d.session, banner };
      });
      // (reconciliation read the balances: that re-detects, sized to them, through onAccountChange)
      if (execution.armed) log('info', `trading armed (${ctx.config.mode})`);
      else if (banner !== lastBanner) log('warn', `${banner ?? 'read-only'} (trying again in ${Math.round(arming.nextDelayMs / 1000)} s)`);
      lastBanner = banner;
      return execution.armed;
    };
    // A failed reconciliation (a venue down or refusing the keys at start-up) is tried again,
    // less often each time, until trading arms or the app stops; the banner says why meanwhile.
    // `close` waits for an attempt under way (one waiting on a catalog ends when the engine stops).
    const arming = new Retry(armOnce, { firstDelayMs: options.rearmDelayMs ?? 30_000, maxDelayMs: 5 * 60_000 });
    const arm = (): Promise<void> => arming.start();

    const close = (reason = 'quit'): Promise<void> => {
      closing ??= (async () => {
        // no attempt starts from now on (not even one that arming or a confirm would start
        // while the engine stops); those under way, even one still writing its intent, end first
        const stopping = execution?.stop('the app is stopping');
        clearInterval(remark);
        if (redetect !== null) clearImmediate(redetect);
        arming.stop();
        await engine.stop();
        await arming.current?.catch(() => undefined);
        await stopping?.catch(() => undefined);
        await Promise.all(Object.values(trading ?? {}).map((v) => v.close().catch(() => undefined)));
        try {
          // pairs that could not be written are said once the session is ended
          const unwritten = await recorder.writePairs().then(
            () => null,
            (error: unknown) => error,
          );
          recorder.closeOpenEpisodes(now());
          db.write((r) => r.sessions.end(sessionId, { endedAt: now(), reason }));
          if (unwritten !== null) throw unwritten;
        } finally {
          await db.close();
          await venues?.close();
          store.close();
        }
      })();
      return closing;
    };

    const exportSession = async (): Promise<ExportResult> => {
      // the pairs proposed but not written yet, first (their markets name the rows exported)
      await recorder.writePairs();
      const dir = options.exportDir ?? join(dirname(dbPath), 'exports');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
      const ids = [sessionId];
      const files: Array<[string, string]> = [
        ['opportunities', opportunitiesCsv(opportunityExportRows(db.conn, ids), { bom: true })],
        ['trades', tradesCsv(tradeExportRows(db.conn, ids), { bom: true })],
        ['fills', fillsCsv(fillExportRows(db.conn, ids), { bom: true })],
        ['pairs', pairsCsv(pairExportRows(db.conn, ids), { bom: true })],
      ];
      const written: string[] = [];
      for (const [what, csv] of files) {
        const file = join(dir, `session-${sessionId}-${stamp}-${what}.csv`);
        await writeFile(file, csv, { encoding: 'utf8', mode: 0o600 });
        written.push(file);
      }
      log('info', `exported session ${sessionId} to ${dir}`);
      return { files: written };
    };

    const quote = (opportunityId: string, size?: Size): TicketResult => {
      const o = engine.requote(opportunityId, size);
      if ('unavailable' in o) return { kind: 'unavailable', reason: o.unavailable };
      const q: TicketQuote = { opportunityId, opportunity: o, size: o.size, quoteId: engine.quoteId(o), quotedAt: o.computedAt };
      return { kind: 'quote', quote: q };
    };

    const actions: AppActions = {
      approvePair: async (key, note) => {
        await engine.decide(key, 'approved', note ?? null);
      },
      rejectPair: async (key, note) => {
        await engine.decide(key, 'rejected', note ?? null);
      },
      quote,
      confirm: async (q): Promise<ConfirmResult> => {
        if (ctx.config.mode === 'monitor') return { kind: 'refused', reason: 'monitor mode is read only: start with --mode paper or --mode execute to trade' };
        if (store.getSnapshot().session.halted) return { kind: 'refused', reason: 'the kill switch is on (press K to release it)' };
        const fresh = quote(q.opportunityId, q.size);
        if (fresh.kind === 'unavailable') return { kind: 'requote', reason: fresh.reason, quote: null };
        // A re-fetched book with the same prices is the same quote; any change in what the
        // trader was shown (size, prices, fees, profit) asks again.
        const a = fresh.quote.opportunity;
        const b = q.opportunity;
        const moved =
          a.size !== b.size ||
          a.netProfit !== b.netProfit ||
          a.totalCost !== b.totalCost ||
          a.legs[0].worstPrice !== b.legs[0].worstPrice ||
          a.legs[1].worstPrice !== b.legs[1].worstPrice;
        if (moved) return { kind: 'requote', reason: 'the books moved since this quote', quote: fresh.quote };
        if (!fresh.quote.opportunity.tradable) {
          return { kind: 'refused', reason: notTradableMessage(fresh.quote.opportunity) };
        }
        if (!execution) return { kind: 'refused', reason: 'monitor mode is read only' };
        if (!execution.armed) return { kind: 'refused', reason: `trading is not armed: ${execution.readOnlyReason ?? 'reconciliation has not finished'}` };
        return execution.execute(fresh.quote.opportunity, fresh.quote.size, fresh.quote.quoteId);
      },
      exportSession,
      setPaused: (paused) => store.setPaused(paused),
      setHalted: async (on) => {
        await db.writeCritical((r) => {
          r.state.set(HALTED_KEY, on ? 'on' : 'off');
          r.audit.append({ actor: 'user', kind: on ? 'kill-switch-on' : 'kill-switch-off', sessionId, at: now() });
        });
        store.update((d) => {
          d.session = { ...d.session, halted: on };
        });
        log(on ? 'warn' : 'info', on ? 'kill switch ON: no new trade attempts' : 'kill switch released');
      },
      quit: () => close('quit'),
    };
    return { engine, store, actions, db, sessionId, dbPath, execution, arm, close };
  } catch (error) {
    await (venues ?? (await venuesPending.catch(() => null)))?.close();
    // A session that never got going (execute mode without keys, …) is ended, not left "running/crashed".
    if (started !== null) {
      const id = started;
      try {
        db.write((r) => r.sessions.end(id, { endedAt: now(), reason: 'start-up failed' }));
      } catch {
        // the database itself may be what failed
      }
    }
    await db.close().catch(() => undefined);
    throw error;
  }
}
