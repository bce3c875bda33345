/**
 * Polymarket market-data venue: Gamma for the market list, the CLOB for fees, tick
 * sizes, books and liveness. Implements `MarketDataVenue`.
 *
 * listMarkets: pages Gamma `/events` (active, not closed), keeps nested markets that are
 * open and bookable (both token ids known), read from Gamma alone, with the CLOB facts
 * already known of a market (cached) laid over it. It asks the CLOB nothing: the CLOB
 * tells a market's facts one request per market, and a catalog of 200,000 markets took
 * over an hour at the CLOB's rate limit before the first pair could be shown.
 *
 * detailMarkets: the CLOB market info (fee, tick size, minimum size, neg-risk, accepting
 * orders) of the markets asked for — the engine asks for the markets of the pairs it
 * evaluates — cached per venue, within the CLOB rate limit, laid over the market as
 * Gamma listed it (`withClobFacts`). A CLOB lookup that is refused (404: no CLOB market)
 * leaves Gamma's fee fields, and `unknown` fee when Gamma has none: never zero; one that
 * keeps failing (retryable) keeps what the CLOB said before, else Gamma's. Malformed or
 * auth failures propagate.
 *
 * fetchBooks: POST /books in batches that keep a market's two tokens together.
 * health: CLOB `GET /ok` (one attempt). A 503 "cancel-only" answer means the exchange
 * is up but takes no new orders.
 *
 * Books and lookups share the CLOB's one rate limit (one queue): book requests go
 * first, fee and tick-size lookups are background work, so a catalog refresh (hundreds
 * or thousands of lookups) never holds the books of approved pairs back until they are
 * stale. Cached facts expire at staggered times (FACTS_TTL_MS ± FACTS_TTL_JITTER), so a
 * listing sees a trickle of expired entries rather than the whole catalog every hour.
 */
import type { Market } from '../../domain/market.js';
import type { OrderBook } from '../../domain/order-book.js';
import { REQUEST_PRIORITY } from '../../lib/http-client.js';
import { isVenueError, type VenueError } from '../errors.js';
import type { ListMarketsOptions, MarketDataVenue, VenueHealth, VenueTraffic } from '../venue.js';
import { chunk, PolymarketClient, type EventsPage } from './client.js';
import { isCancelOnlyMessage } from './errors.js';
import {
  booksForMarkets,
  clobMarketFacts,
  isBookable,
  marketsOfEvents,
  NO_FEE_DATA_LIVE,
  sameClobDetails,
  withClobFacts,
  type ClobFeeLookup,
  type ClobMarketFacts,
} from './parser.js';
import type { PolymarketSettings } from './settings.js';

export interface PolymarketVenueDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

function pageMarkets(page: EventsPage, fees: ClobFeeLookup | undefined): Market[] {
  return marketsOfEvents(page.events, `GET /events?offset=${page.offset}`, fees, NO_FEE_DATA_LIVE);
}

/** How long a market's CLOB facts (fee rate, tick size, minimum size) are reused, on average. */
export const FACTS_TTL_MS = 60 * 60 * 1000;
/**
 * Each entry's reuse time is drawn from FACTS_TTL_MS × (1 ± this), uniformly: entries
 * filled by one listing (all of them, at start) do not all expire in the same refresh.
 */
export const FACTS_TTL_JITTER = 0.25;

/** Reuse time of one cached entry; `random()` in [0, 1): 0.5 gives exactly FACTS_TTL_MS. */
export function factsTtlMs(random: () => number): number {
  return Math.round(FACTS_TTL_MS * (1 + FACTS_TTL_JITTER * (2 * random() - 1)));
}

/** Markets whose CLOB facts `detailMarkets` looks up at once. */
const DETAIL_BATCH = 32;

/** CLOB and Gamma queue priorities by request label (labels as the client names them). */
const CLOB_PRIORITIES = {
  'POST /books': REQUEST_PRIORITY.urgent,
  'GET /clob-markets': REQUEST_PRIORITY.background,
  'GET /tick-size': REQUEST_PRIORITY.background,
} as const;
const GAMMA_PRIORITIES = { 'GET /events': REQUEST_PRIORITY.background } as const;

function openAndBookable(markets: readonly Market[]): Market[] {
  return markets.filter((m) => m.status === 'open' && isBookable(m));
}

/** Drop repeated condition ids (offset pagination can repeat an event), keeping the first. */
function unique(markets: readonly Market[]): Market[] {
  const seen = new Set<string>();
  return markets.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
}

/** Lookup failures that fall back to Gamma data instead of failing the listing. */
function isFallbackError(error: unknown): error is VenueError {
  return isVenueError(error) && (error.kind === 'rejected' || error.kind === 'retryable');
}

export function createPolymarketVenue(settings: PolymarketSettings, deps: PolymarketVenueDeps = {}): MarketDataVenue {
  const client = new PolymarketClient(settings, deps);
  client.clob.setPriorities(CLOB_PRIORITIES);
  client.gamma.setPriorities(GAMMA_PRIORITIES);
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  /**
   * CLOB facts by condition id; null = the CLOB had none (404). Failed lookups are not
   * cached. An entry is asked again once expired (about FACTS_TTL_MS, see factsTtlMs): a
   * market's fee rate, tick size or minimum size can change while the app runs for days.
   */
  const factsCache = new Map<string, { readonly facts: ClobMarketFacts | null; readonly expiresAt: number }>();
  /** Each listed market as Gamma alone says it, by condition id: what the CLOB's facts are laid over. */
  const fromGamma = new Map<string, Market>();

  async function lookupFacts(market: Market, signal: AbortSignal | undefined): Promise<ClobMarketFacts | null> {
    const cached = factsCache.get(market.id);
    if (cached !== undefined && now() < cached.expiresAt) return cached.facts;
    let facts: ClobMarketFacts | null = null;
    let definitive = true;
    try {
      const info = await client.clobMarket(market.id, signal);
      facts = clobMarketFacts(info, { endpoint: 'GET /clob-markets', path: '' });
    } catch (error) {
      if (signal?.aborted || !isFallbackError(error)) throw error;
      definitive = error.kind === 'rejected';
    }
    // tick size unknown from both CLOB info and Gamma: ask the CLOB for the YES token's tick
    if ((facts?.tickSize ?? null) === null && market.priceRanges.length === 0 && market.ref.venue === 'polymarket') {
      try {
        const text = await client.tickSize(market.ref.yesTokenId, signal);
        const tick = clobMarketFacts({ c: market.id, mts: text }, { endpoint: 'GET /tick-size', path: 'minimum_tick_size' }).tickSize;
        facts = { ...(facts ?? { conditionId: market.id, fee: null, minOrderSize: null, acceptingOrders: null, negRisk: null }), tickSize: tick };
      } catch (error) {
        if (signal?.aborted || !isFallbackError(error)) throw error;
        definitive = definitive && error.kind === 'rejected';
      }
    }
    if (definitive) factsCache.set(market.id, { facts, expiresAt: now() + factsTtlMs(random) });
    // not answered: what the CLOB said before, however old, rather than nothing (asked again next time)
    else if (cached !== undefined) return cached.facts;
    return facts;
  }

  /** The CLOB facts of each market, a few lookups at a time: a long list waits here, not as thousands of queued requests. */
  async function lookupAll(markets: readonly Market[], signal: AbortSignal | undefined): Promise<Array<ClobMarketFacts | null>> {
    const out: Array<ClobMarketFacts | null> = [];
    for (const batch of chunk(markets, DETAIL_BATCH)) {
      out.push(...(await Promise.all(batch.map((m) => (m.ref.venue === 'polymarket' ? lookupFacts(m, signal) : null)))));
    }
    return out;
  }

  return {
    id: 'polymarket',

    async listMarkets(options: ListMarketsOptions = {}): Promise<Market[]> {
      const { limit, signal } = options;
      const found = new Set<string>();
      let counted = 0;
      const pages = await client.listEventPages({
        signal,
        enough: (sofar) => {
          if (limit === undefined) return false;
          for (; counted < sofar.length; counted += 1) {
            const page = sofar[counted];
            if (page) for (const m of openAndBookable(pageMarkets(page, undefined))) found.add(m.id);
          }
          return found.size >= limit;
        },
      });
      let candidates = unique(openAndBookable(pages.flatMap((p) => pageMarkets(p, undefined))));
      if (limit !== undefined) candidates = candidates.slice(0, Math.max(0, limit));
      // a whole catalog replaces what Gamma said before; a limited listing adds to it
      if (limit === undefined) fromGamma.clear();
      // facts the CLOB gave before, even past their time (detailMarkets asks again); but a
      // market it said takes no orders is left out, so nothing else would ask about it again:
      // once that is old, it is asked here (a few markets), and listed when it takes orders
      const facts = new Map<string, ClobMarketFacts | null>();
      const recheck: Market[] = [];
      for (const m of candidates) {
        fromGamma.set(m.id, m);
        const known = factsCache.get(m.id);
        if (known === undefined) continue;
        if (known.facts?.acceptingOrders === false && now() >= known.expiresAt) recheck.push(m);
        else facts.set(m.id, known.facts);
      }
      const answers = await lookupAll(recheck, signal);
      recheck.forEach((m, i) => facts.set(m.id, answers[i] ?? null));
      const out: Market[] = [];
      for (const m of candidates) {
        const market = withClobFacts(m, facts.get(m.id) ?? null);
        if (market.status === 'open') out.push(market);
      }
      return out;
    },

    async detailMarkets(markets: readonly Market[], signal?: AbortSignal): Promise<Market[]> {
      const bases = markets.map((m) => fromGamma.get(m.id) ?? m);
      const answers = await lookupAll(bases, signal);
      return markets.map((m, i) => {
        const next = withClobFacts(bases[i] as Market, answers[i] ?? null);
        return sameClobDetails(next, m) ? m : next;
      });
    },

    async fetchBooks(markets: readonly Market[], signal?: AbortSignal): Promise<Map<string, OrderBook>> {
      const bookable = unique(markets.filter(isBookable));
      const perBatch = Math.max(1, Math.floor(settings.booksBatchSize / 2));
      const batches = chunk(bookable, perBatch);
      const results = await Promise.all(
        batches.map(async (batch) => {
          const tokens = batch.flatMap((m) => (m.ref.venue === 'polymarket' ? [m.ref.yesTokenId, m.ref.noTokenId] : []));
          const answer = await client.booksBatch(tokens, signal);
          return booksForMarkets(answer.books, batch, answer.receivedAt);
        }),
      );
      const out = new Map<string, OrderBook>();
      for (const r of results) for (const [id, book] of r) out.set(id, book);
      return out;
    },

    async health(signal?: AbortSignal): Promise<VenueHealth> {
      try {
        const res = await client.ok(signal);
        return { venue: 'polymarket', exchangeActive: true, tradingActive: true, detail: null, checkedAt: res.receivedAt };
      } catch (error) {
        if (signal?.aborted || !isVenueError(error)) throw error;
        const checkedAt = now();
        if (error.kind === 'malformed' && error.status !== undefined && error.status >= 200 && error.status < 300) {
          // the CLOB answered 200 with a non-JSON body (e.g. plain "OK"): it is alive
          return { venue: 'polymarket', exchangeActive: true, tradingActive: true, detail: null, checkedAt };
        }
        if (error.code === 'cancel-only' || isCancelOnlyMessage(error.message)) {
          return { venue: 'polymarket', exchangeActive: true, tradingActive: false, detail: error.message, checkedAt };
        }
        return { venue: 'polymarket', exchangeActive: false, tradingActive: false, detail: error.describe(), checkedAt };
      }
    },

    traffic(): VenueTraffic {
      return client.traffic();
    },

    async close(): Promise<void> {
      await client.close();
    },
  };
}
