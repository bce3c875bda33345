/**
 * Composition root, part 2: the only place that creates venues. Live venues
 * are built from config; --demo builds both from one simulated world.
 */
import type { VenueId } from '../domain/market.js';
import type { MarketDataVenue } from '../venues/venue.js';
import { createKalshiVenue } from '../venues/kalshi/venue.js';
import { createPolymarketVenue } from '../venues/polymarket/venue.js';
import { createSimulatedVenues } from '../venues/simulated/venue.js';
import { toKalshiSettings, toPolymarketSettings, toSimulatedSettings } from '../config/load.js';
import type { AppContext } from './context.js';

export type Venues = Record<VenueId, MarketDataVenue> & { close(): Promise<void> };

export function createVenues(ctx: AppContext, deps: { now?: () => number } = {}): Venues {
  let kalshi: MarketDataVenue;
  let polymarket: MarketDataVenue;
  if (ctx.demo) {
    const sim = createSimulatedVenues({ ...toSimulatedSettings(ctx.config), seed: ctx.seed }, deps);
    kalshi = sim.kalshi;
    polymarket = sim.polymarket;
  } else {
    kalshi = createKalshiVenue(toKalshiSettings(ctx.config), deps);
    polymarket = createPolymarketVenue(toPolymarketSettings(ctx.config), deps);
  }
  return {
    kalshi,
    polymarket,
    async close() {
      await Promise.all([kalshi.close(), polymarket.close()]);
    },
  };
}
