/**
 * The cheap paths of reading a market's text do what the slower code they
 * replace did: no padding around the text in `prepare` and `scanQuantities`
 * (their old selves padded with a space: the new code run on a padded text is
 * the old code), the one-pass word tokens, and the sharing of values between
 * markets and of feature token ids per vocabulary.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Vocabulary } from '../../source/matching/inverted-index.js';
import { isPlaceholder, scanQuantities, scanTags } from '../../source/matching/extract.js';
import { buildDoc, finalizeEvent, type MarketDoc } from '../../source/matching/market-doc.js';
import { ALIAS_PHRASES, applyAliases, fold, prepare, wordTokens } from '../../source/matching/normalize.js';
import { STOPWORDS } from '../../source/matching/aliases.js';
import { kalshiMarket, polyMarket } from './market-factory.js';

/** Pieces that set off every rewrite and number pattern, and what sits next to them. */
const PIECE = fc.constantFrom(
  ' ', '  ', '\t', 'u.s.', 'u. s', 'o/u', '&', 'ny-1', 'nc-12', 'az-al', 'zz-3', '-', '1,000', '12,5', '1. fc', '5pm', '11:30 am et',
  '1st', '22nd', '3rd', '#1', '# 2', '100m', '2.5 m', '25bps', '50 basis points', '4%', '3 percent', 'win 4-2', 'won 1-0', 'wins',
  'between', 'and', 'to', '$', '100', '1.5', '-0.5', '(+3)', '(-1.5)', 'overunder', 'above', 'over', 'at least', 'reach', 'dips to',
  'or more', 'or less', 'or', 'or ', ' or', '+', 'pct', 'bp', 'million', 'a', 'x', '.', 'am', 'pm', 'et', '2026', 'fc',
);
const text = fc.array(PIECE, { maxLength: 14 }).map((pieces) => pieces.join(''));
const spaced = fc.array(PIECE, { maxLength: 14 }).map((pieces) => pieces.join(' '));

describe('aliases read word by word', () => {
  // what applyAliases replaced: one alternation of every phrase, longest first, between word boundaries
  const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const canonical = new Map(ALIAS_PHRASES);
  const reference = new RegExp(`(?<![a-z0-9_])(?:${ALIAS_PHRASES.map(([p]) => escape(p)).join('|')})(?![a-z0-9_])`, 'g');
  const viaRegex = (t: string): string => t.replace(reference, (m) => canonical.get(m) ?? m);

  it('replaces what the one regular expression replaced (property)', () => {
    // phrases, their prefixes and extensions, the characters around them
    const phrase = fc.constantFrom(...ALIAS_PHRASES.map(([p]) => p));
    const piece = fc.oneof(
      phrase,
      phrase.map((p) => p.slice(0, -1)),
      phrase.map((p) => `${p}s`),
      fc.constantFrom(' ', '  ', '-', "'", '.', '_', 'x', '1', 'é', 'fc', 'the', 'a', 'u', 's', 'semi', 'half'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.constantFrom('', ' ', '-'), (pieces, sep) => {
        const t = pieces.join(sep);
        expect(applyAliases(t)).toBe(viaRegex(t));
      }),
      { numRuns: 5_000 },
    );
  });

  it('takes the longest phrase at a word and leaves words inside other words', () => {
    expect(applyAliases('the federal reserve and the fed')).toBe('the fed and fed');
    expect(applyAliases('manchester united fc vs man utd')).toBe('man_united vs man_united');
    expect(applyAliases('federalist fedex infed fed_x')).toBe('federalist fedex infed fed_x');
    expect(applyAliases('semi-final, half-time: 1h')).toBe('semi_final, first_half: first_half');
    expect(applyAliases("cote d'ivoire")).toBe('ivory_coast');
    expect(applyAliases('')).toBe('');
  });
});

describe('prepare without padding', () => {
  it('reads a text as it reads the text padded with spaces (what it used to do)', () => {
    fc.assert(
      fc.property(fc.oneof(text, spaced), (t) => {
        expect(prepare(t)).toBe(prepare(` ${t} `));
      }),
      { numRuns: 2_000 },
    );
  });

  it('the district pre-test never skips a district the rewrite would read (property)', () => {
    const states = new Set(
      'al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc'.split(' '),
    );
    const reference = (t: string): string =>
      ` ${t} `
        .replace(/(?<![a-z0-9])([a-z]{2})-(\d{1,2}|al)(?![0-9a-z])/g, (m, st: string, d: string) =>
          states.has(st) ? ` dist_${st}${d === 'al' ? 'al' : d.padStart(2, '0')} ` : m,
        )
        .replace(/\s{2,}/g, ' ')
        .trim();
    const piece = fc.constantFrom('ny', 'nc', 'ak', 'zz', 'n', '-', '--', '1', '12', '123', 'al', 'a', 'x', ' ', '9', '_');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const t = pieces.join('');
        expect(prepare(t)).toBe(reference(t));
      }),
      { numRuns: 3_000 },
    );
  });

  it('still rewrites at the very start and end of the text', () => {
    expect(prepare('ny-1')).toBe('dist_ny01');
    expect(prepare('u.s.')).toBe('us');
    expect(prepare('o/u 2.5')).toBe('overunder 2.5');
    expect(prepare('25bps')).toBe('25 bp');
    expect(prepare('5pm')).toBe('');
    expect(prepare('win 4-2')).toBe('win score_4_2');
  });
});

describe('scanQuantities without padding', () => {
  it('reads a text as it reads the text padded with spaces (what it used to do)', () => {
    fc.assert(
      fc.property(fc.oneof(text, spaced), (t) => {
        expect(scanQuantities(t)).toEqual(scanQuantities(` ${t} `));
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads numbers at the very start and end of the text', () => {
    const read = (t: string): string[] => scanQuantities(t).map((q) => `${q.cmp} ${q.text}${q.hiText === null ? '' : `-${q.hiText}`} ${q.unit ?? ''}`);
    expect(read('above $100')).toEqual(['gt 100 usd']);
    expect(read('between 1 and 2 pct')).toEqual(['between 1-2 pct']);
    expect(read('(-1.5)')).toEqual(['gt 1.5 ']);
    expect(read('5 or more')).toEqual(['ge 5 ']);
    expect(read('3')).toEqual(['eq 3 ']);
  });
});

describe('wordTokens in one pass', () => {
  const singular = (t: string): string => (t.length > 4 && t.endsWith('s') && !/(?:ss|us|is|os)$/.test(t) ? t.slice(0, -1) : t);
  const reference = (aliased: string): string[] =>
    aliased
      .split(/[^a-z0-9_]+/)
      .filter((t) => t.length >= 2 && /^[a-z_]/.test(t) && !STOPWORDS.has(t))
      .map(singular);
  const piece = fc.constantFrom(
    'will', 'the', 'a', 'x', 'ab', '_x', '9ab', 'ab9', 'Ab', 'é', 'ß', '-', ' ', '.', "'", 'elections', 'class', 'status', 'crisis',
    'kudos', 'goals', 'bus', 'cats', 'dist_ny01', 'score_4_2', 'n:1', '\u00a0', 'IN', 'in', 'fc', 'abcds',
  );

  it('gives the tokens of the split-and-filter it replaces (property)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom('', ' ', '-'), (pieces, sep) => {
        const t = pieces.join(sep);
        expect(wordTokens(t)).toEqual(reference(t));
      }),
      { numRuns: 2_000 },
    );
  });

  it('drops every stopword, and keeps words that only start or end like one', () => {
    for (const w of STOPWORDS) {
      if (w.length < 2) continue;
      expect(wordTokens(`x ${w} y`), w).toEqual([]);
      expect(wordTokens(`${w}q ${w}zz q${w}`), w).toEqual([`${w}q`, `${w}zz`, `q${w}`].map(singular));
    }
    // the same first two letters as a stopword, other lengths
    expect(wordTokens('th thex willing wil')).toEqual(['th', 'thex', 'willing', 'wil']);
  });

  it('folds plurals but not -ss, -us, -is, -os words', () => {
    expect(wordTokens('elections goals class status crisis kudos cats')).toEqual(['election', 'goal', 'class', 'status', 'crisis', 'kudos', 'cats']);
  });
});

describe('cheap pre-tests', () => {
  it('isPlaceholder reads quoted names with and without quotes', () => {
    expect(isPlaceholder('Will "Candidate A" win?', '')).toBe(true);
    expect(isPlaceholder('Will \u201cPlayer TT\u201d win?', '')).toBe(true);
    expect(isPlaceholder('Will Candidate A win?', '')).toBe(true);
    expect(isPlaceholder('Will Alice Smith win?', 'will alice smith win')).toBe(false);
    expect(isPlaceholder('Will Alice Smith win?', 'will field win')).toBe(true);
    expect(isPlaceholder('Will Alice Smith win?', 'will fieldwork win')).toBe(false);
  });

  it('scanTags gives equal features for texts with the same statistic, and the right ones', () => {
    const a = scanTags('first_half btts draw dem governor');
    const b = scanTags('governor dem draw btts first_half');
    expect(b).toBe(a);
    expect(a.tags).toEqual(['btts', 'draw', 'first_half']);
    expect(a.paired).toEqual({ office: ['governor'], party: ['dem'] });
    expect(scanTags('corners total_line').tags).toEqual(['corners']);
    expect(scanTags('nominee place first').tags).toEqual(['primary_first']);
    expect(scanTags('nothing here')).toEqual({ tags: [], paired: {} });
  });
});

describe('values shared between markets', () => {
  const strike = (id: string, asset: string, v: number): ReturnType<typeof polyMarket> =>
    polyMarket({ id, event: `e-${asset}`, eventTitle: `${asset} price on Jan 5, 2026?`, question: `Will ${asset} be above $${v} on Jan 5, 2026?` });

  it('markets with equal numbers, years and deadlines share them, with the right values', () => {
    const vocab = new Vocabulary();
    const a = buildDoc(strike('0xa', 'Kalorven', 100), vocab);
    const b = buildDoc(strike('0xb', 'Tasmonper', 100), vocab);
    const c = buildDoc(strike('0xc', 'Tasmonper', 105), vocab);
    expect(b.quantities).toBe(a.quantities);
    expect(a.quantities.map((q) => [q.cmp, q.text, q.value, q.unit])).toEqual([['gt', '100', 100_000_000n, 'usd']]);
    expect(c.quantities.map((q) => q.text)).toEqual(['105']);
    expect(b.deadline).toBe(a.deadline);
    expect(a.deadline).toEqual({ y: 2026, m: 1, d: 5 });
    expect(b.years).toBe(a.years);
    expect(a.years).toEqual([2026]);
  });

  it('feature and word token ids are those of each vocabulary, whatever another vocabulary saw first', () => {
    const tokens = (d: MarketDoc, v: Vocabulary): string[] => d.ctx.map((id) => v.token(id));
    const own = (d: MarketDoc, v: Vocabulary): string[] => d.own.map((id) => v.token(id));
    const first = new Vocabulary();
    const second = new Vocabulary();
    // the second vocabulary hands out ids in another order
    for (const t of ['zeta', 'y:2026', 'n:100', 'd:2026-01-05', 'kalorven']) second.id(t);
    const m = strike('0xa', 'Kalorven', 100);
    const d1 = buildDoc(m, first);
    const d2 = buildDoc(m, second);
    expect(tokens(d2, second)).toEqual(tokens(d1, first));
    expect(own(d2, second)).toEqual(own(d1, first));
    expect(tokens(d1, first)).toEqual(['kalorven', 'price', 'n:100', 'y:2026', 'd:2026-01-05']);
    // a repeated template text (read once) under a third vocabulary
    const third = new Vocabulary();
    third.id('goal');
    const k = (code: string, vocab: Vocabulary): MarketDoc[] =>
      finalizeEvent(
        [1, 2].map((l) =>
          kalshiMarket({ ticker: `KXT-26JAN05${code}-${l}`, event: `KXT-26JAN05${code}`, eventTitle: `${code} vs Other: Total Goals`, title: `Will over ${l}.5 goals be scored?` }),
        ),
        vocab,
      );
    const [x1] = k('AAA', first);
    const [x3] = k('AAA', third);
    expect(own(x3 as MarketDoc, third)).toEqual(own(x1 as MarketDoc, first));
    expect(tokens(x3 as MarketDoc, third)).toEqual(tokens(x1 as MarketDoc, first));
  });
});

it('fold leaves backticks-free text alone and still turns backticks into quotes', () => {
  expect(fold('It`s')).toBe("it's");
  expect(fold('Plain text')).toBe('plain text');
});
