/**
 * Pair verdicts kept in the database (DbVerdictStore): who approved a pair survives a restart,
 * so that a later run revokes an approval the config (or the demo) gave once it no longer lists
 * the pair, and never one a person gave.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DbVerdictStore, PAIRS_PER_WRITE, Recorder } from '../../source/app/recorder.js';
import { testMarket } from '../helpers/market.js';
import type { Opportunity } from '../../source/engine/detector.js';
import type { EngineEvent } from '../../source/engine/engine.js';
import type { VenueStatus } from '../../source/store/store.js';
import { C, defaultBooks, opportunity } from '../engine/execution/helpers.js';
import { isUnlistedRevocation, noLongerOpenReason, PairRegistry, type RegistryInput } from '../../source/engine/registry.js';
import { openDatabase, type ArbDatabase } from '../../source/persistence/database.js';
import { tempDir } from '../persistence/helpers.js';

const T0 = Date.UTC(2026, 4, 1, 12);
const input = (kalshi: string, polymarket: string): RegistryInput => ({ key: `${kalshi}|${polymarket}`, relation: 'same', fingerprint: { kalshi: `k-${kalshi}`, polymarket: `p-${polymarket}` } });
const CONFIG = input('KXA-26-X', '0xa');
const USER = input('KXB-26-X', '0xb');
const DEMO = input('KXC-26-X', '0xc');

/** One session on the database at `path` at time `t`: its registry, database and id, closed after `body`. */
async function run(path: string, t: number, body: (registry: PairRegistry, db: ArbDatabase, sessionId: number) => Promise<void>): Promise<void> {
  const db = await openDatabase({ path, now: () => t });
  const sessionId = db.write((r) => r.sessions.start({ mode: 'monitor', demo: false, appVersion: 'test', configDigest: 'sha256:x', startedAt: t })).id;
  try {
    await body(new PairRegistry(new DbVerdictStore(db, () => sessionId), () => t), db, sessionId);
  } finally {
    await db.close();
  }
}

describe('DbVerdictStore', () => {
  const dirs: Array<{ cleanup: () => void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });


  it('a later run revokes the approvals the config and the demo gave to pairs it no longer lists, with who, when and why; a person\'s stays', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = dir.path();
    await run(path, T0, async (registry) => {
      await registry.approve(CONFIG, 'config', 'listed in config');
      await registry.approve(USER, 'user', 'checked by hand');
      await registry.approve(DEMO, 'demo', 'planted');
    });
    await run(path, T0 + 60_000, async (registry, db, sessionId) => {
      expect(registry.verdict(CONFIG.key)?.decidedBy).toBe('config');
      expect(registry.verdict(USER.key)?.decidedBy).toBe('user');
      expect(registry.verdict(DEMO.key)?.decidedBy).toBe('demo');
      const revoked = await registry.revokeUnlisted(new Set());
      expect(revoked.map((v) => [v.key, v.reason])).toEqual([
        [CONFIG.key, 'approval revoked: no longer listed in the config'],
        [DEMO.key, "approval revoked: no longer one of the demo's planted pairs"],
      ]);
      expect(registry.statusOf(CONFIG.key)).toBe('candidate');
      expect(registry.statusOf(DEMO.key)).toBe('candidate');
      expect(registry.statusOf(USER.key)).toBe('approved');
      const pair = db.repos.pairs.list().find((p) => p.kalshiMarketId === 'KXA-26-X')!;
      expect(pair.verdict).toBe('revoked');
      expect(db.repos.pairs.history(pair.id).map((h) => [h.verdict, h.decidedBy, h.reason, h.at, h.sessionId])).toEqual([
        ['candidate', 'matcher', null, T0, 1],
        ['approved', 'engine', '[config] listed in config', T0, 1],
        ['revoked', 'engine', 'approval revoked: no longer listed in the config', T0 + 60_000, sessionId],
      ]);
      expect(db.repos.audit.list({ sessionId }).map((a) => [a.actor, a.kind, a.subject])).toEqual([
        ['engine', 'pair-revoked', CONFIG.key],
        ['engine', 'pair-revoked', DEMO.key],
      ]);
    });
    // after a restart: known as revoked because it was no longer listed (listing it again approves it again)
    await run(path, T0 + 120_000, async (registry) => {
      const v = registry.verdict(CONFIG.key)!;
      expect(v).toMatchObject({ status: 'candidate', decidedBy: 'engine' });
      expect(isUnlistedRevocation(v)).toBe(true);
      expect(await registry.revokeUnlisted(new Set())).toEqual([]);
      expect(await registry.approveListed(CONFIG, 'config', 'listed in config')).toMatchObject({ status: 'approved', decidedBy: 'config' });
      expect(await registry.approveListed(USER, 'config', 'listed in config')).toBeNull();
    });
  });
});

describe('DbVerdictStore: a market that left the catalog', () => {
  const dirs: Array<{ cleanup: () => void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });

  it("revokes the approval (a person's or a list's) with who, when and why, kept across a restart; listing the pair does not give it back", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = dir.path();
    const reason = noLongerOpenReason([{ venue: 'kalshi', marketId: 'KXB-26-X' }]);
    expect(reason).toBe('approval revoked: kalshi market KXB-26-X is no longer open (closed, paused or delisted)');
    await run(path, T0, async (registry) => {
      await registry.approve(USER, 'user', 'checked by hand');
      await registry.approve(CONFIG, 'config', 'listed in config');
    });
    await run(path, T0 + 60_000, async (registry, db, sessionId) => {
      expect(registry.approved().map((v) => v.key).sort()).toEqual([CONFIG.key, USER.key].sort());
      expect(await registry.revoke(USER.key, reason)).toMatchObject({ status: 'candidate', decidedBy: 'engine', reason, at: T0 + 60_000 });
      expect(await registry.revoke(USER.key, reason)).toBeNull();
      const pair = db.repos.pairs.list().find((p) => p.kalshiMarketId === 'KXB-26-X')!;
      expect(pair.verdict).toBe('revoked');
      expect(db.repos.pairs.history(pair.id).at(-1)).toMatchObject({ verdict: 'revoked', decidedBy: 'engine', reason, at: T0 + 60_000, sessionId });
      expect(db.repos.audit.list({ sessionId }).map((a) => [a.actor, a.kind, a.subject])).toEqual([['engine', 'pair-revoked', USER.key]]);
      await registry.revoke(CONFIG.key, noLongerOpenReason([{ venue: 'polymarket', marketId: '0xa' }]));
    });
    await run(path, T0 + 120_000, async (registry) => {
      expect(registry.verdict(USER.key)).toMatchObject({ status: 'candidate', decidedBy: 'engine', reason });
      expect(registry.approved()).toEqual([]);
      expect(isUnlistedRevocation(registry.verdict(CONFIG.key)!)).toBe(false);
      expect(await registry.approveListed(CONFIG, 'config', 'listed in config')).toBeNull();
    });
  });
});

describe('Recorder: opportunity episodes', () => {
  const dirs: Array<{ cleanup: () => void }> = [];
  const dbs: ArbDatabase[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.close().catch(() => undefined);
    for (const d of dirs.splice(0)) d.cleanup();
  });

  async function start(path: string, t: number): Promise<{ db: ArbDatabase; sessionId: number; recorder: Recorder }> {
    const db = await openDatabase({ path, flushMode: 'main-thread', flushIntervalMs: 60_000, now: () => t });
    dbs.push(db);
    const sessionId = db.write((r) => r.sessions.start({ mode: 'paper', demo: false, appVersion: 'test', configDigest: 'sha256:x', startedAt: t })).id;
    return { db, sessionId, recorder: new Recorder(db, sessionId) };
  }
  const freshPath = (): string => {
    const dir = tempDir();
    dirs.push(dir);
    return dir.path();
  };
  /** The YES/NO opportunity of the execution tests' pair, computed at `at` (size: its figures). */
  const seenAt = (at: number, size = 10n * C): Opportunity => opportunity(defaultBooks(at), size, at);
  /** A books refresh as the engine reports it (nothing about the opportunities). */
  const tick: EngineEvent = { type: 'venue-status', status: { venue: 'kalshi', state: 'live' } as VenueStatus };

  it('keeps last_seen_at current while the engine holds the episode, at most once a second, and at close the last quote that showed it', async () => {
    const { db, sessionId, recorder } = await start(freshPath(), T0);
    const writes: number[] = [];
    db.conn.onCommitted(() => writes.push(1));
    recorder.record({ type: 'opportunity-opened', opportunity: seenAt(T0) }, T0);
    const [row] = db.repos.opportunities.listBySession(sessionId);
    const id = row!.id;
    const lastSeen = (): number | undefined => db.repos.opportunities.get(id)?.lastSeenAt;
    writes.length = 0;
    // books every 250 ms, the figures unchanged (no event about the opportunity)
    for (let t = T0 + 250; t <= T0 + 2_750; t += 250) recorder.record(tick, t);
    expect(lastSeen()).toBe(T0 + 2_000);
    expect(writes).toHaveLength(2); // at +1 s and +2 s, not at every refresh
    // a figure changes: the quote's time
    recorder.record({ type: 'opportunity-updated', opportunity: seenAt(T0 + 3_100, 5n * C) }, T0 + 3_100);
    expect(lastSeen()).toBe(T0 + 3_100);
    recorder.record(tick, T0 + 3_600);
    expect(lastSeen()).toBe(T0 + 3_100);
    // gone at +5 s; the last pass that found it ran at +4.5 s
    recorder.record({ type: 'opportunity-closed', opportunity: seenAt(T0 + 4_500, 5n * C), reason: 'gone' }, T0 + 5_000);
    expect(db.repos.opportunities.get(id)).toMatchObject({ outcome: 'expired', outcomeReason: 'gone', lastSeenAt: T0 + 4_500, closedAt: T0 + 5_000 });
    writes.length = 0;
    recorder.record(tick, T0 + 9_000);
    expect(writes).toHaveLength(0);
  });

  it('an episode a trade was made on closes as executed, the trade naming it', async () => {
    const { db, sessionId, recorder } = await start(freshPath(), T0);
    const o = seenAt(T0);
    recorder.record({ type: 'opportunity-opened', opportunity: o }, T0);
    const episode = db.repos.opportunities.listBySession(sessionId)[0]!.id;
    // what the executor writes when it starts an attempt on it
    const tradeId = db.write((r) => {
      const pair = r.pairs.find(o.legs[0].market.id, o.legs[1].market.id)!;
      return r.trades.create({
        sessionId,
        pairId: pair.id,
        opportunityId: r.opportunities.openEpisodeOf(sessionId, pair.id, o.legs[0].side, o.legs[1].side),
        plannedSize: 5n * C,
        expectedEdge: 1n,
        expectedPnl: 5n,
        at: T0 + 10,
      });
    });
    expect(db.repos.trades.get(tradeId)?.opportunityId).toBe(episode);
    recorder.record({ type: 'opportunity-closed', opportunity: seenAt(T0 + 400), reason: 'gone' }, T0 + 500);
    expect(db.repos.opportunities.get(episode)).toMatchObject({ outcome: 'executed', outcomeReason: `trade ${tradeId} made on it; gone`, closedAt: T0 + 500 });
  });

  it('the session ending closes what is open, seen until then; a crashed session\'s episodes are closed by the next start, saying so', async () => {
    const path = freshPath();
    const first = await start(path, T0);
    first.recorder.record({ type: 'opportunity-opened', opportunity: seenAt(T0) }, T0);
    first.recorder.record(tick, T0 + 1_500);
    // the process dies here: what was saved stays, nothing was closed, the session never ended
    await first.db.close();

    const second = await start(path, T0 + 60_000);
    expect(second.recorder.closedLeftOpen).toBe(1);
    const [lost] = second.db.repos.opportunities.listBySession(first.sessionId);
    expect(lost).toMatchObject({
      outcome: 'expired',
      outcomeReason: `left open by session ${first.sessionId}, which never ended: it crashed or was killed; closed at the start of session ${second.sessionId}, as of its last sighting`,
      lastSeenAt: T0 + 1_500,
      closedAt: T0 + 1_500,
    });
    second.recorder.record({ type: 'opportunity-opened', opportunity: seenAt(T0 + 61_000) }, T0 + 61_000);
    second.recorder.closeOpenEpisodes(T0 + 70_000);
    expect(second.db.repos.opportunities.listBySession(second.sessionId)).toEqual([
      expect.objectContaining({ outcome: 'expired', outcomeReason: 'session ended', lastSeenAt: T0 + 70_000, closedAt: T0 + 70_000 }),
    ]);
    // an orderly session leaves nothing for the next one
    second.db.write((r) => r.sessions.end(second.sessionId, { endedAt: T0 + 70_000, reason: 'quit' }));
    await second.db.close();
    const third = await start(path, T0 + 120_000);
    expect(third.recorder.closedLeftOpen).toBe(0);
  });
});

describe('Recorder: proposed pairs', () => {
  const dirs: Array<{ cleanup: () => void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });

  const proposed = (i: number): EngineEvent => {
    const kalshi = testMarket('kalshi', { id: `KXP-26-${i}`, eventId: 'KXP-26', title: `Pair ${i}?` });
    const polymarket = testMarket('polymarket', { id: `0x${i.toString(16).padStart(64, '0')}`, eventId: 'p', title: `Pair ${i}?` });
    return {
      type: 'pair-proposed',
      pair: { key: `${kalshi.id}|${polymarket.id}`, kalshi, polymarket, relation: i % 2 === 0 ? 'same' : 'inverse', polymarketOutcome: 'Yes', status: 'candidate', confidence: 900_000n, reasons: [], warnings: [] },
    };
  };

  async function open(): Promise<{ db: ArbDatabase; sessionId: number }> {
    const dir = tempDir();
    dirs.push(dir);
    const db = await openDatabase({ path: dir.path(), now: () => T0 });
    const sessionId = db.write((r) => r.sessions.start({ mode: 'monitor', demo: false, appVersion: 'test', configDigest: 'sha256:x', startedAt: T0 })).id;
    return { db, sessionId };
  }

  it('a rematch\'s thousands are written once its events end, a few thousand to a transaction, one transaction per turn of the event loop', async () => {
    const { db, sessionId } = await open();
    const commits: number[] = [];
    const recorder = new Recorder(db, sessionId);
    const n = PAIRS_PER_WRITE * 2 + 500;
    for (let i = 0; i < n; i += 1) recorder.record(proposed(i), T0 + i);
    // nothing yet: the engine is still proposing
    expect(db.repos.pairs.list()).toHaveLength(0);
    await Promise.resolve();
    commits.push(db.repos.pairs.list().length);
    await new Promise((resolve) => setImmediate(resolve));
    commits.push(db.repos.pairs.list().length);
    await new Promise((resolve) => setImmediate(resolve));
    commits.push(db.repos.pairs.list().length);
    expect(commits).toEqual([PAIRS_PER_WRITE, PAIRS_PER_WRITE * 2, n]);
    // each pair and its two markets, as when they were written one by one
    const pairs = db.repos.pairs.list();
    expect(new Set(pairs.map((p) => `${p.kalshiMarketId}|${p.polymarketMarketId}`)).size).toBe(n);
    const last = pairs.find((p) => p.kalshiMarketId === `KXP-26-${n - 1}`)!;
    expect(last).toMatchObject({ relation: (n - 1) % 2 === 0 ? 'same' : 'inverse', verdict: 'candidate', createdAt: T0 + n - 1 });
    expect(db.repos.markets.get('kalshi', `KXP-26-${n - 1}`)).toMatchObject({ title: `Pair ${n - 1}?`, firstSeenAt: T0 + n - 1 });
    expect(db.repos.markets.get('polymarket', `0x${(n - 1).toString(16).padStart(64, '0')}`)).not.toBeNull();
    await db.close();
  });

  it('the end of a session writes every pair still held; a failed write is said (how many pairs), its markets written with the next pair naming them', async () => {
    const { db, sessionId } = await open();
    const failures: string[] = [];
    const recorder = new Recorder(db, sessionId, (error) => failures.push(error.message));
    for (let i = 0; i < PAIRS_PER_WRITE * 2 + 10; i += 1) recorder.record(proposed(i), T0);
    await recorder.writePairs();
    expect(db.repos.pairs.list()).toHaveLength(PAIRS_PER_WRITE * 2 + 10);
    // the turns queued meanwhile find nothing left
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.repos.pairs.list()).toHaveLength(PAIRS_PER_WRITE * 2 + 10);
    // a write that fails once record has returned: said to onWriteError, with the pairs it held
    const broken = proposed(999_999);
    (broken as { pair: { key: string } }).pair.key = 'no separator here';
    recorder.record(broken, T0);
    await Promise.resolve();
    expect(failures).toEqual(['1 proposed pair not written: bad pair key no separator here']);
    expect(db.repos.markets.get('kalshi', 'KXP-26-999999')).toBeUndefined();
    // its markets are not taken as written: the next pair naming them writes them
    recorder.record(proposed(999_999), T0);
    await Promise.resolve();
    expect(db.repos.markets.get('kalshi', 'KXP-26-999999')).toBeDefined();
    // at the end of a session a failed write is thrown
    recorder.record(broken, T0);
    await expect(recorder.writePairs()).rejects.toThrow('1 proposed pair not written: bad pair key no separator here');
    await db.close();
    // after the database closed: nothing written, nothing thrown
    recorder.record(proposed(1_000_000), T0);
    await Promise.resolve();
    await recorder.writePairs();
    expect(failures).toHaveLength(1);
  });
});
