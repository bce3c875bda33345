/**
 * Composition root, part 2: the only place that creates venues. Live venues
 * are built from config; --demo builds both from one simulated world.
 * Only the adapters in use are loaded (the demo never loads the HTTP clients
 * and wire schemas of the live venues).
 */
import type { VenueId } from '../domain/market.js';
import type { MarketDataVenue } from '../venues/venue.js';
import { toKalshiSettings, toPolymarketSettings, toSimulatedSettings } from '../config/load.js';
import type { AppContext } from './context.js';

export type Venues = Record<VenueId, MarketDataVenue> & { close(): Promise<void> };

export async function createVenues(ctx: AppContext, deps: { now?: () => number } = {}): Promise<Venues> {
  let kalshi: MarketDataVenue;
  let polymarket: MarketDataVenue;
  if (ctx.demo) {
    const { createSimulatedVenues } = await import('../venues/simulated/venue.js');
    const sim = createSimulatedVenues({ ...toSimulatedSettings(ctx.config), seed: ctx.seed }, deps);
    kalshi = sim.kalshi;
    polymarket = sim.polymarket;
  } else {
    const [{ createKalshiVenue }, { createPolymarketVenue }] = await Promise.all([
      import('../venues/kalshi/venue.js'),
      import('../venues/polymarket/venue.js'),
    ]);
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
