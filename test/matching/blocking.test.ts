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
import { closeFactsOf, closeTimeChecks, quickReject, vetoKind } from '../../source/matching/compare.js';
import { closeVeto, type CloseFacts } from '../../source/matching/close-times.js';
import { ANY_YEAR, VenueIndex, Vocabulary } from '../../source/matching/inverted-index.js';
import type { MarketDoc } from '../../source/matching/market-doc.js';
import type { Market } from '../../source/domain/market.js';
import { fingerprintOfMarket, fingerprintOfText, fingerprintText, marketFingerprint } from '../../source/matching/candidate.js';
import { needlesOf, scanDates, tagRuleRegexes } from '../../source/matching/extract.js';
import { finalizeEvent, outcomeCount, removeWord, siblingNames } from '../../source/matching/market-doc.js';
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

describe('blocking passes over only what the cheap veto rejects', () => {
  /** The real catalog read with close times varied (none, days apart, months apart): every close-time rule is met. */
  function readVaried(seed: number): { k: MarketDoc[]; p: MarketDoc[]; vocab: Vocabulary } {
    const closes = [null, '2026-05-14T03:00:00Z', '2026-05-16T00:00:00Z', '2026-06-30T23:59:00Z', '2026-12-31T00:00:00Z', '2027-01-01T00:00:00Z'];
    let x = seed;
    const pick = (): number | null => {
      x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
      const c = closes[x % closes.length] ?? null;
      return c === null ? null : Date.parse(c);
    };
    const vocab = new Vocabulary();
    const read = (ms: readonly Market[]): MarketDoc[] => {
      const byEvent = new Map<string, Market[]>();
      for (const m of ms) byEvent.set(m.eventId, [...(byEvent.get(m.eventId) ?? []), { ...m, closeTime: pick() }]);
      return [...byEvent.values()].flatMap((event) => finalizeEvent(event, vocab));
    };
    const k = read(kalshi);
    const p = read(polymarket);
    for (const d of [...k, ...p]) vocab.addDoc(d.ctx);
    return { k, p, vocab };
  }

  // the cheap veto's rules the index reads itself: a Polymarket market names every outcome word of a
  // Kalshi one; a Kalshi market mentions one of a Polymarket one's; the close-time veto
  const namesAll = (kd: MarketDoc, pd: MarketDoc): boolean => kd.outcome.every((t) => pd.own.includes(t));
  const mentionsOne = (kd: MarketDoc, pd: MarketDoc): boolean => pd.outcome.length === 0 || pd.outcome.some((t) => kd.ctx.includes(t));
  const datesAgree = (kd: MarketDoc, pd: MarketDoc): boolean => !closeVeto(closeFactsOf(kd), closeFactsOf(pd));

  it('a query with the outcome and close-time filters finds exactly the candidates one asking the cheap veto of each finds, and asks it of none those rules reject (real catalog, both directions)', () => {
    // a small posting cap as well: queries whose every list is too long walk the rarest, or the outcome words' lists
    for (const [seed, cap] of [[1, 100], [2, 100], [3, 100], [4, 3], [5, 1]] as const) {
      const { k, p, vocab } = readVaried(seed);
      let asked = { plain: 0, filtered: 0 };
      // Polymarket markets asking the Kalshi index
      const kPlain = new VenueIndex<MarketDoc>(vocab, cap);
      const kFiltered = new VenueIndex<MarketDoc>(vocab, cap, 'owned-all', 'kalshi');
      for (const d of k) {
        kPlain.add(d, d.ctx);
        kFiltered.add(d, d.ctx, 0, 0, ANY_YEAR, d.outcome, closeFactsOf(d));
      }
      for (const q of p) {
        const plain = kPlain.query(q.ctx, 10, (d) => (asked.plain++, !quickReject(d, q)));
        const filtered = kFiltered.query(
          q.ctx,
          10,
          (d) => {
            asked.filtered += 1;
            expect(namesAll(d, q) && mentionsOne(d, q) && datesAgree(d, q)).toBe(true);
            return !quickReject(d, q);
          },
          undefined,
          undefined,
          0,
          ANY_YEAR,
          {
          anyOf: q.outcome,
          owned: q.own,
          close: closeFactsOf(q),
        });
        expect(filtered).toEqual(plain);
      }
      expect(asked.filtered).toBeLessThan(asked.plain / 2);
      // Kalshi markets asking the Polymarket index
      asked = { plain: 0, filtered: 0 };
      const pPlain = new VenueIndex<MarketDoc>(vocab, cap);
      const pFiltered = new VenueIndex<MarketDoc>(vocab, cap, 'asked-any', 'polymarket');
      for (const d of p) {
        pPlain.add(d, d.ctx);
        pFiltered.add(d, d.ctx, 0, 0, ANY_YEAR, d.outcome, closeFactsOf(d));
      }
      for (const q of k) {
        const required = q.outcome.length > 0 ? q.outcome : undefined;
        const plain = pPlain.query(q.ctx, 10, (d) => (asked.plain++, !quickReject(q, d)), required);
        const filtered = pFiltered.query(
          q.ctx,
          10,
          (d) => {
            asked.filtered += 1;
            expect(mentionsOne(q, d) && datesAgree(q, d)).toBe(true);
            return !quickReject(q, d);
          },
          required,
          undefined,
          0,
          ANY_YEAR,
          { close: closeFactsOf(q) },
        );
        expect(filtered).toEqual(plain);
      }
      expect(asked.filtered).toBeLessThan(asked.plain);
    }
  });

  it('the close-time veto on numbers decides as the one that says why (property, dates at the rules\' edges)', () => {
    const DAY = 86_400_000;
    const base = 20_600; // 2026-05-26
    // offsets in days around every threshold (2 and 3 days for games, 14 for close times and deadlines)
    const offset = fc.oneof(
      fc.constantFrom(-15, -14.001, -14, -13.999, -3, -2.001, -2, -1.999, -1, 0, 0.5, 1, 2, 2.999, 3, 3.001, 4, 13.999, 14, 14.001, 15),
      fc.double({ min: -40, max: 40, noNaN: true }),
    );
    const at = (days: number): number => Math.round((base + days) * DAY);
    const doc = fc
      .record({
        game: fc.constantFrom(null, 0, 1, -3),
        close: fc.option(offset, { nil: null }),
        deadline: fc.option(fc.record({ days: fc.integer({ min: -20, max: 20 }), withYear: fc.boolean() }), { nil: null }),
      })
      .map(({ game, close, deadline }) => {
        const gameDay = game === null ? null : base + game;
        const dl = deadline === null ? null : new Date((base + deadline.days) * DAY);
        return {
          gameDay,
          gameDate: gameDay === null ? null : new Date(gameDay * DAY).toISOString().slice(0, 10),
          deadline: dl === null ? null : { y: deadline?.withYear === true ? dl.getUTCFullYear() : null, m: dl.getUTCMonth() + 1, d: dl.getUTCDate() },
          market: { closeTime: close === null ? null : at(close) },
        } as unknown as MarketDoc;
      });
    let vetoed = 0;
    fc.assert(
      fc.property(doc, doc, (k, p) => {
        const notes = { vetoes: [] as string[], warnings: [] as string[], reasons: [] as string[] };
        const said = closeTimeChecks(k, p, notes);
        if (said) vetoed += 1;
        expect(closeVeto(closeFactsOf(k), closeFactsOf(p))).toBe(said);
        expect(closeTimeChecks(k, p, null)).toBe(said);
        expect(notes.vetoes.length > 0).toBe(said);
      }),
      { numRuns: 5_000 },
    );
    expect(vetoed).toBeGreaterThan(200);
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
    // any mix of what JSON writes as is, escapes with a backslash and one character, or as \u00XX
    const piece = fc.constantFrom('a', 'Yes', ' ', '"', '\\', '\n', '\r', '\t', '\b', '\f', '\u0001', '\u001f', '\u007f', '\u00e9', '\u2028', '\ud83d\ude00', '\ud800', '\udfff', '/');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.array(piece, { maxLength: 10 }), (t, r) => {
        const m = { ...base, title: t.join(''), rules: r.join('') };
        expect(fingerprintOfMarket(m)).toBe(fingerprintOfText(fingerprintText(m)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('a long list is walked only in the part a query of one kind and dates can accept, and finds what filtering in accept finds (both named-token rules, adds and removals after the walks, every walk)', () => {
    // items of 4 kinds: every one holds "common" (a list far longer than the split threshold),
    // one of 40 "mid" tokens (lists around the cap) or not, some a rare one; days, years, close
    // times and named tokens from small sets, so that many queries share them. The plain index
    // is asked for no kind, day or dates, has no named rule (its lists are walked whole) and
    // leaves every test to `accept`
    let x = 7;
    const rand = (n: number): number => {
      x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
      return (x >>> 8) % n;
    };
    const vocab = new Vocabulary();
    const common = vocab.id('common');
    // a second long list, held by about half the items
    const half = vocab.id('half');
    const mids = Array.from({ length: 40 }, (_, i) => vocab.id(`mid${i}`));
    const rares = Array.from({ length: 400 }, (_, i) => vocab.id(`rare${i}`));
    const names = Array.from({ length: 6 }, (_, i) => vocab.id(`name${i}`));
    const day0 = Date.UTC(2026, 6, 1) / 86_400_000;
    const dates = (): CloseFacts => {
      const game = rand(3) === 0;
      const close = rand(4) === 0 ? Number.NaN : (day0 + rand(3) * 10) * 86_400_000;
      const deadline = rand(3) === 0;
      return {
        gameDay: game ? day0 + rand(3) * 10 : Number.NaN,
        close,
        hasDeadline: deadline,
        deadlineEnd: deadline && rand(2) === 0 ? (day0 + 1 + rand(3) * 10) * 86_400_000 : Number.NaN,
      };
    };
    const dayOf = (): number => [0, 0, 101, 215][rand(4)] as number;
    const yearOf = (): number => [ANY_YEAR, 2026, 2027][rand(3)] as number;
    interface Item {
      readonly id: number;
      readonly kind: number;
      readonly day: number;
      readonly year: number;
      readonly named: number[];
      readonly dates: CloseFacts;
      readonly tokens: number[];
    }
    const items: Item[] = [];
    // with the default bounds on the date-filtered walks kept, and with bounds so small that they are dropped again and again
    for (const [rule, venue, bounds] of [
      ['owned-all', 'kalshi', undefined],
      ['asked-any', 'polymarket', undefined],
      ['owned-all', 'kalshi', { slots: 400, lists: 3 }],
      ['asked-any', 'polymarket', { slots: 400, lists: 3 }],
    ] as const) {
      const split = new VenueIndex<Item>(vocab, 30, rule, venue, bounds);
      const plain = new VenueIndex<Item>(vocab, 30);
      const slots: number[] = [];
      // the first items all hold a second token; later ones often "common" alone, so that they
      // score highest on it and the top K of a query on it must come from what `add` kept up
      const addItems = (n: number, late: boolean): void => {
        for (let i = 0; i < n; i += 1) {
          const tokens = [common];
          if (!late || rand(2) === 0) tokens.push(mids[rand(mids.length)] as number);
          if (rand(3) === 0) tokens.push(rares[rand(rares.length)] as number);
          if (rand(2) === 0) tokens.push(half);
          const named = rand(2) === 0 ? [] : [names[rand(names.length)] as number];
          for (const t of named) if (!tokens.includes(t)) tokens.push(t);
          // kinds 0-3 fill parts longer than the split threshold; kind 4, rare, a part shorter than it
          const item: Item = { id: items.length, kind: rand(25) === 0 ? 4 : rand(4), day: dayOf(), year: yearOf(), named, dates: dates(), tokens };
          items.push(item);
          vocab.addDoc(tokens);
          const slot = split.add(item, tokens, item.kind, item.day, item.year, item.named, item.dates);
          expect(plain.add(item, tokens)).toBe(slot);
          slots.push(slot);
        }
      };
      const accepted = (item: Item): boolean => item.id % 7 !== 3;
      let compared = 0;
      // queries share their dates (as the markets of an event do): a few days and close facts,
      // pairs of which differ in one fact only
      const at = (days: number): number => (day0 + days) * 86_400_000;
      const none = { gameDay: Number.NaN, close: Number.NaN, hasDeadline: false, deadlineEnd: Number.NaN };
      const askedDates: CloseFacts[] = [
        { ...none, close: at(0) },
        { ...none, close: at(30) },
        { ...none, close: at(0), hasDeadline: true },
        { ...none, hasDeadline: true, deadlineEnd: at(1) },
        { ...none, hasDeadline: true, deadlineEnd: at(21) },
        { ...none, gameDay: day0, close: at(0) },
        { ...none, gameDay: day0 + 20, close: at(0) },
      ];
      const queries = (n: number): void => {
        for (let i = 0; i < n; i += 1) {
          // now and then no kind (the lists are walked whole, by dates)
          const kind = rand(10) === 0 ? undefined : rand(5);
          const day = [0, 101, 215][rand(3)] as number;
          const year = yearOf();
          // now and then no dates at all (nothing for the close-time test to read)
          const asked = rand(4) === 0 ? undefined : (askedDates[rand(askedDates.length)] as CloseFacts);
          const tokens = [rand(3) === 0 ? half : common];
          if (rand(2) === 0) tokens.push(mids[rand(mids.length)] as number);
          if (rand(4) === 0) tokens.push(rares[rand(rares.length)] as number);
          const owned = names.filter(() => rand(2) === 0);
          if (rule === 'asked-any') for (const t of owned) tokens.push(t);
          // now and then a required token (the drive list) or words one of which an item must hold (the anyOf lists), long ones too
          const required = rand(5) === 0 ? [[common, half, mids[rand(mids.length)] as number][rand(3)] as number] : undefined;
          const anyOf = rand(5) === 0 ? [rand(2) === 0 ? common : half, mids[rand(mids.length)] as number] : undefined;
          const got = split.query(tokens, 5, accepted, required, kind, day, year, { anyOf, owned: rule === 'owned-all' ? owned : undefined, close: asked });
          const want = plain.query(
            tokens,
            5,
            (item) => {
              if ((kind !== undefined && item.kind !== kind) || !accepted(item)) return false;
              if (day !== 0 && item.day !== 0 && (item.day !== day || (year !== ANY_YEAR && item.year !== ANY_YEAR && item.year !== year))) return false;
              const named = rule === 'owned-all' ? item.named.every((t) => owned.includes(t)) : item.named.length === 0 || item.named.some((t) => tokens.includes(t));
              if (!named || asked === undefined) return named;
              return !(venue === 'kalshi' ? closeVeto(item.dates, asked) : closeVeto(asked, item.dates));
            },
            required,
            undefined,
            0,
            ANY_YEAR,
            anyOf === undefined ? undefined : { anyOf },
          );
          expect(got).toEqual(want);
          compared += got.length;
        }
      };
      addItems(1_500, false);
      queries(400);
      // items added and removed once the long lists are split and their dated parts kept
      addItems(700, true);
      for (let i = 0; i < 200; i += 1) {
        const slot = slots[rand(slots.length)] as number;
        split.remove(slot);
        plain.remove(slot);
      }
      queries(400);
      addItems(300, true);
      queries(400);
      expect(compared).toBeGreaterThan(1_000);
    }
  });

  it('a query whose accept throws leaves nothing behind for the next one', () => {
    // two indexes built alike, each with its own vocabulary (the same ids)
    const [a, b, c, d] = [0, 1, 2, 3] as const;
    const build = (): VenueIndex<number> => {
      const vocab = new Vocabulary();
      for (const w of ['alpha', 'beta', 'gamma', 'delta']) vocab.id(w);
      const index = new VenueIndex<number>(vocab, 100, 'owned-all', 'kalshi');
      const docs = [[a, b], [a, c], [b, c, d], [a, d], [c], [a, b, c, d]];
      docs.forEach((tokens, i) => {
        vocab.addDoc(tokens);
        index.add(i, tokens, 0, 0, ANY_YEAR, i % 2 === 0 ? [] : [tokens[0] as number]);
      });
      return index;
    };
    const broken = build();
    const fresh = build();
    const ask = (index: VenueIndex<number>, tokens: number[], accept: (i: number) => boolean) =>
      index.query(tokens, 3, accept, [a], 0, 0, ANY_YEAR, { anyOf: [b, c], owned: [a, b, c] });
    expect(() =>
      ask(broken, [a, b, c], () => {
        throw new Error('accept failed');
      }),
    ).toThrow('accept failed');
    for (const tokens of [[a, d], [a, b, c], [c, d]]) expect(ask(broken, tokens, () => true)).toEqual(ask(fresh, tokens, () => true));
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


describe("an event's outcome words", () => {
  it('counts the markets naming each outcome word, and tells which words a sibling names', () => {
    const vocab = new Vocabulary();
    const market = (id: string, title: string) =>
      kalshiMarket({ ticker: `KXPRES-28-${id}`, event: 'KXPRES-28', eventTitle: '2028 presidential election winner', title });
    const docs = finalizeEvent(
      [market('AL', 'Will Alice Smith win?'), market('BO', 'Will Bob Brown win?'), market('AB', 'Will Alice Brown win?')],
      vocab,
    );
    const id = (w: string) => vocab.id(w);
    const [alice, bob] = docs as [MarketDoc, MarketDoc, MarketDoc];
    // alice: 2 markets, brown: 2, smith: 1, bob: 1; a word no market says: none
    expect(outcomeCount(alice.eventOutcomeCounts, id('alice'))).toBe(2);
    expect(outcomeCount(alice.eventOutcomeCounts, id('brown'))).toBe(2);
    expect(outcomeCount(alice.eventOutcomeCounts, id('smith'))).toBe(1);
    expect(outcomeCount(alice.eventOutcomeCounts, id('bob'))).toBe(1);
    expect(outcomeCount(alice.eventOutcomeCounts, id('zebra'))).toBe(0);
    // one list for the event
    expect(bob.eventOutcomeCounts).toBe(alice.eventOutcomeCounts);
    // a sibling names a word when a market of the event other than this one does
    expect(siblingNames(alice, id('smith'))).toBe(false);
    expect(siblingNames(alice, id('alice'))).toBe(true);
    expect(siblingNames(alice, id('bob'))).toBe(true);
    expect(siblingNames(bob, id('bob'))).toBe(false);
    expect(siblingNames(bob, id('smith'))).toBe(true);
    expect(siblingNames(bob, id('zebra'))).toBe(false);
  });
});
