import { readFileSync, statSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type ArbDatabase, type FlushMode } from '../../source/persistence/database.js';
import { isPersistenceError } from '../../source/persistence/errors.js';
import { lockPathFor } from '../../source/persistence/lock.js';
import { dumpRaw, rawOpen, seed, tempDir } from './helpers.js';

const open: ArbDatabase[] = [];
const dirs: { cleanup: () => void }[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close().catch(() => undefined);
  for (const d of dirs.splice(0)) d.cleanup();
});
function tmp() {
  const d = tempDir();
  dirs.push(d);
  return d;
}
async function opened(path: string, flushMode: FlushMode = 'worker', extra: { flushIntervalMs?: number } = {}) {
  const db = await openDatabase({ path, flushMode, flushIntervalMs: extra.flushIntervalMs ?? 60_000 });
  open.push(db);
  return db;
}

describe('openDatabase', () => {
  it('creates the file with mode 0600 and a lock naming our pid, removed on close', async () => {
    const d = tmp();
    const db = await opened(d.path());
    expect(statSync(d.path()).mode & 0o777).toBe(0o600);
    const lock = JSON.parse(readFileSync(lockPathFor(d.path()), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
    expect(statSync(lockPathFor(d.path())).mode & 0o777).toBe(0o600);
    await db.close();
    expect(existsSync(lockPathFor(d.path()))).toBe(false);
    expect(readdirSync(d.dir)).toEqual(['arb.db']);
  });

  it.each(['worker', 'main-thread'] as const)('persists what was written (%s flush) and reads it back after reopen', async (mode) => {
    const d = tmp();
    const db = await opened(d.path(), mode);
    const ids = seed(db);
    await db.close();
    const again = await opened(d.path(), mode);
    const trade = again.repos.trades.get(ids.tradeId);
    expect(trade?.realisedPnl).toBe(1_281_600n);
    expect(again.repos.pairs.history(ids.pairId).map((v) => v.verdict)).toEqual(['candidate', 'approved']);
    expect(again.repos.orders.fillsForOrder('c-2')[0]?.price).toBe(519_900n);
    expect(again.repos.sessions.summaries()[0]).toMatchObject({ opportunities: 1, trades: 1, realisedPnl: 1_281_600n, tradesPending: 0 });
  });

  it('flushNow() puts every committed transaction on disk before it resolves', async () => {
    const d = tmp();
    const db = await opened(d.path());
    const { sessionId } = seed(db);
    const id = db.write((r) => r.audit.append({ actor: 'user', kind: 'approve', subject: 'x', sessionId }));
    await db.flushNow();
    const raw = await rawOpen(readFileSync(d.path()));
    expect(raw.exec('SELECT kind FROM audit_log WHERE id = ?', [id])[0]?.values).toEqual([['approve']]);
    raw.close();
    expect(db.flushedGeneration).toBe(db.generation);
  });

  it('a background flush writes non-critical records within the interval', async () => {
    const d = tmp();
    const db = await opened(d.path(), 'worker', { flushIntervalMs: 20 });
    seed(db);
    const deadline = Date.now() + 5000;
    while (db.flushedGeneration < db.generation && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const raw = await rawOpen(readFileSync(d.path()));
    expect(raw.exec('SELECT count(*) FROM fills')[0]?.values).toEqual([[2]]);
    raw.close();
  });

  it('round-trips 64-bit money exactly and rejects what does not fit, without writing', async () => {
    const d = tmp();
    const db = await opened(d.path());
    const { sessionId, pairId } = seed(db);
    const extremes = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -(2n ** 53n) - 3n, 0n, 1n, -1n];
    const ids = extremes.map((edge) =>
      db.write((r) => r.opportunities.open(sessionId, pairId, { at: 1, netEdge: edge, size: edge < 0n ? -edge - 1n : edge, kalshi: { side: 'yes', price: 1n, fee: edge }, polymarket: { side: 'no', price: 2n, fee: 3n } })),
    );
    await db.close();
    const again = await opened(d.path());
    ids.forEach((id, i) => expect(again.repos.opportunities.get(id)?.bestNetEdge).toBe(extremes[i]));
    const before = again.generation;
    const tooBig = () => again.write((r) => r.opportunities.open(sessionId, pairId, { at: 1, netEdge: 2n ** 63n, size: 1n, kalshi: { side: 'yes', price: 1n, fee: 1n }, polymarket: { side: 'no', price: 1n, fee: 1n } }));
    expect(tooBig).toThrow(/64-bit/);
    expect(() => again.write((r) => r.audit.append({ actor: 'user', kind: 'k', at: 1.5 }))).toThrow(/not a safe integer/);
    expect(again.generation).toBe(before);
  });

  it('keeps the audit log, verdict history and fills append-only', async () => {
    const d = tmp();
    const db = await opened(d.path());
    seed(db);
    expect(() => db.write(() => db.conn.run('UPDATE audit_log SET kind = ?', ['x']))).toThrow(/append-only/);
    expect(() => db.write(() => db.conn.run('DELETE FROM audit_log'))).toThrow(/append-only/);
    expect(() => db.write(() => db.conn.run('DELETE FROM pair_verdicts'))).toThrow(/append-only/);
    expect(() => db.write(() => db.conn.run('UPDATE fills SET price_e6 = 1'))).toThrow(/immutable/);
  });

  it('records a fill once per (venue, fill id)', async () => {
    const d = tmp();
    const db = await opened(d.path());
    seed(db);
    const again = db.write((r) => r.orders.recordFill({ venue: 'kalshi', venueFillId: 'kf-1', clientOrderId: 'c-1', marketId: 'KXFED-26MAY-T4.00', side: 'yes', action: 'buy', price: 1n, size: 1n, fee: 0n, filledAt: 1 }));
    expect(again).toBe(false);
    expect(db.repos.orders.fillsForOrder('c-1').map((f) => f.price)).toEqual([440_000n]);
  });

  it('rolls back a failed transaction entirely', async () => {
    const d = tmp();
    const db = await opened(d.path());
    const { sessionId } = seed(db);
    const before = db.repos.audit.list().length;
    expect(() =>
      db.write((r) => {
        r.audit.append({ actor: 'user', kind: 'a', sessionId });
        r.orders.insertPending({ clientOrderId: 'c-1', sessionId, venue: 'kalshi', marketId: 'M', side: 'yes', action: 'buy', orderType: 'x', limitPrice: 1n, size: 1n });
      }),
    ).toThrow();
    expect(db.repos.audit.list().length).toBe(before);
  });

  it('the worker mirror writes exactly what the main database holds (random workloads)', async () => {
    const d = tmp();
    const db = await opened(d.path(), 'worker');
    const { sessionId, pairId } = seed(db);
    const op = fc.oneof(
      fc.record({ k: fc.constant('audit' as const), kind: fc.string({ minLength: 1, maxLength: 8 }), detail: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) }),
      fc.record({ k: fc.constant('opp' as const), edge: fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), at: fc.nat({ max: 2 ** 40 }) }),
      fc.record({ k: fc.constant('fail' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), async (txs) => {
        for (const tx of txs) {
          try {
            db.write((r) => {
              for (const o of tx) {
                if (o.k === 'audit') r.audit.append({ actor: 'engine', kind: o.kind, detail: { v: o.detail }, sessionId });
                else if (o.k === 'opp') r.opportunities.open(sessionId, pairId, { at: o.at, netEdge: o.edge, size: 1n, kalshi: { side: 'yes', price: o.edge, fee: 0n }, polymarket: { side: 'no', price: 1n, fee: 0n } });
                else r.audit.append({ actor: 'nobody' as 'user', kind: 'x' }); // CHECK fails: the whole tx rolls back
              }
            });
          } catch (error) {
            if (!(error instanceof Error)) throw error;
          }
        }
        await db.flushNow();
        expect(db.flushMode).toBe('worker');
        const fromFile = await rawOpen(readFileSync(d.path()));
        const fromMain = await rawOpen(db.conn.export());
        expect(dumpRaw(fromFile)).toEqual(dumpRaw(fromMain));
        fromFile.close();
        fromMain.close();
      }),
      { numRuns: 15 },
    );
  });

  it('read-only open takes no lock, writes nothing, and reads a file another process has locked', async () => {
    const d = tmp();
    const writer = await opened(d.path());
    seed(writer);
    await writer.flushNow();
    const bytes = readFileSync(d.path());
    const reader = await openDatabase({ path: d.path(), readOnly: true });
    expect(reader.repos.sessions.list()).toHaveLength(1);
    expect(() => reader.write((r) => r.audit.append({ actor: 'user', kind: 'x' }))).toThrow(/read-only/);
    await reader.close();
    expect(readFileSync(d.path()).equals(bytes)).toBe(true);
    await expect(openDatabase({ path: d.path('missing.db'), readOnly: true })).rejects.toSatisfy((e) => isPersistenceError(e) && e.code === 'not-found');
  });

  it('a second open in the same process is refused while the first holds the lock', async () => {
    const d = tmp();
    await opened(d.path());
    await expect(openDatabase({ path: d.path() })).rejects.toThrow(new RegExp(`pid ${process.pid}`));
  });

  it('removes temp files left by a dead process, keeps others', async () => {
    const d = tmp();
    writeFileSync(d.path('.arb.db.tmp-999999999-deadbeef'), 'partial');
    writeFileSync(d.path('.arb.db.tmp-1-cafe'), 'pid 1 is alive');
    const db = await opened(d.path());
    await db.close();
    expect(readdirSync(d.dir).sort()).toEqual(['.arb.db.tmp-1-cafe', 'arb.db']);
  });
});

describe('app state', () => {
  it('lists the keys with a prefix, taking % and _ in it literally, and deletes a key', async () => {
    const db = await opened(tmp().path(), 'main-thread');
    db.write((r) => {
      for (const key of ['w:%a', 'w:%b', 'w:xa', 'w_x', 'w:', 'v:%a', 'w:%😀']) r.state.set(key, key.toUpperCase());
    });
    expect(db.repos.state.withPrefix('w:%').map(([k]) => k)).toEqual(['w:%a', 'w:%b', 'w:%😀']);
    expect(db.repos.state.withPrefix('w_').map(([k, v]) => [k, v])).toEqual([['w_x', 'W_X']]);
    expect(db.repos.state.withPrefix('w:').map(([k]) => k)).toEqual(['w:', 'w:%a', 'w:%b', 'w:%😀', 'w:xa']);
    db.write((r) => r.state.delete('w:%a'));
    expect(db.repos.state.get('w:%a')).toBeUndefined();
    expect(db.repos.state.withPrefix('w:%').map(([k]) => k)).toEqual(['w:%b', 'w:%😀']);
  });
});
