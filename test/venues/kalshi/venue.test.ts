import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Market } from '../../../source/domain/market.js';
import {
  AuthVenueError,
  MalformedVenueError,
  RejectedVenueError,
  RetryableVenueError,
  type VenueError,
} from '../../../source/venues/errors.js';
import { DEFAULT_KALSHI_SETTINGS, type KalshiSettings } from '../../../source/venues/kalshi/settings.js';
import { createKalshiVenue } from '../../../source/venues/kalshi/venue.js';
import type { MarketDataVenue } from '../../../source/venues/venue.js';
import { KALSHI_RECORDED_ERRORS, MockKalshi, recordedProdEvent, type WireObject } from '../../helpers/mock-kalshi.js';

let mock: MockKalshi;
let venue: MarketDataVenue | undefined;
const sleeps: number[] = [];

function makeVenue(overrides: Partial<KalshiSettings> = {}): MarketDataVenue {
  venue = createKalshiVenue(
    {
      ...DEFAULT_KALSHI_SETTINGS,
      restUrl: mock.restUrl,
      timeoutMs: 250,
      rateLimit: { requests: 1_000, intervalMs: 1_000, concurrency: 8 },
      retry: { maxRetries: 3, baseDelayMs: 20, maxDelayMs: 2_000 },
      ...overrides,
    },
    {
      now: () => 1_000,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
  return venue;
}

function kalshiMarket(ticker: string): Market {
  return {
    venue: 'kalshi',
    id: ticker,
    ref: { venue: 'kalshi', ticker, eventTicker: ticker.split('-').slice(0, 2).join('-'), seriesTicker: null, exchangeIndex: null },
    eventId: 'E',
    eventTitle: 'E',
    title: ticker,
    subtitle: null,
    yesLabel: 'Yes',
    noLabel: 'No',
    closeTime: null,
    rules: null,
    status: 'open',
    priceRanges: [],
    minOrderSize: 10_000n,
    sizeIncrement: 10_000n,
    fee: { kind: 'unknown', reason: 'test' },
  };
}

/** n copies of the recorded production event, each with its own tickers. */
function manyEvents(n: number, seriesTicker = 'KXELONMARS'): WireObject[] {
  return Array.from({ length: n }, (_, i) => {
    const e = recordedProdEvent();
    const [m] = e['markets'] as WireObject[];
    const eventTicker = `${String(e['event_ticker'])}-${i}`;
    return { ...e, event_ticker: eventTicker, series_ticker: seriesTicker, markets: [{ ...m, ticker: `${eventTicker}-M`, event_ticker: eventTicker }] };
  });
}

async function failure(p: Promise<unknown>): Promise<VenueError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (e === undefined) throw new Error('expected a rejection');
  return e as VenueError;
}

beforeEach(async () => {
  sleeps.length = 0;
  mock = await new MockKalshi().start();
});

afterEach(async () => {
  await venue?.close();
  venue = undefined;
  await mock.stop();
});

describe('Kalshi venue: listMarkets', () => {
  it('walks every events page by cursor, keeps open non-combo markets with resolved fees', async () => {
    const v = makeVenue({ eventsPageSize: 1 });
    const markets = await v.listMarkets();
    const calls = mock.requestsTo('/events');
    expect(calls).toHaveLength(3);
    for (const c of calls) {
      expect(c.url.searchParams.get('status')).toBe('open');
      expect(c.url.searchParams.get('with_nested_markets')).toBe('true');
      expect(c.url.searchParams.get('limit')).toBe('1');
    }
    expect(calls[0]?.url.searchParams.has('cursor')).toBe(false);
    expect(calls[1]?.url.searchParams.get('cursor')).toBeTruthy();
    expect(calls[2]?.url.searchParams.get('cursor')).not.toBe(calls[1]?.url.searchParams.get('cursor'));
    // the KXMLBHIT markets are "initialized" (not open): dropped
    expect(markets.map((m) => m.id)).toEqual(['KXELONMARS-99', 'KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP']);
    expect(markets[0]?.fee).toEqual({ kind: 'kalshi', feeType: 'quadratic', multiplier: 1_000_000n, source: 'series' });
    // KXWTACHALLENGERMATCH is not in the recorded series: GET /series/{t} 404 -> unknown, not zero
    expect(markets[1]?.fee).toEqual({ kind: 'unknown', reason: 'no fee data for series KXWTACHALLENGERMATCH' });
    expect(mock.requestsTo('/series/KXELONMARS')).toHaveLength(1);
    expect(v.traffic().requests).toBeGreaterThanOrEqual(6);
  });

  it('stops at the limit without fetching further pages', async () => {
    mock.events = manyEvents(7);
    const v = makeVenue({ eventsPageSize: 2 });
    const markets = await v.listMarkets({ limit: 3 });
    expect(markets.map((m) => m.id)).toEqual(['KXELONMARS-99-0-M', 'KXELONMARS-99-1-M', 'KXELONMARS-99-2-M']);
    expect(mock.requestsTo('/events')).toHaveLength(2);
    expect(await v.listMarkets({ limit: 0 })).toEqual([]);
  });

  it('excludes combos even when the venue sends them', async () => {
    const [a, b] = manyEvents(2);
    const combo = { ...(b as WireObject), event_ticker: 'KXMVECROSS-1', markets: [{ ...((b as WireObject)['markets'] as WireObject[])[0], ticker: 'KXMVECROSS-1-A', event_ticker: 'KXMVECROSS-1' }] };
    const [am] = (a as WireObject)['markets'] as WireObject[];
    const mixed = { ...(a as WireObject), markets: [am, { ...am, ticker: 'X-LEG', mve_collection_ticker: 'KXMVECOLL' }] };
    mock.events = [mixed, combo];
    const markets = await makeVenue().listMarkets();
    expect(markets.map((m) => m.id)).toEqual(['KXELONMARS-99-0-M']);
  });

  it('applies the event fee override over the series', async () => {
    const [e] = manyEvents(1);
    mock.events = [{ ...(e as WireObject), fee_type_override: 'quadratic_with_maker_fees', fee_multiplier_override: 0.25 }];
    const [m] = await makeVenue().listMarkets();
    expect(m?.fee).toEqual({ kind: 'kalshi', feeType: 'quadratic_with_maker_fees', multiplier: 250_000n, source: 'event-override' });
  });

  it('caches series fees across listings, and fetches the full list when many are missing', async () => {
    const v = makeVenue({ seriesBulkThreshold: 1 });
    await v.listMarkets();
    await v.listMarkets();
    // 3 series (KXELONMARS, KXWTACHALLENGERMATCH, KXMLBHIT) > threshold 1 -> one GET /series, then cached
    expect(mock.requestsTo('/series')).toHaveLength(1);
    expect(mock.server.requests.filter((r) => r.path.startsWith('/trade-api/v2/series/'))).toHaveLength(0);
    expect(mock.requestsTo('/events')).toHaveLength(2);
  });

  it('refuses to loop when Kalshi hands back a cursor it already gave', async () => {
    mock.events = manyEvents(3);
    mock.server.route('GET', '/trade-api/v2/events', () => ({ body: { cursor: 'same', events: mock.events.slice(0, 1) } }));
    const e = await failure(makeVenue().listMarkets());
    expect(e).toBeInstanceOf(MalformedVenueError);
    expect((e as MalformedVenueError).field).toBe('cursor');
    expect(mock.requestsTo('/events')).toHaveLength(2);
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(makeVenue().listMarkets({ signal: controller.signal })).rejects.toBeDefined();
    expect(mock.requestsTo('/events')).toHaveLength(0);
  });
});

describe('Kalshi venue: fetchBooks', () => {
  it('returns the recorded books in one call with form-exploded tickers', async () => {
    const v = makeVenue();
    const tickers = mock.recordedBookTickersInOrder;
    const books = await v.fetchBooks(tickers.map(kalshiMarket));
    expect(books.size).toBe(34);
    const calls = mock.requestsTo('/markets/orderbooks');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url.search).toBe(`?${tickers.map((t) => `tickers=${t}`).join('&')}`);
    const b = books.get('KXNEXTDNCCHAIR-45-BWIK');
    expect(b?.yesAsks[0]).toEqual({ price: 81_000n, size: 200_000_000n });
    expect(b?.receivedAt).toBe(1_000);
  });

  it('splits more than 100 tickers into calls of at most 100, and skips books the venue lacks', async () => {
    const extra = Array.from({ length: 216 }, (_, i) => `SYN-${i}`);
    for (const t of extra) mock.books.set(t, { yes_dollars: [['0.4000', '1.00']], no_dollars: [] });
    const wanted = [...mock.recordedBookTickersInOrder, ...extra, 'NO-BOOK-1', 'NO-BOOK-2'];
    const books = await makeVenue({ booksBatchSize: 500 }).fetchBooks([...wanted.map(kalshiMarket), kalshiMarket('SYN-0')]);
    const calls = mock.requestsTo('/markets/orderbooks');
    expect(calls.map((c) => c.url.searchParams.getAll('tickers').length)).toEqual([100, 100, 52]);
    expect(calls.flatMap((c) => c.url.searchParams.getAll('tickers'))).toEqual(wanted);
    expect(books.size).toBe(250);
    expect(books.has('NO-BOOK-1')).toBe(false);
    expect(books.get('SYN-7')?.noAsks).toEqual([{ price: 600_000n, size: 1_000_000n }]);
  });

  it('honours a smaller batch size and ignores other venues', async () => {
    const v = makeVenue({ booksBatchSize: 10 });
    const poly = { ...kalshiMarket('0xabc'), venue: 'polymarket' as const };
    const books = await v.fetchBooks([...mock.recordedBookTickersInOrder.map(kalshiMarket), poly]);
    expect(mock.requestsTo('/markets/orderbooks').map((c) => c.url.searchParams.getAll('tickers').length)).toEqual([10, 10, 10, 4]);
    expect(books.size).toBe(34);
    expect(await v.fetchBooks([poly])).toEqual(new Map());
    expect(mock.requestsTo('/markets/orderbooks')).toHaveLength(4);
  });
});

describe('Kalshi venue: health', () => {
  it('reports the recorded exchange status, and paused shards', async () => {
    const v = makeVenue();
    expect(await v.health()).toEqual({ venue: 'kalshi', exchangeActive: true, tradingActive: true, detail: null, checkedAt: 1_000 });
    mock.exchangeStatusText = JSON.stringify({ exchange_active: false, trading_active: false, exchange_estimated_resume_time: '2026-09-17T09:00:00Z' });
    expect(await v.health()).toMatchObject({ exchangeActive: false, tradingActive: false, detail: 'exchange inactive (maintenance); estimated resume 2026-09-17T09:00:00Z' });
  });
});

describe('Kalshi venue: faults', () => {
  it('retries a 429 without Retry-After on backoff, then succeeds', async () => {
    mock.recordedError(KALSHI_RECORDED_ERRORS[11], { path: '/exchange/status', times: 2 });
    const v = makeVenue();
    const h = await v.health();
    expect(h.exchangeActive).toBe(true);
    expect(mock.requestsTo('/exchange/status')).toHaveLength(3);
    expect(sleeps).toEqual([15, 30]); // full jitter at random()=0.5 over 20, 40 ms
    expect(v.traffic()).toMatchObject({ rateLimited: 2, retries: 2 });
  });

  it('waits as long as Retry-After says when a 429 carries it', async () => {
    mock.fault({ kind: 'status', status: 429, body: '{"error": "too many requests"}', headers: { 'retry-after': '1' } }, { path: '/events' });
    await makeVenue().listMarkets();
    expect(sleeps[0]).toBe(1_000);
  });

  it('gives up on persistent 5xx after the bounded retries with a retryable error', async () => {
    mock.fault({ kind: 'status', status: 503, body: '<html>upstream</html>' }, { path: '/markets/orderbooks', times: 50 });
    const e = await failure(makeVenue().fetchBooks([kalshiMarket('KXNEXTDNCCHAIR-45-BWIK')]));
    expect(e).toBeInstanceOf(RetryableVenueError);
    expect((e as RetryableVenueError).reason).toBe('server');
    expect(e.attempts).toBe(4);
    expect(e.status).toBe(503);
    expect(mock.requestsTo('/markets/orderbooks')).toHaveLength(4);
  });

  it('times out a slow answer, retries, and does not hang', async () => {
    mock.fault({ kind: 'delay', ms: Number.POSITIVE_INFINITY }, { path: '/exchange/status', times: 50 });
    const started = Date.now();
    const e = await failure(makeVenue({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } }).health());
    expect(e).toBeInstanceOf(RetryableVenueError);
    expect((e as RetryableVenueError).reason).toBe('timeout');
    expect(e.attempts).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('recovers from one slow answer', async () => {
    mock.fault({ kind: 'delay', ms: 1_000 }, { path: '/exchange/status' });
    const h = await makeVenue().health();
    expect(h.exchangeActive).toBe(true);
    expect(mock.requestsTo('/exchange/status')).toHaveLength(2);
  });

  it('reports malformed JSON as malformed (no retry)', async () => {
    mock.fault({ kind: 'malformed-json' }, { path: '/events' });
    const e = await failure(makeVenue().listMarkets());
    expect(e).toBeInstanceOf(MalformedVenueError);
    expect((e as MalformedVenueError).field).toBe('');
    expect(mock.requestsTo('/events')).toHaveLength(1);
  });

  it('retries a dropped connection and a truncated body', async () => {
    mock.fault({ kind: 'drop' }, { path: '/markets/orderbooks' });
    mock.fault({ kind: 'truncate' }, { path: '/markets/orderbooks' });
    const books = await makeVenue().fetchBooks([kalshiMarket('KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP')]);
    expect(books.get('KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP')?.yesAsks).toEqual([{ price: 520_000n, size: 3_000_000n }]);
    expect(mock.requestsTo('/markets/orderbooks')).toHaveLength(3);
  });

  it('gives up on persistently dropped connections as a network error', async () => {
    mock.fault({ kind: 'drop' }, { path: '/events', times: 50 });
    const e = await failure(makeVenue({ retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 } }).listMarkets());
    expect(e).toBeInstanceOf(RetryableVenueError);
    expect((e as RetryableVenueError).reason).toBe('network');
    expect(mock.requestsTo('/events')).toHaveLength(3);
  });

  it('names a malformed field in a live response', async () => {
    const [e] = manyEvents(1);
    const [m] = (e as WireObject)['markets'] as WireObject[];
    mock.events = [{ ...(e as WireObject), markets: [m, { ...m, ticker: 'BAD', close_time: 'soon' }] }];
    const err = await failure(makeVenue().listMarkets());
    expect(err).toBeInstanceOf(MalformedVenueError);
    expect((err as MalformedVenueError).field).toBe('events[0].markets[1].close_time');
    mock.books.set('KXELONMARS-99', { yes_dollars: [['0.1000', 'lots']], no_dollars: [] });
    const err2 = await failure(makeVenue().fetchBooks([kalshiMarket('KXELONMARS-99')]));
    expect((err2 as MalformedVenueError).field).toBe('orderbooks[0].orderbook_fp.yes_dollars[0][1]');
    mock.exchangeStatusText = '{"exchange_active":"yes","trading_active":true}';
    const err3 = await failure(makeVenue().health());
    expect((err3 as MalformedVenueError).field).toBe('exchange_active');
  });

  it('turns every recorded error body into the right typed error, without retrying non-retryable ones', async () => {
    for (const rec of KALSHI_RECORDED_ERRORS) {
      mock.server.requests.length = 0;
      mock.recordedError(rec, { path: '/exchange/status', times: rec.kind === 'retryable' ? 50 : 1 });
      const e = await failure(makeVenue({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } }).health());
      await venue?.close();
      mock.server.clearFaults();
      const cls = { auth: AuthVenueError, rejected: RejectedVenueError, retryable: RetryableVenueError }[rec.kind];
      expect(e, rec.file).toBeInstanceOf(cls);
      expect(e.status, rec.file).toBe(rec.status);
      expect(e.code, rec.file).toBe(rec.code);
      expect(mock.requestsTo('/exchange/status'), rec.file).toHaveLength(rec.kind === 'retryable' ? 2 : 1);
    }
  });

  it('treats a series lookup failure other than 404 as an error of the listing', async () => {
    mock.fault({ kind: 'status', status: 401, body: '{"error":{"code":"authentication_error","message":"authentication_error"}}' }, { path: '/series' });
    const e = await failure(makeVenue().listMarkets());
    expect(e).toBeInstanceOf(AuthVenueError);
  });
});
