import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MalformedVenueError } from '../../../source/venues/errors.js';
import { isBookable, isYesNoQuestion } from '../../../source/venues/polymarket/parser.js';
import { parseSavedPolymarket, SAVED_NO_FEE_REASON } from '../../../source/venues/polymarket/saved.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/polymarket/${name}`, import.meta.url), 'utf8'));

interface CatalogEvent {
  id: string;
  title: string;
  markets: { conditionId: string; question: string }[];
}

function expectMalformed(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedVenueError);
    expect((error as MalformedVenueError).field).toBe(field);
    return;
  }
  throw new Error('expected a MalformedVenueError');
}

describe('parseSavedPolymarket: May 2026 catalog (verbatim copy)', () => {
  const raw = fixture('catalog-2026-05-polymarket-events.json') as CatalogEvent[];
  const markets = parseSavedPolymarket(raw);

  it('returns every nested market, in order, with ids, questions and events', () => {
    const expected = raw.flatMap((e) => e.markets.map((m) => ({ e, m })));
    expect(markets).toHaveLength(expected.length);
    expected.forEach(({ e, m }, i) => {
      const got = markets[i];
      expect(got?.id).toBe(m.conditionId);
      expect(got?.title).toBe(m.question);
      expect(got?.eventId).toBe(e.id);
      expect(got?.eventTitle).toBe(e.title);
      expect(got?.ref).toMatchObject({ venue: 'polymarket', conditionId: m.conditionId, eventId: e.id, gammaId: null, slug: null });
    });
  });

  it('absent fields become null, token ids "", fee unknown', () => {
    for (const m of markets) {
      expect(m.closeTime).toBeNull();
      expect(m.rules).toBeNull();
      expect(m.subtitle).toBeNull();
      expect(m.fee).toEqual({ kind: 'unknown', reason: SAVED_NO_FEE_REASON });
      expect(m.priceRanges).toEqual([]);
      expect(isBookable(m)).toBe(false);
      expect(m.ref.venue === 'polymarket' && m.ref.yesTokenId).toBe('');
      expect(m.status).toBe('open');
    }
  });

  it('labels Yes/No only for yes/no questions', () => {
    const byTitle = new Map(markets.map((m) => [m.title, m]));
    expect(byTitle.get('Will Trump be impeached by end of 2026?')).toMatchObject({ yesLabel: 'Yes', noLabel: 'No' });
    expect(byTitle.get('Como 1907 leading at halftime?')).toMatchObject({ yesLabel: 'Yes', noLabel: 'No' });
    expect(byTitle.get('Hellas Verona FC vs. Como 1907: Draw at halftime?')).toMatchObject({ yesLabel: 'Yes' });
    expect(byTitle.get('Spread: Girona FC (-1.5)')).toMatchObject({ yesLabel: '', noLabel: '' });
    expect(byTitle.get('Golden Knights vs. Ducks: O/U 4.5')).toMatchObject({ yesLabel: '', noLabel: '' });
    expect(byTitle.get('Bitcoin Up or Down - May 10, 5:15PM-5:30PM ET')).toMatchObject({ yesLabel: '' });
    const yesNo = markets.filter((m) => m.yesLabel === 'Yes').length;
    expect(yesNo).toBeGreaterThan(300);
    expect(yesNo).toBeLessThan(markets.length);
  });
});

describe('isYesNoQuestion', () => {
  it.each([
    ['Will 1 Fed rate cut happen in 2026?', true],
    ['Will another candidate win the 2026 New York Democratic Gubernatorial Primary', true],
    ['Katy Perry and Justin Trudeau engaged by end of 2026?', true],
    ['Is Bitcoin above $100k on June 1?', true],
    ['How many Fed rate cuts in 2026?', false],
    ['NHL Playoffs: Who Will Win Series? - Ducks vs. Golden Knights ', false],
    ['Golden Knights vs. Ducks', false],
    ['Lakers or Celtics?', false],
    ['Seattle Sounders FC vs. San Jose Earthquakes: O/U 1.5', false],
  ])('%s -> %s', (q, expected) => {
    expect(isYesNoQuestion(q)).toBe(expected);
  });
});

describe('parseSavedPolymarket: other shapes', () => {
  it('parses the recorded Gamma /events fixture with its real fields', () => {
    const markets = parseSavedPolymarket(fixture('gamma-events.json'));
    expect(markets).toHaveLength(2);
    const first = markets[0];
    expect(first?.subtitle).toBe('Stephen A. Smith');
    expect(first?.eventId).toBe('30829');
    expect(first?.ref).toMatchObject({ negRisk: true, gammaId: '559657', protocolVersion: 'v1' });
    expect(first?.fee).toEqual({ kind: 'polymarket', rate: 0n, exponent: 1, takerOnly: true, source: 'disabled' });
    expect(first && isBookable(first)).toBe(true);
  });

  it('parses a /markets body; a market without event stands alone', () => {
    const markets = parseSavedPolymarket(fixture('gamma-markets.json'));
    expect(markets.map((m) => m.yesLabel)).toEqual(['Up', 'FaZe', 'Yes']);
    const minimal = parseSavedPolymarket([{ conditionId: '0xab', question: 'Will it rain?' }]);
    expect(minimal[0]).toMatchObject({ id: '0xab', eventId: '0xab', eventTitle: 'Will it rain?', yesLabel: 'Yes', noLabel: 'No' });
    expect(minimal[0]?.ref).toMatchObject({ eventId: null });
  });

  it('an empty array is no markets', () => {
    expect(parseSavedPolymarket([])).toEqual([]);
  });

  it('a present but malformed field is an error naming it', () => {
    const base = { id: '1', title: 'T', markets: [{ conditionId: '0xab', question: 'Will it?' }] };
    const withMarket = (extra: Record<string, unknown>): unknown => [{ ...base, markets: [{ ...base.markets[0], ...extra }] }];
    expectMalformed(() => parseSavedPolymarket(withMarket({ outcomes: 'not json' })), '[0].markets[0].outcomes');
    expectMalformed(() => parseSavedPolymarket(withMarket({ outcomes: '["A","B","C"]' })), '[0].markets[0].outcomes');
    expectMalformed(() => parseSavedPolymarket(withMarket({ clobTokenIds: '["1"]' })), '[0].markets[0].clobTokenIds');
    expectMalformed(() => parseSavedPolymarket(withMarket({ endDate: 'yesterday' })), '[0].markets[0].endDate');
    expectMalformed(() => parseSavedPolymarket(withMarket({ conditionId: 42 })), '[0].markets[0].conditionId');
    expectMalformed(() => parseSavedPolymarket(withMarket({ question: null })), '[0].markets[0].question');
    expectMalformed(() => parseSavedPolymarket(withMarket({ orderPriceMinTickSize: 0.3 })), '[0].markets[0].orderPriceMinTickSize');
    expectMalformed(() => parseSavedPolymarket([{ ...base, title: 7 }]), '[0].title');
    expectMalformed(() => parseSavedPolymarket({ events: [] }), '');
    expectMalformed(() => parseSavedPolymarket([base, { conditionId: '0xab', question: 'Q?' }]), '[1]');
  });
});
