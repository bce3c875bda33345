/**
 * A catalog refresh must not starve the books of approved pairs: each `GET /events` page
 * is followed by up to `seriesBulkThreshold` (25) `GET /series/{t}` fee lookups on the
 * same rate-limited queue as `GET /markets/orderbooks`, and books older than
 * stale_quote_ms (5 s) are never tradable. Books go first; catalog requests wait.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_KALSHI_SETTINGS } from '../../../source/venues/kalshi/settings.js';
import { createKalshiVenue } from '../../../source/venues/kalshi/venue.js';
import type { MarketDataVenue } from '../../../source/venues/venue.js';
import { testMarket } from '../../helpers/market.js';
import type { RecordedRequest } from '../../helpers/mock-http-server.js';
import { KALSHI_API_PREFIX, MockKalshi, recordedProdEvent, type WireObject } from '../../helpers/mock-kalshi.js';

let mock: MockKalshi;
let venue: MarketDataVenue | undefined;

/** `count` copies of the recorded event, each in its own series (so each needs a series lookup). */
function eventsInDistinctSeries(count: number): WireObject[] {
  const template = recordedProdEvent();
  return Array.from({ length: count }, (_, i) => {
    const series = `KXPRIO${i}`;
    const event = `${series}-99`;
    const markets = (template['markets'] as WireObject[]).map((m) => ({ ...m, ticker: `${event}-M`, event_ticker: event }));
    return { ...template, event_ticker: event, series_ticker: series, markets };
  });
}

const isSeriesLookup = (r: RecordedRequest): boolean => r.path.startsWith(`${KALSHI_API_PREFIX}/series/`);

function seriesLookups(): number {
  return mock.server.requests.filter(isSeriesLookup).length;
}

async function until(what: string, ok: () => boolean, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

beforeEach(async () => {
  mock = await new MockKalshi(eventsInDistinctSeries(100)).start();
});

afterEach(async () => {
  await venue?.close();
  venue = undefined;
  await mock.stop();
});

describe('books during a catalog refresh', () => {
  it('a book fetch issued behind a page of queued series lookups goes first', async () => {
    const concurrency = 2;
    venue = createKalshiVenue({
      ...DEFAULT_KALSHI_SETTINGS,
      restUrl: mock.restUrl,
      timeoutMs: 2_000,
      // 100 req/s in 40 ms windows: 4 pages × (1 events page + 25 series lookups) ≈ 1 s
      rateLimit: { requests: 4, intervalMs: 40, concurrency },
      retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 },
      eventsPageSize: 25,
      seriesBulkThreshold: 25,
    });
    const approved = mock.recordedBookTickersInOrder.slice(0, 2).map((id) => testMarket('kalshi', { id }));

    const t0 = performance.now();
    const catalog = venue.listMarkets();
    await until('the first page of series lookups to start', () => seriesLookups() >= 3);
    const queuedAtIssue = venue.traffic().queued;
    const lookupsBefore = seriesLookups();
    const tb = performance.now();
    const books = await venue.fetchBooks(approved);
    const bookMs = performance.now() - tb;
    const markets = await catalog;
    const catalogMs = performance.now() - t0;

    expect(queuedAtIssue).toBeGreaterThanOrEqual(15); // the books really were issued behind catalog work
    expect(books.size).toBe(2);
    const booksAt = mock.server.requests.findIndex((r) => r.path === `${KALSHI_API_PREFIX}/markets/orderbooks`);
    const lookupsAhead = mock.server.requests.slice(0, booksAt).filter(isSeriesLookup).length - lookupsBefore;
    // only lookups already in flight when the books were asked for reached Kalshi first
    expect(lookupsAhead).toBeLessThanOrEqual(concurrency);
    expect(bookMs).toBeLessThan(catalogMs / 4);
    // the catalog itself is complete
    expect(markets).toHaveLength(100);
    expect(seriesLookups()).toBe(100);
    expect(mock.requestsTo('/events')).toHaveLength(4);
    console.info(
      `kalshi: books ${bookMs.toFixed(0)} ms (${lookupsAhead} series lookups ahead, ${queuedAtIssue} queued) ` +
        `while a 100-event catalog took ${catalogMs.toFixed(0)} ms`,
    );
  });
});
