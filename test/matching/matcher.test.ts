/**
 * Matcher behaviour: incremental upserts give the same proposals as a full
 * build, changed markets are re-read, removed ones forgotten; candidates are
 * serialisable with stable keys and fingerprints that move with title, rules,
 * close time and status.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSavedKalshi } from '../../source/venues/kalshi/saved.js';
import { parseSavedPolymarket } from '../../source/venues/polymarket/saved.js';
import { MATCHED_FIELDS, Matcher, matchMarkets } from '../../source/matching/matcher.js';
import type { Market } from '../../source/domain/market.js';
import { marketFingerprint, pairKey } from '../../source/matching/candidate.js';
import { kalshiMarket, polyMarket } from './market-factory.js';

const dir = fileURLToPath(new URL('../fixtures/matching/catalog-2026-05/', import.meta.url));
const kalshi = parseSavedKalshi(JSON.parse(readFileSync(`${dir}kalshi-events.json`, 'utf8')));
const polymarket = parseSavedPolymarket(JSON.parse(readFileSync(`${dir}polymarket-events.json`, 'utf8')));
const keysOf = (m: Matcher): string[] => m.proposals().map((c) => `${c.key}:${c.relation}:${c.polymarketOutcome ?? ''}`).sort();

describe('incremental matching', () => {
  const full = matchMarkets(kalshi, polymarket).matcher;

  it('adding the catalog in chunks, in any order, proposes what a full build proposes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.boolean(), (chunks, polyFirst) => {
        const m = new Matcher();
        const all = polyFirst ? [...polymarket, ...kalshi] : [...kalshi, ...polymarket];
        const size = Math.ceil(all.length / chunks);
        for (let i = 0; i < all.length; i += size) m.upsert(all.slice(i, i + size));
        expect(keysOf(m)).toEqual(keysOf(full));
      }),
      { numRuns: 6 },
    );
  });

  it('re-reads a market exactly when a field it reads (MATCHED_FIELDS) changes', () => {
    const base = kalshiMarket({ ticker: 'KXT-26-A', event: 'KXT-26', eventTitle: 'T winner', title: 'Will A win?', subtitle: 'A', rules: 'r', closeTime: '2026-05-14T03:00:00Z' });
    // another value for every field of a market, other than its venue and id
    const other: { [K in keyof Market]?: Market[K] } = {
      ref: { venue: 'kalshi', ticker: 'KXT-26-A', eventTicker: 'KXT-26', seriesTicker: 'KXT', exchangeIndex: 2 },
      eventId: 'KXT-27', eventTitle: 'T winner 2', title: 'Will A win it?', subtitle: 'A2', yesLabel: 'Y', noLabel: 'N',
      closeTime: (base.closeTime ?? 0) + 1_000, rules: 'r2', status: 'paused', priceRanges: [], minOrderSize: 1n, sizeIncrement: 1n,
      fee: { kind: 'unknown', reason: 'other' },
    };
    const keys = Object.keys(base).filter((k) => k !== 'venue' && k !== 'id') as Array<keyof Market>;
    expect(keys.sort()).toEqual((Object.keys(other) as Array<keyof Market>).sort());
    for (const key of keys) {
      const m = new Matcher();
      m.upsert([base]);
      const r = m.upsert([{ ...base, [key]: other[key] }]);
      expect(r.changed, key).toBe((MATCHED_FIELDS as readonly string[]).includes(key) ? 1 : 0);
    }
  });

  it('re-sending unchanged markets evaluates nothing', () => {
    const m = matchMarkets(kalshi, polymarket).matcher;
    const r = m.upsert([...kalshi.slice(0, 50), ...polymarket.slice(0, 50)]);
    expect(r).toEqual({ added: 0, changed: 0, unchanged: 100, evaluated: 0 });
  });

  it('a changed title is re-read: the pair goes, and comes back when the title does', () => {
    const m = matchMarkets(kalshi, polymarket).matcher;
    const p = polymarket.find((x) => x.title === 'Will the Republican Party win the IL-14 House seat?');
    expect(p).toBeDefined();
    if (!p) return;
    const key = pairKey('KXHOUSERACE-IL14-26-R', p.id);
    expect(m.proposals().some((c) => c.key === key)).toBe(true);
    const r = m.upsert([{ ...p, title: 'Will the Republican Party win the IL-15 House seat?' }]);
    expect(r.changed).toBe(1);
    expect(m.proposals().some((c) => c.key === key)).toBe(false);
    expect(m.explain('KXHOUSERACE-IL14-26-R', p.id)?.vetoes.join(' ')).toMatch(/district differs/);
    m.upsert([p]);
    expect(m.proposals().some((c) => c.key === key)).toBe(true);
  });

  it('a new sibling in an event is matched without rebuilding, and a removed market is forgotten', () => {
    const m = new Matcher();
    m.upsert([
      kalshiMarket({ ticker: 'KXG-26MAY24ARSCHE-ARS', event: 'KXG-26MAY24ARSCHE', eventTitle: 'Arsenal vs Chelsea', title: 'Arsenal vs Chelsea Winner?' }),
      kalshiMarket({ ticker: 'KXG-26MAY24ARSCHE-CHE', event: 'KXG-26MAY24ARSCHE', eventTitle: 'Arsenal vs Chelsea', title: 'Arsenal vs Chelsea Winner?' }),
      polyMarket({ id: '0xars', event: 'g', eventTitle: 'Arsenal FC vs. Chelsea FC', question: 'Will Arsenal FC win on 2026-05-24?' }),
    ]);
    expect(m.proposals().map((c) => c.key)).toEqual(['KXG-26MAY24ARSCHE-ARS|0xars']);
    const r = m.upsert([
      kalshiMarket({ ticker: 'KXG-26MAY24ARSCHE-TIE', event: 'KXG-26MAY24ARSCHE', eventTitle: 'Arsenal vs Chelsea', title: 'Arsenal vs Chelsea Winner?' }),
      polyMarket({ id: '0xdraw', event: 'g', eventTitle: 'Arsenal FC vs. Chelsea FC', question: 'Will Arsenal FC vs. Chelsea FC end in a draw?' }),
    ]);
    expect(r.added).toBe(2);
    expect(m.proposals().map((c) => c.key).sort()).toEqual(['KXG-26MAY24ARSCHE-ARS|0xars', 'KXG-26MAY24ARSCHE-TIE|0xdraw']);
    expect(m.remove('polymarket', '0xdraw')).toBe(true);
    expect(m.proposals().map((c) => c.key)).toEqual(['KXG-26MAY24ARSCHE-ARS|0xars']);
    expect(m.candidatesFor('kalshi', 'KXG-26MAY24ARSCHE-TIE')).toEqual([]);
  });
});

describe('candidates', () => {
  const { proposals } = matchMarkets(kalshi, polymarket);

  it('are plain JSON (a registry can store them as they are)', () => {
    expect(proposals.length).toBeGreaterThan(0);
    for (const c of proposals) {
      expect(JSON.parse(JSON.stringify(c))).toEqual(c);
      expect(c.key).toBe(pairKey(c.kalshiTicker, c.polymarketConditionId));
      expect(c.reasons.length).toBeGreaterThan(0);
      expect(c.vetoes).toEqual([]);
      expect(c.confidence).toBeGreaterThan(0);
      expect(c.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('are one-to-one: a Kalshi market and a Polymarket token appear once', () => {
    const k = proposals.map((c) => c.kalshiTicker);
    const p = proposals.map((c) => `${c.polymarketConditionId}:${c.polymarketSide ?? ''}`);
    expect(new Set(k).size).toBe(k.length);
    expect(new Set(p).size).toBe(p.length);
  });

  it('fingerprints move with title, rules, close time and status, and only with them', () => {
    const base = kalshi[0];
    expect(base).toBeDefined();
    if (!base) return;
    const fp = marketFingerprint(base);
    expect(marketFingerprint({ ...base })).toBe(fp);
    expect(marketFingerprint({ ...base, title: `${base.title} ` })).not.toBe(fp);
    expect(marketFingerprint({ ...base, rules: 'Resolves per the AP.' })).not.toBe(fp);
    expect(marketFingerprint({ ...base, closeTime: 1_800_000_000_000 })).not.toBe(fp);
    expect(marketFingerprint({ ...base, status: 'closed' })).not.toBe(fp);
    expect(marketFingerprint({ ...base, priceRanges: [], minOrderSize: 5n })).toBe(fp);
  });
});
