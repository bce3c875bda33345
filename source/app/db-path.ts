import { existsSync } from 'node:fs';
import type { AppContext } from './context.js';

/** The database file for this run: --db, else config; demo runs keep their own file. */
export function resolveDbPath(ctx: AppContext, override?: string): string {
  if (override) return override;
  if (!ctx.demo) return ctx.config.dbPath;
  return demoDbPath(ctx.config.dbPath);
}

function demoDbPath(livePath: string): string {
  return `${livePath.replace(/\.sqlite$/, '')}-demo.sqlite`;
}

/**
 * For a command that reads the history (`sessions`, `export`): when the live
 * database does not exist but the demo's does, where the demo's sessions are
 * and how to read them; null otherwise. Someone who has only tried `--demo`
 * would otherwise read "nothing recorded yet".
 */
export function demoHistoryHint(ctx: AppContext, override: string | undefined, exists: (path: string) => boolean = existsSync): string | null {
  if (override || ctx.demo) return null;
  const demo = demoDbPath(ctx.config.dbPath);
  return !exists(ctx.config.dbPath) && exists(demo) ? `the demo's sessions are in ${demo}: add --demo to read them` : null;
}
