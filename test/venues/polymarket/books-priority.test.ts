/**
 * Reading markets' details must not starve the books of approved pairs: `detailMarkets`
 * asks the CLOB one fee lookup per market on the same rate-limited queue as POST /books,
 * and books older than stale_quote_ms (5 s) are never tradable. Books go first; fee
 * lookups wait. And the cached fee facts expire at staggered times, not all in the same
 * refresh an hour later.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Market } from '../../../source/domain/market.js';
import { createPolymarketVenue, FACTS_TTL_JITTER, FACTS_TTL_MS, factsTtlMs } from '../../../source/venues/polymarket/venue.js';
import type { MarketDataVenue } from '../../../source/venues/venue.js';
import { testMarket, testRef } from '../../helpers/market.js';
import type { RecordedRequest } from '../../helpers/mock-http-server.js';
import { MockPolymarket, syntheticEvents, tokenIdsOf } from '../../helpers/mock-polymarket.js';

type Json = Record<string, unknown>;

let mock: MockPolymarket;
let venue: MarketDataVenue | undefined;

beforeEach(async () => {
  mock = await new MockPolymarket({ events: [], markets: [] }).start();
});

afterEach(async () => {
  await venue?.close();
  venue = undefined;
  await mock.stop();
});

const isLookup = (r: RecordedRequest): boolean => r.path.startsWith('/clob-markets/');

function lookups(): number {
  return mock.clob.requests.filter(isLookup).length;
}

async function until(what: string, ok: () => boolean, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Domain markets for raw synthetic Gamma markets (what the engine holds for approved pairs). */
function approvedFrom(raw: readonly Json[]): Market[] {
  return raw.map((m) => {
    const id = String(m['conditionId']);
    const [yes, no] = tokenIdsOf(m);
    return testMarket('polymarket', { id, ref: { ...testRef('polymarket', id), yesTokenId: yes ?? '', noTokenId: no ?? '' } as Market['ref'] });
  });
}

describe('books while markets are detailed', () => {
  it('a book fetch issued while hundreds of fee lookups wait their turn waits for a few requests, not for them', async () => {
    mock.events = syntheticEvents(200); // 400 markets -> 400 GET /clob-markets lookups
    mock.addBooksForAll();
    const rawMarkets = mock.events.flatMap((e) => e['markets'] as Json[]);
    const approved = approvedFrom(rawMarkets.slice(-2)); // markets whose lookups are queued last
    const concurrency = 4;
    // 200 req/s in 50 ms windows: the catalog's lookups alone take about 2 s
    venue = createPolymarketVenue(mock.settings({ clobRateLimit: { requests: 10, intervalMs: 50, concurrency } }));

    const listed = await venue.listMarkets();
    expect(lookups()).toBe(0);
    const t0 = performance.now();
    const catalog = venue.detailMarkets?.(listed) ?? Promise.resolve([]);
    await until('the fee lookups to start', () => lookups() >= 20);
    const queuedAtIssue = venue.traffic().queued;
    const lookupsBefore = lookups();
    const tb = performance.now();
    const books = await venue.fetchBooks(approved);
    const bookMs = performance.now() - tb;
    const lookupsWhenBooksBack = lookups();
    const markets = await catalog;
    const catalogMs = performance.now() - t0;

    expect(queuedAtIssue).toBeGreaterThan(concurrency); // the books really were issued behind waiting lookups
    expect(books.size).toBe(2);
    const booksAt = mock.clob.requests.findIndex((r) => r.path === '/books');
    const lookupsAhead = mock.clob.requests.slice(0, booksAt).filter(isLookup).length - lookupsBefore;
    // only lookups already in flight when the books were asked for reached the CLOB first
    expect(lookupsAhead).toBeLessThanOrEqual(concurrency);
    expect(mock.clob.requestsTo('/books')).toHaveLength(1);
    expect(400 - lookupsWhenBooksBack).toBeGreaterThan(250); // most of the catalog was still waiting
    expect(bookMs).toBeLessThan(catalogMs / 4);
    // the details are complete: every market, every fee looked up once
    expect(markets).toHaveLength(400);
    expect(lookups()).toBe(400);
    console.info(
      `polymarket: books ${bookMs.toFixed(0)} ms (${lookupsAhead} lookups ahead) while the details of 400 markets ` +
        `(${queuedAtIssue} queued) took ${catalogMs.toFixed(0)} ms`,
    );
  });
});

describe('CLOB facts cache expiry', () => {
  it('each entry lives FACTS_TTL_MS × (1 ± FACTS_TTL_JITTER); 0.5 is the centre', () => {
    expect(factsTtlMs(() => 0.5)).toBe(FACTS_TTL_MS);
    expect(factsTtlMs(() => 0)).toBe(Math.round(FACTS_TTL_MS * (1 - FACTS_TTL_JITTER)));
    expect(factsTtlMs(() => 0.999_999)).toBeLessThan(FACTS_TTL_MS * (1 + FACTS_TTL_JITTER));
    expect(FACTS_TTL_JITTER).toBeGreaterThan(0);
    expect(FACTS_TTL_JITTER).toBeLessThan(1);
  });

  it('entries filled by one pass expire over a spread of refreshes, not all at once', async () => {
    const n = 100;
    mock.events = syntheticEvents(n / 2);
    let t = Date.UTC(2026, 4, 12);
    const start = t;
    let k = 0;
    venue = createPolymarketVenue(mock.settings(), { now: () => t, random: () => (k++ % n) / n, sleep: async () => undefined });
    const listAndCount = async (): Promise<number> => {
      const before = lookups();
      const listed = (await venue?.listMarkets()) ?? [];
      expect(listed).toHaveLength(n);
      expect(lookups()).toBe(before); // the listing asks the CLOB nothing
      await venue?.detailMarkets?.(listed);
      return lookups() - before;
    };
    expect(await listAndCount()).toBe(n); // first pass: every market looked up
    t = start + FACTS_TTL_MS * (1 - FACTS_TTL_JITTER) - 1;
    expect(await listAndCount()).toBe(0); // nothing expires before 45 min
    t = start + FACTS_TTL_MS;
    const atOneHour = await listAndCount();
    expect(atOneHour).toBeGreaterThan(n * 0.4); // about half by the hour…
    expect(atOneHour).toBeLessThan(n * 0.6);
    t = start + FACTS_TTL_MS * (1 + FACTS_TTL_JITTER);
    expect(await listAndCount()).toBe(n - atOneHour); // …the rest by 75 min
    // every market asked exactly twice over the period
    const perMarket = new Map<string, number>();
    for (const r of mock.clob.requests.filter(isLookup)) perMarket.set(r.path, (perMarket.get(r.path) ?? 0) + 1);
    expect(perMarket.size).toBe(n);
    expect(new Set(perMarket.values())).toEqual(new Set([2]));
  });
});
