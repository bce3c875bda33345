import type { AppContext } from './context.js';

/** The database file for this run: --db, else config; demo runs keep their own file. */
export function resolveDbPath(ctx: AppContext, override?: string): string {
  if (override) return override;
  if (!ctx.demo) return ctx.config.dbPath;
  const base = ctx.config.dbPath.replace(/\.sqlite$/, '');
  return `${base}-demo.sqlite`;
}
