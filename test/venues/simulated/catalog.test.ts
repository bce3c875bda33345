import { describe, expect, it } from 'vitest';
import { describeFeeModel } from '../../../source/domain/fees.js';
import type { Market } from '../../../source/domain/market.js';
import { parseDecimal } from '../../../source/domain/money.js';
import {
  buildSimulatedCatalog,
  loadSimulatedCatalog,
  MAX_CLOSE_DAYS,
  MIN_CLOSE_DAYS,
  parseBundledCatalog,
  PlantedPairError,
  syntheticTokenId,
} from '../../../source/venues/simulated/catalog.js';
import { findPlantedPair, PLANTED_PAIRS, type PlantedPair } from '../../../source/venues/simulated/planted-pairs.js';
import { START } from './helpers.js';

const parsed = parseBundledCatalog();
const catalog = loadSimulatedCatalog(START);
const kalshiById = new Map(parsed.kalshi.map((m) => [m.id, m] as const));
const polyById = new Map(parsed.polymarket.map((m) => [m.id, m] as const));

function legs(p: PlantedPair): { k: Market; pm: Market } {
  const k = kalshiById.get(p.kalshiTicker);
  const pm = polyById.get(p.polymarketConditionId);
  if (k === undefined || pm === undefined) throw new Error(`pair ${p.kalshiTicker} not in catalog`);
  return { k, pm };
}

describe('planted pairs', () => {
  it('are at least 20, each market in one pair only, all `same` with Polymarket outcome 0', () => {
    expect(PLANTED_PAIRS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(PLANTED_PAIRS.map((p) => p.kalshiTicker)).size).toBe(PLANTED_PAIRS.length);
    expect(new Set(PLANTED_PAIRS.map((p) => p.polymarketConditionId)).size).toBe(PLANTED_PAIRS.length);
    for (const p of PLANTED_PAIRS) {
      expect(p.relation === 'same' ? 0 : 1).toBe(p.polymarketOutcomeForKalshiYes.index);
      expect(p.polymarketOutcomeForKalshiYes.label).toBe(p.polymarketOutcomes[p.polymarketOutcomeForKalshiYes.index]);
      expect(p.note.length).toBeGreaterThan(10);
      expect(findPlantedPair(p.kalshiTicker)).toBe(p);
      expect(findPlantedPair(p.polymarketConditionId)).toBe(p);
    }
    expect(findPlantedPair('KXNOPE')).toBeUndefined();
  });

  it('all exist in the catalog as parsed by the saved-sample parsers', () => {
    expect(parsed.kalshi).toHaveLength(384);
    expect(parsed.polymarket).toHaveLength(461);
    for (const p of PLANTED_PAIRS) {
      expect(kalshiById.has(p.kalshiTicker), p.kalshiTicker).toBe(true);
      expect(polyById.has(p.polymarketConditionId), p.polymarketConditionId).toBe(true);
    }
  });

  // Mechanical re-checks of the hand check: the distinguishing detail must agree on both titles.
  it('agree on the line of every totals and spread pair', () => {
    for (const p of PLANTED_PAIRS) {
      const { k, pm } = legs(p);
      const kLine = /over (\d+\.5) goals/.exec(k.title)?.[1];
      if (kLine === undefined) continue;
      const pLine = /O\/U (\d+\.5)$/.exec(pm.title)?.[1] ?? /\(-(\d+\.5)\)$/.exec(pm.title)?.[1];
      expect(pLine, `${p.kalshiTicker} vs ${pm.title}`).toBe(kLine);
      if (pm.title.startsWith('Spread: ')) {
        // the team giving the handicap is the one Kalshi asks about
        const kTeam = /^(.+) wins by over/.exec(k.title)?.[1] ?? '';
        expect(pm.title, p.kalshiTicker).toContain(kTeam);
        expect(p.polymarketOutcomeForKalshiYes.label).toContain(kTeam);
      } else {
        expect(p.polymarketOutcomeForKalshiYes.label).toBe('Over');
      }
    }
  });

  it('agree on district and party of every House pair', () => {
    let n = 0;
    for (const p of PLANTED_PAIRS) {
      const { k, pm } = legs(p);
      const kd = /House race for ([A-Z]{2})-(\d+|AL)\?/.exec(k.title);
      if (kd === null) continue;
      n++;
      const pd = /win the ([A-Z]{2})-(\d+|AL) House seat\?/.exec(pm.title);
      expect(pd?.[1]).toBe(kd[1]);
      expect(pd?.[2] === 'AL' ? 'AL' : Number(pd?.[2])).toBe(kd[2] === 'AL' ? 'AL' : Number(kd[2]));
      const kParty = /Democrat/.test(k.title) ? 'D' : /Republican/.test(k.title) ? 'R' : '?';
      const pParty = /Democratic Party/.test(pm.title) ? 'D' : /Republican Party/.test(pm.title) ? 'R' : '?';
      expect(pParty, p.kalshiTicker).toBe(kParty);
      expect(p.kalshiTicker.endsWith(`-${kParty}`)).toBe(true);
    }
    expect(n).toBeGreaterThanOrEqual(10);
  });

  it('agree on period: first-half Kalshi markets pair with halftime Polymarket markets only', () => {
    for (const p of PLANTED_PAIRS) {
      const { k, pm } = legs(p);
      const kHalf = /1H-/.test(p.kalshiTicker);
      const pHalf = /halftime/i.test(pm.title);
      expect(pHalf, p.kalshiTicker).toBe(kHalf);
      if (/\bTIE$/.test(p.kalshiTicker)) expect(pm.title.toLowerCase()).toContain('draw');
      else expect(pm.title.toLowerCase()).not.toContain('draw');
      if (/win on (\d{4})-(\d{2})-(\d{2})/.test(pm.title)) {
        const [, , mm, dd] = /win on (\d{4})-(\d{2})-(\d{2})/.exec(pm.title) ?? [];
        const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
        expect(k.id, pm.title).toContain(`26${months[Number(mm) - 1]}${dd}`);
      }
    }
  });

  it('leave out the look-alike traps', () => {
    const planted = new Set(PLANTED_PAIRS.flatMap((p) => [p.kalshiTicker, p.polymarketConditionId]));
    for (const trap of [
      'SENATEKS-28-D', // 2028 vs Polymarket's 2026 Kansas Senate
      'KXNEWOUTBREAK-P-26', // any pandemic vs coronavirus
      'KXIMPEACH-29-JAN20',
      'KXPERLIGA1-26-CAJ2', // FC Cajamarca, not UTC Cajamarca
      'KXWCGROUPQUAL-26A-MEX', // qualify vs win the group
      'KXCAPRIMARY-07FIRST26-DMAT', // place first vs advance
      'KXLALIGA1H-26MAY14RMAOVI-RMA', // first half vs Polymarket full time
      'KXEPLTOTAL-26MAY10BURAVL-2', // goals vs corners
      'KXRATECUTCOUNT-26DEC31-T1',
    ]) {
      expect(kalshiById.has(trap), trap).toBe(true);
      expect(planted.has(trap), trap).toBe(false);
    }
    for (const m of parsed.polymarket) {
      if (/Corners|Kansas Senate|Coronavirus|advance from the CA-07/.test(m.title)) expect(planted.has(m.id), m.title).toBe(false);
    }
  });
});

describe('simulated catalog', () => {
  it('completes every market with a known fee, a 0.01 grid, sizes, rules and a close time', () => {
    const dayStart = Date.UTC(2026, 4, 20);
    for (const m of [...catalog.kalshi, ...catalog.polymarket]) {
      expect(m.status).toBe('open');
      expect(m.priceRanges).toEqual([{ start: 10_000n, end: 990_000n, step: 10_000n }]);
      expect(m.sizeIncrement).toBe(parseDecimal('0.01'));
      expect(m.rules).toContain('SIMULATED MARKET');
      expect(m.closeTime).not.toBeNull();
      const days = ((m.closeTime ?? 0) - dayStart + 1_000) / 86_400_000 - 1;
      expect(Number.isInteger(days) && days >= MIN_CLOSE_DAYS && days <= MAX_CLOSE_DAYS, `${m.id} ${days}`).toBe(true);
      expect(m.yesLabel).not.toBe('');
    }
    expect(new Set(catalog.kalshi.map((m) => describeFeeModel(m.fee)))).toEqual(new Set(['quadratic ×1']));
    expect(new Set(catalog.polymarket.map((m) => describeFeeModel(m.fee)))).toEqual(new Set(['rate 0.03 e1 taker']));
    expect(new Set(catalog.kalshi.map((m) => m.minOrderSize))).toEqual(new Set([parseDecimal('0.01')]));
    expect(new Set(catalog.polymarket.map((m) => m.minOrderSize))).toEqual(new Set([parseDecimal('5')]));
  });

  it('gives both legs of a planted pair the same close time, and the planted outcome labels', () => {
    for (const p of PLANTED_PAIRS) {
      const k = catalog.kalshi.find((m) => m.id === p.kalshiTicker);
      const pm = catalog.polymarket.find((m) => m.id === p.polymarketConditionId);
      expect(k?.closeTime).toBe(pm?.closeTime);
      expect([pm?.yesLabel, pm?.noLabel]).toEqual([...p.polymarketOutcomes]);
    }
    const ou = catalog.polymarket.find((m) => m.title === 'SE Palmeiras vs. Cruzeiro EC: O/U 1.5');
    expect([ou?.yesLabel, ou?.noLabel]).toEqual(['Over', 'Under']);
    const spread = catalog.polymarket.find((m) => m.title === 'Spread: Cruzeiro EC (-2.5)');
    expect([spread?.yesLabel, spread?.noLabel]).toEqual(['Cruzeiro EC', 'SE Palmeiras']);
  });

  it('gives every Polymarket market distinct, deterministic, numeric token ids', () => {
    const ids = new Set<string>();
    for (const m of catalog.polymarket) {
      if (m.ref.venue !== 'polymarket') throw new Error('ref');
      expect(m.ref.yesTokenId).toMatch(/^\d+$/);
      expect(m.ref.noTokenId).toMatch(/^\d+$/);
      expect(m.ref.yesTokenId).toBe(syntheticTokenId(m.id, 0));
      ids.add(m.ref.yesTokenId);
      ids.add(m.ref.noTokenId);
    }
    expect(ids.size).toBe(catalog.polymarket.length * 2);
    expect(() => syntheticTokenId('not-hex', 0)).toThrow(PlantedPairError);
  });

  it('is the same for the same anchor time and refuses a planted pair missing from the catalog', () => {
    const again = loadSimulatedCatalog(START);
    expect(again).toEqual(catalog);
    const bogus: PlantedPair = { ...(PLANTED_PAIRS[0] as PlantedPair), kalshiTicker: 'KXNOT-THERE' };
    expect(() => buildSimulatedCatalog(parsed, START, [bogus])).toThrow(PlantedPairError);
    const dup = PLANTED_PAIRS[0] as PlantedPair;
    expect(() => buildSimulatedCatalog(parsed, START, [dup, dup])).toThrow(PlantedPairError);
  });
});
