/**
 * Blocking and the fast paths of extraction: siblings cannot crowd the twin
 * out of the top K, the pre-tests in front of regexes never hide a match, and
 * the regex-free word removal does what the regex did.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { syntheticCatalog } from '../../source/bench/matching.js';
import { Matcher } from '../../source/matching/matcher.js';
import { quickReject, vetoKind } from '../../source/matching/compare.js';
import { Vocabulary } from '../../source/matching/inverted-index.js';
import type { Market } from '../../source/domain/market.js';
import { fingerprintOfMarket, fingerprintOfText, fingerprintText, marketFingerprint } from '../../source/matching/candidate.js';
import { needlesOf, scanDates, tagRuleRegexes } from '../../source/matching/extract.js';
import { finalizeEvent, removeWord } from '../../source/matching/market-doc.js';
import { applyAliases, fold, prepare } from '../../source/matching/normalize.js';
import { parseSavedKalshi } from '../../source/venues/kalshi/saved.js';
import { parseSavedPolymarket } from '../../source/venues/polymarket/saved.js';
import { kalshiMarket, polyMarket } from './market-factory.js';

const dir = fileURLToPath(new URL('../fixtures/matching/catalog-2026-05/', import.meta.url));
const kalshi = parseSavedKalshi(JSON.parse(readFileSync(`${dir}kalshi-events.json`, 'utf8')));
const polymarket = parseSavedPolymarket(JSON.parse(readFileSync(`${dir}polymarket-events.json`, 'utf8')));

describe('blocking', () => {
  it('finds the twin when more than K look-alike siblings score higher on text', () => {
    // the game's winner markets carry the game date, as the Kalshi first-half market does,
    // so they outscore the half-time market on text; the cheap vetoes must drop them first
    const game = 'Loyor FC vs. Temfigumar FC';
    const poly = [
      polyMarket({ id: '0xwin', event: 'game', eventTitle: game, question: 'Will Loyor FC win on 2026-07-21?' }),
      polyMarket({ id: '0xwin2', event: 'game', eventTitle: game, question: 'Will Temfigumar FC win on 2026-07-21?' }),
      polyMarket({ id: '0xdraw', event: 'game', eventTitle: game, question: `Will ${game} end in a draw on 2026-07-21?` }),
      polyMarket({ id: '0xht', event: 'ht', eventTitle: `${game} - Halftime Result`, question: 'Loyor FC leading at halftime?' }),
      polyMarket({ id: '0xht2', event: 'ht', eventTitle: `${game} - Halftime Result`, question: 'Temfigumar FC leading at halftime?' }),
    ];
    const k = ['LOY', 'TEM'].map((code) =>
      kalshiMarket({
        ticker: `KXL1H-26JUL21LOYTEM-${code}`,
        event: 'KXL1H-26JUL21LOYTEM',
        eventTitle: 'Loyor vs Temfigumar: First Half Winner',
        title: `Will ${code === 'LOY' ? 'Loyor' : 'Temfigumar'} win the 1st Half?`,
      }),
    );
    const m = new Matcher({ candidatesPerQuery: 3 });
    m.upsert([...poly, ...k]);
    expect(m.proposals().map((c) => `${c.key} ${c.relation}`).sort()).toEqual([
      'KXL1H-26JUL21LOYTEM-LOY|0xht same',
      'KXL1H-26JUL21LOYTEM-TEM|0xht2 same',
    ]);
  });

  it('proposes every pair a synthetic catalog was built with, and nothing else (full build, then an add)', () => {
    const catalog = syntheticCatalog(1000, 2000);
    const m = new Matcher();
    m.upsert([...catalog.polymarket, ...catalog.kalshi]);
    const keys = m.proposals().map((c) => c.key).sort();
    expect(keys).toEqual([...catalog.truth].sort());
    const extra = syntheticCatalog(100, 100, 99, 1_000_000);
    const r = m.upsert([...extra.kalshi, ...extra.polymarket]);
    expect(r.added).toBe(200);
    const proposed = new Set(m.proposals().map((c) => c.key));
    for (const key of extra.truth) expect(proposed.has(key), key).toBe(true);
    expect(proposed.size).toBe(catalog.truth.size + extra.truth.size);
  });
});

describe('fast paths', () => {
  const texts = [...kalshi, ...polymarket].flatMap((m) => [m.title, m.eventTitle, m.subtitle ?? '']);
  const aliased = texts.map((t) => applyAliases(scanDates(prepare(fold(t))).rest));

  it('every tag rule starts with a literal the pre-test looks for, at a word start', () => {
    const probes = [
      ...aliased,
      'will the spread be wins by 3',
      "drivers champion",
      'top 4 finish first in group b',
      'qualifies for the semi_final',
      'championship series first round',
    ];
    for (const re of tagRuleRegexes()) {
      const needles = needlesOf(re);
      expect(needles, re.source).not.toBeNull();
      for (const text of probes) {
        if (!re.test(text)) continue;
        const atWordStart = (needles ?? []).some((n) => new RegExp(`(?<![A-Za-z0-9_])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(text));
        expect(atWordStart, `${re.source} on "${text}"`).toBe(true);
      }
    }
  });

  it('removeWord equals the whole-word regex replace (property)', () => {
    const reference = (text: string, name: string): string =>
      text.replace(new RegExp(`(?<![a-z0-9])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z0-9])`, 'g'), ' ');
    const piece = fc.constantFrom('ab', 'a', 'b', ' ', '1', '-', '.', 'ab.', 'ba');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(piece, { minLength: 1, maxLength: 3 }), (t, n) => {
        const text = t.join('');
        const name = n.join('');
        expect(removeWord(text, name)).toBe(reference(text, name));
      }),
      { numRuns: 500 },
    );
  });

  it('fingerprints keep their values (a registry stores them) and hash the JSON of the watched fields', () => {
    const base = kalshiMarket({ ticker: 'KXT-1', event: 'KXT', eventTitle: 'Event \u201ctitle\u201d \\ back', title: 'Will it\n"rain"?' });
    const edited = { ...base, subtitle: '\u00dcn\u00efcode \u2019quote\u2019 \u2028', rules: 'Resolves per the AP.\t<tab>', closeTime: 1_800_000_000_123, status: 'closed' as const };
    const fractional = { ...base, closeTime: 0.5 };
    // values computed by the first implementation (JSON.stringify of the fields, two cyrb53 passes)
    expect([base, edited, fractional].map(marketFingerprint)).toEqual([
      '0b69787a52587502325c3e662fe3',
      '115ae363bc09440240ec143c8abc',
      '17a9546185322806808492ff7df1',
    ]);
    for (const m of [base, edited, fractional, ...kalshi.slice(0, 50), ...polymarket.slice(0, 50)]) {
      const { title, subtitle, eventTitle, rules, closeTime, status } = m;
      expect(fingerprintText(m)).toBe(JSON.stringify({ title, subtitle, eventTitle, rules, closeTime, status }));
      expect(fingerprintOfMarket(m)).toBe(fingerprintOfText(fingerprintText(m)));
    }
    // texts JSON escapes (lone surrogates, control characters) and texts it writes as is (a surrogate pair)
    for (const title of ['\ud83d\ude00 pair', 'lone \ud800 high', 'lone \udc00 low', 'nul \u0000 del \u007f', '']) {
      const m = { ...base, title, subtitle: title === '' ? null : `${title}!` };
      expect(fingerprintOfMarket(m)).toBe(fingerprintOfText(fingerprintText(m)));
    }
  });

  it('markets of another veto kind are always rejected by the cheap veto (blocking skips them unasked)', () => {
    // every Kalshi × Polymarket pair of the real catalog: a different kind must mean quickReject
    const vocab = new Vocabulary();
    const docs = (ms: readonly Market[]) => {
      const byEvent = new Map<string, Market[]>();
      for (const m of ms) byEvent.set(m.eventId, [...(byEvent.get(m.eventId) ?? []), m]);
      return [...byEvent.values()].flatMap((event) => finalizeEvent(event, vocab));
    };
    const k = docs(kalshi);
    const p = docs(polymarket);
    let differentKinds = 0;
    for (const kd of k) {
      for (const pd of p) {
        if (vetoKind(kd) === vetoKind(pd)) continue;
        differentKinds += 1;
        expect(quickReject(kd, pd)).toBe(true);
      }
    }
    expect(differentKinds).toBeGreaterThan(10_000);
    // the lists behind a kind are sorted with each value once (equal sets = equal texts)
    for (const d of [...k, ...p]) {
      for (const list of [d.tags, d.districts, d.groups]) expect([...new Set(list)].sort()).toEqual(list);
    }
  });
});

