/**
 * The simulated venues' markets: the real May 2026 catalog (copied verbatim into
 * `./catalog/`, read relative to this module, never from outside the package), parsed by the
 * venues' own saved-sample parsers, then completed with what a saved sample lacks so
 * that every market can be booked and priced. All of it is SYNTHETIC and documented:
 *
 * | field            | Kalshi                                   | Polymarket                                  |
 * |------------------|------------------------------------------|---------------------------------------------|
 * | closeTime        | start of the UTC day of the world's start + N days, at 23:59:59.000 UTC; N in 14..180 from a hash of the event (same N for both legs of a planted pair) | same rule |
 * | rules            | "SIMULATED MARKET (arb-tui --demo) …" + the question | same |
 * | priceRanges      | 0.01 … 0.99 step 0.01                    | 0.01 … 0.99 step 0.01 (tick 0.01)           |
 * | minOrderSize     | 0.01 contract                            | 5 shares (Gamma `orderMinSize` 5)           |
 * | sizeIncrement    | 0.01 contract                            | 0.01 share                                  |
 * | fee              | quadratic, M = 1 (series)                | taker rate 0.03, exponent 1, taker only     |
 * | token ids        | —                                        | decimal strings: 2·cid mod 2^256 (YES), 2·cid+1 mod 2^256 (NO), cid = the condition id as an integer |
 * | outcome labels   | Yes / No                                 | the planted pair's outcomes; else the parser's labels when it knew them; else (display only, order not verified) "Over"/"Under" for O/U, the two teams for "Spread: X (-n)" and "A vs. B", "Yes"/"No" for Both Teams to Score, "Up"/"Down" for Up or Down, "Outcome 1"/"Outcome 2" otherwise |
 *
 * Market order: planted-pair markets first (in `PLANTED_PAIRS` order), then the rest in
 * catalog order, so that a `limit` still lists the pairs the demo trades.
 */
import { readFileSync } from 'node:fs';
import type { KalshiFeeModel, PolymarketFeeModel } from '../../domain/fees.js';
import { uniformGrid, type Market, type PriceRange } from '../../domain/market.js';
import { ONE, parseDecimal } from '../../domain/money.js';
import { parseSavedKalshi } from '../kalshi/saved.js';
import { parseSavedPolymarket } from '../polymarket/saved.js';
import { PLANTED_PAIRS, type PlantedPair } from './planted-pairs.js';
import { combine, hashString, uniformInt } from './prng.js';

export const SIMULATED_TICK = parseDecimal('0.01');
export const SIMULATED_PRICE_RANGES: readonly PriceRange[] = uniformGrid(SIMULATED_TICK, ONE);

export const SIMULATED_KALSHI_FEE: KalshiFeeModel = {
  kind: 'kalshi',
  feeType: 'quadratic',
  multiplier: parseDecimal('1'),
  source: 'series',
};

export const SIMULATED_POLYMARKET_FEE: PolymarketFeeModel = {
  kind: 'polymarket',
  rate: parseDecimal('0.03'),
  exponent: 1,
  takerOnly: true,
  source: 'gamma',
};

export const SIMULATED_KALSHI_MIN_SIZE = parseDecimal('0.01');
export const SIMULATED_POLYMARKET_MIN_SIZE = parseDecimal('5');
export const SIMULATED_SIZE_INCREMENT = parseDecimal('0.01');

const DAY_MS = 86_400_000;
export const MIN_CLOSE_DAYS = 14;
export const MAX_CLOSE_DAYS = 180;

/** Raw catalog files, read relative to this module (the build must copy `catalog/` beside it). */
export function readCatalogFiles(): { kalshi: unknown; polymarket: unknown } {
  const read = (name: string): unknown =>
    JSON.parse(readFileSync(new URL(`./catalog/${name}`, import.meta.url), 'utf8')) as unknown;
  return { kalshi: read('kalshi-events.json'), polymarket: read('polymarket-events.json') };
}

export interface SimulatedCatalog {
  readonly kalshi: readonly Market[];
  readonly polymarket: readonly Market[];
}

export class PlantedPairError extends Error {
  override readonly name = 'PlantedPairError';
}

/** Synthetic token id of a Polymarket outcome: 2·cid (+1 for NO) modulo 2^256, in decimal. */
export function syntheticTokenId(conditionId: string, outcome: 0 | 1): string {
  if (!/^0x[0-9a-fA-F]{1,64}$/.test(conditionId)) {
    throw new PlantedPairError(`not a condition id: ${JSON.stringify(conditionId)}`);
  }
  const cid = BigInt(conditionId);
  return ((cid * 2n + BigInt(outcome)) % 2n ** 256n).toString(10);
}

/** Synthetic close time (ms): start of the UTC day of `anchorTime` + N days, 23:59:59.000 UTC. */
export function syntheticCloseTime(anchorTime: number, key: string): number {
  const day = Math.floor(anchorTime / DAY_MS) * DAY_MS;
  const days = uniformInt(combine(hashString('close'), hashString(key)), MIN_CLOSE_DAYS, MAX_CLOSE_DAYS);
  return day + days * DAY_MS + DAY_MS - 1_000;
}

function syntheticRules(m: Market, venueName: string): string {
  return (
    `SIMULATED MARKET (arb-tui --demo): not ${venueName}'s rule text. ` +
    `Resolves to "${m.yesLabel}" if the following is true, else "${m.noLabel}": ${m.title}`
  );
}

/** Outcome labels for a Polymarket market whose sample has none. */
function polymarketLabels(m: Market, pair: PlantedPair | undefined): [string, string] {
  if (pair) return [pair.polymarketOutcomes[0], pair.polymarketOutcomes[1]];
  if (m.yesLabel !== '' && m.noLabel !== '') return [m.yesLabel, m.noLabel];
  if (/\bO\/U \d+(\.\d+)?\b/.test(m.title)) return ['Over', 'Under'];
  const spread = /^Spread: (.+) \(-\d+(\.\d+)?\)$/.exec(m.title);
  if (spread?.[1] !== undefined) {
    const team = spread[1];
    const teams = /^(.+?) vs\. (.+?)(?: - .*)?$/.exec(m.eventTitle);
    if (teams?.[1] !== undefined && teams[2] !== undefined) {
      if (teams[1] === team) return [team, teams[2]];
      if (teams[2] === team) return [team, teams[1]];
    }
  }
  if (/: Both Teams to Score$/.test(m.title)) return ['Yes', 'No'];
  if (/ Up or Down - /.test(m.title)) return ['Up', 'Down'];
  const game = /(?:^|- )([^:]+?) vs\. ([^:]+?)\s*$/.exec(m.title);
  if (game?.[1] !== undefined && game[2] !== undefined) return [game[1], game[2]];
  return ['Outcome 1', 'Outcome 2'];
}

function plantedFirst(markets: readonly Market[], plantedIds: readonly string[]): Market[] {
  const byId = new Map(markets.map((m) => [m.id, m] as const));
  const first: Market[] = [];
  for (const id of plantedIds) {
    const m = byId.get(id);
    if (m === undefined) throw new PlantedPairError(`planted market ${id} is not in the catalog`);
    first.push(m);
  }
  const planted = new Set(plantedIds);
  return [...first, ...markets.filter((m) => !planted.has(m.id))];
}

/**
 * Complete parsed catalog markets into bookable simulated markets.
 * Throws PlantedPairError when a planted pair names a market the catalog lacks.
 */
export function buildSimulatedCatalog(
  parsed: { kalshi: readonly Market[]; polymarket: readonly Market[] },
  anchorTime: number,
  pairs: readonly PlantedPair[] = PLANTED_PAIRS,
): SimulatedCatalog {
  const pairByKalshi = new Map(pairs.map((p) => [p.kalshiTicker, p] as const));
  const pairByPolymarket = new Map(pairs.map((p) => [p.polymarketConditionId, p] as const));
  if (pairByKalshi.size !== pairs.length || pairByPolymarket.size !== pairs.length) {
    throw new PlantedPairError('a market appears in more than one planted pair');
  }
  const closeKey = (m: Market): string => {
    const pair = m.venue === 'kalshi' ? pairByKalshi.get(m.id) : pairByPolymarket.get(m.id);
    return pair ? `pair:${pair.kalshiTicker}` : `${m.venue}:event:${m.eventId}`;
  };

  const kalshi = parsed.kalshi.map((m): Market => {
    const base: Market = {
      ...m,
      yesLabel: m.yesLabel === '' ? 'Yes' : m.yesLabel,
      noLabel: m.noLabel === '' ? 'No' : m.noLabel,
    };
    return {
      ...base,
      closeTime: syntheticCloseTime(anchorTime, closeKey(m)),
      rules: syntheticRules(base, 'Kalshi'),
      status: 'open',
      priceRanges: SIMULATED_PRICE_RANGES,
      minOrderSize: SIMULATED_KALSHI_MIN_SIZE,
      sizeIncrement: SIMULATED_SIZE_INCREMENT,
      fee: SIMULATED_KALSHI_FEE,
    };
  });

  const polymarket = parsed.polymarket.map((m): Market => {
    if (m.ref.venue !== 'polymarket') throw new PlantedPairError(`market ${m.id} is not a Polymarket market`);
    const [yesLabel, noLabel] = polymarketLabels(m, pairByPolymarket.get(m.id));
    const base: Market = { ...m, yesLabel, noLabel };
    return {
      ...base,
      ref: {
        ...m.ref,
        yesTokenId: syntheticTokenId(m.ref.conditionId, 0),
        noTokenId: syntheticTokenId(m.ref.conditionId, 1),
      },
      closeTime: syntheticCloseTime(anchorTime, closeKey(m)),
      rules: syntheticRules(base, 'Polymarket'),
      status: 'open',
      priceRanges: SIMULATED_PRICE_RANGES,
      minOrderSize: SIMULATED_POLYMARKET_MIN_SIZE,
      sizeIncrement: SIMULATED_SIZE_INCREMENT,
      fee: SIMULATED_POLYMARKET_FEE,
    };
  });

  return {
    kalshi: plantedFirst(kalshi, pairs.map((p) => p.kalshiTicker)),
    polymarket: plantedFirst(polymarket, pairs.map((p) => p.polymarketConditionId)),
  };
}

let parsedCache: { kalshi: readonly Market[]; polymarket: readonly Market[] } | undefined;

/** The bundled catalog parsed by the venues' saved-sample parsers (read once per process). */
export function parseBundledCatalog(): { kalshi: readonly Market[]; polymarket: readonly Market[] } {
  if (parsedCache === undefined) {
    const files = readCatalogFiles();
    parsedCache = { kalshi: parseSavedKalshi(files.kalshi), polymarket: parseSavedPolymarket(files.polymarket) };
  }
  return parsedCache;
}

/** The bundled catalog, completed for simulation, with close times anchored at `anchorTime`. */
export function loadSimulatedCatalog(anchorTime: number, pairs: readonly PlantedPair[] = PLANTED_PAIRS): SimulatedCatalog {
  return buildSimulatedCatalog(parseBundledCatalog(), anchorTime, pairs);
}
