/**
 * `arb-tui sessions [--json]`: past sessions with their counts (opportunities,
 * trades, P&L the trades locked in). Reads the database read-only.
 */
import { formatDecimal, formatUsd } from '../domain/money.js';
import { openDatabase } from '../persistence/database.js';
import { isPersistenceError } from '../persistence/errors.js';
import type { SessionSummary } from '../persistence/repositories/sessions.js';
import { renderTable } from './text-table.js';

export interface SessionsArgs {
  readonly dbPath: string;
  readonly json: boolean;
  /** Said after "No sessions recorded yet." (e.g. where the demo's sessions are). */
  readonly emptyHint?: string | null;
  /**
   * The file was named with --db: a missing one is an error (a mistyped path must not look
   * like an empty history); the default database missing just means nothing was recorded yet.
   */
  readonly named?: boolean;
}

export async function readSessionSummaries(dbPath: string, options: { readonly named?: boolean } = {}): Promise<SessionSummary[]> {
  let db;
  try {
    db = await openDatabase({ path: dbPath, readOnly: true });
  } catch (error) {
    if (isPersistenceError(error) && error.code === 'not-found' && options.named !== true) return [];
    throw error;
  }
  try {
    return db.repos.sessions.summaries();
  } finally {
    await db.close();
  }
}

function iso(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function renderSessions(rows: readonly SessionSummary[]): string {
  if (rows.length === 0) return 'No sessions recorded yet.';
  return renderTable(
    [
      { header: 'ID', width: 5, align: 'right' },
      { header: 'STARTED (UTC)', width: 20 },
      { header: 'ENDED (UTC)', width: 20 },
      { header: 'MODE', width: 8 },
      { header: 'OPPS', width: 7, align: 'right' },
      { header: 'TRADES', width: 6, align: 'right' },
      { header: 'LOCKED-IN P&L', width: 14, align: 'right' },
    ],
    rows.map((s) => [
      String(s.id),
      iso(s.startedAt),
      s.endedAt === null ? '(running/crashed)' : iso(s.endedAt),
      s.demo ? `${s.mode}*` : s.mode,
      String(s.opportunities),
      String(s.trades),
      `${formatUsd(s.realisedPnl)}${s.tradesPending > 0 ? ` (+${s.tradesPending}?)` : ''}`,
    ]),
  );
}

export function sessionsJson(rows: readonly SessionSummary[]): string {
  return JSON.stringify(
    rows.map((s) => ({
      id: s.id,
      startedAt: iso(s.startedAt),
      endedAt: s.endedAt === null ? null : iso(s.endedAt),
      mode: s.mode,
      demo: s.demo,
      appVersion: s.appVersion,
      configDigest: s.configDigest,
      endReason: s.endReason,
      opportunities: s.opportunities,
      trades: s.trades,
      tradesPendingPnl: s.tradesPending,
      lockedInPnl: formatDecimal(s.realisedPnl, { minDp: 2 }),
    })),
    null,
    2,
  );
}

export async function runSessions(args: SessionsArgs, io: { stdout(text: string): void }): Promise<void> {
  const rows = await readSessionSummaries(args.dbPath, { named: args.named === true });
  if (args.json) {
    io.stdout(`${sessionsJson(rows)}\n`);
    return;
  }
  io.stdout(`${renderSessions(rows)}\n`);
  if (rows.length === 0 && args.emptyHint) io.stdout(`(${args.emptyHint})\n`);
  if (rows.some((s) => s.demo)) io.stdout('* simulated venues (--demo)\n');
  if (rows.some((s) => s.trades > 0)) {
    io.stdout('LOCKED-IN P&L: what the trades locked in (hedged contracts pay $1 at settlement, less their cost and fees; unwinds at their price)\n');
  }
  if (rows.some((s) => s.tradesPending > 0)) io.stdout('(+N?) trades whose locked-in P&L is not known yet\n');
}
