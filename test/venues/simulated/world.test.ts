import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOnPriceGrid, type Market, type VenueId } from '../../../source/domain/market.js';
import { ONE } from '../../../source/domain/money.js';
import type { OrderBook } from '../../../source/domain/order-book.js';
import { loadSimulatedCatalog, type SimulatedCatalog } from '../../../source/venues/simulated/catalog.js';
import { PLANTED_PAIRS, type PlantedPair } from '../../../source/venues/simulated/planted-pairs.js';
import { DEFAULT_SIMULATED_SETTINGS, type SimulatedSettings } from '../../../source/venues/simulated/settings.js';
import { createSimulatedWorld, SimulatedSettingsError, type SimulatedWorld } from '../../../source/venues/simulated/world.js';
import { bestSamePairProfit, cheapestHedgeCost, fakeClock, START } from './helpers.js';

const catalog: SimulatedCatalog = loadSimulatedCatalog(START);

function world(settings: Partial<SimulatedSettings> = {}, pairs: readonly PlantedPair[] = PLANTED_PAIRS): SimulatedWorld {
  const clock = fakeClock();
  return createSimulatedWorld({
    settings: { ...DEFAULT_SIMULATED_SETTINGS, ...settings },
    kalshiMarkets: catalog.kalshi,
    polymarketMarkets: catalog.polymarket,
    pairs,
    now: clock.now,
  });
}

function marketOf(venue: VenueId, id: string): Market {
  const m = (venue === 'kalshi' ? catalog.kalshi : catalog.polymarket).find((x) => x.id === id);
  if (m === undefined) throw new Error(`no market ${id}`);
  return m;
}

function mustBook(w: SimulatedWorld, venue: VenueId, id: string, tick: number): OrderBook {
  const b = w.bookAt(venue, id, tick);
  if (b === undefined) throw new Error(`no book for ${venue} ${id}`);
  return b;
}

function allBooks(w: SimulatedWorld, tick: number): OrderBook[] {
  const out: OrderBook[] = [];
  for (const venue of ['kalshi', 'polymarket'] as const) {
    for (const m of w.markets(venue)) out.push(mustBook(w, venue, m.id, tick));
  }
  return out;
}

describe('simulated world: determinism', () => {
  it('same seed and tick give identical books for every market; another seed differs', () => {
    const a = world({ seed: 7 });
    const b = world({ seed: 7 });
    const c = world({ seed: 8 });
    for (const tick of [0, 1, 17, 300]) {
      const booksA = allBooks(a, tick);
      expect(allBooks(b, tick)).toEqual(booksA);
      const booksC = allBooks(c, tick);
      const differing = booksA.filter((bk, i) => JSON.stringify(bk, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) !==
        JSON.stringify(booksC[i], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      expect(differing.length).toBeGreaterThan(booksA.length / 2);
    }
  });

  it('a book depends only on seed and tick, not on what was asked before or in which order', () => {
    const pair = PLANTED_PAIRS[3];
    const other = catalog.polymarket[catalog.polymarket.length - 1];
    if (pair === undefined || other === undefined) throw new Error('fixture');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 12 }), (ticks) => {
        const fresh = world({ seed: 99 });
        const replay = world({ seed: 99 });
        for (const t of ticks) {
          replay.bookAt('kalshi', pair.kalshiTicker, t);
          replay.bookAt('polymarket', other.id, t);
        }
        const last = ticks[ticks.length - 1] ?? 0;
        expect(replay.bookAt('kalshi', pair.kalshiTicker, last)).toEqual(fresh.bookAt('kalshi', pair.kalshiTicker, last));
        expect(replay.bookAt('polymarket', other.id, last)).toEqual(fresh.bookAt('polymarket', other.id, last));
        expect(replay.pairStateAt(pair.kalshiTicker, last)).toEqual(fresh.pairStateAt(pair.kalshiTicker, last));
      }),
      { numRuns: 25 },
    );
  });

  it('maps time to ticks from its start and stamps books with the tick time', () => {
    const clock = fakeClock();
    const w = createSimulatedWorld({
      settings: { ...DEFAULT_SIMULATED_SETTINGS, tickMs: 250 },
      kalshiMarkets: catalog.kalshi,
      polymarketMarkets: catalog.polymarket,
      pairs: PLANTED_PAIRS,
      now: clock.now,
    });
    expect(w.startTime).toBe(START);
    expect(w.currentTick()).toBe(0);
    clock.advance(249);
    expect(w.currentTick()).toBe(0);
    clock.advance(1);
    expect(w.currentTick()).toBe(1);
    clock.advance(10_000);
    expect(w.currentTick()).toBe(41);
    expect(w.tickAt(START - 5_000)).toBe(0);
    const b = mustBook(w, 'kalshi', catalog.kalshi[0]?.id ?? '', 41);
    expect(b.venueTime).toBe(START + 41 * 250);
  });

  it('rejects bad settings', () => {
    expect(() => world({ tickMs: 0 })).toThrow(SimulatedSettingsError);
    expect(() => world({ tickMs: 1.5 })).toThrow(SimulatedSettingsError);
    expect(() => world({ crossProbability: 1.1 })).toThrow(SimulatedSettingsError);
    expect(() => world({ crossProbability: Number.NaN })).toThrow(SimulatedSettingsError);
    expect(() => world({ seed: Number.POSITIVE_INFINITY })).toThrow(SimulatedSettingsError);
  });
});

describe('simulated world: books are valid', () => {
  it('every book is sorted, on the market grid, with positive sizes on the size increment, no same-venue arbitrage', () => {
    const w = world({ seed: 3, crossProbability: 0.5 });
    const planted = new Set<string>([
      ...PLANTED_PAIRS.map((p) => p.kalshiTicker),
      ...PLANTED_PAIRS.map((p) => p.polymarketConditionId),
    ]);
    for (const tick of [0, 5, 60, 999]) {
      for (const venue of ['kalshi', 'polymarket'] as const) {
        for (const m of w.markets(venue)) {
          const b = mustBook(w, venue, m.id, tick);
          expect(b.venue).toBe(venue);
          expect(b.marketId).toBe(m.id);
          for (const side of [b.yesAsks, b.noAsks]) {
            // full ladder unless it runs into the top of the grid ($0.99)
            const levels = planted.has(m.id) ? 5 : 3;
            const best = side[0]?.price ?? ONE;
            const room = Number((ONE - best) / 10_000n);
            expect(side.length).toBe(Math.min(levels, room));
            side.forEach((l, i) => {
              expect(isOnPriceGrid(l.price, m.priceRanges)).toBe(true);
              expect(l.size > 0n).toBe(true);
              expect(l.size >= m.minOrderSize).toBe(true);
              expect(l.size % m.sizeIncrement).toBe(0n);
              const prev = side[i - 1];
              if (prev !== undefined) expect(l.price > prev.price).toBe(true);
            });
          }
          const yes = b.yesAsks[0]?.price ?? ONE;
          const no = b.noAsks[0]?.price ?? ONE;
          expect(yes + no > ONE).toBe(true);
        }
      }
    }
  });

  it('an unknown market or a market of the other venue has no book', () => {
    const w = world();
    const pair = PLANTED_PAIRS[0];
    if (pair === undefined) throw new Error('fixture');
    expect(w.bookAt('kalshi', 'NOPE-1', 0)).toBeUndefined();
    expect(w.bookAt('kalshi', pair.polymarketConditionId, 0)).toBeUndefined();
    expect(w.bookAt('polymarket', pair.kalshiTicker, 0)).toBeUndefined();
  });
});

describe('simulated world: planted pairs cross and uncross', () => {
  const TICKS = 240;

  it('outside a cross, YES on one venue + NO on the other costs more than $1 (before fees)', () => {
    const w = world({ seed: 11, crossProbability: 0.15 });
    let checked = 0;
    for (let t = 0; t < TICKS; t++) {
      for (const p of PLANTED_PAIRS) {
        if (w.pairStateAt(p.kalshiTicker, t).cross !== null) continue;
        const cost = cheapestHedgeCost(
          mustBook(w, 'kalshi', p.kalshiTicker, t),
          mustBook(w, 'polymarket', p.polymarketConditionId, t),
        );
        expect(cost > ONE).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(TICKS * 10);
  });

  it('every planted pair crosses profitably after real fees at some tick, and the cross vanishes again', () => {
    const w = world({ seed: 11, crossProbability: 0.15 });
    for (const p of PLANTED_PAIRS) {
      const km = marketOf('kalshi', p.kalshiTicker);
      const pm = marketOf('polymarket', p.polymarketConditionId);
      let crossedTicks = 0;
      let appeared = 0;
      let vanished = 0;
      let wasCrossed = false;
      for (let t = 0; t < TICKS; t++) {
        const state = w.pairStateAt(p.kalshiTicker, t);
        const kb = mustBook(w, 'kalshi', p.kalshiTicker, t);
        const pb = mustBook(w, 'polymarket', p.polymarketConditionId, t);
        const profit = bestSamePairProfit({ market: km, book: kb }, { market: pm, book: pb });
        const crossed = profit !== null && profit > 0n;
        // the hidden state and the books agree: profitable exactly when the world says "cross"
        expect(crossed).toBe(state.cross !== null);
        if (crossed) crossedTicks++;
        if (crossed && !wasCrossed) appeared++;
        if (!crossed && wasCrossed) vanished++;
        wasCrossed = crossed;
      }
      expect(appeared, p.kalshiTicker).toBeGreaterThan(0);
      expect(vanished, p.kalshiTicker).toBeGreaterThan(0);
      expect(crossedTicks, p.kalshiTicker).toBeLessThan(TICKS * 0.8);
    }
  });

  it('a cross lasts 2 to 4 ticks and the rich venue alternates between runs', () => {
    const w = world({ seed: 5, crossProbability: 0.3 });
    const directions = new Set<string>();
    for (const p of PLANTED_PAIRS.slice(0, 10)) {
      let run = 0;
      for (let t = 0; t < 200; t++) {
        const s = w.pairStateAt(p.kalshiTicker, t);
        if (s.cross !== null) {
          directions.add(s.cross.direction);
          run++;
          expect(s.cross.shift >= 80_000n && s.cross.shift <= 140_000n).toBe(true);
        } else {
          if (run > 0 && t > run) expect(run >= 2 && run <= 4).toBe(true);
          run = 0;
        }
      }
    }
    expect(directions).toEqual(new Set(['kalshi-rich', 'polymarket-rich']));
  });

  it('with crossProbability 0 no planted pair ever offers a cross-venue arbitrage', () => {
    const w = world({ seed: 11, crossProbability: 0 });
    for (let t = 0; t < 150; t++) {
      for (const p of PLANTED_PAIRS) {
        expect(w.pairStateAt(p.kalshiTicker, t).cross).toBeNull();
        const km = marketOf('kalshi', p.kalshiTicker);
        const pm = marketOf('polymarket', p.polymarketConditionId);
        const profit = bestSamePairProfit(
          { market: km, book: mustBook(w, 'kalshi', p.kalshiTicker, t) },
          { market: pm, book: mustBook(w, 'polymarket', p.polymarketConditionId, t) },
        );
        expect(profit === null || profit <= 0n).toBe(true);
      }
    }
  });

  it('the fair value moves over time', () => {
    const w = world({ seed: 21 });
    const p = PLANTED_PAIRS[0];
    if (p === undefined) throw new Error('fixture');
    const fairs = new Set<bigint>();
    for (let t = 0; t < 50; t++) fairs.add(w.pairStateAt(p.kalshiTicker, t).fair);
    expect(fairs.size).toBeGreaterThan(10);
  });

  it('an inverse pair is quoted mirrored: YES + YES across venues is the hedge that crosses', () => {
    const base = PLANTED_PAIRS[0];
    if (base === undefined) throw new Error('fixture');
    const inverse: PlantedPair = {
      ...base,
      relation: 'inverse',
      polymarketOutcomeForKalshiYes: { index: 1, label: base.polymarketOutcomes[1] },
    };
    const w = world({ seed: 2, crossProbability: 0.3 }, [inverse]);
    let crosses = 0;
    for (let t = 0; t < 200; t++) {
      const kb = mustBook(w, 'kalshi', inverse.kalshiTicker, t);
      const pb = mustBook(w, 'polymarket', inverse.polymarketConditionId, t);
      // mirrored books: Kalshi YES ↔ Polymarket NO
      const yesYes = (kb.yesAsks[0]?.price ?? ONE) + (pb.yesAsks[0]?.price ?? ONE);
      const noNo = (kb.noAsks[0]?.price ?? ONE) + (pb.noAsks[0]?.price ?? ONE);
      const cheapest = yesYes < noNo ? yesYes : noNo;
      if (w.pairStateAt(inverse.kalshiTicker, t).cross === null) {
        expect(cheapest > ONE).toBe(true);
      } else {
        expect(cheapest < ONE - 30_000n).toBe(true);
        crosses++;
      }
    }
    expect(crosses).toBeGreaterThan(0);
  });
});
