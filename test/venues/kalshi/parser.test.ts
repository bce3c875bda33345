import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOnPriceGrid } from '../../../source/domain/market.js';
import { formatDecimal, ONE } from '../../../source/domain/money.js';
import { MalformedVenueError } from '../../../source/venues/errors.js';
import {
  feeLookupFromSeries,
  mapKalshiStatus,
  parseKalshiEventsPage,
  parseKalshiOrderbooks,
  resolveKalshiFee,
  toPriceRanges,
  type KalshiSeriesFee,
} from '../../../source/venues/kalshi/parser.js';
import { KALSHI_MARKET_STATUSES } from '../../../source/venues/kalshi/schemas.js';
import { recordedProdEvent, wrapMarketsInEvent, type WireObject } from '../../helpers/mock-kalshi.js';
import { fixtureJson } from './fixtures.js';

const fees = feeLookupFromSeries(fixtureJson('prod-recorded/series-subset.json'));

function errorOf(fn: () => unknown): MalformedVenueError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MalformedVenueError) return e;
    throw e;
  }
  throw new Error('expected a MalformedVenueError');
}

function prodMarket(): WireObject {
  const markets = recordedProdEvent()['markets'] as WireObject[];
  return markets[0] as WireObject;
}

describe('resolveKalshiFee', () => {
  const series = new Map<string, KalshiSeriesFee>([['S', { feeType: 'quadratic_with_maker_fees', multiplier: 1_000_000n }]]);
  const ev = (o: Record<string, unknown>) => ({ series_ticker: 'S', ...o });

  it('takes the series fee when the event has no override', () => {
    expect(resolveKalshiFee(ev({}), series, 'x', 'e')).toEqual({ kind: 'kalshi', feeType: 'quadratic_with_maker_fees', multiplier: 1_000_000n, source: 'series' });
    expect(resolveKalshiFee(ev({ fee_type_override: null, fee_multiplier_override: null }), series, 'x', 'e')).toMatchObject({ source: 'series' });
  });

  it('lets the event override the multiplier, the type, or both', () => {
    expect(resolveKalshiFee(ev({ fee_multiplier_override: '0.5' }), series, 'x', 'e')).toEqual({
      kind: 'kalshi',
      feeType: 'quadratic_with_maker_fees',
      multiplier: 500_000n,
      source: 'event-override',
    });
    expect(resolveKalshiFee(ev({ fee_type_override: 'quadratic' }), series, 'x', 'e')).toEqual({
      kind: 'kalshi',
      feeType: 'quadratic',
      multiplier: 1_000_000n,
      source: 'event-override',
    });
    expect(resolveKalshiFee(ev({ fee_type_override: 'quadratic', fee_multiplier_override: '0' }), series, 'x', 'e')).toMatchObject({ multiplier: 0n, source: 'event-override' });
    // both overrides: no series data needed
    expect(resolveKalshiFee({ series_ticker: 'NONE', fee_type_override: 'quadratic', fee_multiplier_override: '2' }, series, 'x', 'e')).toMatchObject({
      kind: 'kalshi',
      multiplier: 2_000_000n,
    });
  });

  it('is unknown, never zero, when data is missing or not understood', () => {
    expect(resolveKalshiFee({ series_ticker: 'NONE' }, series, 'x', 'e')).toEqual({ kind: 'unknown', reason: 'no fee data for series NONE' });
    expect(resolveKalshiFee({ series_ticker: 'NONE', fee_multiplier_override: '0.5' }, series, 'x', 'e').kind).toBe('unknown');
    expect(resolveKalshiFee(ev({ fee_type_override: 'cubic' }), series, 'x', 'e')).toEqual({ kind: 'unknown', reason: 'unrecognised Kalshi fee_type "cubic"' });
    expect(resolveKalshiFee(ev({ fee_multiplier_override: '-1' }), series, 'x', 'e').kind).toBe('unknown');
  });

  it('reads the JSON-number multiplier of GET /series without floats', () => {
    const f = feeLookupFromSeries({ series: [{ ticker: 'A', fee_type: 'quadratic', fee_multiplier: 0.035 }, { ticker: 'B', fee_type: 'flat', fee_multiplier: 1e-7 }] });
    expect(f.get('A')).toEqual({ feeType: 'quadratic', multiplier: 35_000n });
    expect(f.get('B')).toEqual({ feeType: 'flat', multiplier: 1n }); // 1e-7 rounds up (against us)
  });
});

describe('parseKalshiEventsPage', () => {
  it('applies the event fee override to the recorded event', () => {
    const event = { ...recordedProdEvent(), fee_type_override: 'quadratic_with_maker_fees', fee_multiplier_override: 0.5 };
    const page = parseKalshiEventsPage({ events: [event], cursor: '' }, fees);
    expect(page.cursor).toBeNull();
    expect(page.markets[0]?.fee).toEqual({ kind: 'kalshi', feeType: 'quadratic_with_maker_fees', multiplier: 500_000n, source: 'event-override' });
    const plain = parseKalshiEventsPage({ events: [recordedProdEvent()], cursor: 'abc' }, fees);
    expect(plain.cursor).toBe('abc');
    expect(plain.markets[0]?.fee).toEqual({ kind: 'kalshi', feeType: 'quadratic', multiplier: 1_000_000n, source: 'series' });
  });

  it('excludes combos (KXMVE tickers, mve_collection_ticker, combo events)', () => {
    const m = prodMarket();
    const combos = wrapMarketsInEvent(
      [
        { ...m, ticker: 'KXELONMARS-99-B' },
        { ...m, ticker: 'KXMVECROSSCATEGORY-S2026-1', event_ticker: 'KXELONMARS-99' },
        { ...m, ticker: 'KXELONMARS-99-C', mve_collection_ticker: 'KXMVECROSSCATEGORY', mve_selected_legs: [{ market_ticker: 'A' }] },
      ],
      'KXELONMARS',
      't',
    );
    const comboEvent = wrapMarketsInEvent([{ ...m, ticker: 'KXMVESPORTS-1-X', event_ticker: 'KXMVESPORTS-1' }], 'KXMVESPORTS', 'combo');
    const page = parseKalshiEventsPage({ events: [combos, comboEvent], cursor: '' }, fees);
    expect(page.markets.map((x) => x.id)).toEqual(['KXELONMARS-99-B']);
  });

  it('names the malformed field', () => {
    const m = prodMarket();
    const page = (market: WireObject): unknown => ({ events: [wrapMarketsInEvent([m, market], 'KXELONMARS', 't')], cursor: '' });
    expect(errorOf(() => parseKalshiEventsPage(page({ ...m, close_time: 12 }), fees)).field).toBe('events[0].markets[1].close_time');
    expect(errorOf(() => parseKalshiEventsPage(page({ ...m, status: 'open' }), fees)).field).toBe('events[0].markets[1].status');
    const { price_ranges: _pr, ...noRanges } = m;
    expect(errorOf(() => parseKalshiEventsPage(page(noRanges), fees)).field).toBe('events[0].markets[1].price_ranges');
    expect(errorOf(() => parseKalshiEventsPage(page({ ...m, price_ranges: [{ start: '0.5', end: '0.2', step: '0.01' }] }), fees)).field).toBe(
      'events[0].markets[1].price_ranges[0]',
    );
    expect(errorOf(() => parseKalshiEventsPage({ events: [{ ...recordedProdEvent(), fee_multiplier_override: 'x' }], cursor: '' }, fees)).field).toBe(
      'events[0].fee_multiplier_override',
    );
    expect(errorOf(() => parseKalshiEventsPage({ events: 'none' }, fees)).field).toBe('events');
    const e = errorOf(() => parseKalshiEventsPage(page({ ...m, ticker: 7 }), fees));
    expect(e.venue).toBe('kalshi');
    expect(e.endpoint).toBe('GET /events');
    expect(e.message).toContain('events[0].markets[1].ticker');
  });

  it('maps every wire status', () => {
    expect(KALSHI_MARKET_STATUSES.map(mapKalshiStatus)).toEqual(['unopened', 'paused', 'open', 'closed', 'closed', 'closed', 'closed', 'settled']);
  });
});

describe('toPriceRanges', () => {
  it('clamps Kalshi ranges to tradeable prices and keeps tapered grids', () => {
    const r = toPriceRanges(
      [
        { start: '0.0000', end: '0.1000', step: '0.0010' },
        { start: '0.1000', end: '0.9000', step: '0.0100' },
        { start: '0.9000', end: '1.0000', step: '0.0010' },
      ],
      'x',
      'price_ranges',
    );
    expect(isOnPriceGrid(0n, r)).toBe(false);
    expect(isOnPriceGrid(ONE, r)).toBe(false);
    expect(isOnPriceGrid(1_000n, r)).toBe(true);
    expect(isOnPriceGrid(999_000n, r)).toBe(true);
    expect(isOnPriceGrid(555_000n, r)).toBe(false);
    expect(isOnPriceGrid(550_000n, r)).toBe(true);
  });

  it('never yields a grid price outside (0, 1) or off its step (property)', () => {
    const cents = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(cents, cents, fc.constantFrom(100n, 1_000n, 10_000n), (a, b, step) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const text = (c: number): string => formatDecimal(BigInt(c) * 10_000n, { dp: 4 });
        const ranges = toPriceRanges([{ start: text(lo), end: text(hi), step: formatDecimal(step, { dp: 4 }) }], 'x', 'r');
        for (const r of ranges) {
          expect(r.start > 0n && r.end < ONE && r.start <= r.end).toBe(true);
          expect((r.end - r.start) % r.step).toBe(0n);
        }
      }),
    );
  });
});

describe('parseKalshiOrderbooks', () => {
  const level = fc.tuple(fc.integer({ min: 1, max: 9_999 }), fc.integer({ min: 0, max: 100_000 }));
  const toWire = (levels: [number, number][]): [string, string][] =>
    levels.map(([p, s]) => [formatDecimal(BigInt(p) * 100n, { dp: 4 }), formatDecimal(BigInt(s) * 10_000n, { dp: 2 })]);

  it('YES asks are 1 − NO bids and NO asks 1 − YES bids, merged and sorted (property)', () => {
    fc.assert(
      fc.property(fc.array(level, { maxLength: 30 }), fc.array(level, { maxLength: 30 }), (yes, no) => {
        const books = parseKalshiOrderbooks({ orderbooks: [{ ticker: 'T', orderbook_fp: { yes_dollars: toWire(yes), no_dollars: toWire(no) } }] }, 0);
        const b = books.get('T');
        const expectAsks = (bids: [number, number][]): { price: bigint; size: bigint }[] => {
          const m = new Map<bigint, bigint>();
          for (const [p, s] of bids) if (s > 0) m.set(ONE - BigInt(p) * 100n, (m.get(ONE - BigInt(p) * 100n) ?? 0n) + BigInt(s) * 10_000n);
          return [...m].map(([price, size]) => ({ price, size })).sort((x, y) => (x.price < y.price ? -1 : 1));
        };
        expect(b?.yesAsks).toEqual(expectAsks(no));
        expect(b?.noAsks).toEqual(expectAsks(yes));
      }),
    );
  });

  it('accepts null/absent sides and rejects impossible levels by field', () => {
    const b = parseKalshiOrderbooks({ orderbooks: [{ ticker: 'T', orderbook_fp: { yes_dollars: null } }] }, 0).get('T');
    expect(b).toMatchObject({ yesAsks: [], noAsks: [] });
    expect(parseKalshiOrderbooks({ orderbooks: null }, 0).size).toBe(0);
    const bad = (no: unknown): unknown => ({ orderbooks: [{ ticker: 'T', orderbook_fp: { yes_dollars: [], no_dollars: no } }] });
    expect(errorOf(() => parseKalshiOrderbooks(bad([['1.0000', '1.00']]), 0)).field).toBe('orderbooks[0].orderbook_fp.no_dollars[0][0]');
    expect(errorOf(() => parseKalshiOrderbooks(bad([['0.5', '1'], ['0.6', '-1.00']]), 0)).field).toBe('orderbooks[0].orderbook_fp.no_dollars[1][1]');
    expect(errorOf(() => parseKalshiOrderbooks(bad([[0.5, '1.00']]), 0)).field).toBe('orderbooks[0].orderbook_fp.no_dollars[0][0]');
    expect(errorOf(() => parseKalshiOrderbooks(bad([['0.5', '1.00', 'x']]), 0)).field).toMatch(/^orderbooks\[0\]\.orderbook_fp\.no_dollars\[0\]/);
    expect(errorOf(() => parseKalshiOrderbooks(bad([['0.12345678', '1.00']]), 0)).field).toBe('orderbooks[0].orderbook_fp.no_dollars[0][0]');
  });
});
