/**
 * Polymarket wire client: endpoint-shaped calls to Gamma and the CLOB, every answer
 * validated by its zod schema. Returns wire types; `parser.ts` turns them into domain.
 *
 * - Gamma `GET /events?active=true&closed=false&limit&offset`: offset pagination until
 *   a short page (or a page with nothing new, in case a server ignores `offset`).
 * - CLOB `POST /books` with `[{token_id}]` (the venue batches); a read, so retried like a GET.
 * - CLOB `GET /clob-markets/{conditionId}` (fees, tick, min size) and `GET /tick-size`.
 * - CLOB `GET /ok` for liveness.
 * Each host has its own rate limiter (p-queue inside HttpClient).
 */
import { HttpClient, type HttpResult } from '../../lib/http-client.js';
import type { VenueTraffic } from '../venue.js';
import { classifyPolymarketError } from './errors.js';
import {
  clobBooksSchema,
  clobMarketInfoSchema,
  clobTickSizeSchema,
  gammaEventsPageSchema,
  okBodySchema,
  type ClobBook,
  type ClobMarketInfo,
  type GammaEvent,
} from './schemas.js';
import type { PolymarketSettings } from './settings.js';

export interface PolymarketClientDeps {
  readonly now?: (() => number) | undefined;
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  readonly random?: (() => number) | undefined;
}

/** One Gamma `/events` page as answered. */
export interface EventsPage {
  readonly offset: number;
  readonly events: GammaEvent[];
}

/** A batch of books and when it arrived. */
export interface BooksBatch {
  readonly books: ClobBook[];
  readonly receivedAt: number;
}

/** Hard stop for pagination, whatever the server does (100 events × 2,000 pages). */
export const MAX_GAMMA_PAGES = 2_000;

export class PolymarketClient {
  readonly gamma: HttpClient;
  readonly clob: HttpClient;
  private readonly settings: PolymarketSettings;

  constructor(settings: PolymarketSettings, deps: PolymarketClientDeps = {}) {
    this.settings = settings;
    const common = {
      venue: 'polymarket',
      timeoutMs: settings.timeoutMs,
      retry: settings.retry,
      classifyError: classifyPolymarketError,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.random ? { random: deps.random } : {}),
    };
    this.gamma = new HttpClient({ ...common, baseUrl: settings.gammaUrl, rateLimit: settings.gammaRateLimit });
    this.clob = new HttpClient({ ...common, baseUrl: settings.clobUrl, rateLimit: settings.clobRateLimit });
  }

  /** One page of open events. */
  async eventsPage(offset: number, limit: number, signal?: AbortSignal): Promise<GammaEvent[]> {
    const res = await this.gamma.get('/events', {
      query: { active: true, closed: false, limit, offset },
      schema: gammaEventsPageSchema,
      signal,
      label: 'GET /events',
    });
    return res.data;
  }

  /**
   * Open events, page after page, until a short page or a page with nothing new (in case
   * a server ignores `offset`). `enough(pages)` may stop early (e.g. a market limit).
   * Pages are returned as answered (indices in error paths refer to them).
   */
  async listEventPages(
    options: { signal?: AbortSignal | undefined; enough?: (pages: readonly EventsPage[]) => boolean } = {},
  ): Promise<EventsPage[]> {
    const pageSize = Math.max(1, this.settings.gammaPageSize);
    const seen = new Set<string>();
    const pages: EventsPage[] = [];
    for (let page = 0; page < MAX_GAMMA_PAGES; page += 1) {
      const offset = page * pageSize;
      const events = await this.eventsPage(offset, pageSize, options.signal);
      let fresh = 0;
      for (const e of events) {
        if (seen.has(e.id)) continue;
        seen.add(e.id);
        fresh += 1;
      }
      pages.push({ offset, events });
      if (events.length < pageSize || fresh === 0) break;
      if (options.enough?.(pages)) break;
    }
    return pages;
  }

  /** One POST /books call. The POST is a read: retried like a GET. */
  async booksBatch(tokenIds: readonly string[], signal?: AbortSignal): Promise<BooksBatch> {
    const res: HttpResult<ClobBook[]> = await this.clob.post('/books', {
      body: tokenIds.map((token_id) => ({ token_id })),
      schema: clobBooksSchema,
      retry: true,
      signal,
      label: 'POST /books',
    });
    return { books: res.data, receivedAt: res.receivedAt };
  }

  /** CLOB market info (fees `fd`, tick `mts`, min size `mos`). */
  async clobMarket(conditionId: string, signal?: AbortSignal): Promise<ClobMarketInfo> {
    const res = await this.clob.get(`/clob-markets/${encodeURIComponent(conditionId)}`, {
      schema: clobMarketInfoSchema,
      signal,
      label: 'GET /clob-markets',
    });
    return res.data;
  }

  /** Minimum tick size of a token, as decimal text. */
  async tickSize(tokenId: string, signal?: AbortSignal): Promise<string> {
    const res = await this.clob.get('/tick-size', {
      query: { token_id: tokenId },
      schema: clobTickSizeSchema,
      signal,
      label: 'GET /tick-size',
    });
    return res.data.minimum_tick_size;
  }

  /** Liveness: `GET /ok` answers 200 when the CLOB is up. One attempt, no retry. */
  async ok(signal?: AbortSignal): Promise<HttpResult<unknown>> {
    return this.clob.get('/ok', { schema: okBodySchema, retry: false, signal, label: 'GET /ok' });
  }

  traffic(): VenueTraffic {
    const g = this.gamma.traffic();
    const c = this.clob.traffic();
    return {
      requests: g.requests + c.requests,
      retries: g.retries + c.retries,
      queued: g.queued + c.queued,
      inFlight: g.inFlight + c.inFlight,
      rateLimited: g.rateLimited + c.rateLimited,
      lastError: c.lastError ?? g.lastError,
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.gamma.close(), this.clob.close()]);
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
