/**
 * Numbered schema migrations. Each runs in its own transaction, is recorded in
 * `schema_migrations`, and sets `PRAGMA user_version`. Append new migrations
 * to MIGRATIONS; never edit a released one.
 *
 * Conventions: STRICT tables; times are INTEGER ms since the Unix epoch (UTC);
 * columns ending in `_e6` are fixed-point integers at scale 1e6 (prices in
 * dollars per contract, sizes in contracts, money in dollars), 64-bit signed;
 * booleans are 0/1.
 */
import type { SqlConnection } from './connection.js';
import { PersistenceError } from './errors.js';

/** 'ARBT': PRAGMA application_id of arb-tui databases. */
export const APPLICATION_ID = 0x41524254;

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** A script, or a function for steps a script cannot express (both run inside the migration's transaction). */
  readonly sql: string | ((conn: SqlConnection) => void);
}

const V1 = String.raw`
CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  mode TEXT NOT NULL CHECK (mode IN ('monitor', 'paper', 'execute')),
  demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
  app_version TEXT NOT NULL,
  config_digest TEXT NOT NULL,
  end_reason TEXT
) STRICT;

CREATE TABLE markets (
  venue TEXT NOT NULL CHECK (venue IN ('kalshi', 'polymarket')),
  market_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  yes_token_id TEXT,
  no_token_id TEXT,
  title TEXT NOT NULL,
  subtitle TEXT,
  rules_digest TEXT,
  close_time INTEGER,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  first_session_id INTEGER REFERENCES sessions (id),
  PRIMARY KEY (venue, market_id)
) STRICT;

CREATE TABLE pairs (
  id INTEGER PRIMARY KEY,
  kalshi_market_id TEXT NOT NULL,
  polymarket_market_id TEXT NOT NULL,
  relation TEXT NOT NULL CHECK (relation IN ('same', 'inverse', 'subset', 'superset', 'different', 'unknown')),
  verdict TEXT NOT NULL CHECK (verdict IN ('candidate', 'approved', 'rejected', 'revoked')),
  score_e6 INTEGER,
  kalshi_rules_digest TEXT,
  polymarket_rules_digest TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (kalshi_market_id, polymarket_market_id)
) STRICT;

CREATE TABLE pair_verdicts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  pair_id INTEGER NOT NULL REFERENCES pairs (id),
  session_id INTEGER REFERENCES sessions (id),
  at INTEGER NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('candidate', 'approved', 'rejected', 'revoked')),
  relation TEXT NOT NULL CHECK (relation IN ('same', 'inverse', 'subset', 'superset', 'different', 'unknown')),
  decided_by TEXT NOT NULL CHECK (decided_by IN ('matcher', 'user', 'engine')),
  reason TEXT,
  kalshi_rules_digest TEXT,
  polymarket_rules_digest TEXT
) STRICT;
CREATE INDEX pair_verdicts_by_pair ON pair_verdicts (pair_id, id);

CREATE TABLE opportunities (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions (id),
  pair_id INTEGER NOT NULL REFERENCES pairs (id),
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  best_at INTEGER NOT NULL,
  best_net_edge_e6 INTEGER NOT NULL,
  size_e6 INTEGER NOT NULL CHECK (size_e6 >= 0),
  kalshi_side TEXT NOT NULL CHECK (kalshi_side IN ('yes', 'no')),
  kalshi_price_e6 INTEGER NOT NULL,
  kalshi_fee_e6 INTEGER NOT NULL,
  polymarket_side TEXT NOT NULL CHECK (polymarket_side IN ('yes', 'no')),
  polymarket_price_e6 INTEGER NOT NULL,
  polymarket_fee_e6 INTEGER NOT NULL,
  outcome TEXT CHECK (outcome IN ('expired', 'executed', 'skipped')),
  outcome_reason TEXT,
  closed_at INTEGER
) STRICT;
CREATE INDEX opportunities_by_session ON opportunities (session_id, id);

CREATE TABLE trades (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions (id),
  pair_id INTEGER NOT NULL REFERENCES pairs (id),
  opportunity_id INTEGER REFERENCES opportunities (id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (length(status) > 0),
  planned_size_e6 INTEGER NOT NULL,
  expected_edge_e6 INTEGER NOT NULL,
  expected_pnl_e6 INTEGER NOT NULL,
  hedged_size_e6 INTEGER,
  realised_pnl_e6 INTEGER,
  note TEXT
) STRICT;
CREATE INDEX trades_by_session ON trades (session_id, id);

CREATE TABLE orders (
  client_order_id TEXT PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions (id),
  trade_id INTEGER REFERENCES trades (id),
  venue TEXT NOT NULL CHECK (venue IN ('kalshi', 'polymarket')),
  market_id TEXT NOT NULL,
  venue_order_id TEXT,
  side TEXT NOT NULL CHECK (side IN ('yes', 'no')),
  action TEXT NOT NULL CHECK (action IN ('buy', 'sell')),
  order_type TEXT NOT NULL,
  limit_price_e6 INTEGER NOT NULL,
  size_e6 INTEGER NOT NULL CHECK (size_e6 > 0),
  filled_size_e6 INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL CHECK (length(state) > 0),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_error TEXT,
  UNIQUE (venue, venue_order_id)
) STRICT;
CREATE INDEX orders_by_trade ON orders (trade_id);

CREATE TABLE fills (
  venue TEXT NOT NULL CHECK (venue IN ('kalshi', 'polymarket')),
  venue_fill_id TEXT NOT NULL,
  client_order_id TEXT REFERENCES orders (client_order_id),
  venue_order_id TEXT,
  session_id INTEGER REFERENCES sessions (id),
  market_id TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('yes', 'no')),
  action TEXT NOT NULL CHECK (action IN ('buy', 'sell')),
  price_e6 INTEGER NOT NULL,
  size_e6 INTEGER NOT NULL CHECK (size_e6 > 0),
  fee_e6 INTEGER NOT NULL,
  is_taker INTEGER CHECK (is_taker IN (0, 1)),
  filled_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (venue, venue_fill_id)
) STRICT;
CREATE INDEX fills_by_order ON fills (client_order_id);
CREATE INDEX fills_by_session ON fills (session_id, filled_at);

CREATE TABLE positions (
  venue TEXT NOT NULL CHECK (venue IN ('kalshi', 'polymarket')),
  market_id TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('yes', 'no')),
  size_e6 INTEGER NOT NULL,
  cost_e6 INTEGER NOT NULL,
  realised_pnl_e6 INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL CHECK (source IN ('fills', 'venue')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (venue, market_id, side)
) STRICT;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  session_id INTEGER REFERENCES sessions (id),
  actor TEXT NOT NULL CHECK (actor IN ('user', 'engine', 'system')),
  kind TEXT NOT NULL CHECK (length(kind) > 0),
  subject TEXT,
  detail TEXT
) STRICT;
CREATE INDEX audit_log_by_session ON audit_log (session_id, id);

CREATE TABLE app_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER pair_verdicts_append_only_update BEFORE UPDATE ON pair_verdicts
BEGIN SELECT RAISE(ABORT, 'pair_verdicts is append-only'); END;
CREATE TRIGGER pair_verdicts_append_only_delete BEFORE DELETE ON pair_verdicts
BEGIN SELECT RAISE(ABORT, 'pair_verdicts is append-only'); END;
CREATE TRIGGER fills_immutable_update BEFORE UPDATE ON fills
BEGIN SELECT RAISE(ABORT, 'fills are immutable'); END;
CREATE TRIGGER fills_immutable_delete BEFORE DELETE ON fills
BEGIN SELECT RAISE(ABORT, 'fills are immutable'); END;

PRAGMA application_id = ${APPLICATION_ID};
`;

/**
 * v2: CHECK constraints of the form `col IN ('a', 'b', 'c', ...)` (three
 * values or more) are rewritten as `col = 'a' OR col = 'b' OR ...`, which
 * accepts and rejects exactly the same values (NULL included: both are NULL
 * for NULL, which a CHECK accepts). SQLite evaluates such an IN list by
 * building a temporary b-tree of its values on every INSERT (in a CHECK there
 * is no "once" to keep it), which was about 45% of the cost of inserting an
 * opportunity row; two values or fewer are compared directly already.
 *
 * Only CHECK constraints change, so this is SQLite's documented procedure for
 * that case (https://www.sqlite.org/lang_altertable.html#otheralter): the
 * table's SQL in sqlite_schema is replaced with writable_schema on, the schema
 * version bumped, all in the migration's transaction; no row is rewritten.
 * Each replaced text must be exactly the one v1 created, or the migration
 * fails (and the file is left untouched).
 */
const IN_LIST_CHECK = /\b([a-z_]+) IN \(('[^']*'(?:, '[^']*'){2,})\)/g;

export function orChainChecks(tableSql: string): string {
  return tableSql.replace(IN_LIST_CHECK, (_match, column: string, list: string) =>
    list
      .split(', ')
      .map((value) => `${column} = ${value}`)
      .join(' OR '),
  );
}

/** The CREATE TABLE texts of v1 (as SQLite stores them: without the ';') that v2 rewrites. */
export const V2_REWRITTEN_TABLES: ReadonlyMap<string, { readonly from: string; readonly to: string }> = new Map(
  [...V1.matchAll(/CREATE TABLE ([a-z_]+) \([\s\S]*?\n\) STRICT/g)]
    .map((m) => [m[1] as string, { from: m[0], to: orChainChecks(m[0]) }] as const)
    .filter(([, t]) => t.from !== t.to),
);

function v2(conn: SqlConnection): void {
  conn.setConnectionPragma('PRAGMA writable_schema = ON');
  try {
    for (const [table, { from, to }] of V2_REWRITTEN_TABLES) {
      const n = conn.run("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ? AND sql = ?", [to, table, from]);
      if (n !== 1) {
        throw new PersistenceError('corrupt', `the definition of table ${table} is not the one arb-tui created (schema version 1), so it cannot be upgraded`);
      }
    }
    const version = conn.pragma('schema_version');
    if (typeof version !== 'bigint') throw new PersistenceError('corrupt', 'cannot read the schema version');
    conn.setConnectionPragma(`PRAGMA schema_version = ${version + 1n}`);
  } finally {
    conn.setConnectionPragma('PRAGMA writable_schema = OFF');
  }
}

/**
 * v3: fills a venue reported failed after matching (Polymarket: MATCHED, then FAILED on
 * chain; a "ghost fill"). Fills stay immutable: the venue's later word is a row of its own,
 * and every reading of fills for money (positions, trades, exports) leaves voided fills out.
 */
const V3 = String.raw`
CREATE TABLE fill_voids (
  venue TEXT NOT NULL CHECK (venue IN ('kalshi', 'polymarket')),
  venue_fill_id TEXT NOT NULL,
  venue_status TEXT NOT NULL,
  voided_at INTEGER NOT NULL,
  PRIMARY KEY (venue, venue_fill_id),
  FOREIGN KEY (venue, venue_fill_id) REFERENCES fills (venue, venue_fill_id)
) STRICT;
CREATE TRIGGER fill_voids_append_only_update BEFORE UPDATE ON fill_voids
BEGIN SELECT RAISE(ABORT, 'fill_voids is append-only'); END;
CREATE TRIGGER fill_voids_append_only_delete BEFORE DELETE ON fill_voids
BEGIN SELECT RAISE(ABORT, 'fill_voids is append-only'); END;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: V1 },
  { version: 2, name: 'CHECK constraints without IN lists', sql: v2 },
  { version: 3, name: 'fills voided by the venue after matching', sql: V3 },
];

export const LATEST_SCHEMA_VERSION: number = MIGRATIONS.length;

export function schemaVersionOf(conn: SqlConnection): number {
  const v = conn.pragma('user_version');
  return typeof v === 'bigint' ? Number(v) : 0;
}

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
}

/**
 * Bring the database from its version up to `target` (default latest), one
 * transaction per migration. `now` stamps `schema_migrations.applied_at`.
 */
export function migrate(conn: SqlConnection, now: number, target: number = LATEST_SCHEMA_VERSION): MigrationResult {
  const from = schemaVersionOf(conn);
  if (target > LATEST_SCHEMA_VERSION || target < 0) {
    throw new PersistenceError('usage', `no migration to schema version ${target}`);
  }
  if (from > LATEST_SCHEMA_VERSION) {
    throw new PersistenceError('newer-schema', `schema version ${from} is newer than this arb-tui knows (${LATEST_SCHEMA_VERSION})`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > target) continue;
    conn.transaction(() => {
      if (typeof m.sql === 'string') conn.execScript(m.sql);
      else m.sql(conn);
      conn.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, now]);
      conn.execScript(`PRAGMA user_version = ${m.version}`);
    });
  }
  return { from, to: Math.max(from, target) };
}
