import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimal, ONE, parseDecimal } from '../../../source/domain/money.js';
import { polymarketFee } from '../../../source/domain/fees.js';
import { MalformedVenueError } from '../../../source/venues/errors.js';
import {
  booksForMarkets,
  clobMarketFacts,
  isBookable,
  parseClobMarketInfo,
  parseGammaEventsPage,
  parseGammaMarketsPage,
  parseWith,
  resolveFee,
  sameClobDetails,
  withClobFacts,
  type ClobMarketFacts,
} from '../../../source/venues/polymarket/parser.js';
import {
  clobBookSchema,
  clobBooksSchema,
  clobFeeRateSchema,
  clobTickSizeSchema,
  errorBodySchema,
  type ClobBook,
} from '../../../source/venues/polymarket/schemas.js';
import { parseSavedPolymarket } from '../../../source/venues/polymarket/saved.js';
import { polymarketFixture, recordedBookFor } from '../../helpers/mock-polymarket.js';

type Json = Record<string, unknown>;
const ctx = { endpoint: 'test', path: '' };

function catchMalformed(fn: () => unknown): MalformedVenueError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedVenueError);
    return error as MalformedVenueError;
  }
  throw new Error('expected a MalformedVenueError');
}

const marketsFixture = (): Json[] => polymarketFixture<Json[]>('gamma-markets.json');

describe('recorded fixtures parse verbatim', () => {
  it('gamma-markets.json: three real markets', () => {
    const markets = parseGammaMarketsPage(marketsFixture());
    expect(markets).toHaveLength(3);
    const [btc, cs, ceasefire] = markets;
    expect(btc).toMatchObject({
      id: '0x78443f961b9a65869dcb39359de9960165c7e5cbad0904eac7f29cd77872a63b',
      title: 'Bitcoin Up or Down - March 12, 5:20AM-5:25AM ET',
      yesLabel: 'Up',
      noLabel: 'Down',
      status: 'open',
      closeTime: Date.parse('2026-03-12T09:25:00Z'),
      minOrderSize: 5_000_000n,
      sizeIncrement: 10_000n,
      priceRanges: [{ start: 10_000n, end: 990_000n, step: 10_000n }],
    });
    expect(btc?.ref).toMatchObject({
      yesTokenId: '104239898038807136052399800151408521467737075933964991162589336683346093173875',
      noTokenId: '71183960810705820955071415844881728181970340514894896943812046065452395013351',
      gammaId: '1557558',
      slug: 'btc-updown-5m-1773307200',
      negRisk: false,
      protocolVersion: 'v1',
    });
    // feesEnabled true, no feeSchedule, no CLOB info: unknown, never zero
    expect(btc?.fee.kind).toBe('unknown');
    // closed sports market with a feeSchedule
    expect(cs).toMatchObject({ status: 'closed', yesLabel: 'FaZe', noLabel: 'illwill', subtitle: 'Match Winner' });
    expect(cs?.fee).toEqual({ kind: 'polymarket', rate: 30_000n, exponent: 1, takerOnly: true, source: 'gamma' });
    expect(cs?.priceRanges).toEqual([{ start: 1_000n, end: 999_000n, step: 1_000n }]);
    // feesEnabled false
    expect(ceasefire?.fee).toEqual({ kind: 'polymarket', rate: 0n, exponent: 1, takerOnly: true, source: 'disabled' });
    expect(ceasefire?.subtitle).toBeNull();
  });

  it('gamma-events.json: one neg-risk event with two markets', () => {
    const markets = parseGammaEventsPage(polymarketFixture('gamma-events.json'));
    expect(markets.map((m) => m.subtitle)).toEqual(['Stephen A. Smith', 'Gretchen Whitmer']);
    for (const m of markets) {
      expect(m.eventId).toBe('30829');
      expect(m.eventTitle).toBe('Democratic Presidential Nominee 2028');
      expect(m.ref).toMatchObject({ negRisk: true, eventId: '30829' });
      expect(m.yesLabel).toBe('Yes');
      expect(isBookable(m)).toBe(true);
      expect(m.rules).toContain('Democratic');
    }
  });

  it('neg-risk (which exchange orders are signed for): the CLOB says first, then the market, then its event (nested markets may lack the field)', () => {
    const events = polymarketFixture<Json[]>('gamma-events.json');
    const event = events[0] as Json;
    const bare = (event['markets'] as Json[]).map((m) => {
      const { negRisk: _dropped, ...rest } = m;
      return rest;
    });
    // the market rows lack negRisk: the event's true applies
    expect(parseGammaEventsPage([{ ...event, markets: bare }]).map((m) => (m.ref as { negRisk: boolean }).negRisk)).toEqual([true, true]);
    // neither says: a plain market
    const { negRisk: _eventFlag, ...plainEvent } = event;
    expect(parseGammaEventsPage([{ ...plainEvent, markets: bare }]).map((m) => (m.ref as { negRisk: boolean }).negRisk)).toEqual([false, false]);
    // the CLOB's nr overrides both
    const first = bare[0] as Json;
    const facts = new Map([[first['conditionId'] as string, clobMarketFacts({ c: first['conditionId'] as string, nr: false }, { endpoint: 't', path: '' })]]);
    expect(parseGammaEventsPage([{ ...event, markets: bare }], facts).map((m) => (m.ref as { negRisk: boolean }).negRisk)).toEqual([false, true]);
  });

  it("an augmented neg-risk event's open-ended \"Other\" market is left out (its meaning changes as outcomes are added)", () => {
    const events = polymarketFixture<Json[]>('gamma-events.json');
    const event = events.find((e) => e['negRiskAugmented'] === true) as Json;
    const named = (event['markets'] as Json[])[0] as Json;
    const other = { ...named, id: '999', conditionId: '0x00000000000000000000000000000000000000000000000000000000000000aa', question: 'Will another person win the 2028 Democratic presidential nomination?', groupItemTitle: 'Other', negRiskOther: true };
    const withOther = [{ ...event, markets: [...(event['markets'] as Json[]), other] }];
    const markets = parseGammaEventsPage(withOther);
    expect(markets.map((m) => m.subtitle)).toEqual(['Stephen A. Smith', 'Gretchen Whitmer']);
    expect(parseGammaMarketsPage([named, other]).map((m) => m.id)).toEqual([named['conditionId']]);
    expect(parseSavedPolymarket(withOther).map((m) => m.id)).not.toContain('0x00000000000000000000000000000000000000000000000000000000000000aa');
    // negRiskOther: false is an ordinary market.
    expect(parseGammaMarketsPage([{ ...other, negRiskOther: false }]).map((m) => m.id)).toEqual(['0x00000000000000000000000000000000000000000000000000000000000000aa']);
  });

  it('clob-book.json and ws-book.json parse as books', () => {
    const book = parseWith(clobBookSchema, polymarketFixture('clob-book.json'), ctx);
    expect(book.asks).toHaveLength(7);
    expect(book.tick_size).toBeUndefined(); // old capture: field absent
    const ws = parseWith(clobBookSchema, polymarketFixture('ws-book.json'), ctx);
    expect(ws.asks).toHaveLength(86);
    expect(ws.bids).toHaveLength(76);
  });

  it('clob-tick-size.json, clob-fee-rate.json and order-post-error.json', () => {
    expect(parseWith(clobTickSizeSchema, polymarketFixture('clob-tick-size.json'), ctx)).toEqual({ minimum_tick_size: '0.01' });
    expect(parseWith(clobFeeRateSchema, polymarketFixture('clob-fee-rate.json'), ctx)).toEqual({ base_fee: '30' });
    expect(parseWith(clobFeeRateSchema, { base_fee: '150' }, ctx)).toEqual({ base_fee: '150' });
    expect(parseWith(errorBodySchema, polymarketFixture('order-post-error.json'), ctx).error).toMatch(/cancel-only/);
  });
});

describe('token ids: v1 clobTokenIds vs v2 positionIds', () => {
  const base = (): Json => ({ ...marketsFixture()[2] });

  it('missing version is v1 and reads clobTokenIds', () => {
    const [m] = parseGammaMarketsPage([base()]);
    expect(m?.ref).toMatchObject({ protocolVersion: 'v1', yesTokenId: '22978793223071892222859460592277435458011604214087068523744633723809814935807' });
  });

  it('v2 reads positionIds (JSON string or real array), never clobTokenIds', () => {
    for (const positionIds of ['["111", "222"]', ['111', '222']]) {
      const [m] = parseGammaMarketsPage([{ ...base(), version: 'v2', positionIds }]);
      expect(m?.ref).toMatchObject({ protocolVersion: 'v2', yesTokenId: '111', noTokenId: '222' });
    }
    const [noPositions] = parseGammaMarketsPage([{ ...base(), version: 'v2' }]);
    expect(noPositions?.ref).toMatchObject({ yesTokenId: '', noTokenId: '' });
    expect(noPositions && isBookable(noPositions)).toBe(false);
  });

  it('v1 explicit ignores positionIds', () => {
    const [m] = parseGammaMarketsPage([{ ...base(), version: 'v1', positionIds: '["1","2"]' }]);
    expect(m?.ref).toMatchObject({ protocolVersion: 'v1', yesTokenId: '22978793223071892222859460592277435458011604214087068523744633723809814935807' });
  });

  it('malformed ids or version name the field', () => {
    expect(catchMalformed(() => parseGammaMarketsPage([{ ...base(), version: 'v3' }])).field).toBe('[0].version');
    expect(catchMalformed(() => parseGammaMarketsPage([{ ...base(), version: 'v2', positionIds: '["1"]' }])).field).toBe('[0].positionIds');
    expect(catchMalformed(() => parseGammaMarketsPage([{ ...base(), clobTokenIds: '["1","x"]' }])).field).toBe('[0].clobTokenIds[1]');
    expect(catchMalformed(() => parseGammaMarketsPage([{ ...base(), clobTokenIds: '["7","7"]' }])).field).toBe('[0].clobTokenIds');
  });

  it('malformed Gamma fields name the field', () => {
    expect(catchMalformed(() => parseGammaMarketsPage([{ ...base(), feesEnabled: 'no' }])).field).toBe('[0].feesEnabled');
    expect(catchMalformed(() => parseGammaMarketsPage([{ ...base(), orderMinSize: 'five' }])).field).toBe('[0].orderMinSize');
    expect(catchMalformed(() => parseGammaMarketsPage([{ ...base(), feeSchedule: { rate: 'x', exponent: 1 } }])).field).toBe(
      '[0].feeSchedule.rate',
    );
    expect(catchMalformed(() => parseGammaMarketsPage([{ ...base(), feeSchedule: { rate: 0.03, exponent: 1.5 } }])).field).toBe(
      '[0].feeSchedule.exponent',
    );
    expect(catchMalformed(() => parseGammaMarketsPage([{ ...base(), negRisk: 1 }])).field).toBe('[0].negRisk');
    expect(catchMalformed(() => parseGammaEventsPage([{ id: '1', title: 'x', markets: [{ ...base(), outcomes: '["Yes"]' }] }])).field).toBe(
      '[0].markets[0].outcomes',
    );
  });
});

describe('fee lookup order', () => {
  const facts = (over: Partial<ClobMarketFacts> = {}): ClobMarketFacts => ({
    conditionId: '0x1',
    fee: { rate: 70_000n, exponent: 1, takerOnly: true },
    tickSize: null,
    minOrderSize: null,
    acceptingOrders: null,
    negRisk: null,
    ...over,
  });
  const schedule = { rate: '0.03', exponent: 1, takerOnly: true };

  it('CLOB first, even over a Gamma schedule or feesEnabled false', () => {
    for (const gamma of [{ feeSchedule: schedule, feesEnabled: true }, { feesEnabled: false }, {}]) {
      expect(resolveFee(gamma, facts(), ctx, 'none')).toEqual({ kind: 'polymarket', rate: 70_000n, exponent: 1, takerOnly: true, source: 'clob' });
    }
  });

  it('Gamma feeSchedule when the CLOB has no rate (or no answer)', () => {
    for (const clob of [facts({ fee: null }), undefined]) {
      expect(resolveFee({ feeSchedule: schedule, feesEnabled: true }, clob, ctx, 'none')).toMatchObject({ source: 'gamma', rate: 30_000n });
    }
  });

  it('feesEnabled false -> disabled, rate 0; otherwise unknown, never zero', () => {
    expect(resolveFee({ feesEnabled: false }, undefined, ctx, 'none')).toMatchObject({ kind: 'polymarket', source: 'disabled', rate: 0n });
    expect(resolveFee({ feesEnabled: true }, facts({ fee: null }), ctx, 'none').kind).toBe('unknown');
    expect(resolveFee({}, undefined, ctx, 'why')).toEqual({ kind: 'unknown', reason: 'why' });
  });

  it('CLOB market info: fd -> rate/exponent/takerOnly; no fd or no r -> no CLOB fee', () => {
    const info = { c: '0xabc', t: [{ t: '1', o: 'Yes' }, { t: '2', o: 'No' }], mts: 0.001, nr: false, fd: { r: 0.072, e: 1, to: true }, mos: 5 };
    const f = parseClobMarketInfo(info, ctx);
    expect(f).toEqual({ conditionId: '0xabc', fee: { rate: 72_000n, exponent: 1, takerOnly: true }, tickSize: 1_000n, minOrderSize: 5_000_000n, acceptingOrders: null, negRisk: false });
    expect(parseClobMarketInfo({ ...info, fd: undefined }, ctx).fee).toBeNull();
    expect(parseClobMarketInfo({ ...info, fd: { to: true } }, ctx).fee).toBeNull();
    expect(catchMalformed(() => parseClobMarketInfo({ ...info, fd: { r: 'lots', e: 1, to: true } }, ctx)).field).toBe('fd.r');
    expect(catchMalformed(() => parseClobMarketInfo({ ...info, mts: 0.03 }, ctx)).field).toBe('mts');
    expect(catchMalformed(() => parseClobMarketInfo({ ...info, fd: { r: -0.01, e: 1, to: true } }, ctx)).field).toBe('fd.r');
  });

  it('a page parsed with CLOB facts uses them (fee, tick, accepting orders)', () => {
    const raw = marketsFixture();
    const btc = raw[0] as Json;
    const lookup = new Map([
      [String(btc['conditionId']), clobMarketFacts({ c: String(btc['conditionId']), mts: '0.001', fd: { r: '0.07', e: 1, to: true }, ao: false }, ctx)],
    ]);
    const [m] = parseGammaEventsPage([{ id: 'e', title: 'E', markets: [btc] }], lookup);
    expect(m?.fee).toEqual({ kind: 'polymarket', rate: 70_000n, exponent: 1, takerOnly: true, source: 'clob' });
    expect(m?.priceRanges[0]?.step).toBe(1_000n);
    expect(m?.status).toBe('paused');
    // the fee model feeds the domain fee function: 100 shares at 0.50, rate 0.07 -> $1.75
    if (m?.fee.kind === 'polymarket') expect(polymarketFee(m.fee, 500_000n, 100_000_000n)).toEqual({ known: true, fee: 1_750_000n });
  });
});

describe('CLOB facts laid over a market read from Gamma alone (withClobFacts)', () => {
  const events = [
    ...polymarketFixture<Json[]>('gamma-events.json'),
    ...polymarketFixture<Json[]>('catalog-2026-05-polymarket-events.json'),
    ...marketsFixture().map((m, i) => ({ id: `wrap-${i}`, title: `Event ${i}`, markets: [m] })),
  ];
  const gammaOnly = parseGammaEventsPage(events);
  const maybe = <T>(v: T): fc.Arbitrary<T | null> => fc.option(fc.constant(v), { nil: null });
  const factsArb = fc.record({
    fee: fc.option(fc.record({ rate: fc.bigInt({ min: 0n, max: 100_000n }), exponent: fc.integer({ min: 0, max: 2 }), takerOnly: fc.boolean() }), { nil: null }),
    tickSize: fc.oneof(maybe(10_000n), maybe(1_000n)),
    minOrderSize: fc.option(fc.bigInt({ min: 0n, max: 10_000_000n }), { nil: null }),
    acceptingOrders: fc.option(fc.boolean(), { nil: null }),
    negRisk: fc.option(fc.boolean(), { nil: null }),
  });

  it('gives the market a parse with those facts gives, field for field, on every recorded market', () => {
    expect(gammaOnly.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: gammaOnly.length - 1 }), factsArb, (i, f) => {
        const base = gammaOnly[i] as (typeof gammaOnly)[number];
        const facts: ClobMarketFacts = { conditionId: base.id, ...f };
        const parsed = parseGammaEventsPage(events, new Map([[base.id, facts]])).find((m) => m.id === base.id);
        expect(withClobFacts(base, facts)).toEqual(parsed);
        expect(sameClobDetails(withClobFacts(base, facts), parsed as typeof base)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('no facts: the same object; sameClobDetails tells any detail apart', () => {
    const base = gammaOnly[0] as (typeof gammaOnly)[number];
    expect(withClobFacts(base, null)).toBe(base);
    const facts: ClobMarketFacts = { conditionId: base.id, fee: null, tickSize: null, minOrderSize: null, acceptingOrders: null, negRisk: null };
    expect(sameClobDetails(withClobFacts(base, facts), base)).toBe(true);
    for (const over of [
      { fee: { rate: 1n, exponent: 1, takerOnly: true } },
      { tickSize: base.priceRanges[0]?.step === 1_000n ? 10_000n : 1_000n },
      { minOrderSize: base.minOrderSize + 1n },
      { acceptingOrders: false },
      { negRisk: base.ref.venue === 'polymarket' ? !base.ref.negRisk : true },
    ]) {
      expect(sameClobDetails(withClobFacts(base, { ...facts, ...over }), base)).toBe(false);
    }
  });
});

describe('books', () => {
  const [, , ceasefire] = parseGammaMarketsPage(polymarketFixture('gamma-markets.json'));
  if (!ceasefire || ceasefire.ref.venue !== 'polymarket') throw new Error('fixture');
  const { yesTokenId, noTokenId } = ceasefire.ref;

  it('YES asks from the YES token, NO asks from the NO token, best first', () => {
    const yes = parseWith(clobBookSchema, recordedBookFor(yesTokenId, ceasefire.id), ctx);
    const noRaw = recordedBookFor(noTokenId, ceasefire.id);
    const no = parseWith(clobBookSchema, { ...noRaw, asks: [{ price: '.61', size: '10' }, { price: '0.6', size: '1.5' }], timestamp: '1728799418000' }, ctx);
    const books = booksForMarkets([no, yes], [ceasefire], 42);
    const book = books.get(ceasefire.id);
    expect(book?.yesAsks.map((l) => formatDecimal(l.price))).toEqual(['0.14', '0.2', '0.38', '0.46', '0.47', '0.5', '0.98']);
    expect(book?.yesAsks[2]?.size).toBe(192_300_000n);
    expect(book?.noAsks).toEqual([{ price: 600_000n, size: 1_500_000n }, { price: 610_000n, size: 10_000_000n }]);
    expect(book).toMatchObject({ venue: 'polymarket', marketId: ceasefire.id, receivedAt: 42, venueTime: 1728799418000 });
  });

  it('a market with one token book missing is absent', () => {
    const yes = parseWith(clobBookSchema, recordedBookFor(yesTokenId, ceasefire.id), ctx);
    expect(booksForMarkets([yes], [ceasefire], 1).size).toBe(0);
  });

  it('level order on the wire never matters (property)', () => {
    const level = fc.record({
      price: fc.integer({ min: 1, max: 999 }).map((n) => formatDecimal(BigInt(n) * 1_000n)),
      size: fc.integer({ min: 0, max: 10_000_000 }).map((n) => formatDecimal(BigInt(n) * 10_000n)),
    });
    fc.assert(
      fc.property(fc.array(level, { maxLength: 30 }), fc.array(level, { maxLength: 30 }), fc.integer(), (yesAsks, noAsks, seed) => {
        const shuffle = <T>(xs: T[]): T[] => {
          const out = [...xs];
          let s = seed;
          for (let i = out.length - 1; i > 0; i -= 1) {
            s = (s * 1103515245 + 12345) & 0x7fffffff;
            const j = s % (i + 1);
            [out[i], out[j]] = [out[j] as T, out[i] as T];
          }
          return out;
        };
        const mk = (token: string, asks: { price: string; size: string }[]): ClobBook =>
          parseWith(clobBookSchema, { market: ceasefire.id, asset_id: token, bids: [], asks }, ctx);
        const a = booksForMarkets([mk(yesTokenId, yesAsks), mk(noTokenId, noAsks)], [ceasefire], 0).get(ceasefire.id);
        const b = booksForMarkets([mk(noTokenId, shuffle(noAsks)), mk(yesTokenId, shuffle(yesAsks).reverse())], [ceasefire], 0).get(ceasefire.id);
        expect(b).toEqual(a);
        for (const side of [a?.yesAsks ?? [], a?.noAsks ?? []]) {
          for (let i = 1; i < side.length; i += 1) expect((side[i - 1]?.price ?? 0n) < (side[i]?.price ?? 0n)).toBe(true);
          for (const l of side) expect(l.size > 0n && l.price > 0n && l.price < ONE).toBe(true);
        }
        const total = (xs: { size: string }[]): bigint => xs.reduce((s, l) => s + parseDecimal(l.size), 0n);
        expect((a?.yesAsks ?? []).reduce((s, l) => s + l.size, 0n)).toBe(total(yesAsks));
      }),
      { numRuns: 200 },
    );
  });

  it('a bad level names the field', () => {
    const bad = (asks: unknown[]): MalformedVenueError =>
      catchMalformed(() => {
        const yes = parseWith(clobBooksSchema, [{ market: 'm', asset_id: yesTokenId, bids: [], asks }], ctx);
        const no = parseWith(clobBookSchema, { market: 'm', asset_id: noTokenId, bids: [], asks: [] }, ctx);
        booksForMarkets([...yes, no], [ceasefire], 0);
      });
    expect(bad([{ price: '1.5', size: '1' }]).field).toBe('[0].asks[0].price');
    expect(bad([{ price: '0.5', size: '1' }, { price: '0', size: '1' }]).field).toBe('[0].asks[1].price');
    expect(bad([{ price: '0.5', size: '-1' }]).field).toBe('[0].asks[0].size');
    expect(bad([{ price: 'abc', size: '1' }]).field).toBe('[0].asks[0].price');
    expect(bad([{ price: '0.1234567', size: '1' }]).field).toBe('[0].asks[0].price');
  });
});
