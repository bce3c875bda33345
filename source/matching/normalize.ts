/**
 * Text normalisation for matching: fold (unicode NFKD without accents, lower
 * case, one kind of quote and dash), prepare (units, ordinals, districts,
 * times, "O/U"), aliases (phrase -> canonical token) and tokens.
 *
 * Pure string functions; no floats are made from numbers here: numbers stay
 * text and are compared as scaled integers by the extractor.
 */
import { ALIASES, STOPWORDS } from './aliases.js';

const US_STATE_CODES = new Set(
  'al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc'.split(
    ' ',
  ),
);

/** A character outside ASCII (the text needs unicode folding). */
// eslint-disable-next-line no-control-regex
export const NON_ASCII = /[^\x00-\x7f]/;

/** NFKD, accents removed, lower case, curly quotes and dashes made plain, spaces collapsed. */
export function fold(raw: string): string {
  let s = raw;
  if (NON_ASCII.test(s)) {
    s = s
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[\u2018\u2019\u201a\u201b\u00b4]/g, "'")
      .replace(/[\u201c\u201d\u201e\u201f]/g, '"')
      .replace(/[\u2010-\u2015\u2212]/g, '-');
  }
  s = s.toLowerCase();
  if (/\s\s|[\t\n\r]|^\s|\s$/.test(s)) s = s.replace(/\s+/g, ' ').trim();
  return s.includes('`') ? s.replace(/`/g, "'") : s;
}

// Character classes of the folded text, by char code (the readers scan text by hand on the hot path).

/** [a-z] */
function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** [0-9] */
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** [a-z0-9] */
export function isLowerAlnum(c: number): boolean {
  return isLower(c) || isDigit(c);
}

/** [a-z0-9_]: a character of a word token */
export function isTokenChar(c: number): boolean {
  return isLowerAlnum(c) || c === 95;
}

/** A cheap pre-test for the district rewrite: some "-" has two letters before it and a digit or "a" after. */
function mayHaveDistrict(s: string): boolean {
  for (let i = s.indexOf('-', 2); i >= 0; i = s.indexOf('-', i + 1)) {
    const next = s.charCodeAt(i + 1);
    if (isLower(s.charCodeAt(i - 1)) && isLower(s.charCodeAt(i - 2)) && (isDigit(next) || next === 97)) return true;
  }
  return false;
}

const ORDINAL_WORDS: Readonly<Record<string, string>> = { '1': 'first', '2': 'second', '3': 'third' };
const HAS_DIGIT = /\d/;

/**
 * Rewrites that must happen before dates, numbers and aliases are read:
 * "U.S." -> "us", "O/U" -> "overunder", "&" -> "and", "1,000" -> "1000",
 * clock times removed, "1st" -> "first", "#1" -> "rank1", "NC-1" -> "dist_nc01",
 * "100m" -> "100 million", "25bps" -> "25 bp", "4%" -> "4 pct", "win 4-2" -> "win score_4_2".
 * Each rewrite runs only when its trigger character is present (this is on the hot path).
 * Every rewrite's lookarounds treat the ends of the text as a space would be
 * treated, so the text is not padded; the end collapses spaces and trims.
 */
export function prepare(folded: string): string {
  let s = folded;
  if (s.includes('u.')) s = s.replace(/(?<![a-z])u\.\s?s\.?(?![a-z])/g, ' us ');
  if (s.includes('o/u')) s = s.replace(/(?<![a-z])o\/u(?![a-z])/g, ' overunder ');
  if (s.includes('&')) s = s.replace(/&/g, ' and ');
  if (s.includes('-') && mayHaveDistrict(s)) {
    s = s.replace(/(?<![a-z0-9])([a-z]{2})-(\d{1,2}|al)(?![0-9a-z])/g, (m, st: string, d: string) =>
      US_STATE_CODES.has(st) ? ` dist_${st}${d === 'al' ? 'al' : d.padStart(2, '0')} ` : m,
    );
  }
  if (HAS_DIGIT.test(s)) {
    if (s.includes(',')) s = s.replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
    if (s.includes('1. fc')) s = s.replace(/(?<![a-z0-9])1\.\s+fc(?![a-z])/g, ' fc');
    if (s.includes('am') || s.includes('pm')) {
      s = s.replace(
        /(?<![0-9])\d{1,2}(?::\d{2})?\s*(?:am|pm)(?![a-z])(?:\s*(?:et|edt|est|ct|cdt|pt|pdt|utc|gmt)(?![a-z]))?/g,
        ' ',
      );
    }
    if (/\d(?:st|nd|rd|th)/.test(s)) {
      s = s.replace(/(?<![0-9.])(\d+)(st|nd|rd|th)(?![a-z])/g, (_m, n: string) => ` ${ORDINAL_WORDS[n] ?? `ord${n}`} `);
    }
    if (s.includes('#')) s = s.replace(/#\s?(\d+)/g, ' rank$1 ');
    if (/\dm(?![a-z])|\d m(?![a-z])/.test(s)) s = s.replace(/(?<![0-9.])(\d+(?:\.\d+)?)\s?m(?![a-z])/g, '$1 million');
    if (s.includes('bp') || s.includes('basis')) {
      s = s.replace(/(?<![0-9.])(\d+(?:\.\d+)?)\s?(?:bps|bp|basis points?)(?![a-z])/g, '$1 bp');
    }
    if (s.includes('%') || s.includes('percent')) s = s.replace(/(\d)\s?(?:%|percentage points?|percent)(?![a-z])/g, '$1 pct');
    if (s.includes('win') && s.includes('-')) s = s.replace(/(?<![a-z])(win|wins|won)\s(\d)-(\d)(?![0-9])/g, '$1 score_$2_$3');
  }
  return s.replace(/\s{2,}/g, ' ').trim();
}

/**
 * Alias phrases by the first two characters of the phrase (as one number, see
 * `pairCode`), each list in the order the alternation of the one regular
 * expression this replaces tried them: longest phrase first, ties in table order.
 */
const ALIASES_AT: Array<Array<readonly [string, string]> | undefined> = new Array<Array<readonly [string, string]> | undefined>(0x10000).fill(undefined);

/** The first two characters at `at` as one number (a collision only costs a `startsWith` check). */
export function pairCode(text: string, at: number): number {
  return ((text.charCodeAt(at) << 8) | (at + 1 < text.length ? text.charCodeAt(at + 1) : 0)) & 0xffff;
}

/** Every alias phrase and its canonical token, longest phrase first (exported for the tests' reference). */
export const ALIAS_PHRASES: ReadonlyArray<readonly [string, string]> = (() => {
  const canonical = new Map<string, string>();
  for (const [token, phrases] of Object.entries(ALIASES)) {
    for (const phrase of phrases) canonical.set(phrase, token);
  }
  const phrases = [...canonical.keys()].sort((a, b) => b.length - a.length);
  for (const phrase of phrases) {
    // a phrase starts and ends with a token character, so it can match only where a word starts and ends
    if (phrase.length < 2 || !isTokenChar(phrase.charCodeAt(0)) || !isTokenChar(phrase.charCodeAt(phrase.length - 1))) {
      throw new Error(`alias phrase "${phrase}" must be two characters or more and start and end with [a-z0-9_]`);
    }
  }
  return phrases.map((p) => [p, canonical.get(p) as string] as const);
})();
for (const entry of ALIAS_PHRASES) (ALIASES_AT[pairCode(entry[0], 0)] ??= []).push(entry);

/**
 * Replace every alias phrase by its canonical token: the longest phrase that
 * starts where a word starts ([a-z0-9_] not after one) and ends where a word
 * ends, left to right. Words are walked once and only the phrases sharing a
 * word's first two characters are tried (no regular expression over the text).
 */
export function applyAliases(prepared: string): string {
  const n = prepared.length;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < n) {
    if (!isTokenChar(prepared.charCodeAt(i))) {
      i += 1;
      continue;
    }
    const list = ALIASES_AT[pairCode(prepared, i)];
    let end = -1;
    if (list !== undefined) {
      for (const [phrase, token] of list) {
        const e = i + phrase.length;
        if ((e >= n || !isTokenChar(prepared.charCodeAt(e))) && prepared.startsWith(phrase, i)) {
          out += prepared.slice(last, i) + token;
          last = e;
          end = e;
          break;
        }
      }
    }
    if (end >= 0) {
      i = end;
      continue;
    }
    i += 1;
    while (i < n && isTokenChar(prepared.charCodeAt(i))) i += 1;
  }
  return last === 0 ? prepared : out + prepared.slice(last);
}

/** A light plural fold ("elections" -> "election"), applied the same way on both venues. */
function singular(t: string): string {
  const n = t.length;
  if (n <= 4 || t.charCodeAt(n - 1) !== 115) return t;
  // not after s, u, i, o ("class", "status", "crisis", "kudos")
  const p = t.charCodeAt(n - 2);
  return p === 115 || p === 117 || p === 105 || p === 111 ? t : t.slice(0, -1);
}

/**
 * The pair codes (`pairCode`) of the first two letters of the stopwords, and the
 * length of the longest: a word whose length or first two letters no stopword has
 * is not looked up in the set (most words are names, and the lookup is a hash
 * table probe per word).
 */
const STOP_PREFIX = new Uint8Array(0x10000);
let STOP_LONGEST = 0;
for (const w of STOPWORDS) {
  if (w.length < 2) continue;
  STOP_PREFIX[pairCode(w, 0)] = 1;
  STOP_LONGEST = Math.max(STOP_LONGEST, w.length);
}

/**
 * Content word tokens: letters first, stopwords and single letters dropped.
 * The same tokens as `aliased.split(/[^a-z0-9_]+/)` filtered, read in one pass
 * (a token string is made only for a word that can be kept).
 */
export function wordTokens(aliased: string): string[] {
  const out: string[] = [];
  const n = aliased.length;
  let i = 0;
  while (i < n) {
    if (!isTokenChar(aliased.charCodeAt(i))) {
      i += 1;
      continue;
    }
    const start = i;
    const c = aliased.charCodeAt(start);
    i += 1;
    while (i < n && isTokenChar(aliased.charCodeAt(i))) i += 1;
    if (i - start < 2 || !(isLower(c) || c === 95)) continue;
    const t = aliased.slice(start, i);
    if (i - start <= STOP_LONGEST && STOP_PREFIX[pairCode(aliased, start)] === 1 && STOPWORDS.has(t)) continue;
    out.push(singular(t));
  }
  return out;
}

/** Canonical text of a decimal: no leading "+", no trailing zeros, "-0" -> "0". */
export function canonicalNumber(text: string): string {
  let t = text.startsWith('+') ? text.slice(1) : text;
  const negative = t.startsWith('-');
  if (negative) t = t.slice(1);
  let [intPart = '0', frac = ''] = t.split('.');
  intPart = intPart.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  const body = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  return negative && body !== '0' ? `-${body}` : body;
}

/** All the text of a phrase as tokens, for one-off use (tests, team names). */
export function normaliseToTokens(raw: string): string[] {
  return wordTokens(applyAliases(prepare(fold(raw))));
}
