/**
 * Mock Gamma + CLOB servers for the Polymarket venue, on MockHttpServer (127.0.0.1,
 * ephemeral ports), serving the recorded fixtures in test/fixtures/polymarket/.
 *
 * Gamma: `GET /events` and `GET /markets` with offset/limit pagination and the
 * active/closed filters. CLOB: `POST /books`, `GET /book`, `GET /clob-markets/{id}`,
 * `GET /tick-size`, `GET /ok`. Faults are switched on the underlying servers:
 * `mock.gamma.fault(...)`, `mock.clob.fault(...)` (status, delay, malformed-json, drop,
 * truncate). Books for fixture markets are the recorded `clob-book.json` with the
 * token id and market replaced (the recorded book belongs to a market not in the
 * Gamma fixtures).
 */
import { readFileSync } from 'node:fs';
import type { PolymarketSettings } from '../../source/venues/polymarket/settings.js';
import { MockHttpServer, type RecordedRequest } from './mock-http-server.js';

const FIXTURES = new URL('../fixtures/polymarket/', import.meta.url);

export function polymarketFixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

export function polymarketFixture<T = unknown>(name: string): T {
  return JSON.parse(polymarketFixtureText(name)) as T;
}

type Json = Record<string, unknown>;

/** Token ids of a raw Gamma market (v1 `clobTokenIds` or v2 `positionIds`). */
export function tokenIdsOf(market: Json): string[] {
  const raw = market['version'] === 'v2' ? market['positionIds'] : market['clobTokenIds'];
  if (raw === undefined || raw === null) return [];
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as string[];
}

/** The recorded CLOB book, re-labelled for `tokenId` of `conditionId`. */
export function recordedBookFor(tokenId: string, conditionId: string): Json {
  const book = polymarketFixture<Json>('clob-book.json');
  return { ...book, asset_id: tokenId, market: conditionId };
}

function hex64(n: number, salt: number): string {
  return `0x${salt.toString(16).padStart(8, '0')}${n.toString(16).padStart(56, '0')}`;
}

/**
 * `count` events cloned from the recorded gamma-events.json event, each with unique
 * event ids, condition ids and token ids (so pagination and batching have volume).
 */
export function syntheticEvents(count: number, salt = 1): Json[] {
  const [template] = polymarketFixture<Json[]>('gamma-events.json');
  if (!template) throw new Error('gamma-events.json is empty');
  const out: Json[] = [];
  for (let i = 0; i < count; i += 1) {
    const markets = (template['markets'] as Json[]).map((m, j) => {
      const n = i * 100 + j;
      const conditionId = hex64(n, salt);
      const yes = `${salt}${String(2 * n + 1).padStart(12, '0')}`;
      const no = `${salt}${String(2 * n + 2).padStart(12, '0')}`;
      return { ...m, id: `${salt}${n}`, conditionId, clobTokenIds: JSON.stringify([yes, no]), question: `${String(m['question'])} #${n}` };
    });
    out.push({ ...template, id: `${salt}-${i}`, title: `${String(template['title'])} #${i}`, markets });
  }
  return out;
}

/** Wrap raw Gamma markets into one event each (as `/events` nests them). */
export function eventsFromMarkets(markets: readonly Json[]): Json[] {
  return markets.map((m, i) => ({ id: `wrap-${i}`, title: `Event of ${String(m['question'])}`, active: true, closed: false, markets: [m] }));
}

function intParam(url: URL, key: string, fallback: number): number {
  const v = url.searchParams.get(key);
  const n = v === null ? Number.NaN : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : fallback;
}

function filterActive(items: readonly Json[], url: URL): Json[] {
  return items.filter((e) => {
    if (url.searchParams.get('closed') === 'false' && e['closed'] === true) return false;
    if (url.searchParams.get('active') === 'true' && e['active'] === false) return false;
    return true;
  });
}

export class MockPolymarket {
  readonly gamma = new MockHttpServer();
  readonly clob = new MockHttpServer();
  /** Raw events served by GET /events (mutable between requests). */
  events: Json[];
  /** Raw markets served by GET /markets. */
  markets: Json[];
  /** Raw books by token id, served by POST /books and GET /book. */
  readonly books = new Map<string, Json>();
  /** Raw tick-size answers by token id. */
  readonly tickSizes = new Map<string, unknown>();
  /** Body of GET /ok (a JSON string by default). */
  okBody: unknown = '"OK"';
  /** When true, POST /books answers every level list reversed (wire order must not matter). */
  reverseLevels = false;

  constructor(options: { events?: Json[]; markets?: Json[] } = {}) {
    this.events = options.events ?? polymarketFixture<Json[]>('gamma-events.json');
    this.markets = options.markets ?? polymarketFixture<Json[]>('gamma-markets.json');
    this.routeGamma();
    this.routeClob();
  }

  async start(): Promise<this> {
    await Promise.all([this.gamma.start(), this.clob.start()]);
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([this.gamma.stop(), this.clob.stop()]);
  }

  /** Give every market of the served events/markets a recorded book for both tokens. */
  addBooksForAll(): this {
    for (const m of [...this.events.flatMap((e) => (e['markets'] as Json[] | undefined) ?? []), ...this.markets]) {
      for (const t of tokenIdsOf(m)) this.books.set(t, recordedBookFor(t, String(m['conditionId'])));
    }
    return this;
  }

  /** Serve `body` at GET /clob-markets/{conditionId}. */
  setClobMarket(conditionId: string, body: unknown, status = 200): this {
    this.clob.route('GET', `/clob-markets/${conditionId}`, { status, body });
    return this;
  }

  /** Settings pointing at the mocks: short timeout, fast bounded retries, loose rate limits. */
  settings(overrides: Partial<PolymarketSettings> = {}): PolymarketSettings {
    return {
      gammaUrl: this.gamma.url,
      clobUrl: this.clob.url,
      timeoutMs: 300,
      gammaRateLimit: { requests: 1_000, intervalMs: 1_000, concurrency: 8 },
      clobRateLimit: { requests: 1_000, intervalMs: 1_000, concurrency: 8 },
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
      gammaPageSize: 100,
      booksBatchSize: 50,
      ...overrides,
    };
  }

  /** Sizes (token count) of every POST /books call so far. */
  booksBatchSizes(): number[] {
    return this.clob.requestsTo('/books').map((r) => (JSON.parse(r.body) as unknown[]).length);
  }

  /** Offsets of every GET /events call so far. */
  eventOffsets(): number[] {
    return this.gamma.requestsTo('/events').map((r) => intParam(r.url, 'offset', 0));
  }

  private routeGamma(): void {
    const page = (items: readonly Json[], req: RecordedRequest): Json[] => {
      const filtered = filterActive(items, req.url);
      const offset = intParam(req.url, 'offset', 0);
      const limit = intParam(req.url, 'limit', 20);
      return filtered.slice(offset, offset + limit);
    };
    this.gamma.route('GET', '/events', (req) => ({ body: page(this.events, req) }));
    this.gamma.route('GET', '/markets', (req) => ({ body: page(this.markets, req) }));
  }

  private routeClob(): void {
    const reversed = (book: Json): Json =>
      this.reverseLevels
        ? { ...book, bids: [...(book['bids'] as unknown[])].reverse(), asks: [...(book['asks'] as unknown[])].reverse() }
        : book;
    this.clob.route('POST', '/books', (req) => {
      let wanted: unknown;
      try {
        wanted = JSON.parse(req.body);
      } catch {
        return { status: 400, body: { error: 'Invalid payload' } };
      }
      if (!Array.isArray(wanted)) return { status: 400, body: { error: 'Invalid payload' } };
      const out: Json[] = [];
      for (const w of wanted as Json[]) {
        const book = this.books.get(String(w['token_id']));
        if (book) out.push(reversed(book));
      }
      return { body: out };
    });
    this.clob.route('GET', '/book', (req) => {
      const book = this.books.get(req.url.searchParams.get('token_id') ?? '');
      return book ? { body: reversed(book) } : { status: 404, body: { error: 'No orderbook exists for the requested token id' } };
    });
    this.clob.route('GET', '/tick-size', (req) => {
      const token = req.url.searchParams.get('token_id') ?? '';
      const answer = this.tickSizes.get(token);
      if (answer !== undefined) return { body: answer };
      return this.books.has(token)
        ? { body: polymarketFixtureText('clob-tick-size.json') }
        : { status: 400, body: { error: 'Invalid token id' } };
    });
    this.clob.route('GET', '/ok', () => ({ body: this.okBody }));
  }
}
