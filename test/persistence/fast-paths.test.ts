/**
 * The fast paths of the persistence layer keep its guarantees: compiled row
 * checks agree with the zod schemas, bulk reads are exact over the whole
 * 64-bit range, savepoint rollbacks are mirrored exactly, and bound
 * integers behave as integers inside SQL.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type ArbDatabase } from '../../source/persistence/database.js';
import { isPersistenceError } from '../../source/persistence/errors.js';
import { iterateOpportunityExportRows } from '../../source/persistence/export-queries.js';
import { cellE6, cellOptText, cellSafeInt, cellText, zE6, zOptText, zSafeInt, zText } from '../../source/persistence/row-schemas.js';
import type { SqlCell } from '../../source/persistence/connection.js';
import { dumpRaw, rawOpen, seed, tempDir } from './helpers.js';

const open: ArbDatabase[] = [];
const dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close().catch(() => undefined);
  for (const d of dirs.splice(0)) d.cleanup();
});
async function opened(flushMode: 'worker' | 'main-thread' = 'worker'): Promise<{ db: ArbDatabase; path: string }> {
  const d = tempDir();
  dirs.push(d);
  const db = await openDatabase({ path: d.path(), flushMode, flushIntervalMs: 60_000 });
  open.push(db);
  return { db, path: d.path() };
}

/** Outcome of a check: the value, or 'rejected' (as a bad-row PersistenceError for ours). */
function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Error && error.name === 'ZodError') return 'rejected';
    if (isPersistenceError(error) && error.code === 'bad-row') return 'rejected';
    throw error;
  }
}

describe('compiled row checks', () => {
  const cell: fc.Arbitrary<SqlCell> = fc.oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.bigInt({ min: BigInt(Number.MIN_SAFE_INTEGER) - 3n, max: BigInt(Number.MIN_SAFE_INTEGER) + 3n }),
    fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) - 3n, max: BigInt(Number.MAX_SAFE_INTEGER) + 3n }),
    fc.string({ maxLength: 5 }),
    fc.constant(null),
    fc.double(),
    fc.uint8Array({ maxLength: 2 }),
  );
  it('accept and reject exactly what the zod schemas do, with the same values (bigint reads, any cell)', () => {
    fc.assert(
      fc.property(cell, (c) => {
        // Numbers and integer text are what number reads (iterate with integers: 'number') produce; checked below.
        if (typeof c !== 'number' && typeof c !== 'string') {
          expect(outcome(() => cellSafeInt(c, 't', 'f'))).toEqual(outcome(() => zSafeInt.parse(c)));
          expect(outcome(() => cellE6(c, 't', 'f'))).toEqual(outcome(() => zE6.parse(c)));
        }
        expect(outcome(() => cellText(c, 't', 'f'))).toEqual(outcome(() => zText.parse(c)));
        expect(outcome(() => cellOptText(c, 't', 'f'))).toEqual(outcome(() => zOptText.parse(c)));
      }),
      { numRuns: 1000 },
    );
  });

  it('number reads: only exact safe integers pass; decimal text beyond is exact; errors name the field', () => {
    expect(cellSafeInt(2 ** 53 - 1, 'opportunity', 'id')).toBe(2 ** 53 - 1);
    expect(() => cellSafeInt(2 ** 53, 'opportunity', 'first_seen_at')).toThrow(/opportunity row .* field first_seen_at: not a safe integer/);
    expect(() => cellSafeInt(1.5, 't', 'f')).toThrow(/field f/);
    expect(cellE6(-(2 ** 53) + 1, 't', 'f')).toBe(-(2n ** 53n) + 1n);
    expect(cellE6('-9223372036854775808', 't', 'f')).toBe(-(2n ** 63n));
    expect(() => cellE6('9223372036854775808', 't', 'size_e6')).toThrow(/field size_e6/);
    expect(() => cellE6('1e3', 't', 'f')).toThrow(/field f/);
    expect(() => cellE6(2 ** 60, 't', 'f')).toThrow(/field f/);
  });
});

describe('bulk export reads', () => {
  it('are exact over the 64-bit range and equal what the repository (zod path) reads', async () => {
    const { db } = await opened('main-thread');
    const { sessionId, pairId } = seed(db);
    const values = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, -(2n ** 53n), 0n, -1n, 123_456_789n];
    db.write((r) => {
      for (const v of values) {
        r.opportunities.open(sessionId, pairId, { at: 2 ** 53 - 1, netEdge: v, size: v < 0n ? -(v + 1n) : v, kalshi: { side: 'no', price: v, fee: -v - 1n }, polymarket: { side: 'yes', price: 1n, fee: v } });
      }
    });
    const rows = [...iterateOpportunityExportRows(db.conn, [sessionId])];
    expect(rows).toHaveLength(values.length + 1);
    for (const row of rows) {
      const { kalshiMarketId, polymarketMarketId, kalshiTitle, polymarketTitle, ...rest } = row;
      expect(rest).toEqual(db.repos.opportunities.get(row.id));
      expect(db.repos.pairs.get(row.pairId)).toMatchObject({ kalshiMarketId, polymarketMarketId });
      expect(kalshiTitle).toBe('Fed rate "above" 4.00%, May 2026');
      expect(polymarketTitle).toBe('=HYPERLINK("http://evil","Fed above 4%?")');
    }
    expect(rows.slice(1).map((r) => r.bestNetEdge)).toEqual(values);
  });

  it('stop early without leaking the statement, and see pairs recorded meanwhile', async () => {
    const { db } = await opened('main-thread');
    const { sessionId, pairId } = seed(db);
    const quote = { at: 1, netEdge: 1n, size: 1n, kalshi: { side: 'yes' as const, price: 1n, fee: 0n }, polymarket: { side: 'no' as const, price: 1n, fee: 0n } };
    db.write((r) => r.opportunities.open(sessionId, pairId, quote));
    const it = iterateOpportunityExportRows(db.conn, [sessionId]);
    expect(it.next().done).toBe(false);
    db.write((r) => {
      const p = r.pairs.ensureCandidate({ kalshiMarketId: 'K-new', polymarketMarketId: 'P-new', relation: 'same' });
      r.opportunities.open(sessionId, p.id, quote);
    });
    const rest = [...it];
    expect(rest.map((r) => r.kalshiMarketId)).toContain('K-new');
    await db.close(); // would throw if a statement were left open mid-step
  });
});

describe('writes', () => {
  it('a new candidate pair comes back exactly as the row reads back, its id the one SQLite gives; an existing one as stored', async () => {
    const { db } = await opened('main-thread');
    const { sessionId } = seed(db);
    const made = db.write((r) => [
      r.pairs.ensureCandidate({ kalshiMarketId: 'K1', polymarketMarketId: 'P1', relation: 'same', sessionId, at: 10 }),
      r.pairs.ensureCandidate({ kalshiMarketId: 'K2', polymarketMarketId: 'P2', relation: 'inverse', score: 912_345n, reason: 'why', at: 20 }),
    ]);
    for (const p of made) expect(db.repos.pairs.get(p.id)).toEqual(p);
    // ids in order, after the seeded pair; SQLite's own (a plain INSERT takes the next one)
    expect(made.map((p) => p.id)).toEqual([made[0]!.id, made[0]!.id + 1]);
    db.conn.run("INSERT INTO pairs (kalshi_market_id, polymarket_market_id, relation, verdict, created_at, updated_at) VALUES ('K3', 'P3', 'same', 'candidate', 1, 1)", []);
    expect(db.repos.pairs.find('K3', 'P3')?.id).toBe(made[1]!.id + 1);
    const after = db.write((r) => r.pairs.ensureCandidate({ kalshiMarketId: 'K4', polymarketMarketId: 'P4', relation: 'same', at: 30 }));
    expect(after.id).toBe(made[1]!.id + 2);
    expect(db.repos.pairs.get(after.id)).toEqual(after);
    // the history's first entry, as before
    expect(db.repos.pairs.history(made[1]!.id).map((h) => [h.verdict, h.relation, h.decidedBy, h.reason, h.at])).toEqual([['candidate', 'inverse', 'matcher', 'why', 20]]);
    // asked again: the stored row, whatever is asked
    expect(db.write((r) => r.pairs.ensureCandidate({ kalshiMarketId: 'K1', polymarketMarketId: 'P1', relation: 'inverse', at: 99 }))).toEqual(made[0]);
  });

  it('touch writes what seen writes (a new market, then a later sighting with other terms)', async () => {
    const a = (await opened('main-thread')).db;
    const b = (await opened('main-thread')).db;
    const first = { venue: 'polymarket' as const, marketId: '0xm', eventId: 'e', yesTokenId: '1', noTokenId: '2', title: 'T', subtitle: 's', rulesDigest: 'r1', closeTime: 100, sessionId: null, seenAt: 5 };
    const later = { ...first, title: 'T2', subtitle: null, rulesDigest: 'r2', closeTime: 200, seenAt: 9 };
    for (const input of [first, later]) {
      a.write((r) => r.markets.seen(input));
      b.write((r) => r.markets.touch(input));
      expect(b.repos.markets.get('polymarket', '0xm')).toEqual(a.repos.markets.get('polymarket', '0xm'));
    }
    expect(a.repos.markets.get('polymarket', '0xm')).toMatchObject({ title: 'T2', firstSeenAt: 5, lastSeenAt: 9, rulesDigest: 'r2' });
  });

  it('a later sighting never moves last_seen_at backwards (bound integers compare as integers)', async () => {
    const { db } = await opened('main-thread');
    const { sessionId, pairId } = seed(db);
    const t = Date.UTC(2026, 4, 1);
    const quote = (at: number, netEdge: bigint) => ({ at, netEdge, size: 1n, kalshi: { side: 'yes' as const, price: 1n, fee: 0n }, polymarket: { side: 'no' as const, price: 1n, fee: 0n } });
    const id = db.write((r) => r.opportunities.open(sessionId, pairId, quote(t + 5000, 10n)));
    db.write((r) => r.opportunities.observe(id, quote(t + 1000, 5n)));
    db.write((r) => r.opportunities.observe(id, quote(t + 2000, 50n)));
    expect(db.repos.opportunities.get(id)).toMatchObject({ lastSeenAt: t + 5000, bestAt: t + 2000, bestNetEdge: 50n });
    db.write((r) => r.opportunities.observe(id, quote(t + 9000, 1n)));
    expect(db.repos.opportunities.get(id)?.lastSeenAt).toBe(t + 9000);
  });

  it('insert ids are SQLite rowids, also after a rolled-back insert', async () => {
    const { db } = await opened('main-thread');
    const a = db.write((r) => r.audit.append({ actor: 'user', kind: 'a' }));
    expect(() =>
      db.write((r) => {
        r.audit.append({ actor: 'user', kind: 'b' });
        throw new Error('abort');
      }),
    ).toThrow('abort');
    const c = db.write((r) => r.audit.append({ actor: 'user', kind: 'c' }));
    expect(db.repos.audit.list().map((e) => [e.id, e.kind])).toEqual([
      [a, 'a'],
      [c, 'c'],
    ]);
  });

  it('the worker mirror equals the main database after nested savepoints that fail and are caught', async () => {
    const { db, path } = await opened('worker');
    const { sessionId, pairId } = seed(db);
    const quote = { at: 7, netEdge: 2n ** 62n, size: 3n, kalshi: { side: 'yes' as const, price: 1n, fee: 0n }, polymarket: { side: 'no' as const, price: 1n, fee: 0n } };
    db.write((r) => {
      r.opportunities.open(sessionId, pairId, quote);
      expect(() =>
        db.conn.transaction(() => {
          r.opportunities.open(sessionId, pairId, quote);
          r.audit.append({ actor: 'user', kind: 'inner', detail: 'x' });
          db.conn.transaction(() => r.audit.append({ actor: 'user', kind: 'inner-inner' }));
          r.audit.append({ actor: 'nobody' as 'user', kind: 'fails' });
        }),
      ).toThrow();
      // a failed statement outside a savepoint is undone by SQLite; the transaction goes on
      expect(() => r.orders.insertPending({ clientOrderId: 'c-1', sessionId, venue: 'kalshi', marketId: 'M', side: 'yes', action: 'buy', orderType: 'x', limitPrice: 1n, size: 1n })).toThrow();
      r.audit.append({ actor: 'user', kind: 'outer', detail: { big: -(2n ** 63n) } });
    });
    await db.flushNow();
    expect(db.flushMode).toBe('worker');
    const fromFile = await rawOpen(readFileSync(path));
    const fromMain = await rawOpen(db.conn.export());
    const dump = dumpRaw(fromMain);
    expect(dumpRaw(fromFile)).toEqual(dump);
    expect(dump['audit_log']?.some((r) => r.includes('inner'))).toBe(false);
    expect(dump['audit_log']?.some((r) => r.includes('outer'))).toBe(true);
    fromFile.close();
    fromMain.close();
  });
});

describe('client-minted opportunity ids', () => {
  const quote = { at: 1, netEdge: 1n, size: 1n, kalshi: { side: 'yes' as const, price: 1n, fee: 0n }, polymarket: { side: 'no' as const, price: 1n, fee: 0n } };
  const RAW_INSERT = `INSERT INTO opportunities (session_id, pair_id, first_seen_at, last_seen_at, best_at, best_net_edge_e6, size_e6,
    kalshi_side, kalshi_price_e6, kalshi_fee_e6, polymarket_side, polymarket_price_e6, polymarket_fee_e6) VALUES (?, ?, 1, 1, 1, 1, 1, 'yes', 1, 0, 'no', 1, 0)`;

  it('are the ids SQLite assigns itself: after rollbacks, rows inserted by other SQL and deletes', async () => {
    const { db } = await opened('main-thread');
    const { sessionId, pairId } = seed(db); // opportunity 1
    const ids: number[] = [];
    ids.push(db.write((r) => r.opportunities.open(sessionId, pairId, quote)));
    expect(() =>
      db.write((r) => {
        r.opportunities.open(sessionId, pairId, quote);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    db.write((r) => {
      ids.push(r.opportunities.open(sessionId, pairId, quote));
      expect(() =>
        db.conn.transaction(() => {
          r.opportunities.open(sessionId, pairId, quote);
          throw new Error('inner');
        }),
      ).toThrow('inner');
      ids.push(r.opportunities.open(sessionId, pairId, quote));
      // a failing insert (no such pair) consumes no id
      expect(() => r.opportunities.open(sessionId, 999, quote)).toThrow(/FOREIGN KEY/);
      ids.push(r.opportunities.open(sessionId, pairId, quote));
    });
    expect(ids).toEqual([2, 3, 4, 5]);
    // a row inserted behind the counter's back takes SQLite's next id; the repository moves past it
    db.write(() => db.conn.run(RAW_INSERT, [sessionId, pairId]));
    ids.push(db.write((r) => r.opportunities.open(sessionId, pairId, quote)));
    // after a delete of the last rows SQLite reuses their ids, and so does the repository
    db.write(() => db.conn.run('DELETE FROM opportunities WHERE id >= 6', []));
    ids.push(db.write((r) => r.opportunities.open(sessionId, pairId, quote)));
    expect(ids).toEqual([2, 3, 4, 5, 7, 6]);
    expect(db.repos.opportunities.listBySession(sessionId).map((o) => o.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('the worker mirror', () => {
  it('equals the main database after bulk transactions (runs of one INSERT longer than a multi-row statement, interleaved, nulls, 64-bit values)', async () => {
    const { db, path } = await opened('worker');
    const { sessionId, pairId } = seed(db);
    const quote = (i: number) => ({
      at: Date.UTC(2026, 4, 1) + i,
      netEdge: i % 7 === 0 ? -(2n ** 63n) : BigInt(i) - 50n,
      size: i % 11 === 0 ? 2n ** 63n - 1n : BigInt(i),
      kalshi: { side: i % 2 === 0 ? ('yes' as const) : ('no' as const), price: BigInt(i), fee: 1n },
      polymarket: { side: 'no' as const, price: 2n ** 53n + BigInt(i), fee: 0n },
    });
    db.write((r) => {
      for (let i = 0; i < 300; i += 1) r.opportunities.open(sessionId, pairId, quote(i)); // 256 + 32 + 8 + 4
      for (let i = 0; i < 5; i += 1) {
        r.audit.append({ actor: 'engine', kind: 'k', subject: i % 2 === 0 ? null : `s${i}`, detail: null, sessionId });
        r.opportunities.open(sessionId, pairId, quote(1000 + i));
        r.opportunities.open(sessionId, pairId, quote(2000 + i));
      }
    });
    db.write((r) => {
      for (let i = 0; i < 3; i += 1) r.opportunities.open(sessionId, pairId, quote(3000 + i));
      r.opportunities.close(5, 'skipped', { reason: 'x', at: 9 });
      for (let i = 0; i < 70; i += 1) r.audit.append({ actor: 'user', kind: `bulk-${i}`, sessionId });
    });
    await db.flushNow();
    expect(db.flushMode).toBe('worker');
    const fromFile = await rawOpen(readFileSync(path));
    const fromMain = await rawOpen(db.conn.export());
    const dump = dumpRaw(fromMain);
    expect(dump['opportunities']).toHaveLength(1 + 300 + 10 + 3);
    expect(dumpRaw(fromFile)).toEqual(dump);
    fromFile.close();
    fromMain.close();
  });

  it('may replay without enforcing foreign keys: the schema has no foreign key actions (ON DELETE / ON UPDATE) it would miss', async () => {
    const { db } = await opened('main-thread');
    const tables = db.conn.all("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", [], (r) => String(r['name']));
    let keys = 0;
    for (const table of tables) {
      for (const fk of db.conn.all('SELECT * FROM pragma_foreign_key_list(?)', [table], (r) => r)) {
        keys += 1;
        expect([table, fk['on_update'], fk['on_delete']]).toEqual([table, 'NO ACTION', 'NO ACTION']);
      }
    }
    expect(keys).toBeGreaterThan(5);
  });
});
