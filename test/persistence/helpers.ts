import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { loadSqlJs } from '../../source/persistence/sqljs.js';
import type { ArbDatabase } from '../../source/persistence/database.js';

export function tempDir(prefix = 'arb-db-'): { dir: string; path: (name?: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name = 'arb.db') => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every table's rows as text (exact integers), for comparing two databases. */
export function dumpRaw(db: Database): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const tables = db.exec("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")[0]?.values ?? [];
  for (const [name] of tables) {
    const stmt = db.prepare(`SELECT * FROM "${String(name)}" ORDER BY rowid`);
    const rows: string[] = [];
    const get = stmt.get.bind(stmt) as unknown as (p: null, o: { useBigInt: boolean }) => unknown[];
    while (stmt.step()) rows.push(JSON.stringify(get(null, { useBigInt: true }), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
    stmt.free();
    out[String(name)] = rows;
  }
  return out;
}

/** Open the file's bytes with plain sql.js (independent of our open path). */
export async function rawOpen(bytes: Uint8Array): Promise<Database> {
  const SQL = await loadSqlJs();
  return new SQL.Database(bytes);
}

/** Minimal realistic content: a session, markets (hostile titles), a pair, an opportunity, a trade with two orders and fills. */
export function seed(db: ArbDatabase, t0 = Date.UTC(2026, 4, 1, 12, 0, 0)): { sessionId: number; pairId: number; tradeId: number } {
  return db.write((r) => {
    const s = r.sessions.start({ mode: 'paper', demo: true, appVersion: '0.1.0', configDigest: 'sha256:abc', startedAt: t0 });
    r.markets.seen({ venue: 'kalshi', marketId: 'KXFED-26MAY-T4.00', eventId: 'KXFED-26MAY', title: 'Fed rate "above" 4.00%, May 2026', rulesDigest: 'r1', closeTime: t0 + 86_400_000, sessionId: s.id, seenAt: t0 });
    r.markets.seen({ venue: 'polymarket', marketId: '0xabc', eventId: 'ev1', yesTokenId: '111', noTokenId: '222', title: '=HYPERLINK("http://evil","Fed above 4%?")', rulesDigest: 'p1', closeTime: t0 + 86_400_000, sessionId: s.id, seenAt: t0 });
    const pair = r.pairs.ensureCandidate({ kalshiMarketId: 'KXFED-26MAY-T4.00', polymarketMarketId: '0xabc', relation: 'same', score: 912_345n, sessionId: s.id, at: t0 });
    r.pairs.setVerdict(pair.id, { verdict: 'approved', decidedBy: 'user', reason: 'same threshold,\nsame date', sessionId: s.id, at: t0 + 1000 });
    const opp = r.opportunities.open(s.id, pair.id, {
      at: t0 + 2000,
      netEdge: 21_500n,
      size: 150_000_000n,
      kalshi: { side: 'yes', price: 440_000n, fee: 2_600_000n },
      polymarket: { side: 'no', price: 520_000n, fee: 1_400_000n },
    });
    const tradeId = r.trades.create({ sessionId: s.id, pairId: pair.id, opportunityId: opp, plannedSize: 100_000_000n, expectedEdge: 21_500n, expectedPnl: 2_150_000n, at: t0 + 3000 });
    r.orders.insertPending({ clientOrderId: 'c-1', sessionId: s.id, tradeId, venue: 'kalshi', marketId: 'KXFED-26MAY-T4.00', side: 'yes', action: 'buy', orderType: 'limit-ioc', limitPrice: 440_000n, size: 100_000_000n, at: t0 + 3000 });
    r.orders.insertPending({ clientOrderId: 'c-2', sessionId: s.id, tradeId, venue: 'polymarket', marketId: '0xabc', side: 'no', action: 'buy', orderType: 'limit-fak', limitPrice: 520_000n, size: 100_000_000n, at: t0 + 3000 });
    r.orders.recordFill({ venue: 'kalshi', venueFillId: 'kf-1', clientOrderId: 'c-1', sessionId: s.id, marketId: 'KXFED-26MAY-T4.00', side: 'yes', action: 'buy', price: 440_000n, size: 100_000_000n, fee: 1_730_000n, isTaker: true, filledAt: t0 + 3100, receivedAt: t0 + 3150 });
    r.orders.recordFill({ venue: 'polymarket', venueFillId: '@pf-1', clientOrderId: 'c-2', sessionId: s.id, marketId: '0xabc', side: 'no', action: 'buy', price: 519_900n, size: 100_000_000n, fee: 998_400n, isTaker: true, filledAt: t0 + 3200, receivedAt: t0 + 3250 });
    r.trades.update(tradeId, { status: 'filled', hedgedSize: 100_000_000n, realisedPnl: 1_281_600n, at: t0 + 4000 });
    r.opportunities.close(opp, 'executed', { at: t0 + 4000 });
    r.audit.append({ actor: 'user', kind: 'approve-trade', subject: String(tradeId), detail: { size: 100_000_000n }, sessionId: s.id, at: t0 + 2500 });
    r.sessions.end(s.id, { endedAt: t0 + 60_000, reason: 'quit' });
    return { sessionId: s.id, pairId: pair.id, tradeId };
  });
}
