/**
 * The demo's matcher run over its catalog (which pairs beyond the planted ones
 * share a fair value) happens when the first such book is asked for, not when
 * the venues are created: the same books as with the links given up front,
 * computed once, and never for planted pairs' books.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VenueId } from '../../../source/domain/market.js';
import { matchMarkets } from '../../../source/matching/matcher.js';
import { loadSimulatedCatalog } from '../../../source/venues/simulated/catalog.js';
import { PLANTED_PAIRS } from '../../../source/venues/simulated/planted-pairs.js';
import { DEFAULT_SIMULATED_SETTINGS } from '../../../source/venues/simulated/settings.js';
import { createSimulatedVenues } from '../../../source/venues/simulated/venue.js';
import { createSimulatedWorld, type LinkedPair } from '../../../source/venues/simulated/world.js';
import { fakeClock, START } from './helpers.js';

const bigintJson = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));

describe('links found lazily', () => {
  const catalog = loadSimulatedCatalog(START, PLANTED_PAIRS);

  it('createSimulatedVenues serves the same books as with the matcher’s links computed up front', async () => {
    const eager: LinkedPair[] = matchMarkets(catalog.kalshi, catalog.polymarket).proposals.flatMap((c) =>
      c.relation === 'same' || c.relation === 'inverse'
        ? [{ kalshiTicker: c.kalshiTicker, polymarketConditionId: c.polymarketConditionId, relation: c.relation }]
        : [],
    );
    // the catalog holds linked pairs, so this compares something
    expect(eager.length).toBeGreaterThan(0);
    const clockA = fakeClock();
    const clockB = fakeClock();
    const lazy = createSimulatedVenues(DEFAULT_SIMULATED_SETTINGS, { now: clockA.now });
    const given = createSimulatedVenues(DEFAULT_SIMULATED_SETTINGS, { now: clockB.now, linked: eager });
    for (const step of [0, 1_000, 60_000, 3_600_000]) {
      clockA.set(START + step);
      clockB.set(START + step);
      for (const venue of ['kalshi', 'polymarket'] as const) {
        const markets = await lazy[venue].listMarkets();
        expect(bigintJson([...(await lazy[venue].fetchBooks(markets)).entries()])).toBe(
          bigintJson([...(await given[venue].fetchBooks(markets)).entries()]),
        );
      }
    }
  });

  it('runs the finder once, on the first book outside the planted pairs, and gives what an array gives', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: 200 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.tuple(fc.nat({ max: 400 }), fc.constantFrom<VenueId>('kalshi', 'polymarket'), fc.nat({ max: 50 })), { minLength: 1, maxLength: 30 }),
        (linkIdx, queries) => {
          const planted = new Set([...PLANTED_PAIRS.map((p) => p.kalshiTicker), ...PLANTED_PAIRS.map((p) => p.polymarketConditionId)]);
          const ks = catalog.kalshi.filter((m) => !planted.has(m.id));
          const ps = catalog.polymarket.filter((m) => !planted.has(m.id));
          const linked: LinkedPair[] = linkIdx.map((i) => ({
            kalshiTicker: ks[i % ks.length]!.id,
            polymarketConditionId: ps[(i * 7) % ps.length]!.id,
            relation: i % 2 === 0 ? 'same' : 'inverse',
          }));
          let calls = 0;
          const base = { settings: DEFAULT_SIMULATED_SETTINGS, kalshiMarkets: catalog.kalshi, polymarketMarkets: catalog.polymarket, pairs: PLANTED_PAIRS, now: () => START, startTime: START };
          const lazy = createSimulatedWorld({ ...base, linked: () => ((calls += 1), linked) });
          const eager = createSimulatedWorld({ ...base, linked });
          // planted pairs' books never need the links
          for (const p of PLANTED_PAIRS) {
            expect(bigintJson(lazy.bookAt('kalshi', p.kalshiTicker, 3))).toBe(bigintJson(eager.bookAt('kalshi', p.kalshiTicker, 3)));
            expect(bigintJson(lazy.bookAt('polymarket', p.polymarketConditionId, 3))).toBe(bigintJson(eager.bookAt('polymarket', p.polymarketConditionId, 3)));
          }
          expect(calls).toBe(0);
          for (const [i, venue, tick] of queries) {
            const markets = venue === 'kalshi' ? catalog.kalshi : catalog.polymarket;
            const id = markets[i % markets.length]!.id;
            expect(bigintJson(lazy.bookAt(venue, id, tick))).toBe(bigintJson(eager.bookAt(venue, id, tick)));
          }
          const askedOutsidePlanted = queries.some(([i, venue]) => {
            const markets = venue === 'kalshi' ? catalog.kalshi : catalog.polymarket;
            return !planted.has(markets[i % markets.length]!.id);
          });
          expect(calls).toBe(askedOutsidePlanted ? 1 : 0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
