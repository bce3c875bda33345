import { existsSync } from 'node:fs';
import type { AppContext } from './context.js';

/**
 * The database file for this run: --db, else config; demo runs keep their own file, and
 * so does paper trading on live books: one file never holds both simulated and real
 * trades (positions, daily P&L, exposure and reconciliation are per file; found in review:
 * a paper run reconciled a real order left unresolved and marked it never placed).
 */
export function resolveDbPath(ctx: AppContext, override?: string): string {
  if (override) return override;
  if (ctx.demo) return demoDbPath(ctx.config.dbPath);
  if (ctx.config.mode === 'paper') return paperDbPath(ctx.config.dbPath);
  return ctx.config.dbPath;
}

function demoDbPath(livePath: string): string {
  return `${livePath.replace(/\.sqlite$/, '')}-demo.sqlite`;
}

function paperDbPath(livePath: string): string {
  return `${livePath.replace(/\.sqlite$/, '')}-paper.sqlite`;
}

/**
 * Why this database cannot be traded in `mode`: it already holds trades made in the other
 * trading mode (paper vs execute), whose positions, P&L and open orders would be mixed with
 * this run's; null when it can. Monitor mode trades nothing and reads any file.
 */
export function tradingModeConflict(
  sessions: ReadonlyArray<{ readonly id: number; readonly mode: string; readonly demo: boolean }>,
  tradesOf: (sessionId: number) => number,
  mode: string,
  dbPath: string,
): string | null {
  if (mode !== 'paper' && mode !== 'execute') return null;
  const other = mode === 'paper' ? 'execute' : 'paper';
  const traded = sessions.filter((s) => s.mode === other && tradesOf(s.id) > 0).map((s) => s.id);
  if (traded.length === 0) return null;
  const which = other === 'paper' ? 'paper trades' : 'real (execute mode) trades';
  const sessionsText = `session${traded.length > 1 ? 's' : ''} ${traded.slice(0, 5).join(', ')}${traded.length > 5 ? ', …' : ''}`;
  const mine = sessions.some((s) => s.mode === mode && tradesOf(s.id) > 0);
  // a file from before paper trading had its own (paper trades only): it is paper trading's history
  const advice =
    other === 'paper' && !mine
      ? `it holds paper trades only (a version before paper trading had its own file): move it to ${paperDbPath(dbPath)} to keep it as paper trading's history, and execute mode starts a new file here`
      : `pass another --db for ${mode} mode (its own file; this one stays readable with sessions and export)`;
  return `the database ${dbPath} holds ${which} (${sessionsText}); ${mode} mode keeps its trades apart from them: ${advice}`;
}

/**
 * For a command that reads the history (`sessions`, `export`): when the live
 * database does not exist but the demo's does, where the demo's sessions are
 * and how to read them; null otherwise. Someone who has only tried `--demo`
 * would otherwise read "nothing recorded yet".
 */
export function demoHistoryHint(ctx: AppContext, override: string | undefined, exists: (path: string) => boolean = existsSync): string | null {
  if (override || ctx.demo) return null;
  const read = resolveDbPath(ctx);
  if (exists(read)) return null;
  const demo = demoDbPath(ctx.config.dbPath);
  if (exists(demo)) return `the demo's sessions are in ${demo}: add --demo to read them`;
  const paper = paperDbPath(ctx.config.dbPath);
  if (ctx.config.mode !== 'paper' && exists(paper)) return `paper trading's sessions are in ${paper}: add --mode paper to read them`;
  return null;
}
