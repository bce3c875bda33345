import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bestArbitrage,
  bestArbitrageFigures,
  bestArbitrageNumbers,
  bestArbitrageReference,
  type ArbitrageFiguresResult,
  type ArbitrageNumbers,
  type LegInput,
} from '../../source/domain/arbitrage.js';
import type { FeeModel } from '../../source/domain/fees.js';
import { uniformGrid, type Market, type PriceRange } from '../../source/domain/market.js';
import { ONE, parseDecimal, type Price, type Size } from '../../source/domain/money.js';
import {
  asksFromOppositeBids,
  BookError,
  LADDER_LEVELS,
  LADDER_MAX_SIZE,
  LADDER_SPACING,
  ladderCum,
  ladderNumbers,
  ladderNumbersLength,
  normaliseAsks,
  type LadderNumbers,
  type Level,
} from '../../source/domain/order-book.js';
import { testMarket } from '../helpers/market.js';

const d = (s: string): bigint => parseDecimal(s);

/** normaliseAsks as it was first written (a Map by price, then a sort): the behaviour to keep. */
function normaliseByMap(levels: Iterable<Level>): Level[] {
  const byPrice = new Map<Price, Size>();
  for (const l of levels) {
    if (l.price <= 0n || l.price >= ONE) throw new BookError(`price ${l.price} outside (0, 1)`);
    if (l.size < 0n) throw new BookError(`negative size at price ${l.price}`);
    if (l.size === 0n) continue;
    byPrice.set(l.price, (byPrice.get(l.price) ?? 0n) + l.size);
  }
  const out: Level[] = [];
  for (const [price, size] of byPrice) out.push({ price, size });
  out.sort((a, b) => (a.price < b.price ? -1 : a.price > b.price ? 1 : 0));
  return out;
}

/** A ladder's flat figures read back field by field (the layout `LadderNumbers` documents). */
function decode(numbers: LadderNumbers): { price: number[]; size: number[]; cum: number[]; maxSize: number; spacing: number } {
  const n = numbers[LADDER_LEVELS] ?? Number.NaN;
  expect(numbers.length).toBe(ladderNumbersLength(n));
  const at = (i: number): number => numbers[i] ?? Number.NaN;
  const levels = Array.from({ length: n }, (_, i) => i);
  return {
    price: levels.map((i) => at(ladderCum(i) + 1)),
    size: levels.map((i) => at(ladderCum(i + 1)) - at(ladderCum(i))),
    cum: [...levels, n].map((i) => at(ladderCum(i))),
    maxSize: at(LADDER_MAX_SIZE),
    spacing: at(LADDER_SPACING),
  };
}

/** `bestArbitrageNumbers`' answer as the `bestArbitrageFigures` result it stands for. */
function asFigures(r: ArbitrageNumbers | ArbitrageFiguresResult, a: LegInput, b: LegInput): ArbitrageFiguresResult {
  if (r.kind !== 'numbers') return r;
  const leg = (input: LegInput, cost: number, fee: number, vwap: bigint, worst: number) => ({
    market: input.market,
    side: input.side,
    size: r.sizeBig,
    cost: BigInt(cost),
    fee: BigInt(fee),
    vwap,
    worstPrice: BigInt(worst),
  });
  expect(BigInt(r.size)).toBe(r.sizeBig);
  const totalFees = BigInt(r.feeA) + BigInt(r.feeB);
  const totalCost = BigInt(r.costA) + BigInt(r.costB) + totalFees;
  return {
    kind: 'opportunity',
    arbitrage: {
      size: r.sizeBig,
      legs: [leg(a, r.costA, r.feeA, r.vwapA, r.worstA), leg(b, r.costB, r.feeB, r.vwapB, r.worstB)],
      totalCost,
      totalFees,
      payout: r.sizeBig,
      netProfit: r.sizeBig - totalCost,
    },
  };
}

const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() };
  } catch (error) {
    return { threw: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
};

const byPrice = (x: Level, y: Level) => (x.price < y.price ? -1 : x.price > y.price ? 1 : 0);

// prices from few distinct values (duplicates to merge), sizes including 0 and huge
const price = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 99 }).map((c) => BigInt(c) * 10_000n) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 999_999 }).map(BigInt) },
  { weight: 1, arbitrary: fc.constantFrom(0n, ONE, -1n, ONE + 1n) },
);
const size = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => BigInt(n) * 10_000n) },
  { weight: 1, arbitrary: fc.constantFrom(0n, -1n) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 2n ** 60n }) },
);
const raw = fc.array(fc.record({ price, size }), { maxLength: 14 });
/** Wire orders venues send: as is, ascending, descending (duplicates kept). */
const wire = fc.tuple(raw, fc.constantFrom('as-is', 'ascending', 'descending')).map(([l, order]) =>
  order === 'as-is' ? l : order === 'ascending' ? [...l].sort(byPrice) : [...l].sort(byPrice).reverse(),
);

describe('normaliseAsks', () => {
  it('gives what the Map-based normalisation gave, errors included, whatever the wire order', () => {
    fc.assert(
      fc.property(wire, (levels) => {
        expect(outcome(() => normaliseAsks(levels))).toEqual(outcome(() => normaliseByMap(levels)));
        expect(outcome(() => asksFromOppositeBids(levels))).toEqual(
          outcome(() => normaliseByMap(levels.map((b) => ({ price: ONE - b.price, size: b.size })))),
        );
      }),
      { numRuns: 3_000 },
    );
  });

  it('builds new level objects and leaves its input alone', () => {
    const input = [
      { price: d('0.6'), size: d('1') },
      { price: d('0.5'), size: d('2') },
      { price: d('0.6'), size: d('3') },
    ];
    const copy = input.map((l) => ({ ...l }));
    const out = normaliseAsks(input);
    expect(input).toEqual(copy);
    expect(out).toEqual([
      { price: d('0.5'), size: d('2') },
      { price: d('0.6'), size: d('4') },
    ]);
    for (const l of out) expect(input.includes(l)).toBe(false);
  });
});

describe('ladderNumbers', () => {
  it('holds each level as exact numbers, the running depth and the gcd of the price offsets', () => {
    fc.assert(
      fc.property(wire, (levels) => {
        const r = outcome(() => normaliseAsks(levels));
        if (!('value' in (r as object))) return;
        const ladder = (r as { value: Level[] }).value;
        const total = ladder.reduce((t, l) => t + l.size, 0n);
        const figures = ladderNumbers(ladder);
        if (total > 2n ** 52n) {
          expect(figures).toBeUndefined();
          return;
        }
        expect(figures).toBeDefined();
        if (!figures) return;
        const numbers = decode(figures);
        expect(numbers.price.map(BigInt)).toEqual(ladder.map((l) => l.price));
        expect(numbers.size.map(BigInt)).toEqual(ladder.map((l) => l.size));
        let cum = 0n;
        const cums = [0n];
        for (const l of ladder) cums.push((cum += l.size));
        expect(numbers.cum.map(BigInt)).toEqual(cums);
        expect(BigInt(numbers.maxSize)).toBe(ladder.reduce((m, l) => (l.size > m ? l.size : m), 0n));
        const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
        const first = ladder[0]?.price ?? 0n;
        expect(BigInt(numbers.spacing)).toBe(ladder.reduce((g, l) => gcd(l.price - first, g), 0n));
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps every ladder\'s figures its own while many are built (views cut from shared slabs)', () => {
    // small and large ladders (a 400-level one needs more than half a slab) built one after another,
    // then all read back: no view overlaps another
    const ladders = Array.from({ length: 600 }, (_, k) =>
      normaliseAsks(
        Array.from({ length: k % 97 === 0 ? 400 : 1 + (k % 12) }, (_, i) => ({ price: BigInt(1 + ((i * 7 + k) % 999)) * 1_000n, size: BigInt(k * 1_000 + i + 1) * 10_000n })),
      ),
    );
    for (const ladder of ladders) {
      const figures = ladderNumbers(ladder);
      expect(figures).toBeDefined();
      if (!figures) continue;
      const numbers = decode(figures);
      expect(numbers.price.map(BigInt)).toEqual(ladder.map((l) => l.price));
      expect(numbers.size.map(BigInt)).toEqual(ladder.map((l) => l.size));
      expect(numbers.cum.at(-1)).toBe(Number(ladder.reduce((t, l) => t + l.size, 0n)));
    }
  });

  it('is invisible to equality, keys, JSON and copies', () => {
    const ladder = normaliseAsks([{ price: d('0.5'), size: d('2') }]);
    expect(ladderNumbers(ladder)).toBeDefined();
    expect(ladder).toStrictEqual([{ price: d('0.5'), size: d('2') }]);
    expect(Object.keys(ladder)).toEqual(['0']);
    expect(ladderNumbers([...ladder])).toBeUndefined();
    expect(ladderNumbers(ladder.slice())).toBeUndefined();
    expect(ladderNumbers([{ price: d('0.5'), size: d('2') }])).toBeUndefined();
  });

  it('cannot go stale: normalised ladders are frozen (the ladders of an OrderBook are read-only)', () => {
    const ladder = normaliseAsks([
      { price: d('0.6'), size: d('1') },
      { price: d('0.5'), size: d('2') },
    ]);
    const figures = ladderNumbers(ladder);
    expect(Object.isFrozen(ladder)).toBe(true);
    expect(() => ladder.push({ price: d('0.7'), size: d('1') })).toThrow(TypeError);
    expect(() => {
      ladder[1] = { price: d('0.6'), size: d('9') };
    }).toThrow(TypeError);
    expect(() => ladder.reverse()).toThrow(TypeError);
    expect(() => ladder.pop()).toThrow(TypeError);
    expect(ladder).toEqual([
      { price: d('0.5'), size: d('2') },
      { price: d('0.6'), size: d('1') },
    ]);
    expect(ladderNumbers(ladder)).toEqual(figures);
    // a copy is an ordinary array, without figures
    const copy = [...ladder];
    copy.push({ price: d('0.7'), size: d('1') });
    expect(ladderNumbers(copy)).toBeUndefined();
    expect(ladderNumbers(asksFromOppositeBids(ladder))).toBeDefined();
  });
});

// ---- the arbitrage on normalised ladders (their numbers) equals the one on plain copies -----

function market(venue: 'kalshi' | 'polymarket', fee: FeeModel, priceRanges: readonly PriceRange[], overrides: Partial<Market> = {}): Market {
  return testMarket(venue, { fee, priceRanges, ...overrides });
}

describe('bestArbitrage on normalised ladders (read from their numbers)', () => {
  // grids where a whole ladder is, or is not, on the grid: off-grid levels, bands, offset starts
  const grid: fc.Arbitrary<readonly PriceRange[]> = fc.constantFrom(
    uniformGrid(d('0.01'), ONE),
    uniformGrid(d('0.001'), ONE),
    [{ start: d('0.005'), end: d('0.995'), step: d('0.01') }],
    [{ start: d('0.2'), end: d('0.6'), step: d('0.01') }],
    [
      { start: d('0.001'), end: d('0.1'), step: d('0.001') },
      { start: d('0.1'), end: d('0.9'), step: d('0.01') },
      { start: d('0.9'), end: d('0.999'), step: d('0.001') },
    ],
    [{ start: 1n, end: ONE - 1n, step: 1n }],
    [{ start: 0n, end: ONE, step: 1n }],
  );
  const levelPrice = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 99 }).map((c) => BigInt(c) * 10_000n) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 999 }).map((m) => BigInt(m) * 1_000n) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 999_999 }).map(BigInt) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 98 }).map((c) => BigInt(c) * 10_000n + 5_000n) },
  );
  const levelSize = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => BigInt(n) * 10_000n) },
    { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 49n, max: 2n ** 51n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 2n ** 60n }) },
  );
  const ladder = fc.array(fc.record({ price: levelPrice, size: levelSize }), { maxLength: 12 }).map((l) => normaliseAsks(l));
  const fee: fc.Arbitrary<FeeModel> = fc.oneof(
    fc.record({
      kind: fc.constant('kalshi' as const),
      feeType: fc.constantFrom('quadratic' as const, 'quadratic_with_maker_fees' as const),
      multiplier: fc.oneof(fc.constantFrom(0n, ONE, d('0.5')), fc.bigInt({ min: 0n, max: 3_000_000n })),
      source: fc.constant('series' as const),
    }),
    fc.record({
      kind: fc.constant('polymarket' as const),
      rate: fc.oneof(fc.constantFrom(0n, d('0.03'), d('0.072')), fc.bigInt({ min: 0n, max: 200_000n })),
      exponent: fc.constantFrom(1, 2),
      takerOnly: fc.constant(true),
      source: fc.constantFrom('clob' as const, 'gamma' as const),
    }),
  );
  const limits = fc.record(
    {
      maxSize: fc.oneof(fc.bigInt({ min: 0n, max: 3_000n * ONE }), fc.constant(2n ** 60n)),
      maxCapital: fc.oneof(fc.bigInt({ min: 0n, max: 2_000n * ONE }), fc.constant(2n ** 60n)),
    },
    { requiredKeys: [] },
  );
  const sizes = fc.record({ minOrderSize: fc.constantFrom(d('0.01'), ONE, d('5')), sizeIncrement: fc.constantFrom(d('0.01'), ONE, d('0.03')) });
  const rounding = fc.constantFrom('cent' as const, 'centicent' as const, 'micro' as const);
  const plain = (levels: readonly Level[]): Level[] => levels.map((l) => ({ price: l.price, size: l.size }));

  it('gives the figures of the same ladders without numbers, and the reference', () => {
    let withNumbers = 0;
    let opportunities = 0;
    let viaNumbers = 0;
    fc.assert(
      fc.property(ladder, ladder, fee, fee, grid, grid, sizes, sizes, limits, rounding, (la, lb, fa, fb, ga, gb, ra, rb, lim, kalshiRounding) => {
        if (ladderNumbers(la) && ladderNumbers(lb)) withNumbers += 1;
        const ma = market('kalshi', fa, ga, ra);
        const mb = market('polymarket', fb, gb, rb);
        const a: LegInput = { market: ma, side: 'yes', asks: la };
        const b: LegInput = { market: mb, side: 'no', asks: lb };
        const a0: LegInput = { market: ma, side: 'yes', asks: plain(la) };
        const b0: LegInput = { market: mb, side: 'no', asks: plain(lb) };
        const fees = { kalshiRounding };
        const fast = bestArbitrage(a, b, lim, fees);
        if (fast.kind === 'opportunity') opportunities += 1;
        expect(fast).toEqual(bestArbitrage(a0, b0, lim, fees));
        expect(fast).toEqual(bestArbitrageReference(a0, b0, lim, fees));
        expect(bestArbitrageFigures(a, b, lim, fees)).toEqual(bestArbitrageFigures(a0, b0, lim, fees));
        const numbers = bestArbitrageNumbers(a, b, lim, fees);
        if (numbers.kind === 'numbers') viaNumbers += 1;
        expect(asFigures(numbers, a, b)).toEqual(bestArbitrageFigures(a0, b0, lim, fees));
      }),
      { numRuns: 3_000 },
    );
    // the properties above must have run on the path they are about
    expect(withNumbers).toBeGreaterThan(1_000);
    expect(opportunities).toBeGreaterThan(100);
    expect(viaNumbers).toBeGreaterThan(50);
  });

  it('stops at the first off-grid level, as the reference does', () => {
    const grid = uniformGrid(d('0.01'), ONE);
    const kalshi = market('kalshi', { kind: 'kalshi', feeType: 'quadratic', multiplier: ONE, source: 'series' }, grid);
    const poly = market('polymarket', { kind: 'polymarket', rate: d('0.03'), exponent: 1, takerOnly: true, source: 'clob' }, grid);
    // 0.405 is off the 1¢ grid: the 0.41 level behind it is never taken
    const la = normaliseAsks([
      { price: d('0.40'), size: d('10') },
      { price: d('0.405'), size: d('10') },
      { price: d('0.41'), size: d('100') },
    ]);
    const lb = normaliseAsks([{ price: d('0.50'), size: d('200') }]);
    const r = bestArbitrage({ market: kalshi, side: 'yes', asks: la }, { market: poly, side: 'no', asks: lb }, {}, { kalshiRounding: 'centicent' });
    expect(r.kind).toBe('opportunity');
    if (r.kind !== 'opportunity') return;
    expect(r.arbitrage.size).toBe(d('10'));
    expect(r.arbitrage.legs[0].worstPrice).toBe(d('0.40'));
    expect(r).toEqual(bestArbitrageReference({ market: kalshi, side: 'yes', asks: plain(la) }, { market: poly, side: 'no', asks: plain(lb) }, {}, { kalshiRounding: 'centicent' }));
  });
});
