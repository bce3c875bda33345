/**
 * Resolution sources read from rules texts (`scanSources`): one pass over the
 * text finds what a search per source found, on folded and unfolded text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SOURCE_PHRASES, scanSources } from '../../source/matching/extract.js';
import { fold } from '../../source/matching/normalize.js';

/** What scanSources was: every source's phrases as a regular expression of its own, on the folded text. */
function reference(rules: string | null): string[] {
  if (rules === null || rules.trim() === '') return [];
  const f = fold(rules);
  return SOURCE_PHRASES.filter(([, phrases]) => new RegExp(phrases.map((p) => `\\b${p}\\b`).join('|')).test(f)).map(([s]) => s);
}

const phrases = SOURCE_PHRASES.flatMap(([, p]) => p);

/** A phrase as a rules text may write it: any case, any whitespace between its words. */
const written = fc
  .tuple(fc.constantFrom(...phrases), fc.constantFrom(' ', '  ', '\t', '\n', ' \r\n '), fc.boolean(), fc.boolean())
  .map(([p, gap, upper, title]) => {
    const cased = upper ? p.toUpperCase() : title ? p.replace(/\b[a-z]/g, (c) => c.toUpperCase()) : p;
    return cased.replace(/ /g, gap);
  });
const filler = fc.constantFrom(
  ' ', 'the', 'results', 'published by', 'x', 's', '_', '2', '-', '.', '"', "'", '`', 'é', 'Ö', '\u2019', '\u00a0', 'ﬁ', 'per', 'and', ',', 'bureau of', 'national', 'press',
);
const rules = fc.array(fc.oneof(written, filler), { maxLength: 12 }).map((parts) => parts.join(''));
const spacedRules = fc.array(fc.oneof(written, filler), { maxLength: 12 }).map((parts) => parts.join(' '));

describe('resolution sources in one pass', () => {
  it('finds what a search per source finds (property: joined and spaced pieces, ASCII or not)', () => {
    fc.assert(fc.property(rules, (text) => {
      expect(scanSources(text)).toEqual(reference(text));
    }), { numRuns: 3_000 });
    fc.assert(fc.property(spacedRules, (text) => {
      expect(scanSources(text)).toEqual(reference(text));
    }), { numRuns: 3_000 });
  });

  it('reads long rules texts as the venues write them', () => {
    const text =
      'This market will resolve to "Yes" if the Bureau of Labor\nStatistics reports CPI above 3.0%. ' +
      'Settlement uses the CF Benchmarks BRTI; if unavailable, Coinbase. Binances and xbls are not sources.';
    expect(scanSources(text)).toEqual(['cf_benchmarks', 'coinbase', 'bls']);
    expect(scanSources(text)).toEqual(reference(text));
    expect(scanSources(`${text} Données de l’Office for National Statistics.`)).toEqual(['cf_benchmarks', 'coinbase', 'bls', 'ons']);
    expect(scanSources(null)).toEqual([]);
    expect(scanSources('  \n ')).toEqual([]);
  });

  it('has no phrase that is whole words of another (what one pass relies on)', () => {
    for (const a of phrases) {
      for (const b of phrases) {
        if (a !== b) expect(new RegExp(`\\b${a}\\b`).test(b), `${a} in ${b}`).toBe(false);
      }
    }
    expect(SOURCE_PHRASES.length).toBeLessThanOrEqual(31); // one bit each in an int
  });
});
