import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlConnection } from '../../source/persistence/connection.js';
import { openDatabase, type ArbDatabase } from '../../source/persistence/database.js';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, migrate, MIGRATIONS } from '../../source/persistence/migrations.js';
import { loadSqlJs } from '../../source/persistence/sqljs.js';
import { rawOpen, seed, tempDir } from './helpers.js';

const dirs: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

/**
 * Data to put in a database at each schema version before upgrading it, and
 * what must hold after the upgrade. A new migration adds an entry here.
 */
const AT_VERSION: Record<number, { fill: (db: ArbDatabase) => void; check: (db: ArbDatabase) => void }> = {
  0: { fill: () => undefined, check: () => undefined },
  // v1 → later versions: the seeded history must survive. (Unused until v2 exists.)
  1: {
    fill: (db) => void seed(db),
    check: (db) => {
      expect(db.repos.sessions.summaries()[0]).toMatchObject({ opportunities: 1, trades: 1, realisedPnl: 1_281_600n });
    },
  },
};

function schemaOf(bytes: Uint8Array): Promise<string[]> {
  return rawOpen(bytes).then((db) => {
    const rows = db.exec("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")[0]?.values ?? [];
    db.close();
    return rows.map((r) => r.join('|'));
  });
}

describe('migrations', () => {
  it('are numbered 1..N without gaps and all have entries for data checks', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1));
    for (let v = 0; v < LATEST_SCHEMA_VERSION; v += 1) expect(AT_VERSION[v], `AT_VERSION[${v}]`).toBeDefined();
  });

  it('create the latest schema in an empty file and record themselves', async () => {
    const d = tempDir();
    dirs.push(d);
    const db = await openDatabase({ path: d.path(), flushMode: 'main-thread', now: () => 1_700_000_000_000 });
    expect(db.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    await db.close();
    const raw = await rawOpen(readFileSync(d.path()));
    expect(raw.exec('PRAGMA user_version')[0]?.values).toEqual([[LATEST_SCHEMA_VERSION]]);
    expect(raw.exec('PRAGMA application_id')[0]?.values).toEqual([[APPLICATION_ID]]);
    expect(raw.exec('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')[0]?.values).toEqual(
      MIGRATIONS.map((m) => [m.version, m.name, 1_700_000_000_000]),
    );
    raw.close();
  });

  for (let from = 0; from < LATEST_SCHEMA_VERSION; from += 1) {
    it(`upgrade a file at version ${from} to ${LATEST_SCHEMA_VERSION}, keeping its data, same schema as a fresh file`, async () => {
      const d = tempDir();
      dirs.push(d);
      // Build a file at version `from` through the real open path, then fill it.
      const old = await openDatabase({ path: d.path('old.db'), flushMode: 'main-thread', targetVersion: from });
      expect(old.schemaVersion).toBe(from);
      AT_VERSION[from]?.fill(old);
      await old.close();

      const upgraded = await openDatabase({ path: d.path('old.db'), flushMode: 'main-thread' });
      expect(upgraded.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
      if (from > 0) expect(upgraded.notices.join('\n')).toMatch(new RegExp(`from schema version ${from} to ${LATEST_SCHEMA_VERSION}`));
      AT_VERSION[from]?.check(upgraded);
      await upgraded.close();

      const fresh = await openDatabase({ path: d.path('fresh.db'), flushMode: 'main-thread' });
      await fresh.close();
      expect(await schemaOf(readFileSync(d.path('old.db')))).toEqual(await schemaOf(readFileSync(d.path('fresh.db'))));
    });
  }

  it('a migration that fails leaves the database at the previous version', async () => {
    const SQL = await loadSqlJs();
    const conn = new SqlConnection(new SQL.Database());
    conn.execScript('CREATE TABLE sessions (x INTEGER)'); // clashes with v1
    expect(() => migrate(conn, 0)).toThrow(/already exists/);
    expect(conn.pragma('user_version')).toBe(0n);
    expect(conn.all("SELECT name FROM sqlite_schema WHERE type = 'table'", [], (r) => r['name'])).toEqual(['sessions']);
    conn.close();
  });
});
