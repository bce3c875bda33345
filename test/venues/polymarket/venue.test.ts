import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Market } from '../../../source/domain/market.js';
import {
  AuthVenueError,
  MalformedVenueError,
  RejectedVenueError,
  RetryableVenueError,
  type VenueError,
} from '../../../source/venues/errors.js';
import type { MarketDataVenue } from '../../../source/venues/venue.js';
import type { PolymarketSettings } from '../../../source/venues/polymarket/settings.js';
import { createPolymarketVenue, FACTS_TTL_MS } from '../../../source/venues/polymarket/venue.js';
import { classifyPolymarketError } from '../../../source/venues/polymarket/errors.js';
import {
  eventsFromMarkets,
  MockPolymarket,
  polymarketFixture,
  polymarketFixtureText,
  syntheticEvents,
  tokenIdsOf,
} from '../../helpers/mock-polymarket.js';

type Json = Record<string, unknown>;

const BTC = '0x78443f961b9a65869dcb39359de9960165c7e5cbad0904eac7f29cd77872a63b';
const WHITMER = '0xe39adea057926dc197fe30a441f57a340b2a232d5a687010f78bba9b6e02620f';
const SMITH = '0xc8f1cf5d4f26e0fd9c8fe89f2a7b3263b902cf14fde7bfccef525753bb492e47';

let mock: MockPolymarket;
let venue: MarketDataVenue;
let sleeps: number[];

function open(settings: Partial<PolymarketSettings> = {}): MarketDataVenue {
  sleeps = [];
  venue = createPolymarketVenue(mock.settings(settings), {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  return venue;
}

async function failure(p: Promise<unknown>): Promise<VenueError> {
  try {
    await p;
  } catch (error) {
    return error as VenueError;
  }
  throw new Error('expected a failure');
}

/** Fixture events: each gamma-markets.json market wrapped in an event, plus gamma-events.json. */
function fixtureEvents(): Json[] {
  return [...eventsFromMarkets(polymarketFixture<Json[]>('gamma-markets.json')), ...polymarketFixture<Json[]>('gamma-events.json')];
}

beforeEach(async () => {
  mock = await new MockPolymarket({ events: fixtureEvents() }).start();
});

afterEach(async () => {
  await venue?.close();
  await mock.stop();
});

/** A listing, then the CLOB's details of every market listed (what the engine does for the markets of its pairs). */
async function listDetailed(v: MarketDataVenue): Promise<Market[]> {
  const listed = await v.listMarkets();
  return v.detailMarkets === undefined ? listed : v.detailMarkets(listed);
}

function clobLookups(): string[] {
  return mock.clob.requests.filter((r) => r.path.startsWith('/clob-markets/')).map((r) => r.path);
}

describe('listMarkets over the recorded fixtures', () => {
  it('reads Gamma only: open bookable markets with their Gamma fees, no CLOB request (a catalog of 200,000 would wait an hour)', async () => {
    mock.setClobMarket(BTC, { c: BTC, mts: 0.01, nr: false, fd: { r: 0.07, e: 1, to: true } });
    const markets = await open().listMarkets();
    expect(markets.map((m) => m.id)).toEqual([BTC, SMITH, WHITMER]);
    const byId = new Map(markets.map((m) => [m.id, m]));
    // BTC: fees enabled, no schedule in Gamma -> unknown until the CLOB is asked; SMITH: feesEnabled false
    expect(byId.get(BTC)?.fee.kind).toBe('unknown');
    expect(byId.get(SMITH)?.fee).toMatchObject({ source: 'disabled', rate: 0n });
    for (const m of markets) expect(m.status).toBe('open');
    const q = mock.gamma.requestsTo('/events')[0]?.url.searchParams;
    expect(q?.get('active')).toBe('true');
    expect(q?.get('closed')).toBe('false');
    expect(mock.clob.requests).toEqual([]);
  });

  it('detailMarkets: fees CLOB first, then Gamma; one lookup per market asked for', async () => {
    mock.setClobMarket(BTC, { c: BTC, t: [{ t: '1', o: 'Up' }, { t: '2', o: 'Down' }], mts: 0.01, nr: false, fd: { r: 0.07, e: 1, to: true } });
    mock.setClobMarket(WHITMER, { c: WHITMER, mts: 0.001, nr: true, fd: { r: 0.04, e: 1, to: true } });
    // SMITH: no CLOB info (404) -> Gamma feesEnabled false -> disabled
    const markets = await listDetailed(open());
    expect(markets.map((m) => m.id)).toEqual([BTC, SMITH, WHITMER]);
    const byId = new Map(markets.map((m) => [m.id, m]));
    expect(byId.get(BTC)?.fee).toEqual({ kind: 'polymarket', rate: 70_000n, exponent: 1, takerOnly: true, source: 'clob' });
    expect(byId.get(WHITMER)?.fee).toMatchObject({ source: 'clob', rate: 40_000n });
    expect(byId.get(WHITMER)?.priceRanges).toEqual([{ start: 1_000n, end: 999_000n, step: 1_000n }]);
    expect(byId.get(WHITMER)?.ref).toMatchObject({ negRisk: true });
    expect(byId.get(SMITH)?.fee).toMatchObject({ source: 'disabled', rate: 0n });
    expect(clobLookups().sort()).toEqual([BTC, SMITH, WHITMER].map((c) => `/clob-markets/${c}`).sort());
    // only the markets asked for are looked up
    mock.clob.requests.length = 0;
    const v = open();
    const listed = await v.listMarkets();
    await v.detailMarkets?.(listed.filter((m) => m.id === WHITMER));
    expect(clobLookups()).toEqual([`/clob-markets/${WHITMER}`]);
  });

  it('a market whose details did not change comes back as the same object; one that did, as a new one', async () => {
    mock.setClobMarket(BTC, { c: BTC, fd: { r: 0.07, e: 1, to: true } });
    const v = open();
    const listed = await v.listMarkets();
    const detailed = (await v.detailMarkets?.(listed)) ?? [];
    expect(detailed.find((m) => m.id === BTC)).not.toBe(listed.find((m) => m.id === BTC));
    expect(detailed.find((m) => m.id === SMITH)).toBe(listed.find((m) => m.id === SMITH));
    const again = (await v.detailMarkets?.(detailed)) ?? [];
    expect(again).toEqual(detailed);
    again.forEach((m, i) => expect(m).toBe(detailed[i]));
  });

  it('a listing after the details keeps what the CLOB said, without asking it again', async () => {
    mock.setClobMarket(BTC, { c: BTC, fd: { r: 0.07, e: 1, to: true } });
    const v = open();
    await listDetailed(v);
    const before = mock.clob.requests.length;
    const relisted = await v.listMarkets();
    expect(relisted.find((m) => m.id === BTC)?.fee).toMatchObject({ source: 'clob', rate: 70_000n });
    expect(mock.clob.requests.length).toBe(before);
    // and detailing the relisted markets asks nothing while the facts are fresh
    await v.detailMarkets?.(relisted);
    expect(mock.clob.requests.length).toBe(before);
  });

  it('a market the CLOB says takes no orders is paused by the details and left out of the next listing', async () => {
    mock.setClobMarket(BTC, { c: BTC, ao: false, fd: { r: 0.07, e: 1, to: true } });
    const v = open();
    const detailed = await listDetailed(v);
    expect(detailed.find((m) => m.id === BTC)?.status).toBe('paused');
    expect((await v.listMarkets()).map((m) => m.id)).toEqual([SMITH, WHITMER]);
  });

  it('a market the CLOB paused is asked about again once that is old, and listed again when it takes orders', async () => {
    mock.setClobMarket(BTC, { c: BTC, ao: false, fd: { r: 0.07, e: 1, to: true } });
    let t = Date.UTC(2026, 4, 12);
    venue = createPolymarketVenue(mock.settings({}), { sleep: async () => undefined, random: () => 0.5, now: () => t });
    await listDetailed(venue);
    expect((await venue.listMarkets()).map((m) => m.id)).toEqual([SMITH, WHITMER]);
    mock.setClobMarket(BTC, { c: BTC, ao: true, fd: { r: 0.07, e: 1, to: true } });
    t += FACTS_TTL_MS;
    const relisted = await venue.listMarkets();
    expect(relisted.map((m) => m.id)).toEqual([BTC, SMITH, WHITMER]);
    expect(relisted.find((m) => m.id === BTC)).toMatchObject({ status: 'open', fee: { source: 'clob', rate: 70_000n } });
    expect(mock.clob.requestsTo(`/clob-markets/${BTC}`)).toHaveLength(2);
  });

  it('a lookup that fails once the facts are old keeps what the CLOB said before, not Gamma\'s figures', async () => {
    mock.setClobMarket(BTC, { c: BTC, fd: { r: 0.07, e: 1, to: true } });
    let t = Date.UTC(2026, 4, 12);
    venue = createPolymarketVenue(mock.settings({}), { sleep: async () => undefined, random: () => 0.5, now: () => t });
    const first = await listDetailed(venue);
    t += FACTS_TTL_MS;
    mock.clob.fault({ kind: 'status', status: 500, body: { error: 'boom' } }, { pathPrefix: `/clob-markets/${BTC}`, times: 3 });
    const again = (await venue.detailMarkets?.(first)) ?? [];
    expect(again.find((m) => m.id === BTC)?.fee).toMatchObject({ source: 'clob', rate: 70_000n });
    expect(again.find((m) => m.id === BTC)).toBe(first.find((m) => m.id === BTC));
  });

  it('CLOB info is asked again once it is an hour old: a changed fee rate is picked up', async () => {
    mock.setClobMarket(BTC, { c: BTC, fd: { r: 0.07, e: 1, to: true } });
    let t = Date.UTC(2026, 4, 12);
    sleeps = [];
    venue = createPolymarketVenue(mock.settings({}), { sleep: async () => undefined, random: () => 0.5, now: () => t });
    expect((await listDetailed(venue)).find((m) => m.id === BTC)?.fee).toMatchObject({ rate: 70_000n });
    mock.setClobMarket(BTC, { c: BTC, fd: { r: 0.05, e: 1, to: true } });
    t += FACTS_TTL_MS - 1;
    expect((await listDetailed(venue)).find((m) => m.id === BTC)?.fee).toMatchObject({ rate: 70_000n });
    t += 1;
    // a listing keeps the old facts until the details are asked for again
    expect((await venue.listMarkets()).find((m) => m.id === BTC)?.fee).toMatchObject({ rate: 70_000n });
    expect((await listDetailed(venue)).find((m) => m.id === BTC)?.fee).toMatchObject({ rate: 50_000n });
    expect(mock.clob.requestsTo(`/clob-markets/${BTC}`)).toHaveLength(2);
  });

  it('a failing CLOB lookup falls back to Gamma and is retried next time', async () => {
    mock.clob.fault({ kind: 'status', status: 500, body: { error: 'boom' } }, { pathPrefix: `/clob-markets/${SMITH}`, times: 3 });
    const v = open();
    const first = await listDetailed(v);
    expect(first.find((m) => m.id === SMITH)?.fee).toMatchObject({ source: 'disabled' });
    expect(mock.clob.requestsTo(`/clob-markets/${SMITH}`)).toHaveLength(3); // 1 + 2 retries
    mock.setClobMarket(SMITH, { c: SMITH, fd: { r: 0.05, e: 1, to: true } });
    const second = await listDetailed(v);
    expect(second.find((m) => m.id === SMITH)?.fee).toMatchObject({ source: 'clob', rate: 50_000n });
  });

  it('a malformed CLOB info field fails the details, naming it', async () => {
    mock.setClobMarket(BTC, { c: BTC, fd: { r: 'a lot', e: 1, to: true } });
    const error = await failure(listDetailed(open()));
    expect(error).toBeInstanceOf(MalformedVenueError);
    expect((error as MalformedVenueError).field).toBe('fd.r');
    expect(error.endpoint).toBe('GET /clob-markets');
  });

  it('tick size from GET /tick-size when neither Gamma nor CLOB info gives it', async () => {
    const raw = polymarketFixture<Json[]>('gamma-markets.json')[0] as Json;
    delete raw['orderPriceMinTickSize'];
    mock.events = eventsFromMarkets([raw]);
    mock.tickSizes.set(tokenIdsOf(raw)[0] as string, polymarketFixtureText('clob-tick-size.json'));
    const v = open();
    const [listed] = await v.listMarkets();
    expect(listed?.priceRanges).toEqual([]);
    const [m] = await listDetailed(v);
    expect(m?.priceRanges).toEqual([{ start: 10_000n, end: 990_000n, step: 10_000n }]);
    expect(mock.clob.requestsTo('/tick-size')[0]?.url.searchParams.get('token_id')).toBe(tokenIdsOf(raw)[0]);
  });
});

describe('pagination', () => {
  it('pages by offset until a short page', async () => {
    mock.events = syntheticEvents(250);
    const markets = await open({ gammaPageSize: 100 }).listMarkets();
    expect(mock.eventOffsets()).toEqual([0, 100, 200]);
    expect(markets).toHaveLength(500);
    expect(new Set(markets.map((m) => m.id)).size).toBe(500);
    for (const r of mock.gamma.requestsTo('/events')) expect(r.url.searchParams.get('limit')).toBe('100');
  });

  it('a full last page is followed by an empty one', async () => {
    mock.events = syntheticEvents(200);
    const markets = await open({ gammaPageSize: 100 }).listMarkets();
    expect(mock.eventOffsets()).toEqual([0, 100, 200]);
    expect(markets).toHaveLength(400);
  });

  it('stops early once the limit is reached', async () => {
    mock.events = syntheticEvents(250);
    const markets = await open({ gammaPageSize: 50 }).listMarkets({ limit: 120 });
    expect(markets).toHaveLength(120);
    expect(mock.eventOffsets()).toEqual([0, 50]);
    expect(clobLookups()).toHaveLength(0);
  });

  it('terminates when a server ignores offset', async () => {
    const events = syntheticEvents(10);
    mock.gamma.route('GET', '/events', () => ({ body: events }));
    const markets = await open({ gammaPageSize: 10 }).listMarkets();
    expect(markets).toHaveLength(20);
    expect(mock.gamma.requestsTo('/events')).toHaveLength(2);
  });
});

describe('fetchBooks', () => {
  async function listed(n: number, settings: Partial<PolymarketSettings> = {}): Promise<Market[]> {
    mock.events = syntheticEvents(n);
    mock.addBooksForAll();
    return open(settings).listMarkets();
  }

  it('batches POST /books keeping both tokens of a market together', async () => {
    const markets = await listed(30, { booksBatchSize: 50 }); // 60 markets
    const books = await venue.fetchBooks(markets);
    expect(mock.booksBatchSizes()).toEqual([50, 50, 20]);
    expect(books.size).toBe(60);
    for (const r of mock.clob.requestsTo('/books')) {
      const body = JSON.parse(r.body) as { token_id: string }[];
      expect(Object.keys(body[0] ?? {})).toEqual(['token_id']);
      const tokens = new Set(body.map((b) => b.token_id));
      for (const m of markets) {
        if (m.ref.venue !== 'polymarket') continue;
        expect(tokens.has(m.ref.yesTokenId)).toBe(tokens.has(m.ref.noTokenId));
      }
    }
  });

  it('levels are sorted best first whatever the wire order', async () => {
    const markets = (await listed(1)).slice(0, 1);
    const a = await venue.fetchBooks(markets);
    mock.reverseLevels = true;
    const b = await venue.fetchBooks(markets);
    const bookA = a.get(markets[0]?.id ?? '');
    const bookB = b.get(markets[0]?.id ?? '');
    expect(bookA?.yesAsks.map((l) => l.price)).toEqual([140_000n, 200_000n, 380_000n, 460_000n, 470_000n, 500_000n, 980_000n]);
    expect(bookB?.yesAsks).toEqual(bookA?.yesAsks);
    expect(bookB?.noAsks).toEqual(bookA?.noAsks);
    expect(bookA?.venueTime).toBe(1728799418260);
  });

  it('markets without a book, or without token ids, are absent', async () => {
    const markets = await listed(2);
    const first = markets[0];
    if (first?.ref.venue !== 'polymarket') throw new Error('fixture');
    mock.books.delete(first.ref.noTokenId);
    const unbookable: Market = { ...first, id: '0xdead', ref: { ...first.ref, conditionId: '0xdead', yesTokenId: '', noTokenId: '' } };
    const books = await venue.fetchBooks([...markets, unbookable]);
    expect(books.has(first.id)).toBe(false);
    expect(books.has('0xdead')).toBe(false);
    expect(books.size).toBe(3);
    const sent = mock.clob.requestsTo('/books').flatMap((r) => JSON.parse(r.body) as { token_id: string }[]);
    expect(sent.some((t) => t.token_id === '')).toBe(false);
  });

  it('no markets: no request', async () => {
    expect((await open().fetchBooks([])).size).toBe(0);
    expect(mock.clob.requestsTo('/books')).toHaveLength(0);
  });

  it('POST /books is retried on 5xx (a read)', async () => {
    const markets = await listed(1);
    mock.clob.fault({ kind: 'status', status: 502, body: 'bad gateway' }, { pathPrefix: '/books' });
    const books = await venue.fetchBooks(markets);
    expect(books.size).toBe(2);
    expect(mock.clob.requestsTo('/books')).toHaveLength(2);
    expect(venue.traffic().retries).toBeGreaterThanOrEqual(1);
  });

  it('a malformed book level fails with the field named', async () => {
    const markets = await listed(1);
    const m = markets[0];
    if (m?.ref.venue !== 'polymarket') throw new Error('fixture');
    mock.books.set(m.ref.yesTokenId, { market: m.id, asset_id: m.ref.yesTokenId, bids: [], asks: [{ price: 0.5, size: 'many' }] });
    const error = await failure(venue.fetchBooks(markets));
    expect(error).toBeInstanceOf(MalformedVenueError);
    expect((error as MalformedVenueError).field).toMatch(/^\[\d+\]\.asks\[0\]\.size$/);
    expect(error.endpoint).toBe('POST /books');
  });
});

describe('faults on GET /events -> typed errors, bounded retries', () => {
  it('429 then success: retried, honouring Retry-After', async () => {
    mock.gamma.fault({ kind: 'status', status: 429, body: { error: 'Too Many Requests' }, headers: { 'retry-after': '0.003' } });
    const markets = await open().listMarkets();
    expect(markets.length).toBeGreaterThan(0);
    expect(mock.gamma.requestsTo('/events')).toHaveLength(2);
    expect(venue.traffic().rateLimited).toBe(1);
    expect(sleeps).toEqual([3]);
  });

  it('429 forever: RetryableVenueError rate-limited after 1 + maxRetries attempts', async () => {
    mock.gamma.fault({ kind: 'status', status: 429, body: { error: 'Too Many Requests' } }, { times: 99 });
    const error = await failure(open().listMarkets());
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect((error as RetryableVenueError).reason).toBe('rate-limited');
    expect(error.attempts).toBe(3);
    expect(error.message).toBe('Too Many Requests');
    expect(mock.gamma.requestsTo('/events')).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    for (const s of sleeps) expect(s).toBeLessThanOrEqual(5);
  });

  it('5xx forever: server error', async () => {
    mock.gamma.fault({ kind: 'status', status: 503, body: '<html>Service Unavailable</html>' }, { times: 99 });
    const error = await failure(open().listMarkets());
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect((error as RetryableVenueError).reason).toBe('server');
    expect(error.status).toBe(503);
    expect(mock.gamma.requestsTo('/events')).toHaveLength(3);
  });

  it('slower than the timeout: timeout error, bounded', async () => {
    mock.gamma.fault({ kind: 'delay', ms: Number.POSITIVE_INFINITY }, { times: 99 });
    const started = Date.now();
    const error = await failure(open({ timeoutMs: 100, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } }).listMarkets());
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect((error as RetryableVenueError).reason).toBe('timeout');
    expect(error.attempts).toBe(2);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('slow once, then fine: recovers', async () => {
    mock.gamma.fault({ kind: 'delay', ms: 400 });
    const markets = await open({ timeoutMs: 150 }).listMarkets();
    expect(markets.length).toBeGreaterThan(0);
    expect(venue.traffic().retries).toBe(1);
  });

  it('malformed JSON: MalformedVenueError for the whole body, not retried', async () => {
    mock.gamma.fault({ kind: 'malformed-json' });
    const error = await failure(open().listMarkets());
    expect(error).toBeInstanceOf(MalformedVenueError);
    expect((error as MalformedVenueError).field).toBe('');
    expect(mock.gamma.requestsTo('/events')).toHaveLength(1);
  });

  it('dropped connection: retryable network error after bounded retries', async () => {
    mock.gamma.fault({ kind: 'drop' }, { times: 99 });
    const error = await failure(open().listMarkets());
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect((error as RetryableVenueError).reason).toBe('network');
    expect(mock.gamma.requestsTo('/events')).toHaveLength(3);
  });

  it('truncated body: retryable network error', async () => {
    mock.gamma.fault({ kind: 'truncate' }, { times: 99 });
    const error = await failure(open().listMarkets());
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect(mock.gamma.requestsTo('/events')).toHaveLength(3);
  });

  it('malformed field: MalformedVenueError naming it', async () => {
    const events = fixtureEvents();
    const event = events[3] as Json;
    const markets = event['markets'] as Json[];
    markets[1] = { ...markets[1], clobTokenIds: '["1", 2]' };
    mock.events = events;
    const error = await failure(open().listMarkets());
    expect(error).toBeInstanceOf(MalformedVenueError);
    expect((error as MalformedVenueError).field).toBe('[3].markets[1].clobTokenIds');
  });

  it('a semantic error names the field on its page', async () => {
    const events = syntheticEvents(3);
    ((events[2] as Json)['markets'] as Json[])[0] = { ...((events[2] as Json)['markets'] as Json[])[0], outcomes: '["A","B","C"]' };
    mock.events = events;
    const error = await failure(open({ gammaPageSize: 2 }).listMarkets());
    expect(error).toBeInstanceOf(MalformedVenueError);
    expect((error as MalformedVenueError).field).toBe('[0].markets[0].outcomes');
    expect(error.endpoint).toBe('GET /events?offset=2');
  });

  it('401 and 400: auth and rejected, not retried', async () => {
    mock.gamma.fault({ kind: 'status', status: 401, body: { error: 'Unauthorized/Invalid api key' } });
    expect(await failure(open().listMarkets())).toBeInstanceOf(AuthVenueError);
    mock.gamma.fault({ kind: 'status', status: 400, body: { error: 'bad limit' } });
    const rejected = await failure(venue.listMarkets());
    expect(rejected).toBeInstanceOf(RejectedVenueError);
    expect(rejected.message).toBe('bad limit');
    expect(mock.gamma.requestsTo('/events')).toHaveLength(2);
  });

  it('an aborted signal stops the listing', async () => {
    mock.gamma.fault({ kind: 'delay', ms: Number.POSITIVE_INFINITY });
    const controller = new AbortController();
    const p = open({ timeoutMs: 5_000 }).listMarkets({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await failure(p)).toBeInstanceOf(RetryableVenueError);
    expect(mock.gamma.requestsTo('/events')).toHaveLength(1);
  });
});

describe('health', () => {
  it('GET /ok 200 (JSON or plain text): exchange and trading active', async () => {
    const h = await open().health();
    expect(h).toMatchObject({ venue: 'polymarket', exchangeActive: true, tradingActive: true, detail: null });
    mock.okBody = 'OK';
    expect(await venue.health()).toMatchObject({ exchangeActive: true, tradingActive: true });
    expect(mock.clob.requestsTo('/ok')).toHaveLength(2);
  });

  it('503 cancel-only: exchange up, trading off, with the venue message', async () => {
    mock.clob.fault({ kind: 'status', status: 503, body: polymarketFixtureText('order-post-error.json') }, { pathPrefix: '/ok' });
    const h = await open().health();
    expect(h).toMatchObject({ exchangeActive: true, tradingActive: false });
    expect(h.detail).toMatch(/cancel-only/);
  });

  it('5xx, drop or timeout: exchange down, one attempt, never hangs', async () => {
    open({ timeoutMs: 100 });
    for (const fault of [
      { kind: 'status', status: 500, body: { error: 'oops' } },
      { kind: 'drop' },
      { kind: 'delay', ms: Number.POSITIVE_INFINITY },
    ] as const) {
      mock.clob.fault(fault, { pathPrefix: '/ok' });
      const h = await venue.health();
      expect(h).toMatchObject({ exchangeActive: false, tradingActive: false });
      expect(h.detail).toMatch(/^polymarket GET \/ok/);
    }
    expect(mock.clob.requestsTo('/ok')).toHaveLength(3);
  });
});

describe('classifyPolymarketError', () => {
  it.each([
    [429, { error: 'Too Many Requests' }, 'retryable', 'rate-limited'],
    [408, undefined, 'retryable', 'timeout'],
    [500, { error: 'x' }, 'retryable', 'server'],
    [503, { error: 'Trading is currently cancel-only. New orders are not accepted, but cancels are allowed.' }, 'retryable', 'cancel-only'],
    [401, { error: 'Invalid L1 Request headers' }, 'auth', 'unauthorized'],
    [403, undefined, 'auth', 'forbidden'],
    [404, { error: 'No orderbook exists for the requested token id' }, 'rejected', 'not-found'],
    [400, { error: 'Invalid token id' }, 'rejected', 'bad-request'],
  ] as const)('%i -> %s', (status, body, kind, code) => {
    const c = classifyPolymarketError(status, body, body === undefined ? '' : JSON.stringify(body));
    expect(c.kind).toBe(kind);
    expect(c.code).toBe(code);
    expect(c.message).toBe(body?.error ?? `HTTP ${status}`);
  });

  it('non-JSON bodies give a snippet', () => {
    expect(classifyPolymarketError(502, undefined, '<html>\n Bad   Gateway</html>').message).toBe('<html> Bad Gateway</html>');
  });
});
