/**
 * Every recorded Kalshi market-data fixture (copied verbatim) parses, and every
 * recorded error body classifies to the right kind.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyKalshiError, readKalshiError } from '../../../source/venues/kalshi/errors.js';
import {
  feeLookupFromSeries,
  healthFromStatus,
  marketsOfEvent,
  parseKalshiExchangeStatus,
  parseKalshiOrderbooks,
  parseWire,
  toKalshiBook,
  toKalshiMarket,
} from '../../../source/venues/kalshi/parser.js';
import {
  kalshiEventResponseSchema,
  kalshiExchangeStatusSchema,
  kalshiMarketResponseSchema,
  kalshiMarketsPageSchema,
  kalshiOrderbookResponseSchema,
} from '../../../source/venues/kalshi/schemas.js';
import { KALSHI_FIXTURE_DIR, KALSHI_RECORDED_ERRORS } from '../../helpers/mock-kalshi.js';
import { fixtureJson, fixtureText } from './fixtures.js';

const unknownFee = { kind: 'unknown', reason: 'test' } as const;
const ctx = { eventTitle: 'E', seriesTicker: null, eventExchangeIndex: null, fee: unknownFee };

describe('recorded Kalshi fixtures', () => {
  it('are byte-identical copies (sha256 prefixes listed in SOURCES.md)', () => {
    const sources = fixtureText('SOURCES.md');
    const shaOf = new Map<string, string>();
    for (const line of sources.split('\n')) {
      const m = /^\| `((?:demo|prod)-recorded\/[^`]+)` .*\| ([0-9a-f]{16}) \|$/.exec(line);
      if (m?.[1] && m[2]) shaOf.set(m[1], m[2]);
    }
    let checked = 0;
    for (const dir of ['demo-recorded', 'prod-recorded']) {
      for (const name of readdirSync(`${KALSHI_FIXTURE_DIR}${dir}`)) {
        const rel = `${dir}/${name}`;
        const expected = shaOf.get(rel);
        expect(expected, rel).toBeDefined();
        const actual = createHash('sha256').update(fixtureText(rel)).digest('hex').slice(0, 16);
        expect(actual, rel).toBe(expected);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(31); // market data (21) and trading read-backs (10)
  });

  it('parse: single market and GET /markets pages', () => {
    const single = parseWire(kalshiMarketResponseSchema, fixtureJson('demo-recorded/market.json'), 'GET /markets/{ticker}');
    const m = toKalshiMarket(single.market, ctx, 'GET /markets/{ticker}', 'market');
    expect(m).toMatchObject({
      id: 'KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP',
      eventId: 'KXWTACHALLENGERMATCH-26JUN11JIMLEP',
      title: 'Will Varvara Lepchenko win the Jimenez Kasintseva vs Lepchenko: Round Of 16 match?',
      subtitle: 'Varvara Lepchenko',
      status: 'open',
      closeTime: Date.parse('2026-06-25T16:00:00Z'),
      minOrderSize: 10_000n,
      sizeIncrement: 10_000n,
    });
    expect(m.rules?.startsWith('If Varvara Lepchenko wins')).toBe(true);
    expect(m.rules).toContain('\n\nThe following market refers to');
    for (const file of ['markets-page.json', 'markets-page-2.json', 'markets-last-page.json']) {
      const page = parseWire(kalshiMarketsPageSchema, fixtureJson(`demo-recorded/${file}`), 'GET /markets');
      const markets = page.markets.map((w, i) => toKalshiMarket(w, ctx, 'GET /markets', `markets[${i}]`));
      expect(markets.length).toBeGreaterThan(0);
      for (const x of markets) expect(x.priceRanges).toEqual([{ start: 10_000n, end: 990_000n, step: 10_000n }]);
    }
  });

  it('parse: production event with nested markets and the series fee', () => {
    const r = parseWire(kalshiEventResponseSchema, fixtureJson('prod-recorded/event-with-markets.json'), 'GET /events/{t}');
    expect(r.markets).toEqual([]); // deprecated top-level list is empty with nesting on
    const fees = feeLookupFromSeries(fixtureJson('prod-recorded/series-subset.json'));
    expect([...fees.keys()]).toEqual(['KXINX', 'KXELONMARS', 'KXBTCD', 'KXNEXTDNCCHAIR']);
    const [m] = marketsOfEvent(r.event, fees, 'GET /events/{t}', 'event');
    expect(m).toMatchObject({
      id: 'KXELONMARS-99',
      eventTitle: 'Will Elon Musk visit Mars in his lifetime?',
      title: 'Will Elon Musk visit Mars before Aug 1, 2099?',
      subtitle: 'Mars',
      status: 'open',
      fee: { kind: 'kalshi', feeType: 'quadratic', multiplier: 1_000_000n, source: 'series' },
      ref: { venue: 'kalshi', ticker: 'KXELONMARS-99', eventTicker: 'KXELONMARS-99', seriesTicker: 'KXELONMARS', exchangeIndex: 0 },
    });
  });

  it('parse: recorded order books, normalised to asks', () => {
    const books = parseKalshiOrderbooks(fixtureJson('prod-recorded/orderbooks-multi.json'), 42);
    expect(books.size).toBe(34);
    const b = books.get('KXNEXTDNCCHAIR-45-BWIK');
    // no YES bids -> no NO asks; NO bids 0.0010 … 0.9190 -> YES asks 0.0810 … 0.9990
    expect(b?.noAsks).toEqual([]);
    expect(b?.yesAsks[0]).toEqual({ price: 81_000n, size: 200_000_000n });
    expect(b?.yesAsks.at(-1)).toEqual({ price: 999_000n, size: 29_840_000_000n });
    expect(b?.yesAsks).toHaveLength(14);
    expect(b?.receivedAt).toBe(42);
    expect(b?.venueTime).toBeNull();
    for (const book of books.values()) {
      for (const side of [book.yesAsks, book.noAsks]) {
        for (let i = 1; i < side.length; i += 1) expect((side[i]?.price ?? 0n) > (side[i - 1]?.price ?? 0n)).toBe(true);
      }
    }
    const demo = parseWire(kalshiOrderbookResponseSchema, fixtureJson('demo-recorded/orderbook.json'), 'GET /orderbook');
    const d = toKalshiBook('T', demo.orderbook_fp, 1, 'GET /orderbook', 'orderbook_fp');
    // YES bid 0.47 ×3, NO bid 0.48 ×3 -> YES ask 0.52 ×3, NO ask 0.53 ×3 (matches the market's yes_ask/no_ask)
    expect(d.yesAsks).toEqual([{ price: 520_000n, size: 3_000_000n }]);
    expect(d.noAsks).toEqual([{ price: 530_000n, size: 3_000_000n }]);
    const docs = parseWire(kalshiOrderbookResponseSchema, fixtureJson('docs-examples/orderbook.json'), 'GET /orderbook');
    const e = toKalshiBook('T', docs.orderbook_fp, 1, 'GET /orderbook', 'orderbook_fp');
    // best YES ask = 1 − best NO bid (0.56, the last NO level); best NO ask = 1 − 0.42
    expect(e.yesAsks[0]).toEqual({ price: 440_000n, size: 17_000_000n });
    expect(e.noAsks[0]).toEqual({ price: 580_000n, size: 13_000_000n });
    expect(e.yesAsks).toHaveLength(10);
    expect(e.noAsks).toHaveLength(12);
  });

  it('parse: exchange status, with and without shard breakdown', () => {
    const prod = parseKalshiExchangeStatus(fixtureJson('prod-recorded/exchange-status.json'), 7);
    expect(prod).toEqual({ venue: 'kalshi', exchangeActive: true, tradingActive: true, detail: null, checkedAt: 7 });
    const demo = parseKalshiExchangeStatus(fixtureJson('demo-recorded/exchange-status.json'), 8);
    expect(demo).toEqual({ venue: 'kalshi', exchangeActive: true, tradingActive: true, detail: null, checkedAt: 8 });
    const wire = parseWire(kalshiExchangeStatusSchema, fixtureJson('prod-recorded/exchange-status.json'), 'x');
    const paused = healthFromStatus(
      {
        ...wire,
        trading_active: false,
        exchange_estimated_resume_time: '2026-09-17T09:00:00Z',
        exchange_index_statuses: (wire.exchange_index_statuses ?? []).map((s) => (s.exchange_index === 2 ? { ...s, trading_active: false } : s)),
      },
      9,
    );
    expect(paused.tradingActive).toBe(false);
    expect(paused.detail).toBe('trading paused; estimated resume 2026-09-17T09:00:00Z; shard 2 (Crypto & Commodities) trading paused');
  });

  it('classify: every recorded error body', () => {
    for (const e of KALSHI_RECORDED_ERRORS) {
      const text = fixtureText(e.file);
      const c = classifyKalshiError(e.status, JSON.parse(text), text);
      expect(c.kind, e.file).toBe(e.kind);
      expect(c.code, e.file).toBe(e.code);
      expect(c.message.length, e.file).toBeGreaterThan(0);
    }
    const flat = fixtureText('demo-recorded/error-400-bad-request-flat-shape.json');
    expect(readKalshiError(400, JSON.parse(flat), flat).message).toBe(
      'bad_request: bad request (json: cannot unmarshal number into Go struct field CreateOrderV2Request.count of type string)',
    );
    const bare = fixtureText('demo-recorded/error-400-param-validation-msg-shape.json');
    expect(readKalshiError(400, JSON.parse(bare), bare).message).toMatch(/^Parameter validation failed for GetMarkets/);
    expect(readKalshiError(429, { error: 'too many requests' }, '').message).toBe('too many requests');
    const sig = fixtureText('demo-recorded/error-401-bad-signature.json');
    expect(readKalshiError(401, JSON.parse(sig), sig).message).toBe('authentication_error (INCORRECT_API_KEY_SIGNATURE)');
  });

  it('classify: statuses and bodies beyond the recordings', () => {
    expect(classifyKalshiError(403, undefined, '').kind).toBe('auth');
    expect(classifyKalshiError(400, { error: { code: 'header_timestamp_expired' } }, '').kind).toBe('auth');
    expect(classifyKalshiError(500, undefined, '<html>bad gateway</html>')).toEqual({
      kind: 'retryable',
      code: undefined,
      message: 'HTTP 500: <html>bad gateway</html>',
    });
    expect(classifyKalshiError(503, undefined, '').message).toBe('HTTP 503');
    expect(classifyKalshiError(404, { error: { code: 'not_found', message: 'not found' } }, '').kind).toBe('rejected');
  });
});
