import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlConnection } from '../../source/persistence/connection.js';
import { openDatabase, type ArbDatabase } from '../../source/persistence/database.js';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, migrate, MIGRATIONS, V2_REWRITTEN_TABLES } from '../../source/persistence/migrations.js';
import { isPersistenceError } from '../../source/persistence/errors.js';
import fc from 'fast-check';
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
  // v1 → later versions: the seeded history must survive.
  1: {
    fill: (db) => void seed(db),
    check: (db) => {
      expect(db.repos.sessions.summaries()[0]).toMatchObject({ opportunities: 1, trades: 1, realisedPnl: 1_281_600n });
      // v2 rewrote CHECK constraints: they still refuse what v1 refused, and the data still passes them
      expect(() => db.write(() => db.conn.run("UPDATE opportunities SET outcome = 'lost' WHERE id = 1", []))).toThrow(/CHECK constraint failed/);
      expect(() => db.write((r) => r.audit.append({ actor: 'robot' as 'user', kind: 'x' }))).toThrow(/CHECK constraint failed/);
      expect(db.conn.pragma('integrity_check')).toBe('ok');
    },
  },
  // v2 → v3 (fill_voids): the fills recorded before are all live, and one can be voided after the upgrade
  2: {
    fill: (db) => void seed(db),
    check: (db) => {
      expect(db.repos.orders.fillsForOrder('c-1').map((f) => f.venueFillId)).toEqual(['kf-1']);
      expect(db.write((r) => r.orders.voidFill('kalshi', 'kf-1', 'FAILED', 1))).toBe(true);
      expect(db.repos.orders.fillsForOrder('c-1')).toEqual([]);
      expect(db.repos.orders.voidedFillsForOrder('c-1').map((f) => f.venueFillId)).toEqual(['kf-1']);
      expect(() => db.write(() => db.conn.run('DELETE FROM fill_voids', []))).toThrow(/append-only/);
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

  it('v2 rewrites only IN-list CHECK constraints, each into one that accepts exactly the same values (NULL and near misses included)', async () => {
    const SQL = await loadSqlJs();
    const raw = new SQL.Database();
    const pairs: { column: string; from: string; to: string; values: string[] }[] = [];
    expect([...V2_REWRITTEN_TABLES.keys()].sort()).toEqual(['audit_log', 'opportunities', 'pair_verdicts', 'pairs', 'sessions']);
    for (const { from, to } of V2_REWRITTEN_TABLES.values()) {
      const a = from.split('\n');
      const b = to.split('\n');
      expect(b).toHaveLength(a.length);
      a.forEach((line, i) => {
        if (line === b[i]) return;
        const old = /CHECK \((([a-z_]+) IN \((.*)\))\)/.exec(line);
        const now = /CHECK \((.*)\)/.exec(b[i] as string);
        expect(old, line).not.toBeNull();
        expect(line.replace(old?.[1] as string, now?.[1] as string)).toBe(b[i]); // nothing else on the line changed
        pairs.push({ column: old?.[2] as string, from: old?.[1] as string, to: now?.[1] as string, values: (old?.[3] as string).split(', ').map((v) => v.slice(1, -1)) });
      });
    }
    expect(pairs.length).toBe(8);
    const candidate = (values: string[]) =>
      fc.oneof(
        fc.constantFrom(...values),
        fc.constantFrom(...values).map((v) => v.toUpperCase()),
        fc.constantFrom(...values).map((v) => ` ${v}`),
        fc.string({ maxLength: 9 }),
        fc.constant(null),
      );
    for (const p of pairs) {
      const stmt = raw.prepare(`WITH t(${p.column}) AS (SELECT ?) SELECT (${p.from}), (${p.to}) FROM t`);
      fc.assert(
        fc.property(candidate(p.values), (v) => {
          stmt.bind([v]);
          stmt.step();
          const [old, now] = stmt.get();
          stmt.reset();
          expect(now).toBe(old);
        }),
        { numRuns: 200 },
      );
      stmt.free();
    }
    raw.close();
  });

  it('v2 refuses a table whose definition is not the one v1 created, and leaves the file untouched', async () => {
    const d = tempDir();
    dirs.push(d);
    const old = await openDatabase({ path: d.path(), flushMode: 'main-thread', targetVersion: 1 });
    await old.close();
    const raw = await rawOpen(readFileSync(d.path()));
    const version = Number(raw.exec('PRAGMA schema_version')[0]?.values[0]?.[0]);
    raw.exec('PRAGMA writable_schema = ON');
    raw.run("UPDATE sqlite_schema SET sql = replace(sql, 'end_reason TEXT', 'end_reason  TEXT') WHERE name = 'sessions'");
    raw.exec(`PRAGMA schema_version = ${version + 1}`);
    raw.exec('PRAGMA writable_schema = OFF');
    writeFileSync(d.path(), raw.export());
    raw.close();
    const before = readFileSync(d.path());
    const error = await openDatabase({ path: d.path(), flushMode: 'main-thread' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPersistenceError(error) && error.code).toBe('corrupt');
    expect(String(error)).toMatch(/table sessions .*left untouched/);
    expect(readFileSync(d.path()).equals(before)).toBe(true);
  });

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
