/**
 * Simulated Kalshi and Polymarket for `--demo`: the same `MarketDataVenue` port as
 * the live adapters, served offline from one deterministic `SimulatedWorld`.
 * No network, no file outside this folder (the catalog is bundled in `./catalog/`).
 */
import type { Market, VenueId } from '../../domain/market.js';
import type { OrderBook } from '../../domain/order-book.js';
import type { ListMarketsOptions, MarketDataVenue, VenueHealth, VenueTraffic } from '../venue.js';
import { loadSimulatedCatalog, type SimulatedCatalog } from './catalog.js';
import { PLANTED_PAIRS, type PlantedPair } from './planted-pairs.js';
import type { SimulatedSettings } from './settings.js';
import { createSimulatedWorld, validateSimulatedSettings, type LinkedPair, type SimulatedWorld } from './world.js';
import { matchMarkets } from '../../matching/matcher.js';

export interface SimulatedVenues {
  readonly kalshi: MarketDataVenue;
  readonly polymarket: MarketDataVenue;
  readonly world: SimulatedWorld;
}

export interface SimulatedVenueDeps {
  readonly now?: (() => number) | undefined;
  /** Markets to serve instead of the bundled catalog (tests). */
  readonly catalog?: SimulatedCatalog | undefined;
  /** Planted pairs instead of `PLANTED_PAIRS` (tests). */
  readonly pairs?: readonly PlantedPair[] | undefined;
  /** Linked (never crossing) pairs instead of the matcher's proposals on the catalog (tests). */
  readonly linked?: readonly LinkedPair[] | undefined;
}

export class SimulatedVenueClosedError extends Error {
  override readonly name = 'SimulatedVenueClosedError';
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
  }
}

function createVenue(id: VenueId, world: SimulatedWorld, now: () => number): MarketDataVenue {
  let requests = 0;
  let closed = false;
  const begin = (signal: AbortSignal | undefined, what: string): void => {
    if (closed) throw new SimulatedVenueClosedError(`simulated ${id}: ${what} after close()`);
    throwIfAborted(signal);
    requests += 1;
  };
  return {
    id,
    listMarkets(options: ListMarketsOptions = {}): Promise<Market[]> {
      try {
        begin(options.signal, 'listMarkets');
        const all = world.markets(id);
        const limit = options.limit;
        if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
          throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
        }
        return Promise.resolve(limit === undefined ? [...all] : all.slice(0, limit));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
    fetchBooks(markets: readonly Market[], signal?: AbortSignal): Promise<Map<string, OrderBook>> {
      try {
        begin(signal, 'fetchBooks');
        const at = now();
        const tick = world.tickAt(at);
        const out = new Map<string, OrderBook>();
        for (const m of markets) {
          if (m.venue !== id) continue;
          const book = world.bookAt(id, m.id, tick);
          if (book !== undefined) out.set(m.id, { ...book, receivedAt: at });
        }
        return Promise.resolve(out);
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
    health(signal?: AbortSignal): Promise<VenueHealth> {
      try {
        begin(signal, 'health');
        return Promise.resolve({
          venue: id,
          exchangeActive: true,
          tradingActive: true,
          detail: `simulated (seed ${world.seed}, tick ${world.currentTick()})`,
          checkedAt: now(),
        });
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
    traffic(): VenueTraffic {
      return { requests, retries: 0, queued: 0, inFlight: 0, rateLimited: 0, lastError: null };
    },
    close(): Promise<void> {
      closed = true;
      return Promise.resolve();
    },
  };
}

/**
 * Both simulated venues over one world. The world starts at `now()` (default
 * `Date.now`); the same seed and the same (relative) times give the same markets
 * and books.
 */
export function createSimulatedVenues(settings: SimulatedSettings, deps: SimulatedVenueDeps = {}): SimulatedVenues {
  validateSimulatedSettings(settings);
  const now = deps.now ?? Date.now;
  const startTime = now();
  const pairs = deps.pairs ?? PLANTED_PAIRS;
  const catalog = deps.catalog ?? loadSimulatedCatalog(startTime, pairs);
  // What a matcher would pair beyond the planted pairs gets one common fair value (no fake arbitrage).
  // The matcher runs when the first such book is asked for, not here: the planted pairs' books
  // (and the catalogs) are served without waiting for it.
  const linked =
    deps.linked ??
    ((): LinkedPair[] =>
      matchMarkets(catalog.kalshi, catalog.polymarket).proposals.flatMap((c) =>
        c.relation === 'same' || c.relation === 'inverse'
          ? [{ kalshiTicker: c.kalshiTicker, polymarketConditionId: c.polymarketConditionId, relation: c.relation }]
          : [],
      ));
  const world = createSimulatedWorld({
    settings,
    kalshiMarkets: catalog.kalshi,
    polymarketMarkets: catalog.polymarket,
    pairs,
    linked,
    now,
    startTime,
  });
  return { kalshi: createVenue('kalshi', world, now), polymarket: createVenue('polymarket', world, now), world };
}
