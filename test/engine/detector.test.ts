import { describe, expect, it } from 'vitest';
import { annualize, detectPair, notTradableMessage, YEAR_MS, type DetectorPair, type DetectorSettings } from '../../source/engine/detector.js';
import { uniformGrid, type Market } from '../../source/domain/market.js';
import { ONE, parseDecimal } from '../../source/domain/money.js';
import { normaliseAsks, type OrderBook } from '../../source/domain/order-book.js';
import { testMarket } from '../helpers/market.js';

const d = (s: string): bigint => parseDecimal(s);
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 25);

function market(venue: 'kalshi' | 'polymarket', overrides: Partial<Market> = {}): Market {
  return testMarket(venue, { id: venue === 'kalshi' ? 'KX-1' : '0x01', closeTime: NOW + 100 * DAY, ...overrides });
}

function book(venue: 'kalshi' | 'polymarket', yes: Array<[string, string]>, no: Array<[string, string]>, receivedAt = NOW - 500): OrderBook {
  const lv = (l: Array<[string, string]>) => normaliseAsks(l.map(([p, s]) => ({ price: d(p), size: d(s) })));
  return { venue, marketId: venue === 'kalshi' ? 'KX-1' : '0x01', yesAsks: lv(yes), noAsks: lv(no), venueTime: null, receivedAt };
}

const pair = (overrides: Partial<DetectorPair> = {}): DetectorPair => ({
  key: 'KX-1|0x01',
  kalshi: market('kalshi'),
  polymarket: market('polymarket', { closeTime: NOW + 200 * DAY }),
  relation: 'same',
  approved: true,
  confidence: d('0.95'),
  warnings: [],
  ...overrides,
});

const settings: DetectorSettings = {
  thresholds: {
    minNetProfit: d('1'),
    minRoi: d('0.01'),
    minAnnualizedReturn: d('0.05'),
    maxSizePerTrade: d('1000'),
    maxCapitalPerPair: d('5000'),
    staleQuoteMs: 5_000,
  },
  kalshiFeeRounding: 'centicent',
};

describe('detectPair', () => {
  const kBook = book('kalshi', [['0.40', '100']], [['0.62', '100']]);
  const pBook = book('polymarket', [['0.55', '100']], [['0.50', '150']]);

  it('finds YES kalshi + NO polymarket with every figure', () => {
    const { opportunities, misses } = detectPair(pair(), { kalshi: kBook, polymarket: pBook }, NOW, settings);
    expect(opportunities).toHaveLength(1);
    const o = opportunities[0]!;
    expect(o.id).toBe('KX-1|0x01#yes-no');
    expect(o.direction).toBe('YES kalshi + NO polymarket');
    expect(o.size).toBe(d('100'));
    expect(o.totalCost).toBe(d('92.43'));
    expect(o.netProfit).toBe(d('7.57'));
    expect(o.roi).toBe(81_899n); // 7.57 / 92.43 = 0.081899…
    expect(o.lockedUntil).toBe(NOW + 200 * DAY);
    expect(o.annualizedReturn).toBe((81_899n * BigInt(YEAR_MS)) / BigInt(200 * DAY));
    expect(o.legs[0]).toMatchObject({ venue: 'kalshi', side: 'yes', vwap: d('0.40'), fee: d('1.68'), quoteAgeMs: 500 });
    expect(o.legs[1]).toMatchObject({ venue: 'polymarket', side: 'no', vwap: d('0.50'), fee: d('0.75') });
    expect(o.tradable).toBe(true);
    expect(misses).toEqual([{ pairKey: 'KX-1|0x01', direction: 'NO kalshi + YES polymarket', reason: expect.stringContaining('$1') }]);
  });

  it('an inverse pair buys the same outcome on both venues', () => {
    const { opportunities } = detectPair(
      pair({ relation: 'inverse' }),
      { kalshi: kBook, polymarket: book('polymarket', [['0.50', '150']], [['0.55', '100']]) },
      NOW,
      settings,
    );
    expect(opportunities.map((o) => o.direction)).toEqual(['YES kalshi + YES polymarket']);
  });

  it('says why an opportunity is not tradable', () => {
    const stale = detectPair(
      pair({ approved: false }),
      { kalshi: { ...kBook, receivedAt: NOW - 6_000 }, polymarket: pBook },
      NOW,
      { ...settings, thresholds: { ...settings.thresholds, minNetProfit: d('10') } },
    ).opportunities[0]!;
    expect(stale.tradable).toBe(false);
    expect(stale.notTradable).toEqual(['not-approved', 'stale-quote', 'below-min-profit']);
  });

  it('a market past its close time is not tradable, whatever its last listed status (the venue takes no orders)', () => {
    const closed = detectPair(pair({ kalshi: market('kalshi', { closeTime: NOW - 1 }) }), { kalshi: kBook, polymarket: pBook }, NOW, settings).opportunities[0]!;
    expect(closed.tradable).toBe(false);
    expect(closed.notTradable).toContain('market-not-open');
    const atClose = detectPair(pair({ polymarket: market('polymarket', { closeTime: NOW }) }), { kalshi: kBook, polymarket: pBook }, NOW, settings).opportunities[0]!;
    expect(atClose.notTradable).toContain('market-not-open');
  });

  it('a book received after "now" (the clock stepped back) is stale, never fresh; a little ahead (under a second) is not', () => {
    const ahead = detectPair(pair(), { kalshi: { ...kBook, receivedAt: NOW + 60_000 }, polymarket: pBook }, NOW, settings).opportunities[0]!;
    expect(ahead.notTradable).toEqual(['stale-quote']);
    expect(ahead.legs[0].quoteAgeMs).toBe(0);
    const jitter = detectPair(pair(), { kalshi: { ...kBook, receivedAt: NOW + 500 }, polymarket: pBook }, NOW, settings).opportunities[0]!;
    expect(jitter.tradable).toBe(true);
  });

  it('a market whose minimum order size is unknown (0: neither API said) gets no opportunity, with the reason', () => {
    const r = detectPair(pair({ polymarket: market('polymarket', { closeTime: NOW + 200 * DAY, minOrderSize: 0n }) }), { kalshi: kBook, polymarket: pBook }, NOW, settings);
    expect(r.opportunities).toEqual([]);
    expect(r.misses.map((m) => m.reason)).toEqual([expect.stringContaining('minimum order size unknown'), expect.stringContaining('minimum order size unknown')]);
  });

  it('cannot annualise without close times, and says so when a minimum is set', () => {
    const o = detectPair(pair({ kalshi: market('kalshi', { closeTime: null }) }), { kalshi: kBook, polymarket: pBook }, NOW, settings)
      .opportunities[0]!;
    expect(o.annualizedReturn).toBeNull();
    expect(o.notTradable).toContain('close-time-unknown');
  });

  it("sizes an opportunity to what the account can pay for: each venue's free money, and the capital left", () => {
    const books = { kalshi: kBook, polymarket: pBook };
    const free = detectPair(pair(), books, NOW, settings).opportunities[0]!;
    expect(free.size).toBe(d('100'));
    // nothing known: the same answer as without an account
    expect(detectPair(pair(), books, NOW, settings, {}).opportunities[0]).toEqual(free);
    const kalshiShort = detectPair(pair(), books, NOW, settings, { kalshi: d('20') }).opportunities[0]!;
    expect(kalshiShort.legs[0].cost + kalshiShort.legs[0].fee <= d('20')).toBe(true);
    // 47.98 at $0.40 = $19.1920 + fee ⌈0.07 × 47.98 × 0.4 × 0.6⌉ = $0.8061 → $19.9981;
    // 47.99 = $19.1960 + $0.8063 = $20.0023, over
    expect(kalshiShort.size).toBe(d('47.98'));
    expect(kalshiShort.legs[0].cost + kalshiShort.legs[0].fee).toBe(d('19.9981'));
    expect(kalshiShort.tradable).toBe(true);
    const polyShort = detectPair(pair(), books, NOW, settings, { polymarket: d('10') }).opportunities[0]!;
    expect(polyShort.legs[1].cost + polyShort.legs[1].fee <= d('10')).toBe(true);
    expect(polyShort.size < free.size).toBe(true);
    const capital = detectPair(pair(), books, NOW, settings, { capital: d('30'), kalshi: d('1000'), polymarket: d('1000') }).opportunities[0]!;
    expect(capital.totalCost <= d('30')).toBe(true);
    expect(capital.size < free.size).toBe(true);
  });

  it("an opportunity the account cannot pay the minimum order of is shown at the settings' size, not tradable, with the reason", () => {
    const r = detectPair(pair(), { kalshi: kBook, polymarket: pBook }, NOW, settings, { polymarket: d('0.30') });
    const o = r.opportunities[0]!;
    expect(o.size).toBe(d('100'));
    expect(o.tradable).toBe(false);
    expect(o.notTradable).toEqual(['account-limit']);
    expect(notTradableMessage(o)).toContain('the account cannot pay for a size that earns');
    // a spent pair (no capital left) the same
    expect(detectPair(pair(), { kalshi: kBook, polymarket: pBook }, NOW, settings, { capital: 0n }).opportunities[0]?.notTradable).toEqual(['account-limit']);
  });

  it('an account that can pay only sizes the fees make unprofitable still sees the opportunity, not tradable', () => {
    // Kalshi's fee rounded up to the cent per fill weighs on small sizes: 1 contract loses money, 300 earn
    const centSettings: DetectorSettings = { ...settings, kalshiFeeRounding: 'cent', thresholds: { ...settings.thresholds, minNetProfit: 0n, minRoi: 0n, minAnnualizedReturn: 0n } };
    const fine = pair({ polymarket: market('polymarket', { closeTime: NOW + 200 * DAY, priceRanges: uniformGrid(d('0.001'), ONE) }) });
    const books = { kalshi: book('kalshi', [['0.33', '300']], [['0.90', '10']]), polymarket: book('polymarket', [['0.90', '10']], [['0.644', '300']]) };
    const free = detectPair(fine, books, NOW, centSettings).opportunities[0]!;
    expect(free.size).toBe(d('300'));
    expect(free.netProfit > 0n).toBe(true);
    const poor = detectPair(fine, books, NOW, centSettings, { kalshi: d('0.50') }).opportunities[0]!;
    expect(poor).toMatchObject({ size: d('300'), tradable: false, notTradable: ['account-limit'] });
    // uncrossed books stay a miss, whatever the account (no second search for them)
    const flat = { kalshi: book('kalshi', [['0.50', '300']], [['0.50', '300']]), polymarket: book('polymarket', [['0.51', '300']], [['0.51', '300']]) };
    expect(detectPair(fine, flat, NOW, centSettings, { kalshi: d('0.50') }).opportunities).toEqual([]);
  });

  it('reports a missing book as a miss, not an opportunity', () => {
    const r = detectPair(pair(), { kalshi: kBook, polymarket: undefined }, NOW, settings);
    expect(r.opportunities).toEqual([]);
    expect(r.misses[0]?.reason).toBe('no book yet for polymarket');
  });

  it('annualize treats less than a day as a day', () => {
    expect(annualize(d('0.01'), NOW, NOW + 1000)).toBe(d('3.65'));
    expect(annualize(d('0.01'), NOW, null)).toBeNull();
  });

  it('says in words why an opportunity may not be traded (the ticket and the refusals show it)', () => {
    expect(notTradableMessage({ notTradable: ['stale-quote', 'below-min-profit'] })).toBe('not tradable: quote too old; net profit below minimum');
  });
});
