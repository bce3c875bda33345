import { describe, expect, it } from 'vitest';
import { Engine, type EngineEvent, type EngineSettings, type PresetPair } from '../../source/engine/engine.js';
import { MemoryVerdictStore, PairRegistry } from '../../source/engine/registry.js';
import type { Market } from '../../source/domain/market.js';
import { parseDecimal } from '../../source/domain/money.js';
import { normaliseAsks, type OrderBook } from '../../source/domain/order-book.js';
import { Store, type PairView } from '../../source/store/store.js';
import { MalformedVenueError, RejectedVenueError, RetryableVenueError } from '../../source/venues/errors.js';
import { createSimulatedVenues } from '../../source/venues/simulated/venue.js';
import { PLANTED_PAIRS } from '../../source/venues/simulated/planted-pairs.js';
import { FakeVenue } from '../helpers/fake-venue.js';
import { testMarket } from '../helpers/market.js';
import { syntheticCatalog } from '../../source/bench/matching.js';
import { Matcher } from '../../source/matching/matcher.js';

const d = (s: string): bigint => parseDecimal(s);
const DAY = 86_400_000;

const detector = {
  thresholds: {
    minNetProfit: d('0.01'),
    minRoi: 0n,
    minAnnualizedReturn: 0n,
    maxSizePerTrade: d('100'),
    maxCapitalPerPair: d('500'),
    staleQuoteMs: 5_000,
  },
  kalshiFeeRounding: 'centicent' as const,
};

function settings(presetPairs: readonly PresetPair[] = []): EngineSettings {
  return { catalogIntervalMs: 60_000, booksIntervalMs: 2_000, candidateBooksIntervalMs: 10_000, minPairConfidence: 0.6, detector, presetPairs };
}

function harness(
  venues: { kalshi: FakeVenue | ReturnType<typeof createSimulatedVenues>['kalshi']; polymarket: FakeVenue | ReturnType<typeof createSimulatedVenues>['polymarket'] },
  presets: readonly PresetPair[],
  clock: { t: number },
  /** The verdicts an earlier run left (a later run on the same database). */
  verdicts = new MemoryVerdictStore(),
  /** The matcher the engine uses (default: its own). */
  matcher?: Matcher,
) {
  const now = () => clock.t;
  const store = new Store({ now, minIntervalMs: 0, setTimer: () => 0, clearTimer: () => undefined });
  const registry = new PairRegistry(verdicts, now);
  const events: EngineEvent[] = [];
  const engine = new Engine({ venues, store, registry, settings: settings(presets), now, onEvent: (e) => events.push(e), ...(matcher ? { matcher } : {}) });
  return { engine, store, verdicts, events };
}

// ---- a hand-made pair ---------------------------------------------------------

function market(venue: 'kalshi' | 'polymarket', id: string, title: string, overrides: Partial<Market> = {}): Market {
  return testMarket(venue, { id, eventId: 'EV', eventTitle: title, title, closeTime: Date.UTC(2027, 0, 1), rules: 'Resolves Yes if it happens.', ...overrides });
}

function book(venue: 'kalshi' | 'polymarket', id: string, yes: string, no: string, at: number): OrderBook {
  return {
    venue,
    marketId: id,
    yesAsks: normaliseAsks([{ price: d(yes), size: d('50') }]),
    noAsks: normaliseAsks([{ price: d(no), size: d('50') }]),
    venueTime: null,
    receivedAt: at,
  };
}

function crossedPair(clock: { t: number }) {
  const kalshi = new FakeVenue('kalshi');
  const polymarket = new FakeVenue('polymarket');
  kalshi.markets = [market('kalshi', 'KXTEST-27-X', 'Will X happen before 2027?')];
  polymarket.markets = [market('polymarket', '0xaa', 'Will X happen before 2027?')];
  kalshi.books.set('KXTEST-27-X', book('kalshi', 'KXTEST-27-X', '0.40', '0.62', clock.t));
  polymarket.books.set('0xaa', book('polymarket', '0xaa', '0.55', '0.50', clock.t));
  const preset: PresetPair = { kalshiTicker: 'KXTEST-27-X', polymarketConditionId: '0xaa', relation: 'same', decidedBy: 'config', note: null };
  return { kalshi, polymarket, preset };
}

describe('Engine', () => {
  it('one cycle: preset pair approved, opportunity opened with every figure, events in order', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const h = harness({ kalshi, polymarket }, [preset], clock);
    const found = await h.engine.runOnce();
    expect(found).toHaveLength(1);
    const o = found[0]!;
    expect(o.tradable).toBe(true);
    expect(o.netProfit).toBeGreaterThan(0n);
    expect(h.verdicts.history.map((v) => [v.status, v.decidedBy])).toEqual([['approved', 'config']]);
    const types = h.events.map((e) => e.type);
    expect(types.filter((t) => t === 'venue-status').length).toBeGreaterThanOrEqual(2);
    expect(types).toContain('pair-proposed');
    expect(types.at(-1)).toBe('opportunity-opened');
    h.store.flush();
    expect(h.store.getSnapshot().opportunities).toHaveLength(1);
    expect(h.store.getSnapshot().venues.kalshi.state).toBe('live');
  });

  it('a listed pair whose relation the matcher reads the other way round keeps the listed relation, with a warning on the pair and in the log', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const h = harness({ kalshi, polymarket }, [{ ...preset, relation: 'inverse' }], clock);
    await h.engine.runOnce();
    h.store.flush();
    const pair = h.store.getSnapshot().pairs.find((p) => p.key === 'KXTEST-27-X|0xaa');
    expect(pair).toMatchObject({ status: 'approved', relation: 'inverse' });
    expect(pair?.warnings[0]).toMatch(/^relation: config says inverse, the matcher reads same/);
    expect(h.store.getSnapshot().log.filter((l) => l.message.includes('the matcher reads same'))).toHaveLength(1);
    // said once, not at every rematch
    await h.engine.runOnce();
    h.store.flush();
    expect(h.store.getSnapshot().log.filter((l) => l.message.includes('the matcher reads same'))).toHaveLength(1);
    // the same relation: no warning
    const agreed = harness({ kalshi, polymarket }, [preset], clock);
    await agreed.engine.runOnce();
    agreed.store.flush();
    expect(agreed.store.getSnapshot().pairs.find((p) => p.key === 'KXTEST-27-X|0xaa')?.warnings.some((w) => w.startsWith('relation:'))).toBe(false);
  });

  it('closes the episode when the books uncross, and updates only when figures change', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const h = harness({ kalshi, polymarket }, [preset], clock);
    await h.engine.runOnce();
    clock.t += 1_000;
    kalshi.books.set('KXTEST-27-X', book('kalshi', 'KXTEST-27-X', '0.40', '0.62', clock.t));
    await h.engine.refreshBooks('approved');
    expect(h.events.filter((e) => e.type === 'opportunity-updated')).toHaveLength(0);
    kalshi.books.set('KXTEST-27-X', book('kalshi', 'KXTEST-27-X', '0.42', '0.62', clock.t));
    await h.engine.refreshBooks('approved');
    expect(h.events.filter((e) => e.type === 'opportunity-updated')).toHaveLength(1);
    kalshi.books.set('KXTEST-27-X', book('kalshi', 'KXTEST-27-X', '0.52', '0.50', clock.t));
    await h.engine.refreshBooks('approved');
    expect(h.events.at(-1)).toMatchObject({ type: 'opportunity-closed', reason: 'gone' });
    h.store.flush();
    expect(h.store.getSnapshot().opportunities).toHaveLength(0);
    expect(h.store.getSnapshot().closed).toHaveLength(1);
  });

  it('a requote says why there is no quote at a size: below a minimum order, or the opportunity gone', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    polymarket.markets = [{ ...(polymarket.markets[0] as Market), minOrderSize: d('5') }];
    const h = harness({ kalshi, polymarket }, [preset], clock);
    const [o] = await h.engine.runOnce();
    expect(o).toBeDefined();
    if (!o) return;
    const five = h.engine.requote(o.id, d('5'));
    expect('unavailable' in five ? null : five.size).toBe(d('5'));
    expect(h.engine.requote(o.id, d('2'))).toEqual({ unavailable: 'below the least both venues take, 5 contracts' });
    expect(h.engine.requote('nothing#yes-no', d('5'))).toEqual({ unavailable: 'this opportunity is gone (the books moved)' });
  });

  it("sizes opportunities and requotes to the trading account's limits once it has some, and again when they change", async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const h = harness({ kalshi, polymarket }, [preset], clock);
    const [o] = await h.engine.runOnce();
    if (!o) throw new Error('expected an opportunity');
    expect(o.size).toBe(d('50'));
    const asked: string[] = [];
    let kalshiFree = d('10');
    h.engine.setAccount(() => (k, p) => {
      asked.push(`${k.id}|${p.id}`);
      return { kalshi: kalshiFree };
    });
    h.store.flush();
    const sized = h.store.getSnapshot().opportunities[0];
    expect(sized && sized.legs[0].cost + sized.legs[0].fee <= d('10')).toBe(true);
    expect(sized && sized.size < d('50')).toBe(true);
    expect(h.events.at(-1)).toMatchObject({ type: 'opportunity-updated' });
    expect(asked).toEqual(['KXTEST-27-X|0xaa']);
    // the ticket's requote at a size the account cannot pay gives what it can
    const requoted = h.engine.requote(o.id, d('40'));
    expect('unavailable' in requoted ? null : requoted.size).toBe(sized?.size);
    // nothing left: shown, not tradable, saying why
    kalshiFree = 0n;
    h.engine.detectAll();
    h.store.flush();
    expect(h.store.getSnapshot().opportunities[0]).toMatchObject({ size: d('50'), tradable: false, notTradable: ['account-limit'] });
    h.engine.setAccount(null);
    h.store.flush();
    expect(h.store.getSnapshot().opportunities[0]).toMatchObject({ size: d('50'), tradable: true });
  });

  it('a proposal below min_pair_confidence is listed as a candidate to decide on, without books or opportunities; at or above it, it is evaluated (not tradable)', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket } = crossedPair(clock);
    const run = async (minPairConfidence: number) => {
      const now = () => clock.t;
      const store = new Store({ now, minIntervalMs: 0, setTimer: () => 0, clearTimer: () => undefined });
      const engine = new Engine({ venues: { kalshi, polymarket }, store, registry: new PairRegistry(new MemoryVerdictStore(), now), settings: { ...settings(), minPairConfidence }, now });
      kalshi.calls.fetchBooks = 0;
      const found = await engine.runOnce();
      await engine.refreshBooks('candidates');
      return { engine, found, bookReads: kalshi.calls.fetchBooks };
    };
    // the matcher scores this pair 85%: listed at the matcher's floor (60%) whatever min_pair_confidence says
    const high = await run(0.9);
    expect(high.engine.pair('KXTEST-27-X|0xaa')).toMatchObject({ status: 'candidate' });
    expect(high.found).toEqual([]);
    expect(high.bookReads).toBe(0);
    const low = await run(0.8);
    expect(low.engine.pair('KXTEST-27-X|0xaa')).toMatchObject({ status: 'candidate' });
    expect(low.found.map((o) => [o.tradable, o.notTradable])).toEqual([[false, ['not-approved']]]);
    expect(low.bookReads).toBeGreaterThan(0);
  });

  it('a stale book keeps the opportunity visible but not tradable', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const h = harness({ kalshi, polymarket }, [preset], clock);
    await h.engine.runOnce();
    clock.t += 6_000;
    h.engine.detectAll();
    const o = [...(h.store.flush(), h.store.getSnapshot().opportunities)][0]!;
    expect(o.tradable).toBe(false);
    expect(o.notTradable).toContain('stale-quote');
  });

  it('a market edit revokes the approval with a warning', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const h = harness({ kalshi, polymarket }, [preset], clock);
    await h.engine.runOnce();
    polymarket.markets = [market('polymarket', '0xaa', 'Will X happen before 2027?', { rules: 'Resolves Yes if X happens, per source Y.' })];
    await h.engine.refreshCatalog('polymarket');
    await h.engine.rematch();
    const pair = h.engine.pair('KXTEST-27-X|0xaa')!;
    expect(pair.status).toBe('candidate');
    expect(pair.warnings.join(' ')).toMatch(/approval revoked: the Polymarket market changed/);
    expect(h.verdicts.history.map((v) => v.status)).toEqual(['approved', 'candidate']);
    const o = h.engine.opportunity('KXTEST-27-X|0xaa#yes-no');
    expect(o?.tradable).toBe(false);
    expect(o?.notTradable).toContain('not-approved');
    // a person approves it again; a reject blocks it from detection
    await h.engine.decide('KXTEST-27-X|0xaa', 'approved', 'read the new rules');
    expect(h.engine.opportunity('KXTEST-27-X|0xaa#yes-no')?.tradable).toBe(true);
    await h.engine.decide('KXTEST-27-X|0xaa', 'rejected', 'source differs');
    expect(h.engine.opportunity('KXTEST-27-X|0xaa#yes-no')).toBeUndefined();
    await h.engine.rematch();
    expect(h.engine.pair('KXTEST-27-X|0xaa')?.status).toBe('rejected');
  });

  it('a rematch that changes nothing keeps every pair view and the store lists the same pairs; a change replaces only its view', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    kalshi.markets = [...kalshi.markets, market('kalshi', 'KXTEST-27-Y', 'Will Y happen before 2027?')];
    polymarket.markets = [...polymarket.markets, market('polymarket', '0xbb', 'Will Y happen before 2027?')];
    const h = harness({ kalshi, polymarket }, [preset], clock);
    await h.engine.runOnce();
    h.store.flush();
    const listed = h.store.getSnapshot().pairs;
    expect(listed.map((p) => p.key).sort()).toEqual(['KXTEST-27-X|0xaa', 'KXTEST-27-Y|0xbb']);
    await h.engine.refreshCatalog('polymarket');
    await h.engine.rematch();
    h.store.flush();
    // the same array: the UI's sorted lists and filter texts derived from it stay
    expect(h.store.getSnapshot().pairs).toBe(listed);
    // a person's decision replaces that pair's view only
    await h.engine.decide('KXTEST-27-Y|0xbb', 'rejected', 'not the same');
    await h.engine.rematch();
    h.store.flush();
    const after = h.store.getSnapshot().pairs;
    expect(after).not.toBe(listed);
    const byKey = (list: readonly PairView[], key: string) => list.find((p) => p.key === key);
    expect(byKey(after, 'KXTEST-27-X|0xaa')).toBe(byKey(listed, 'KXTEST-27-X|0xaa'));
    expect(byKey(after, 'KXTEST-27-Y|0xbb')?.status).toBe('rejected');
    expect(byKey(after, 'KXTEST-27-Y|0xbb')).not.toBe(byKey(listed, 'KXTEST-27-Y|0xbb'));
    // a pair that is no longer proposed leaves the list
    polymarket.markets = polymarket.markets.filter((m) => m.id !== '0xbb');
    await h.engine.refreshCatalog('polymarket');
    await h.engine.rematch();
    h.store.flush();
    expect(h.store.getSnapshot().pairs.map((p) => p.key)).toEqual(['KXTEST-27-X|0xaa']);
  });

  it('hands a big catalog to the matcher in slices of whole events, the event loop running between them', async () => {
    const catalog = syntheticCatalog(3_000, 6_000);
    const kalshi = new FakeVenue('kalshi');
    kalshi.markets = catalog.kalshi;
    const polymarket = new FakeVenue('polymarket');
    polymarket.markets = catalog.polymarket;
    const matcher = new Matcher();
    const slices: Market[][] = [];
    const upsert = matcher.upsert.bind(matcher);
    matcher.upsert = (markets) => {
      const list = [...markets];
      slices.push(list);
      return upsert(list);
    };
    const { engine } = harness({ kalshi, polymarket }, [], { t: Date.UTC(2026, 10, 25) }, undefined, matcher);
    let turns = 0;
    let done = false;
    const turn = (): void => {
      turns += 1;
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    // both catalogs at once, as the first cycle does: their slices interleave
    await Promise.all([engine.refreshCatalog('kalshi'), engine.refreshCatalog('polymarket')]);
    done = true;
    const venues = slices.map((slice) => slice[0]?.venue);
    expect(venues.slice(0, 4)).toEqual(['kalshi', 'polymarket', 'kalshi', 'polymarket']);
    // 2 slices of Kalshi markets and 3 of Polymarket ones, each ending at an event boundary
    expect(slices.length).toBeGreaterThanOrEqual(5);
    expect(turns).toBeGreaterThanOrEqual(2);
    const eventsSeen = new Map<string, number>();
    slices.forEach((slice, i) => {
      expect(slice.length).toBeLessThanOrEqual(2_100);
      for (const m of slice) {
        const key = `${m.venue}:${m.eventId}`;
        expect(eventsSeen.get(key) ?? i).toBe(i);
        eventsSeen.set(key, i);
      }
    });
    expect(slices.flat()).toHaveLength(catalog.kalshi.length + catalog.polymarket.length);
    // every pair the catalog holds is found, and nothing else
    const proposed = matcher.proposals().map((c) => c.key);
    expect(new Set(proposed)).toEqual(catalog.truth);
  });

  it("says once when the matcher's reader thread stopped, and matches on", async () => {
    const catalog = syntheticCatalog(300, 600);
    const kalshi = new FakeVenue('kalshi');
    kalshi.markets = catalog.kalshi;
    const polymarket = new FakeVenue('polymarket');
    polymarket.markets = catalog.polymarket;
    // a matcher whose reader reported a failure (how the reader finds one is read-ahead.test.ts's)
    class StoppedReader extends Matcher {
      override get readAheadFailure(): string | null {
        return 'the reader thread failed: disk on fire';
      }
    }
    const matcher = new StoppedReader({ readAhead: false });
    const { engine, events } = harness({ kalshi, polymarket }, [], { t: Date.UTC(2026, 10, 25) }, undefined, matcher);
    await engine.refreshCatalog('kalshi');
    await engine.refreshCatalog('polymarket');
    const logs = events.flatMap((e) => (e.type === 'log' ? [`${e.entry.level} ${e.entry.message}`] : []));
    expect(logs.filter((l) => l.includes('reader thread'))).toEqual([
      'warn matching: the reader thread failed: disk on fire; markets are read on the main thread from now on (slower, same pairs)',
    ]);
    expect(new Set(matcher.proposals().map((c) => c.key))).toEqual(catalog.truth);
  });

  it('one venue failing leaves the other live and says why, with the next retry', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    kalshi.failWith = new RetryableVenueError('429 Too Many Requests', { venue: 'kalshi', endpoint: 'GET /events', reason: 'rate-limited', status: 429 });
    const h = harness({ kalshi, polymarket }, [preset], clock);
    await h.engine.runOnce();
    h.store.flush();
    const s = h.store.getSnapshot();
    expect(s.venues.kalshi.state).toBe('rate-limited');
    expect(s.venues.kalshi.detail).toContain('429');
    expect(s.venues.kalshi.nextRetryAt).toBeGreaterThan(clock.t);
    expect(s.venues.polymarket.state).toBe('live');
    expect(s.log.some((l) => l.level === 'warn' && l.message.includes('kalshi catalog'))).toBe(true);
  });

  it('leaves a venue alone for as long as its Retry-After asked, then calls it again', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    kalshi.failWith = new RetryableVenueError('Too Many Requests', { venue: 'kalshi', endpoint: 'GET /events', reason: 'rate-limited', status: 429, retryAfterMs: 30_000 });
    const h = harness({ kalshi, polymarket }, [preset], clock);
    await h.engine.runOnce();
    h.store.flush();
    expect(h.store.getSnapshot().venues.kalshi.nextRetryAt).toBe(clock.t + 30_000);
    const calls = { ...kalshi.calls };
    kalshi.failWith = null;
    clock.t += 29_000;
    await h.engine.refreshCatalog('kalshi');
    await h.engine.refreshBooks('all');
    expect(kalshi.calls).toEqual(calls);
    clock.t += 1_000;
    await h.engine.refreshCatalog('kalshi');
    expect(kalshi.calls.listMarkets).toBe(calls.listMarkets + 1);
    h.store.flush();
    expect(h.store.getSnapshot().venues.kalshi.state).toBe('live');
    // a pause far ahead (a bad date in the header) keeps it quiet 15 minutes at most
    kalshi.failWith = new RetryableVenueError('Too Many Requests', { venue: 'kalshi', endpoint: 'GET /events', reason: 'rate-limited', status: 429, retryAfterMs: 10 * 3_600_000 });
    await h.engine.refreshCatalog('kalshi');
    h.store.flush();
    expect(h.store.getSnapshot().venues.kalshi.nextRetryAt).toBe(clock.t + 15 * 60_000);
  });

  it('names what failed: no answer (unreachable), too many requests, or an answer it cannot use (error)', async () => {
    const cases: Array<[Error, string]> = [
      [new RetryableVenueError('connect ECONNREFUSED', { venue: 'kalshi', endpoint: 'GET /events', reason: 'network' }), 'unreachable'],
      [new RetryableVenueError('no answer in 10000 ms', { venue: 'kalshi', endpoint: 'GET /events', reason: 'timeout' }), 'unreachable'],
      [new RetryableVenueError('Bad Gateway', { venue: 'kalshi', endpoint: 'GET /events', reason: 'server', status: 502 }), 'error'],
      [new MalformedVenueError('not a decimal', { venue: 'kalshi', endpoint: 'GET /events', field: 'events[0].markets[2].yes_ask_dollars' }), 'error'],
      [new RejectedVenueError('bad request', { venue: 'kalshi', endpoint: 'GET /events', status: 400 }), 'error'],
    ];
    for (const [error, state] of cases) {
      const clock = { t: Date.UTC(2026, 10, 25) };
      const { kalshi, polymarket, preset } = crossedPair(clock);
      kalshi.failWith = error;
      const h = harness({ kalshi, polymarket }, [preset], clock);
      await h.engine.runOnce();
      h.store.flush();
      const v = h.store.getSnapshot().venues.kalshi;
      expect([error.message, v.state]).toEqual([error.message, state]);
      expect(v.detail).toContain(error.message);
    }
  });

  it('on the simulated venues, planted pairs are approved and arbitrage appears and vanishes', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const sim = createSimulatedVenues({ seed: 7, tickMs: 1_000, crossProbability: 0.2 }, { now: () => clock.t });
    const presets: PresetPair[] = PLANTED_PAIRS.map((p) => ({
      kalshiTicker: p.kalshiTicker,
      polymarketConditionId: p.polymarketConditionId,
      relation: p.relation,
      decidedBy: 'demo',
      note: p.note,
    }));
    const h = harness({ kalshi: sim.kalshi, polymarket: sim.polymarket }, presets, clock);
    await h.engine.runOnce();
    h.store.flush();
    const approved = h.store.getSnapshot().pairs.filter((p) => p.status === 'approved');
    expect(approved).toHaveLength(PLANTED_PAIRS.length);
    let opened = 0;
    let closed = 0;
    for (let i = 0; i < 30; i += 1) {
      clock.t += 1_000;
      await h.engine.refreshBooks('approved');
      opened = h.events.filter((e) => e.type === 'opportunity-opened').length;
      closed = h.events.filter((e) => e.type === 'opportunity-closed').length;
    }
    expect(opened).toBeGreaterThan(0);
    expect(closed).toBeGreaterThan(0);
    for (const e of h.events) {
      if (e.type === 'opportunity-opened' && e.opportunity.tradable) expect(e.opportunity.netProfit > 0n).toBe(true);
    }
    void DAY;
  });
});

describe('Engine: approvals given by a list (config, demo) last while the list names the pair', () => {
  const KEY = 'KXTEST-27-X|0xaa';

  it('a config approval is revoked back to candidate when a later run no longer lists the pair: not tradable, said why, kept in the history', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const first = harness({ kalshi, polymarket }, [preset], clock);
    await first.engine.runOnce();
    expect(first.engine.opportunity(`${KEY}#yes-no`)?.tradable).toBe(true);

    // the next run: the config no longer lists it (the matcher still proposes it)
    clock.t += 1_000;
    const later = harness({ kalshi, polymarket }, [], clock, first.verdicts);
    await later.engine.runOnce();
    const pair = later.engine.pair(KEY)!;
    expect(pair.status).toBe('candidate');
    expect(pair.warnings).toContain('approval revoked: no longer listed in the config');
    const o = later.engine.opportunity(`${KEY}#yes-no`);
    expect(o?.tradable).toBe(false);
    expect(o?.notTradable).toEqual(['not-approved']);
    expect(later.events).toContainEqual(
      expect.objectContaining({ type: 'pair-status', previous: 'approved', decidedBy: 'engine', reason: 'approval revoked: no longer listed in the config' }),
    );
    expect(later.events).toContainEqual(
      expect.objectContaining({ type: 'log', entry: expect.objectContaining({ level: 'warn', message: `approval revoked: no longer listed in the config (${KEY})` }) }),
    );
    // who, when and why, after the approval it replaces
    expect(first.verdicts.history.map((v) => [v.status, v.decidedBy, v.reason, v.at])).toEqual([
      ['approved', 'config', 'listed in config', Date.UTC(2026, 10, 25)],
      ['candidate', 'engine', 'approval revoked: no longer listed in the config', Date.UTC(2026, 10, 25) + 1_000],
    ]);
    // revoked once: later rematches (and later runs) leave it a candidate without saying it again
    await later.engine.rematch();
    const third = harness({ kalshi, polymarket }, [], clock, first.verdicts);
    await third.engine.runOnce();
    expect(third.engine.pair(KEY)?.status).toBe('candidate');
    expect(third.events.some((e) => e.type === 'pair-status')).toBe(false);
    expect(first.verdicts.history).toHaveLength(2);

    // listed again: approved again by the config
    const relisted = harness({ kalshi, polymarket }, [preset], clock, first.verdicts);
    await relisted.engine.runOnce();
    expect(relisted.engine.pair(KEY)?.status).toBe('approved');
    expect(relisted.engine.opportunity(`${KEY}#yes-no`)?.tradable).toBe(true);
    expect(first.verdicts.history.at(-1)).toMatchObject({ status: 'approved', decidedBy: 'config' });
  });

  it('revokes the approval of a pair no longer listed even when the matcher does not propose it', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const first = harness({ kalshi, polymarket }, [preset], clock);
    await first.engine.runOnce();
    // the market left the venue's catalog: no pair at all this run
    const later = harness({ kalshi, polymarket: new FakeVenue('polymarket') }, [], clock, first.verdicts);
    await later.engine.runOnce();
    expect(later.engine.pair(KEY)).toBeUndefined();
    expect(first.verdicts.get(KEY)).toMatchObject({ status: 'candidate', decidedBy: 'engine', reason: 'approval revoked: no longer listed in the config' });
  });

  it("a person's approval is never touched, listed or not; a config entry does not override a person's rejection", async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const first = harness({ kalshi, polymarket }, [preset], clock);
    await first.engine.runOnce();
    await first.engine.decide(KEY, 'approved', 'checked the rules myself');
    const later = harness({ kalshi, polymarket }, [], clock, first.verdicts);
    await later.engine.runOnce();
    expect(later.engine.pair(KEY)?.status).toBe('approved');
    expect(later.engine.opportunity(`${KEY}#yes-no`)?.tradable).toBe(true);
    expect(first.verdicts.history.map((v) => v.decidedBy)).toEqual(['config', 'user']);

    await later.engine.decide(KEY, 'rejected', 'source differs');
    const listedAgain = harness({ kalshi, polymarket }, [preset], clock, first.verdicts);
    await listedAgain.engine.runOnce();
    expect(listedAgain.engine.pair(KEY)?.status).toBe('rejected');
  });

  it('an approval revoked because a market changed is not given back by the config listing it: a person checks it again', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const first = harness({ kalshi, polymarket }, [preset], clock);
    await first.engine.runOnce();
    polymarket.markets = [market('polymarket', '0xaa', 'Will X happen before 2027?', { rules: 'Resolves Yes if X happens, per source Y.' })];
    const later = harness({ kalshi, polymarket }, [preset], clock, first.verdicts);
    await later.engine.runOnce();
    expect(later.engine.pair(KEY)?.status).toBe('candidate');
    const again = harness({ kalshi, polymarket }, [preset], clock, first.verdicts);
    await again.engine.runOnce();
    expect(again.engine.pair(KEY)?.status).toBe('candidate');
  });

  it("the demo's approvals last while the demo plants the pair; a run that does not plant it revokes them, one the config lists it in keeps them", async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    const planted: PresetPair = { ...preset, decidedBy: 'demo' };
    const first = harness({ kalshi, polymarket }, [planted], clock);
    await first.engine.runOnce();
    const demoAgain = harness({ kalshi, polymarket }, [planted], clock, first.verdicts);
    await demoAgain.engine.runOnce();
    expect(demoAgain.engine.pair(KEY)?.status).toBe('approved');
    const withConfig = harness({ kalshi, polymarket }, [preset], clock, first.verdicts);
    await withConfig.engine.runOnce();
    expect(withConfig.engine.pair(KEY)?.status).toBe('approved');
    expect(first.verdicts.history.map((v) => v.decidedBy)).toEqual(['demo']);
    const notDemo = harness({ kalshi, polymarket }, [], clock, first.verdicts);
    await notDemo.engine.runOnce();
    expect(notDemo.engine.pair(KEY)?.status).toBe('candidate');
    expect(first.verdicts.get(KEY)?.reason).toBe("approval revoked: no longer one of the demo's planted pairs");
  });
});

describe('Engine: an approved pair whose market leaves the catalog, or that the matcher no longer proposes', () => {
  const KEY = 'KXTEST-27-X|0xaa';
  const GONE = 'approval revoked: polymarket market 0xaa is no longer open (closed, paused or delisted)';
  /** Another open market, so that the catalog is not empty without 0xaa. */
  const other = (): Market => market('polymarket', '0xbb', 'Will the moon turn green in 2031?', { eventId: 'EV2' });

  async function approvedByPerson(clock: { t: number }, verdicts = new MemoryVerdictStore(), minConfidence = 0.6) {
    const { kalshi, polymarket } = crossedPair(clock);
    polymarket.markets = [...polymarket.markets, other()];
    const now = () => clock.t;
    const store = new Store({ now, minIntervalMs: 0, setTimer: () => 0, clearTimer: () => undefined });
    const events: EngineEvent[] = [];
    const engine = new Engine({
      venues: { kalshi, polymarket },
      store,
      registry: new PairRegistry(verdicts, now),
      settings: { ...settings(), minMatchConfidence: minConfidence, minPairConfidence: minConfidence },
      now,
      onEvent: (e) => events.push(e),
    });
    return { kalshi, polymarket, engine, verdicts, events, store };
  }

  it('a market that closes (leaves the open catalog) revokes the approval back to candidate, with who, when and why; coming back, it is a candidate a person checks again', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const h = await approvedByPerson(clock);
    await h.engine.runOnce();
    await h.engine.decide(KEY, 'approved', 'checked the rules');
    expect(h.engine.opportunity(`${KEY}#yes-no`)?.tradable).toBe(true);

    // Polymarket pauses the market: its client lists open markets only
    clock.t += 60_000;
    h.polymarket.markets = [other()];
    await h.engine.refreshCatalog('polymarket');
    await h.engine.rematch();
    expect(h.verdicts.get(KEY)).toMatchObject({ status: 'candidate', decidedBy: 'engine', reason: GONE, at: clock.t });
    expect(h.verdicts.history.map((v) => [v.status, v.decidedBy])).toEqual([
      ['approved', 'user'],
      ['candidate', 'engine'],
    ]);
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'pair-status', previous: 'approved', decidedBy: 'engine', reason: GONE }));
    const status = h.events.find((e) => e.type === 'pair-status' && e.decidedBy === 'engine');
    expect(status?.type === 'pair-status' && status.pair).toMatchObject({ key: KEY, status: 'candidate', warnings: expect.arrayContaining([GONE]) });
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'log', entry: expect.objectContaining({ level: 'warn', message: `${GONE} (${KEY})` }) }));
    // the pair leaves the list, its opportunity closes
    expect(h.engine.pair(KEY)).toBeUndefined();
    expect(h.engine.opportunity(`${KEY}#yes-no`)).toBeUndefined();

    // active again: proposed again, but not approved: nothing trades until a person says so
    clock.t += 60_000;
    h.polymarket.markets = [market('polymarket', '0xaa', 'Will X happen before 2027?'), other()];
    h.polymarket.books.set('0xaa', book('polymarket', '0xaa', '0.55', '0.50', clock.t));
    h.kalshi.books.set('KXTEST-27-X', book('kalshi', 'KXTEST-27-X', '0.40', '0.62', clock.t));
    await h.engine.refreshCatalog('polymarket');
    await h.engine.rematch();
    await h.engine.refreshBooks('all');
    expect(h.engine.pair(KEY)?.status).toBe('candidate');
    expect(h.engine.opportunity(`${KEY}#yes-no`)?.notTradable).toEqual(['not-approved']);
    expect(h.verdicts.history).toHaveLength(2);
  });

  it('a catalog that could not be read (or came back empty) revokes nothing; a Kalshi market gone is named too', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const h = await approvedByPerson(clock);
    await h.engine.runOnce();
    await h.engine.decide(KEY, 'approved', null);
    h.polymarket.failWith = new RetryableVenueError('Bad Gateway', { venue: 'polymarket', endpoint: 'GET /events', reason: 'server', status: 502 });
    h.polymarket.markets = [];
    await h.engine.refreshCatalog('polymarket');
    await h.engine.rematch();
    expect(h.engine.pair(KEY)?.status).toBe('approved');
    h.polymarket.failWith = null;
    await h.engine.refreshCatalog('polymarket'); // read, but empty: says nothing about a market
    await h.engine.rematch();
    expect(h.verdicts.get(KEY)?.status).toBe('approved');

    // a later run whose Polymarket catalog fails from the start: nothing known, nothing revoked
    const later = await approvedByPerson(clock, h.verdicts);
    later.polymarket.failWith = new RetryableVenueError('connect ECONNREFUSED', { venue: 'polymarket', endpoint: 'GET /events', reason: 'network' });
    await later.engine.runOnce();
    expect(later.engine.pair(KEY)).toBeUndefined();
    expect(h.verdicts.get(KEY)?.status).toBe('approved');
    // once it answers, the pair is back, approved and tradable
    later.polymarket.failWith = null;
    await later.engine.runOnce();
    expect(later.engine.pair(KEY)?.status).toBe('approved');
    expect(later.engine.opportunity(`${KEY}#yes-no`)?.tradable).toBe(true);

    // the Kalshi market settles
    later.kalshi.markets = [market('kalshi', 'KXOTHER-27', 'Will Y happen?', { eventId: 'EV3' })];
    await later.engine.refreshCatalog('kalshi');
    await later.engine.rematch();
    expect(h.verdicts.get(KEY)).toMatchObject({
      status: 'candidate',
      decidedBy: 'engine',
      reason: 'approval revoked: kalshi market KXTEST-27-X is no longer open (closed, paused or delisted)',
    });
  });

  it('a market that closed while nothing ran is found at the next start: revoked and logged (the pair is not shown)', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const h = await approvedByPerson(clock);
    await h.engine.runOnce();
    await h.engine.decide(KEY, 'approved', null);
    const later = await approvedByPerson(clock, h.verdicts);
    later.polymarket.markets = [other()];
    await later.engine.runOnce();
    expect(h.verdicts.get(KEY)).toMatchObject({ status: 'candidate', decidedBy: 'engine', reason: GONE });
    expect(later.events).toContainEqual(expect.objectContaining({ type: 'log', entry: expect.objectContaining({ level: 'warn', message: `${GONE} (${KEY})` }) }));
    expect(later.events.some((e) => e.type === 'pair-status')).toBe(false);
  });

  it("a config approval whose market closes is revoked the same way, and the config listing it does not give it back", async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    polymarket.markets = [...polymarket.markets, other()];
    const h = harness({ kalshi, polymarket }, [preset], clock);
    await h.engine.runOnce();
    expect(h.engine.pair(KEY)?.status).toBe('approved');
    polymarket.markets = [other()];
    await h.engine.refreshCatalog('polymarket');
    await h.engine.rematch();
    expect(h.verdicts.get(KEY)).toMatchObject({ status: 'candidate', decidedBy: 'engine', reason: GONE });
    polymarket.markets = [market('polymarket', '0xaa', 'Will X happen before 2027?'), other()];
    await h.engine.refreshCatalog('polymarket');
    await h.engine.rematch();
    expect(h.engine.pair(KEY)?.status).toBe('candidate');
  });

  it('two rematches at once (one per catalog) revoke once, even when saving takes a while', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    class SlowStore extends MemoryVerdictStore {
      override async put(v: Parameters<MemoryVerdictStore['put']>[0]): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await super.put(v);
      }
    }
    const h = await approvedByPerson(clock, new SlowStore());
    await h.engine.runOnce();
    await h.engine.decide(KEY, 'approved', null);
    h.polymarket.markets = [other()];
    await h.engine.refreshCatalog('polymarket');
    await Promise.all([h.engine.rematch(), h.engine.rematch()]);
    expect(h.verdicts.history.map((v) => v.status)).toEqual(['approved', 'candidate']);
    expect(h.events.filter((e) => e.type === 'pair-status' && e.decidedBy === 'engine')).toHaveLength(1);
  });

  it("a person's approval the matcher no longer proposes (a higher minimum confidence) stays approved, shown and tradable, saying why; its markets are still checked", async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const h = await approvedByPerson(clock);
    await h.engine.runOnce();
    await h.engine.decide(KEY, 'approved', 'checked');
    // the next run asks for 95%: the matcher's 85% is not enough to propose it
    const later = await approvedByPerson(clock, h.verdicts, 0.95);
    await later.engine.runOnce();
    const pair = later.engine.pair(KEY);
    expect(pair?.status).toBe('approved');
    expect(pair?.warnings.at(-1)).toBe("not proposed by the matcher (the matcher's confidence (85%) is below the minimum (95%)): kept, approved by user");
    expect(later.engine.opportunity(`${KEY}#yes-no`)?.tradable).toBe(true);
    later.store.flush();
    expect(later.store.getSnapshot().pairs.map((p) => p.key)).toEqual([KEY]);
    expect(h.verdicts.history).toHaveLength(1);
    // a candidate the matcher does not propose is not shown (as before)
    const fresh = await approvedByPerson(clock, new MemoryVerdictStore(), 0.95);
    await fresh.engine.runOnce();
    expect(fresh.engine.pair(KEY)).toBeUndefined();

    // the rules change: revoked as for any approved pair
    later.polymarket.markets = [market('polymarket', '0xaa', 'Will X happen before 2027?', { rules: 'Resolves Yes if X happens, per source Y.' }), other()];
    await later.engine.refreshCatalog('polymarket');
    await later.engine.rematch();
    expect(h.verdicts.get(KEY)).toMatchObject({ status: 'candidate', decidedBy: 'engine' });
    expect(h.verdicts.get(KEY)?.reason).toMatch(/the Polymarket market changed/);
    // shown this once as a candidate with the reason (as any revoked pair); below the minimum, it then leaves the list
    expect(later.engine.pair(KEY)).toMatchObject({ status: 'candidate', warnings: [h.verdicts.get(KEY)?.reason] });
    expect(later.events).toContainEqual(expect.objectContaining({ type: 'pair-status', previous: 'approved', decidedBy: 'engine' }));
    await later.engine.rematch();
    expect(later.engine.pair(KEY)).toBeUndefined();
  });
});

describe('Engine: what listings leave out of the markets it evaluates (detailMarkets)', () => {
  const clobFee = { kind: 'polymarket', rate: d('0.07'), exponent: 1, takerOnly: true, source: 'clob' } as const;

  it('the markets of the evaluated pairs get their details before their books are read, and the figures use them', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const plain = crossedPair(clock);
    const before = (await harness({ kalshi: plain.kalshi, polymarket: plain.polymarket }, [plain.preset], clock).engine.runOnce())[0];
    const { kalshi, polymarket, preset } = crossedPair(clock);
    polymarket.details.set('0xaa', { fee: clobFee });
    const h = harness({ kalshi, polymarket }, [preset], clock);
    const [after] = await h.engine.runOnce();
    // only the approved pair's markets, with the catalog read and again after the rematch
    // (the candidates' pass then has none to ask about)
    expect(polymarket.detailCalls.length).toBeGreaterThan(0);
    expect(new Set(polymarket.detailCalls.flat())).toEqual(new Set(['0xaa']));
    expect(new Set(kalshi.detailCalls.flat())).toEqual(new Set(['KXTEST-27-X']));
    expect(h.engine.market('polymarket', '0xaa')?.fee).toEqual(clobFee);
    // the 7% CLOB fee, not the listed 3%: less profit on the same books
    expect(before?.netProfit).toBeGreaterThan(after?.netProfit ?? 0n);
    expect(after?.tradable).toBe(true);
  });

  it('markets of pairs not evaluated (below min_pair_confidence) are not asked about; approving one asks', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket } = crossedPair(clock);
    const now = () => clock.t;
    const store = new Store({ now, minIntervalMs: 0, setTimer: () => 0, clearTimer: () => undefined });
    const engine = new Engine({ venues: { kalshi, polymarket }, store, registry: new PairRegistry(new MemoryVerdictStore(), now), settings: { ...settings(), minPairConfidence: 0.9 }, now });
    await engine.runOnce();
    expect(polymarket.detailCalls).toEqual([]);
    await engine.decide('KXTEST-27-X|0xaa', 'approved');
    await new Promise((resolve) => setImmediate(resolve));
    expect(polymarket.detailCalls).toEqual([['0xaa']]);
    await engine.stop();
  });

  it('a running engine reads approved pairs\' details before their books, and candidates\' without holding the books back', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket } = crossedPair(clock);
    polymarket.details.set('0xaa', { fee: clobFee });
    // the candidate's details take a while: the books are read meanwhile
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const detail = polymarket.detailMarkets.bind(polymarket);
    polymarket.detailMarkets = async (markets) => {
      await slow;
      return detail(markets);
    };
    const now = () => clock.t;
    const store = new Store({ now, minIntervalMs: 0, setTimer: () => 0, clearTimer: () => undefined });
    const engine = new Engine({ venues: { kalshi, polymarket }, store, registry: new PairRegistry(new MemoryVerdictStore(), now), settings: { ...settings(), minPairConfidence: 0.8 }, now });
    engine.start();
    for (let i = 0; i < 50 && kalshi.calls.fetchBooks === 0; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(kalshi.calls.fetchBooks).toBeGreaterThan(0);
    expect(engine.market('polymarket', '0xaa')?.fee).not.toEqual(clobFee);
    release();
    const detailed = (): boolean => {
      const fee = engine.market('polymarket', '0xaa')?.fee;
      return fee?.kind === 'polymarket' && fee.rate === clobFee.rate;
    };
    for (let i = 0; i < 100 && !detailed(); i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(engine.market('polymarket', '0xaa')?.fee).toEqual(clobFee);
    await engine.stop();
  });

  it('a catalog read brings the markets of approved and listed pairs with their details already read', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    polymarket.details.set('0xaa', { fee: clobFee });
    const h = harness({ kalshi, polymarket }, [preset], clock);
    await h.engine.refreshCatalog('polymarket');
    expect(h.engine.market('polymarket', '0xaa')?.fee).toEqual(clobFee);
    expect(polymarket.detailCalls).toEqual([['0xaa']]);
  });

  it('approving a pair reads its markets\' details before its opportunities are evaluated again', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket } = crossedPair(clock);
    const now = () => clock.t;
    const store = new Store({ now, minIntervalMs: 0, setTimer: () => 0, clearTimer: () => undefined });
    const engine = new Engine({ venues: { kalshi, polymarket }, store, registry: new PairRegistry(new MemoryVerdictStore(), now), settings: { ...settings(), minPairConfidence: 0.8 }, now });
    const [asCandidate] = await engine.runOnce();
    expect(asCandidate?.tradable).toBe(false);
    // the CLOB's fee, read only now (the candidates' pass ran before the venue said it)
    polymarket.details.set('0xaa', { fee: clobFee });
    await engine.decide('KXTEST-27-X|0xaa', 'approved');
    const [approved] = engine.openOpportunities();
    expect(engine.market('polymarket', '0xaa')?.fee).toEqual(clobFee);
    expect(approved?.tradable).toBe(true);
    expect(approved?.netProfit).toBeLessThan(asCandidate?.netProfit ?? 0n);
    await engine.stop();
  });

  it('a market traded outside the evaluated pairs (reconciliation, unwinds) is taken with its details; unreadable ones say so', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket } = crossedPair(clock);
    polymarket.details.set('0xaa', { fee: clobFee });
    const h = harness({ kalshi, polymarket }, [], clock);
    await h.engine.runOnce();
    expect((await h.engine.detailedMarket('polymarket', '0xaa'))?.fee).toEqual(clobFee);
    expect(h.engine.market('polymarket', '0xaa')?.fee).toEqual(clobFee);
    expect(await h.engine.detailedMarket('polymarket', '0xunknown')).toBeUndefined();
    polymarket.details.set('0xaa', { fee: { ...clobFee, rate: d('0.05') } });
    polymarket.detailFailWith = new RetryableVenueError('server error 503', { venue: 'polymarket', endpoint: 'GET /clob-markets', reason: 'server' });
    expect((await h.engine.detailedMarket('polymarket', '0xaa'))?.fee).toEqual(clobFee);
    h.store.flush();
    expect(h.store.getSnapshot().log.map((l) => l.message).join('\n')).toMatch(/polymarket market details of 0xaa: .*503/);
  });

  it('details that cannot be read leave the markets as listed, say so, and the books are still read', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    polymarket.details.set('0xaa', { fee: clobFee });
    polymarket.detailFailWith = new RetryableVenueError('server error 503', { venue: 'polymarket', endpoint: 'GET /clob-markets', reason: 'server' });
    const h = harness({ kalshi, polymarket }, [preset], clock);
    const found = await h.engine.runOnce();
    expect(found).toHaveLength(1);
    expect(h.engine.market('polymarket', '0xaa')?.fee.kind).toBe('polymarket');
    expect(h.engine.market('polymarket', '0xaa')?.fee).not.toEqual(clobFee);
    h.store.flush();
    expect(h.store.getSnapshot().log.map((l) => l.message).join('\n')).toMatch(/polymarket market details: .*503/);
  });
});

describe('Engine: a rematch that fails (a save refused) is tried again soon', () => {
  it('not at the next catalog read minutes later: after a second, doubling, and the pairs come once the save works', async () => {
    const clock = { t: Date.UTC(2026, 10, 25) };
    const { kalshi, polymarket, preset } = crossedPair(clock);
    let failing = 2;
    class FailingVerdicts extends MemoryVerdictStore {
      override async put(verdict: Parameters<MemoryVerdictStore['put']>[0]): Promise<void> {
        if (failing > 0) {
          failing -= 1;
          throw new Error('cannot write the database: disk full');
        }
        return super.put(verdict);
      }
    }
    const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
    const now = () => clock.t;
    const store = new Store({ now, minIntervalMs: 0, setTimer: () => 0, clearTimer: () => undefined });
    const engine = new Engine({
      venues: { kalshi, polymarket },
      store,
      registry: new PairRegistry(new FailingVerdicts(), now),
      settings: { ...settings([preset]), catalogIntervalMs: 300_000, booksIntervalMs: 7_777, candidateBooksIntervalMs: 8_888 },
      now,
      timers: {
        setTimeout: (fn, ms) => {
          const t = { fn, ms, cleared: false };
          timers.push(t);
          return t;
        },
        clearTimeout: (h) => {
          (h as { cleared: boolean }).cleared = true;
        },
      },
    });
    const settle = async () => {
      for (let i = 0; i < 20; i += 1) await new Promise((r) => setImmediate(r));
    };
    engine.start();
    await settle();
    store.flush();
    expect(store.getSnapshot().log.some((l) => l.message.includes('pairs could not be updated (cannot write the database: disk full): trying again in 1 s'))).toBe(true);
    expect(store.getSnapshot().pairs).toHaveLength(0);
    // the loops' own timers are 300 s, 7.777 s and 8.888 s: any other is the retry
    const retry = () => timers.find((t) => !t.cleared && ![300_000, 7_777, 8_888].includes(t.ms));
    // the retry runs: still failing once more, tried again in 2 s
    let next = retry();
    expect(next?.ms).toBe(1_000);
    next!.cleared = true;
    next!.fn();
    await settle();
    store.flush();
    expect(store.getSnapshot().log.some((l) => l.message.includes('trying again in 2 s'))).toBe(true);
    next = retry();
    expect(next?.ms).toBe(2_000);
    next!.cleared = true;
    next!.fn();
    await settle();
    store.flush();
    expect(store.getSnapshot().pairs.map((p) => [p.key, p.status])).toEqual([['KXTEST-27-X|0xaa', 'approved']]);
    await engine.stop();
  });
});
