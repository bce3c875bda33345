/**
 * Opportunity episodes tell what happened: `executed` when a trade was made on one (the trade
 * names it), `expired` otherwise; last_seen_at follows the episode; the episodes a crashed
 * session left open are closed by the next one, saying so (found in review: every episode was
 * recorded as expired, trades named none, a crashed session's stayed open for good).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type ArbDatabase } from '../../source/persistence/database.js';
import type { OpportunityQuote } from '../../source/persistence/repositories/opportunities.js';
import { tempDir } from './helpers.js';

const T0 = Date.UTC(2026, 4, 1, 12);
const open: ArbDatabase[] = [];
const dirs: Array<{ cleanup: () => void }> = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close().catch(() => undefined);
  for (const d of dirs.splice(0)) d.cleanup();
});

async function opened(path?: string): Promise<{ db: ArbDatabase; path: string }> {
  let p = path;
  if (!p) {
    const d = tempDir();
    dirs.push(d);
    p = d.path();
  }
  const db = await openDatabase({ path: p, flushMode: 'main-thread', flushIntervalMs: 60_000, now: () => T0 });
  open.push(db);
  return { db, path: p };
}

const quote = (at: number, kalshi: 'yes' | 'no' = 'yes', polymarket: 'yes' | 'no' = 'no'): OpportunityQuote => ({
  at,
  netEdge: 20_000n,
  size: 10_000_000n,
  kalshi: { side: kalshi, price: 400_000n, fee: 70_000n },
  polymarket: { side: polymarket, price: 500_000n, fee: 150_000n },
});

function session(db: ArbDatabase, at: number): { sessionId: number; pairId: number } {
  return db.write((r) => {
    const s = r.sessions.start({ mode: 'paper', demo: false, appVersion: 'test', configDigest: 'sha256:x', startedAt: at });
    const pair = r.pairs.ensureCandidate({ kalshiMarketId: 'KXA-26-X', polymarketMarketId: '0xa', relation: 'same', sessionId: s.id, at });
    return { sessionId: s.id, pairId: pair.id };
  });
}

function trade(db: ArbDatabase, sessionId: number, pairId: number, opportunityId: number | null, at: number): number {
  return db.write((r) => r.trades.create({ sessionId, pairId, opportunityId, plannedSize: 5_000_000n, expectedEdge: 20_000n, expectedPnl: 100_000n, at }));
}

describe('opportunity episodes', () => {
  it('close as executed when a trade names the episode (the reason names the trades), as expired otherwise', async () => {
    const { db } = await opened();
    const { sessionId, pairId } = session(db, T0);
    const traded = db.write((r) => r.opportunities.open(sessionId, pairId, quote(T0)));
    const untraded = db.write((r) => r.opportunities.open(sessionId, pairId, quote(T0, 'no', 'yes')));
    const a = trade(db, sessionId, pairId, traded, T0 + 100);
    const b = trade(db, sessionId, pairId, traded, T0 + 200);
    trade(db, sessionId, pairId, null, T0 + 300);
    expect(db.repos.opportunities.tradesOf(traded)).toEqual([a, b]);
    expect(db.write((r) => r.opportunities.finish(traded, { reason: 'gone', at: T0 + 1_000, lastSeenAt: T0 + 900 }))).toBe('executed');
    expect(db.write((r) => r.opportunities.finish(untraded, { reason: 'gone', at: T0 + 1_000 }))).toBe('expired');
    expect(db.repos.opportunities.get(traded)).toMatchObject({ outcome: 'executed', outcomeReason: `trades ${a}, ${b} made on it; gone`, closedAt: T0 + 1_000, lastSeenAt: T0 + 900 });
    expect(db.repos.opportunities.get(untraded)).toMatchObject({ outcome: 'expired', outcomeReason: 'gone', closedAt: T0 + 1_000, lastSeenAt: T0 });
    // closed once
    expect(() => db.write((r) => r.opportunities.finish(traded, { reason: 'gone' }))).toThrow(/no open opportunity/);
  });

  it('seen() moves last_seen_at forward only, and not on a closed episode; a close never moves it back', async () => {
    const { db } = await opened();
    const { sessionId, pairId } = session(db, T0);
    const id = db.write((r) => r.opportunities.open(sessionId, pairId, quote(T0)));
    db.write((r) => r.opportunities.seen(id, T0 + 3_000));
    db.write((r) => r.opportunities.seen(id, T0 + 2_000));
    expect(db.repos.opportunities.get(id)?.lastSeenAt).toBe(T0 + 3_000);
    db.write((r) => r.opportunities.close(id, 'expired', { reason: 'gone', at: T0 + 4_000, lastSeenAt: T0 + 2_500 }));
    expect(db.repos.opportunities.get(id)?.lastSeenAt).toBe(T0 + 3_000);
    db.write((r) => r.opportunities.seen(id, T0 + 9_000));
    expect(db.repos.opportunities.get(id)?.lastSeenAt).toBe(T0 + 3_000);
  });

  it("openEpisodeOf finds the session's open episode of a pair's direction, and nothing else", async () => {
    const { db } = await opened();
    const { sessionId, pairId } = session(db, T0);
    const closed = db.write((r) => r.opportunities.open(sessionId, pairId, quote(T0)));
    db.write((r) => r.opportunities.close(closed, 'expired', { at: T0 + 1 }));
    const yesNo = db.write((r) => r.opportunities.open(sessionId, pairId, quote(T0 + 10)));
    const noYes = db.write((r) => r.opportunities.open(sessionId, pairId, quote(T0 + 10, 'no', 'yes')));
    const repo = db.repos.opportunities;
    expect(repo.openEpisodeOf(sessionId, pairId, 'yes', 'no')).toBe(yesNo);
    expect(repo.openEpisodeOf(sessionId, pairId, 'no', 'yes')).toBe(noYes);
    expect(repo.openEpisodeOf(sessionId, pairId, 'yes', 'yes')).toBeNull();
    expect(repo.openEpisodeOf(sessionId + 1, pairId, 'yes', 'no')).toBeNull();
    expect(repo.openEpisodeOf(sessionId, pairId + 1, 'yes', 'no')).toBeNull();
  });

  it('the episodes earlier sessions left open are closed at their last sighting, saying which session left them and why; the current session\'s stay open', async () => {
    const first = await opened();
    const crashed = session(first.db, T0);
    const lost = first.db.write((r) => r.opportunities.open(crashed.sessionId, crashed.pairId, quote(T0)));
    first.db.write((r) => r.opportunities.seen(lost, T0 + 4_000));
    const tradedLost = first.db.write((r) => r.opportunities.open(crashed.sessionId, crashed.pairId, quote(T0 + 1_000, 'no', 'yes')));
    const t = trade(first.db, crashed.sessionId, crashed.pairId, tradedLost, T0 + 1_500);
    const done = first.db.write((r) => r.opportunities.open(crashed.sessionId, crashed.pairId, quote(T0, 'yes', 'yes')));
    first.db.write((r) => r.opportunities.finish(done, { reason: 'gone', at: T0 + 500 }));
    // a session that ended without closing one (its final save of the episodes failed)
    const ended = session(first.db, T0 + 10_000);
    const leftByEnded = first.db.write((r) => r.opportunities.open(ended.sessionId, ended.pairId, quote(T0 + 11_000)));
    first.db.write((r) => r.sessions.end(ended.sessionId, { endedAt: T0 + 12_000, reason: 'quit' }));
    // the process dies: the database holds what was saved, the first session never ended
    await first.db.close();
    open.splice(0);

    const { db } = await opened(first.path);
    const now = session(db, T0 + 60_000);
    const mine = db.write((r) => r.opportunities.open(now.sessionId, now.pairId, quote(T0 + 60_000)));
    expect(db.write((r) => r.opportunities.closeLeftOpen(now.sessionId))).toBe(3);
    const repo = db.repos.opportunities;
    expect(repo.get(lost)).toMatchObject({
      outcome: 'expired',
      outcomeReason: `left open by session ${crashed.sessionId}, which never ended: it crashed or was killed; closed at the start of session ${now.sessionId}, as of its last sighting`,
      closedAt: T0 + 4_000,
      lastSeenAt: T0 + 4_000,
    });
    expect(repo.get(tradedLost)).toMatchObject({
      outcome: 'executed',
      outcomeReason: `trade ${t} made on it; left open by session ${crashed.sessionId}, which never ended: it crashed or was killed; closed at the start of session ${now.sessionId}, as of its last sighting`,
      closedAt: T0 + 1_000,
    });
    expect(repo.get(leftByEnded)).toMatchObject({
      outcome: 'expired',
      outcomeReason: `left open by session ${ended.sessionId}, which ended without closing it; closed at the start of session ${now.sessionId}, as of its last sighting`,
      closedAt: T0 + 11_000,
    });
    expect(repo.get(done)).toMatchObject({ outcome: 'expired', outcomeReason: 'gone', closedAt: T0 + 500 });
    expect(repo.get(mine)?.outcome).toBeNull();
    // nothing left to close
    expect(db.write((r) => r.opportunities.closeLeftOpen(now.sessionId))).toBe(0);
  });
});
