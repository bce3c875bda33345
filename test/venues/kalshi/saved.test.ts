import { describe, expect, it } from 'vitest';
import { MalformedVenueError } from '../../../source/venues/errors.js';
import { parseSavedKalshi, SAVED_KALSHI_FEE } from '../../../source/venues/kalshi/saved.js';
import { fixtureJson } from './fixtures.js';

interface CatalogEvent {
  event_ticker: string;
  title: string;
  markets: { ticker: string; event_ticker: string; title: string }[];
}

function errorOf(fn: () => unknown): MalformedVenueError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MalformedVenueError) return e;
    throw e;
  }
  throw new Error('expected a MalformedVenueError');
}

describe('parseSavedKalshi', () => {
  it('parses the May 2026 catalog verbatim with the documented defaults', () => {
    const body = fixtureJson('catalog-2026-05/kalshi-events.json') as { events: CatalogEvent[] };
    const markets = parseSavedKalshi(body);
    const expected = body.events.flatMap((e) => e.markets.map((m) => ({ ...m, eventTitle: e.title })));
    expect(markets).toHaveLength(expected.length);
    expect(markets).toHaveLength(384);
    markets.forEach((m, i) => {
      const w = expected[i];
      expect(m.id).toBe(w?.ticker);
      expect(m.eventId).toBe(w?.event_ticker);
      expect(m.title).toBe(w?.title);
      expect(m.eventTitle).toBe(w?.eventTitle);
      expect(m.ref).toEqual({ venue: 'kalshi', ticker: w?.ticker, eventTicker: w?.event_ticker, seriesTicker: null, exchangeIndex: null });
      expect(m).toMatchObject({
        venue: 'kalshi',
        status: 'open',
        closeTime: null,
        rules: null,
        subtitle: null,
        priceRanges: [],
        minOrderSize: 10_000n,
        sizeIncrement: 10_000n,
        fee: SAVED_KALSHI_FEE,
      });
    });
  });

  it('parses recorded GET /markets bodies (live shape) and the nested-event body', () => {
    const page = parseSavedKalshi(fixtureJson('demo-recorded/markets-page.json'));
    expect(page.map((m) => m.id)).toEqual([
      'KXMLBHIT-26JUN111310AZMIA-AZKMARTE4-4',
      'KXMLBHIT-26JUN111310AZMIA-AZKMARTE4-3',
      'KXMLBHIT-26JUN111310AZMIA-AZKMARTE4-2',
      'KXMLBHIT-26JUN111310AZMIA-AZKMARTE4-1',
      'KXMLBHIT-26JUN111310AZMIA-AZGPERDOMO2-3',
    ]);
    const first = page[0];
    expect(first?.status).toBe('unopened'); // "initialized"
    expect(first?.closeTime).toBe(Date.parse('2026-06-14T17:10:00Z'));
    expect(first?.subtitle).toBe('Ketel Marte: 4+');
    expect(first?.eventTitle).toBe('KXMLBHIT-26JUN111310AZMIA'); // a /markets body has no event title
    expect(first?.priceRanges).toEqual([{ start: 10_000n, end: 990_000n, step: 10_000n }]);
    expect(first?.rules).toContain('Player Participation & Settlement Criteria');
    expect(parseSavedKalshi(fixtureJson('demo-recorded/markets-page-2.json'))).toHaveLength(5);
    const last = parseSavedKalshi(fixtureJson('demo-recorded/markets-last-page.json'));
    expect(last.map((m) => [m.id, m.status])).toEqual([['KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP', 'open']]);

    const prod = fixtureJson('prod-recorded/event-with-markets.json') as { event: unknown };
    const fromEvents = parseSavedKalshi({ events: [prod.event], cursor: '' });
    expect(fromEvents).toHaveLength(1);
    expect(fromEvents[0]).toMatchObject({
      id: 'KXELONMARS-99',
      eventTitle: 'Will Elon Musk visit Mars in his lifetime?',
      title: 'Will Elon Musk visit Mars before Aug 1, 2099?',
      status: 'open',
      fee: SAVED_KALSHI_FEE,
    });
    expect(fromEvents[0]?.ref).toMatchObject({ seriesTicker: 'KXELONMARS', exchangeIndex: 0 });
  });

  it('accepts a flat array of saved markets with event_title and nulls', () => {
    const markets = parseSavedKalshi([
      { ticker: 'FEDHIKE-26DEC31', event_ticker: 'FEDHIKE', title: 'Hike?', subtitle: null, yes_sub_title: null, close_time: null, rules_primary: null, event_title: 'Next Fed rate hike?', source: 'x' },
    ]);
    expect(markets[0]).toMatchObject({ id: 'FEDHIKE-26DEC31', eventTitle: 'Next Fed rate hike?', closeTime: null, rules: null, status: 'open' });
  });

  it('excludes combos by ticker, event and mve fields', () => {
    const markets = parseSavedKalshi({
      events: [
        { event_ticker: 'KXMVESPORTS-1', title: 'combo event', markets: [{ ticker: 'KXMVESPORTS-1-A', event_ticker: 'KXMVESPORTS-1', title: 'a' }] },
        {
          event_ticker: 'E',
          title: 'E?',
          markets: [
            { ticker: 'E-1', event_ticker: 'E', title: 'one' },
            { ticker: 'KXMVECROSS-X', event_ticker: 'E', title: 'combo by ticker' },
            { ticker: 'E-3', event_ticker: 'E', title: 'combo by collection', mve_collection_ticker: 'KXMVECOLL' },
          ],
        },
      ],
    });
    expect(markets.map((m) => m.id)).toEqual(['E-1']);
  });

  it('uses the fields a sample does carry, and whole contracts when fractional trading is off', () => {
    const [m] = parseSavedKalshi({
      markets: [
        {
          ticker: 'T-1',
          event_ticker: 'T',
          status: 'finalized',
          close_time: '2026-06-01T00:00:00Z',
          rules_primary: 'p',
          rules_secondary: 's',
          price_ranges: [{ start: '0.0000', end: '0.1000', step: '0.0010' }, { start: '0.1000', end: '1.0000', step: '0.0100' }],
          fractional_trading_enabled: false,
        },
      ],
    });
    expect(m).toMatchObject({ status: 'settled', closeTime: Date.parse('2026-06-01T00:00:00Z'), rules: 'p\n\ns', minOrderSize: 1_000_000n, sizeIncrement: 1_000_000n });
    expect(m?.priceRanges).toEqual([
      { start: 1_000n, end: 100_000n, step: 1_000n },
      { start: 100_000n, end: 990_000n, step: 10_000n },
    ]);
  });

  it('rejects a present but malformed field, naming it', () => {
    const base = (extra: Record<string, unknown>): unknown => ({ events: [{ event_ticker: 'E', title: 'E?', markets: [{ ticker: 'E-1', event_ticker: 'E', title: 't', ...extra }] }] });
    expect(errorOf(() => parseSavedKalshi(base({ close_time: 'tomorrow' }))).field).toBe('events[0].markets[0].close_time');
    expect(errorOf(() => parseSavedKalshi(base({ status: 'open-ish' }))).field).toBe('events[0].markets[0].status');
    expect(errorOf(() => parseSavedKalshi(base({ price_ranges: [{ start: '0', end: '1', step: 0.01 }] }))).field).toBe(
      'events[0].markets[0].price_ranges[0].step',
    );
    expect(errorOf(() => parseSavedKalshi(base({ price_ranges: [{ start: '0', end: '1', step: '0.0000001' }] }))).field).toBe(
      'events[0].markets[0].price_ranges[0].step',
    );
    expect(errorOf(() => parseSavedKalshi(base({ title: 42 }))).field).toBe('events[0].markets[0].title');
    expect(errorOf(() => parseSavedKalshi({ events: [{ title: 'no ticker', markets: [] }] })).field).toBe('events[0].event_ticker');
    expect(errorOf(() => parseSavedKalshi({ foo: 1 })).field).toBe('');
    expect(errorOf(() => parseSavedKalshi(base({ event_ticker: 'OTHER' }))).field).toBe('events[0].markets[0].event_ticker');
  });
});
