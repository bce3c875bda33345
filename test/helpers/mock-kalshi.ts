/**
 * A mock Kalshi REST server (public market data) on MockHttpServer, serving the
 * recorded fixtures copied verbatim under test/fixtures/kalshi/:
 *
 * - `GET /trade-api/v2/events`: pages of `events` (cursor pagination: opaque cursor,
 *   `cursor: ""` on the last page, an unknown cursor silently restarts at page 1 as
 *   Kalshi does; `limit` outside 1–200 -> 400 with Kalshi's bare `{"msg":…}` shape;
 *   without `with_nested_markets=true` the markets are stripped). The `status` filter is
 *   recorded but not applied, so clients must drop non-open nested markets themselves.
 * - `GET /trade-api/v2/series`: prod-recorded/series-subset.json verbatim;
 *   `GET /trade-api/v2/series/{t}`: `{series: …}` for each of those series (others 404).
 * - `GET /trade-api/v2/markets/orderbooks?tickers=…`: the recorded books; when exactly the
 *   34 recorded tickers are asked for, prod-recorded/orderbooks-multi.json verbatim;
 *   more than 100 tickers -> 400 `{"msg":…}`.
 * - `GET /trade-api/v2/exchange/status`: prod-recorded/exchange-status.json verbatim.
 *
 * Default events: the recorded production event (KXELONMARS-99, verbatim object), plus
 * wrapper events around the recorded demo markets (market.json: active;
 * markets-page*.json: `initialized`). The wrappers' event-level fields are scaffolding,
 * not recorded data. Faults (429, 5xx, slow, malformed JSON, drop, truncate) and the
 * recorded error bodies can be queued per path.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MockHttpServer, type Fault, type RecordedRequest } from './mock-http-server.js';

export const KALSHI_FIXTURE_DIR = fileURLToPath(new URL('../fixtures/kalshi/', import.meta.url));
export const KALSHI_API_PREFIX = '/trade-api/v2';

export function kalshiFixtureText(relative: string): string {
  return readFileSync(`${KALSHI_FIXTURE_DIR}${relative}`, 'utf8');
}

export function kalshiFixture<T = unknown>(relative: string): T {
  return JSON.parse(kalshiFixtureText(relative)) as T;
}

export type WireObject = Record<string, unknown>;

/** Recorded error bodies, their HTTP status and the error kind arb-tui must give them. */
export const KALSHI_RECORDED_ERRORS = [
  { file: 'demo-recorded/error-400-bad-request-flat-shape.json', status: 400, kind: 'rejected', code: 'bad_request' },
  { file: 'demo-recorded/error-400-insufficient-balance.json', status: 400, kind: 'rejected', code: 'insufficient_balance' },
  { file: 'demo-recorded/error-400-invalid-price.json', status: 400, kind: 'rejected', code: 'invalid_price' },
  { file: 'demo-recorded/error-400-param-validation-msg-shape.json', status: 400, kind: 'rejected', code: undefined },
  { file: 'demo-recorded/error-400-post-only-cross.json', status: 400, kind: 'rejected', code: 'invalid_order' },
  { file: 'demo-recorded/error-401-bad-signature.json', status: 401, kind: 'auth', code: 'authentication_error' },
  { file: 'demo-recorded/error-401-missing-signature.json', status: 401, kind: 'auth', code: 'signature_is_missing_from_headers' },
  { file: 'demo-recorded/error-401-timestamp-expired.json', status: 401, kind: 'auth', code: 'header_timestamp_expired' },
  { file: 'demo-recorded/error-401-unknown-key-id.json', status: 401, kind: 'auth', code: 'authentication_error' },
  { file: 'demo-recorded/error-404-not-found.json', status: 404, kind: 'rejected', code: 'not_found' },
  { file: 'demo-recorded/error-409-order-already-exists.json', status: 409, kind: 'rejected', code: 'order_already_exists' },
  { file: 'docs-examples/error-429-too-many-requests.json', status: 429, kind: 'retryable', code: undefined },
] as const;

export type KalshiRecordedError = (typeof KALSHI_RECORDED_ERRORS)[number];

/** The recorded production event with its nested market, verbatim. */
export function recordedProdEvent(): WireObject {
  return kalshiFixture<{ event: WireObject }>('prod-recorded/event-with-markets.json').event;
}

/** Scaffolding: wrap recorded demo market objects into an event (event fields are not recorded data). */
export function wrapMarketsInEvent(markets: readonly WireObject[], seriesTicker: string, title: string): WireObject {
  const eventTicker = String(markets[0]?.['event_ticker']);
  return {
    event_ticker: eventTicker,
    series_ticker: seriesTicker,
    title,
    sub_title: '',
    collateral_return_type: '',
    mutually_exclusive: false,
    settlement_sources: [],
    markets: [...markets],
  };
}

export function defaultKalshiEvents(): WireObject[] {
  const single = kalshiFixture<{ market: WireObject }>('demo-recorded/market.json').market;
  const page1 = kalshiFixture<{ markets: WireObject[] }>('demo-recorded/markets-page.json').markets;
  const page2 = kalshiFixture<{ markets: WireObject[] }>('demo-recorded/markets-page-2.json').markets;
  return [
    recordedProdEvent(),
    wrapMarketsInEvent([single], 'KXWTACHALLENGERMATCH', 'Jimenez Kasintseva vs Lepchenko'),
    wrapMarketsInEvent([...page1, ...page2], 'KXMLBHIT', 'Arizona vs Miami: hits'),
  ];
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string | null): number {
  if (!cursor) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : 0; // unknown cursor: Kalshi silently answers page 1
}

export class MockKalshi {
  readonly server = new MockHttpServer();
  events: WireObject[];
  readonly books = new Map<string, WireObject>();
  /** Series served by GET /series/{t}; GET /series serves `seriesListText`. */
  readonly series = new Map<string, WireObject>();
  seriesListText: string;
  exchangeStatusText: string;
  private readonly recordedBooksText: string;
  private readonly recordedBookTickers: string[];

  constructor(events: WireObject[] = defaultKalshiEvents()) {
    this.events = events;
    this.seriesListText = kalshiFixtureText('prod-recorded/series-subset.json');
    for (const s of (JSON.parse(this.seriesListText) as { series: WireObject[] }).series) this.series.set(String(s['ticker']), s);
    this.exchangeStatusText = kalshiFixtureText('prod-recorded/exchange-status.json');
    this.recordedBooksText = kalshiFixtureText('prod-recorded/orderbooks-multi.json');
    const recorded = (JSON.parse(this.recordedBooksText) as { orderbooks: { ticker: string; orderbook_fp: WireObject }[] }).orderbooks;
    this.recordedBookTickers = recorded.map((b) => b.ticker);
    for (const b of recorded) this.books.set(b.ticker, b.orderbook_fp);
    const demoBook = kalshiFixture<{ orderbook_fp: WireObject }>('demo-recorded/orderbook.json').orderbook_fp;
    this.books.set('KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP', demoBook);
  }

  async start(): Promise<this> {
    await this.server.start();
    const p = KALSHI_API_PREFIX;
    this.server.route('GET', `${p}/events`, (req) => this.eventsAnswer(req));
    this.server.route('GET', `${p}/series`, () => ({ body: this.seriesListText }));
    for (const [ticker, s] of this.series) this.server.route('GET', `${p}/series/${ticker}`, () => ({ body: { series: s } }));
    this.server.route('GET', `${p}/markets/orderbooks`, (req) => this.booksAnswer(req));
    this.server.route('GET', `${p}/exchange/status`, () => ({ body: this.exchangeStatusText }));
    return this;
  }

  /** REST root to put in KalshiSettings.restUrl. */
  get restUrl(): string {
    return `${this.server.url}${KALSHI_API_PREFIX}`;
  }

  /** The recorded tickers of prod-recorded/orderbooks-multi.json, in order. */
  get recordedBookTickersInOrder(): readonly string[] {
    return this.recordedBookTickers;
  }

  /** Requests to an API path such as '/events'. */
  requestsTo(path: string): RecordedRequest[] {
    return this.server.requestsTo(`${KALSHI_API_PREFIX}${path}`);
  }

  /** Queue a fault for the next request(s) whose API path starts with `path` (all paths when absent). */
  fault(fault: Fault, options: { path?: string; times?: number } = {}): this {
    this.server.fault(fault, {
      ...(options.path !== undefined ? { pathPrefix: `${KALSHI_API_PREFIX}${options.path}` } : {}),
      ...(options.times !== undefined ? { times: options.times } : {}),
    });
    return this;
  }

  /** Answer the next matching request(s) with a recorded error body (verbatim text) and its status. */
  recordedError(error: KalshiRecordedError, options: { path?: string; times?: number } = {}): this {
    return this.fault({ kind: 'status', status: error.status, body: kalshiFixtureText(error.file) }, options);
  }

  private eventsAnswer(req: RecordedRequest): { status?: number; body: unknown } {
    const q = req.url.searchParams;
    const limitText = q.get('limit');
    const limit = limitText === null ? 200 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      return {
        status: 400,
        body: { msg: `Parameter validation failed for GetEvents: Key: 'GetEventsParams.Limit' Error:Field validation for 'Limit' failed` },
      };
    }
    const offset = decodeCursor(q.get('cursor'));
    const nested = q.get('with_nested_markets') === 'true';
    const slice = this.events.slice(offset, offset + limit).map((e) => {
      if (nested) return e;
      const { markets: _dropped, ...rest } = e;
      return rest;
    });
    const next = offset + limit < this.events.length ? encodeCursor(offset + limit) : '';
    return { body: { cursor: next, events: slice } };
  }

  private booksAnswer(req: RecordedRequest): { status?: number; body: unknown } {
    const tickers = req.url.searchParams.getAll('tickers');
    if (tickers.length < 1 || tickers.length > 100) {
      return {
        status: 400,
        body: { msg: `Parameter validation failed for GetMarketOrderbooks: Key: 'GetMarketOrderbooksParams.Tickers' Error:Field validation for 'Tickers' failed on the '${tickers.length < 1 ? 'min' : 'max'}' tag` },
      };
    }
    const asked = new Set(tickers);
    if (asked.size === this.recordedBookTickers.length && this.recordedBookTickers.every((t) => asked.has(t))) {
      return { body: this.recordedBooksText };
    }
    const orderbooks = tickers.filter((t) => this.books.has(t)).map((t) => ({ orderbook_fp: this.books.get(t), ticker: t }));
    return { body: { orderbooks } };
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
