import { describe, expect, it } from 'vitest';
import { syntheticCatalog, withCloseTimes } from '../../source/bench/matching.js';
import { asReceived } from '../../source/bench/wire-catalog.js';
import { MATCHED_FIELDS, Matcher } from '../../source/matching/matcher.js';

const FIELDS = ['venue', 'id', ...MATCHED_FIELDS] as const;

function matched(markets: ReturnType<typeof syntheticCatalog>): string[] {
  const m = new Matcher();
  m.upsert([...markets.polymarket, ...markets.kalshi]);
  return m
    .candidates()
    .map((c) => JSON.stringify(c))
    .sort();
}

describe('the bench catalog as the app receives it (venue responses through the parsers)', () => {
  const made = syntheticCatalog(1_000, 2_000);

  it('reads back every market, in order, equal on the fields the matcher reads', () => {
    for (const catalog of [made, withCloseTimes(made)]) {
      const got = asReceived(catalog);
      expect(got.truth).toBe(catalog.truth);
      for (const venue of ['kalshi', 'polymarket'] as const) {
        expect(got[venue].map((m) => m.id)).toEqual(catalog[venue].map((m) => m.id));
        got[venue].forEach((m, i) => {
          const want = catalog[venue][i];
          for (const f of FIELDS) expect(m[f], `${m.id} ${f}`).toEqual(want?.[f]);
        });
      }
    }
  });

  it('reads the markets with the venues\' parsers, from what was written', () => {
    const got = asReceived(made);
    // the token ids are the ones written in the Gamma answer (the generator names them after the market)
    const tokens = got.polymarket.flatMap((m) => (m.ref.venue === 'polymarket' ? [m.ref.yesTokenId, m.ref.noTokenId] : []));
    expect(tokens).toHaveLength(2 * made.polymarket.length);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const t of tokens) expect(t).toMatch(/^1\d{20}$/);
    // the saved-sample readers' defaults: fee unknown, sizes Kalshi's documented granularity
    expect(got.kalshi[0]?.fee).toEqual({ kind: 'unknown', reason: 'saved sample: no series fee data' });
    expect(made.kalshi[0]?.fee).not.toEqual(got.kalshi[0]?.fee);
  });

  it('matches to the same candidates as the generator\'s own markets', () => {
    expect(matched(asReceived(made))).toEqual(matched(made));
  });

  it('refuses a catalog the venues\' responses cannot carry as is', () => {
    const odd = { ...made, kalshi: made.kalshi.map((m, i) => (i === 3 ? { ...m, subtitle: '  ' } : m)) };
    expect(() => asReceived(odd)).toThrow(/Kalshi market .*: subtitle written "  ", read back null/);
    const closed = { ...made, polymarket: made.polymarket.map((m, i) => (i === 5 ? { ...m, closeTime: 1_700_000_000_123.5 } : m)) };
    expect(() => asReceived(closed)).toThrow(/Polymarket market .*: closeTime written 1700000000123\.5, read back 1700000000123/);
  });
});
