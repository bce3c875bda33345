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
import { DbVerdictStore, Recorder } from './recorder.js';
import type { Size } from '../domain/money.js';
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
import { Store } from '../store/store.js';
import { PLANTED_PAIRS } from '../venues/simulated/planted-pairs.js';
import { VERSION } from '../version.js';

export interface RuntimeOptions {
  /** Database file; default: config db_path (a separate `-demo` file with --demo). */
  readonly dbPath?: string | undefined;
  readonly now?: () => number;
  /** Every engine event with its time, after it is recorded. */
  readonly onEvent?: (event: EngineEvent, at: number) => void;
  /** Where exports go (default: `exports/` beside the database). */
  readonly exportDir?: string;
}

export interface Runtime {
  readonly engine: Engine;
  readonly store: Store;
  readonly actions: AppActions;
  readonly db: ArbDatabase;
  readonly sessionId: number;
  readonly dbPath: string;
  /** Stop everything and flush the database; safe to call twice. */
  close(reason?: string): Promise<void>;
}

const HALTED_KEY = 'kill_switch';

/** The database file for this run: --db, else config; demo runs keep their own file. */
export function resolveDbPath(ctx: AppContext, override?: string): string {
  if (override) return override;
  if (!ctx.demo) return ctx.config.dbPath;
  const base = ctx.config.dbPath.replace(/\.sqlite$/, '');
  return `${base}-demo.sqlite`;
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
  const dbPath = resolveDbPath(ctx, options.dbPath);
  await mkdir(dirname(dbPath), { recursive: true, mode: 0o700 });
  const db = await openDatabase({ path: dbPath, now });
  let venues: Venues | null = null;
  try {
    const sessionId = db.write((r) =>
      r.sessions.start({ mode: ctx.config.mode, demo: ctx.demo, appVersion: VERSION, configDigest: ctx.loaded.digest, startedAt: now() }),
    ).id;
    await db.flushNow();
    const halted = db.repos.state.get(HALTED_KEY) === 'on';
    const store = new Store({
      now,
      session: { mode: ctx.config.mode, demo: ctx.demo, dbPath, startedAt: now(), version: VERSION, banner: null, halted },
    });
    for (const notice of db.notices) store.log('warn', notice);
    venues = createVenues(ctx, { now });
    const registry = new PairRegistry(new DbVerdictStore(db, () => sessionId), now);
    const recorder = new Recorder(db, sessionId);
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
          store.log('error', `database: ${(error as Error).message}`);
        }
        options.onEvent?.(event, at);
      },
    });

    let closing: Promise<void> | null = null;
    const close = (reason = 'quit'): Promise<void> => {
      closing ??= (async () => {
        await engine.stop();
        try {
          recorder.closeOpenEpisodes(now());
          db.write((r) => r.sessions.end(sessionId, { endedAt: now(), reason }));
        } finally {
          await db.close();
          await venues?.close();
          store.close();
        }
      })();
      return closing;
    };

    const exportSession = async (): Promise<ExportResult> => {
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
      store.log('info', `exported session ${sessionId} to ${dir}`);
      return { files: written };
    };

    const quote = (opportunityId: string, size?: Size): TicketResult => {
      const o = engine.requote(opportunityId, size);
      if (!o) return { kind: 'unavailable', reason: 'this opportunity is gone (the books moved)' };
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
        if (fresh.quote.quoteId !== q.quoteId || fresh.quote.opportunity.netProfit !== q.opportunity.netProfit) {
          return { kind: 'requote', reason: 'the books changed since this quote', quote: fresh.quote };
        }
        if (!fresh.quote.opportunity.tradable) {
          return { kind: 'refused', reason: `not tradable: ${fresh.quote.opportunity.notTradable.join(', ')}` };
        }
        return { kind: 'refused', reason: 'order execution is not available in this version yet' };
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
        store.log(on ? 'warn' : 'info', on ? 'kill switch ON: no new trade attempts' : 'kill switch released');
      },
      quit: () => close('quit'),
    };
    return { engine, store, actions, db, sessionId, dbPath, close };
  } catch (error) {
    await venues?.close();
    await db.close();
    throw error;
  }
}
