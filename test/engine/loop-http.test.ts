/**
 * The monitor loop end to end over HTTP: the real Kalshi and Polymarket
 * clients against the mock venue servers, the matcher, the registry, the
 * detector and the store. A planted arbitrage is found with the exact
 * figures; a look-alike market that crosses just as well is never tradable;
 * a stale book is never tradable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type EngineEvent } from '../../source/engine/engine.js';
import { MemoryVerdictStore, PairRegistry } from '../../source/engine/registry.js';
import { parseDecimal } from '../../source/domain/money.js';
import { Store } from '../../source/store/store.js';
import { createKalshiVenue } from '../../source/venues/kalshi/venue.js';
import { DEFAULT_KALSHI_SETTINGS } from '../../source/venues/kalshi/settings.js';
import { createPolymarketVenue } from '../../source/venues/polymarket/venue.js';
import { MockKalshi, recordedProdEvent } from '../helpers/mock-kalshi.js';
import { MockPolymarket, polymarketFixture } from '../helpers/mock-polymarket.js';

const d = (s: string): bigint => parseDecimal(s);
type Json = Record<string, unknown>;

const TICKER = 'KXELONMARS-99'; // recorded production event, series KXELONMARS: quadratic, M = 1
const SAME = `0x${'11'.repeat(32)}`;
const LOOK_ALIKE = `0x${'22'.repeat(32)}`;

function gammaMarket(template: Json, conditionId: string, question: string, tokens: [string, string]): Json {
  return { ...template, id: conditionId.slice(2, 10), conditionId, question, clobTokenIds: JSON.stringify(tokens), feesEnabled: false, feeSchedule: null, orderPriceMinTickSize: 0.01, orderMinSize: 5 };
}

function clobBook(conditionId: string, token: string, asks: Array<[string, string]>): Json {
  return { market: conditionId, asset_id: token, timestamp: '1779000000000', hash: 'h', bids: [], asks: asks.map(([price, size]) => ({ price, size })), min_order_size: '5', tick_size: '0.01', neg_risk: false };
}

describe('monitor loop over HTTP (mock venues)', () => {
  const [eventTemplate] = polymarketFixture<Json[]>('gamma-events.json');
  const marketTemplate = (eventTemplate?.['markets'] as Json[])[0] as Json;
  const kalshi = new MockKalshi([recordedProdEvent()]);
  const polymarket = new MockPolymarket({
    events: [
      {
        ...eventTemplate,
        id: '990001',
        title: 'Elon Musk on Mars',
        markets: [
          gammaMarket(marketTemplate, SAME, 'Will Elon Musk visit Mars before Aug 1, 2099?', ['9001', '9002']),
          gammaMarket(marketTemplate, LOOK_ALIKE, 'Will Elon Musk visit Mars before Aug 1, 2089?', ['9003', '9004']),
        ],
      },
    ],
    markets: [],
  });
  let clock = Date.UTC(2026, 10, 25, 12);
  const now = () => clock;

  beforeAll(async () => {
    // Kalshi publishes bids: YES ask = 1 − best NO bid = 0.40, NO ask = 1 − best YES bid = 0.45
    kalshi.books.set(TICKER, { yes_dollars: [['0.5500', '100.00']], no_dollars: [['0.6000', '100.00']] });
    // Polymarket: NO at 0.50 on both look-alikes (levels sorted by us, whatever the wire order)
    polymarket.books.set('9001', clobBook(SAME, '9001', [['0.62', '100'], ['0.58', '100']]));
    polymarket.books.set('9002', clobBook(SAME, '9002', [['0.55', '50'], ['0.50', '150']]));
    polymarket.books.set('9003', clobBook(LOOK_ALIKE, '9003', [['0.58', '100']]));
    polymarket.books.set('9004', clobBook(LOOK_ALIKE, '9004', [['0.50', '150']]));
    await kalshi.start();
    await polymarket.start();
  });
  afterAll(async () => {
    await kalshi.server.stop();
    await polymarket.stop();
  });

  it('finds the planted arbitrage with exact figures; the look-alike and a stale book are never tradable', async () => {
    const store = new Store({ now, minIntervalMs: 0, setTimer: () => 0, clearTimer: () => undefined });
    const events: EngineEvent[] = [];
    const venues = {
      kalshi: createKalshiVenue(
        { ...DEFAULT_KALSHI_SETTINGS, restUrl: kalshi.restUrl, timeoutMs: 2_000, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } },
        { now },
      ),
      polymarket: createPolymarketVenue(polymarket.settings({ timeoutMs: 2_000 }), { now }),
    };
    const engine = new Engine({
      venues,
      store,
      registry: new PairRegistry(new MemoryVerdictStore(), now),
      now,
      onEvent: (e) => events.push(e),
      settings: {
        catalogIntervalMs: 60_000,
        booksIntervalMs: 2_000,
        candidateBooksIntervalMs: 10_000,
        minPairConfidence: 0,
        detector: {
          thresholds: { minNetProfit: d('1'), minRoi: d('0.01'), minAnnualizedReturn: 0n, maxSizePerTrade: d('1000'), maxCapitalPerPair: d('5000'), staleQuoteMs: 5_000 },
          kalshiFeeRounding: 'centicent',
        },
        presetPairs: [{ kalshiTicker: TICKER, polymarketConditionId: SAME, relation: 'same', decidedBy: 'config', note: 'checked by hand' }],
      },
    });
    try {
      const found = await engine.runOnce();
      const planted = found.find((o) => o.id === `${TICKER}|${SAME}#yes-no`);
      expect(planted).toBeDefined();
      const o = planted!;
      expect(o.tradable).toBe(true);
      // 100 contracts: Kalshi YES 100 @ 0.40, fee 0.07 × 100 × 0.24 = $1.68; Polymarket NO 100 @ 0.50, fees disabled
      expect(o.size).toBe(d('100'));
      expect(o.legs[0]).toMatchObject({ venue: 'kalshi', side: 'yes', vwap: d('0.40'), worstPrice: d('0.40'), cost: d('40'), fee: d('1.68') });
      expect(o.legs[1]).toMatchObject({ venue: 'polymarket', side: 'no', vwap: d('0.50'), worstPrice: d('0.50'), cost: d('50'), fee: 0n });
      expect(o.totalCost).toBe(d('91.68'));
      expect(o.payout).toBe(d('100'));
      expect(o.netProfit).toBe(d('8.32'));
      // the look-alike (another year) crosses just as well but is never tradable
      const lookAlikes = found.filter((y) => y.pairKey.includes(LOOK_ALIKE));
      for (const x of lookAlikes) expect(x.tradable).toBe(false);
      // the matcher vetoes it (another year), so it is not even a candidate
      expect(engine.pair(`${TICKER}|${LOOK_ALIKE}`)).toBeUndefined();
      expect(events.some((e) => e.type === 'opportunity-opened' && e.opportunity.pairKey.includes(LOOK_ALIKE) && e.opportunity.tradable)).toBe(false);
      // a stale book: the same figures, no longer tradable
      clock += 6_000;
      engine.detectAll();
      const stale = engine.opportunity(o.id);
      expect(stale?.tradable).toBe(false);
      expect(stale?.notTradable).toContain('stale-quote');
      // traffic went over HTTP to both mocks, books in batches
      expect(kalshi.requestsTo('/markets/orderbooks').length).toBeGreaterThan(0);
      expect(polymarket.clob.requestsTo('/books').length).toBeGreaterThan(0);
    } finally {
      await engine.stop();
      await venues.kalshi.close();
      await venues.polymarket.close();
    }
  });
});
