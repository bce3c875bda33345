/**
 * Quality bar on the labelled set from the real May 2026 catalog
 * (test/fixtures/matching/labels.json, judged from the titles; see the README
 * there): precision of same/inverse ≥ 0.97, recall ≥ 0.85, and no look-alike
 * proposed. Prints the figures and every miss.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSavedKalshi } from '../../source/venues/kalshi/saved.js';
import { parseSavedPolymarket } from '../../source/venues/polymarket/saved.js';
import { matchMarkets, DEFAULT_MIN_CONFIDENCE } from '../../source/matching/matcher.js';

const dir = fileURLToPath(new URL('../fixtures/matching/', import.meta.url));
const read = (name: string): unknown => JSON.parse(readFileSync(`${dir}${name}`, 'utf8'));

interface TruePair {
  kalshi_ticker: string;
  polymarket_condition_id: string;
  polymarket_question: string;
  relation: 'same' | 'inverse';
  polymarket_outcome: string;
  reason: string;
}
interface LookAlike {
  kalshi_ticker: string;
  polymarket_condition_id: string;
  polymarket_question: string;
  reason: string;
}
const labels = read('labels.json') as { truePairs: TruePair[]; lookAlikes: LookAlike[] };

const kalshi = parseSavedKalshi(read('catalog-2026-05/kalshi-events.json'));
const polymarket = parseSavedPolymarket(read('catalog-2026-05/polymarket-events.json'));
const { matcher, proposals } = matchMarkets(kalshi, polymarket);

describe('labelled set (real catalog, May 2026)', () => {
  it('has at least 60 true pairs and 40 look-alikes, each with a reason', () => {
    expect(labels.truePairs.length).toBeGreaterThanOrEqual(60);
    expect(labels.lookAlikes.length).toBeGreaterThanOrEqual(40);
    for (const l of [...labels.truePairs, ...labels.lookAlikes]) expect(l.reason.length).toBeGreaterThan(5);
    const ids = new Set(polymarket.map((m) => m.id));
    const tickers = new Set(kalshi.map((m) => m.id));
    for (const l of [...labels.truePairs, ...labels.lookAlikes]) {
      expect(tickers.has(l.kalshi_ticker), l.kalshi_ticker).toBe(true);
      expect(ids.has(l.polymarket_condition_id), l.polymarket_condition_id).toBe(true);
    }
  });

  it('meets precision ≥ 0.97 and recall ≥ 0.85, with the right polarity, and proposes no look-alike', () => {
    const truth = new Map(labels.truePairs.map((t) => [`${t.kalshi_ticker}|${t.polymarket_condition_id}`, t]));
    const proposed = new Map(proposals.map((c) => [c.key, c]));
    // The true-pair list is meant to be exhaustive for the catalog: any other proposal is a false positive.
    const falsePositives = proposals.filter((c) => !truth.has(c.key));
    const wrongPolarity = proposals.filter((c) => {
      const t = truth.get(c.key);
      return t !== undefined && (t.relation !== c.relation || t.polymarket_outcome !== c.polymarketOutcome);
    });
    const correct = proposals.length - falsePositives.length - wrongPolarity.length;
    const missed = labels.truePairs.filter((t) => !proposed.has(`${t.kalshi_ticker}|${t.polymarket_condition_id}`));
    const lookAlikesProposed = labels.lookAlikes.filter((l) => proposed.has(`${l.kalshi_ticker}|${l.polymarket_condition_id}`));
    const precision = proposals.length === 0 ? 0 : correct / proposals.length;
    const recall = correct / labels.truePairs.length;

    const lines = [
      `matcher on catalog-2026-05: ${kalshi.length} Kalshi × ${polymarket.length} Polymarket markets, min confidence ${DEFAULT_MIN_CONFIDENCE}`,
      `proposed ${proposals.length}, correct ${correct}, false positives ${falsePositives.length}, wrong polarity ${wrongPolarity.length}, missed ${missed.length}`,
      `precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}  look-alikes proposed ${lookAlikesProposed.length}/${labels.lookAlikes.length}`,
    ];
    for (const c of falsePositives) lines.push(`  FALSE POSITIVE ${c.kalshiTicker} "${c.kalshiTitle}" ~ "${c.polymarketTitle}" (${c.relation}, ${c.confidence}): ${c.reasons.join('; ')}`);
    for (const c of wrongPolarity) lines.push(`  WRONG POLARITY ${c.kalshiTicker} ~ "${c.polymarketTitle}": ${c.relation} "${c.polymarketOutcome ?? ''}"`);
    for (const t of missed) {
      const why = matcher.explain(t.kalshi_ticker, t.polymarket_condition_id);
      const detail = why === null ? 'not indexed' : why.relation === 'different' ? `vetoed: ${why.vetoes.join('; ')}` : `confidence ${why.confidence} (${why.warnings.join('; ')})`;
      const rival = matcher.candidatesFor('kalshi', t.kalshi_ticker)[0];
      lines.push(`  MISS ${t.kalshi_ticker} ~ "${t.polymarket_question}": ${detail}${rival && rival.key !== why?.key ? ` [best rival: "${rival.polymarketTitle}" ${rival.confidence}]` : ''}`);
    }
    for (const l of lookAlikesProposed) lines.push(`  LOOK-ALIKE PROPOSED ${l.kalshi_ticker} ~ "${l.polymarket_question}" (${l.reason})`);
    process.stdout.write(`${lines.join('\n')}\n`);

    expect(lookAlikesProposed).toEqual([]);
    expect(precision).toBeGreaterThanOrEqual(0.97);
    expect(recall).toBeGreaterThanOrEqual(0.85);
  });

  it('vetoes every look-alike with a reason when asked to explain it', () => {
    for (const l of labels.lookAlikes) {
      const c = matcher.explain(l.kalshi_ticker, l.polymarket_condition_id);
      expect(c, l.kalshi_ticker).not.toBeNull();
      if (c && c.relation !== 'different') {
        // not vetoed: then it must at least stay below the proposal bar
        expect(c.confidence, `${l.kalshi_ticker} ~ ${l.polymarket_question}`).toBeLessThan(DEFAULT_MIN_CONFIDENCE);
      }
    }
  });
});
