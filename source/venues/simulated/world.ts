/**
 * The simulated world behind `--demo`: deterministic order books for every
 * catalog market on both venues, moving on a seeded random walk, with planted
 * pairs whose books now and then cross across venues by more than the fees.
 *
 * Time: the world counts ticks of `tickMs` simulated milliseconds since its start
 * (`now()` at creation). Every book is a pure function of (seed, tick): each market
 * (and each planted pair) owns an independent PRNG stream that is only ever
 * consumed one tick after another, so the result does not depend on which books
 * were asked for before, or in which order.
 *
 * Price model (all integers; fair values in units of $0.0001, prices in micros):
 * - fair value: triangular random walk of ±80 units per tick, reflected inside
 *   [0.12, 0.88] for planted pairs and [0.03, 0.97] for other markets;
 * - each venue quotes YES at ceil_tick(fair + h) and NO at ceil_tick(1 − fair + h),
 *   h = 1–2 ticks, plus a per-venue wobble of at most ±0.4¢ on planted pairs. So
 *   YES ask + NO ask ≥ 1 + 2 ticks − 0.8¢ on the same venue, and across the two venues
 *   of a planted pair YES(A) + NO(B) > $1 before fees: no arbitrage in normal times;
 * - cross: when a planted pair is not crossing (and did not stop crossing on the
 *   previous tick), with probability `crossProbability` per tick its two venues'
 *   fair values split by a shift S of 8–14¢ for 2–4 ticks (one venue +S/2, the
 *   other −S/2, wobble off, h = 1 tick). Then YES on the cheap venue + NO on the
 *   rich one costs < 1 − S + 4¢ ≤ 96¢, more than the worst-case fees (Kalshi
 *   quadratic M=1 ≤ 1.75¢, Polymarket 0.03 × p(1−p) ≤ 0.75¢ per contract) below $1;
 * - ladders: 5 levels per side on planted markets, 3 on others, one tick apart,
 *   sizes whole contracts (20–500 planted, 5–150 others).
 */
import type { Market, VenueId } from '../../domain/market.js';
import { ONE, type Price, type Size } from '../../domain/money.js';
import { normaliseAsks, orderBook, type Level, type OrderBook } from '../../domain/order-book.js';
import { SIMULATED_TICK } from './catalog.js';
import type { PlantedPair } from './planted-pairs.js';
import { combine, hashString, Mulberry32, normaliseSeed, uniformInt } from './prng.js';
import type { SimulatedSettings } from './settings.js';

/** Fair values are kept in units of $0.0001 (100 micros). */
const UNIT: bigint = 100n;
const UNITS_PER_DOLLAR = 10_000;
const TICK_UNITS = 100; // $0.01

const PLANTED_BOUNDS = { low: 1_200, high: 8_800 } as const;
const OTHER_BOUNDS = { low: 300, high: 9_700 } as const;
const WALK_HALF_STEP = 40; // each of two uniform draws in ±40 → triangular ±80
const WOBBLE = 40; // ±0.4¢ per venue, planted pairs, normal times
export const CROSS_SHIFT_MIN = 800; // 8¢
export const CROSS_SHIFT_MAX = 1_400; // 14¢
export const CROSS_TICKS_MIN = 2;
export const CROSS_TICKS_MAX = 4;
const PLANTED_LEVELS = 5;
const OTHER_LEVELS = 3;
const CHECKPOINT_EVERY = 256;

/** Which venue is rich (its YES dear) while a planted pair is crossed. */
export type CrossDirection = 'kalshi-rich' | 'polymarket-rich';

export interface CrossState {
  readonly direction: CrossDirection;
  /** The full split between the venues' fair values, in micros. */
  readonly shift: Price;
  /** Ticks the cross still lasts, this one included (≥ 1). */
  readonly remaining: number;
}

export interface PairState {
  readonly tick: number;
  /** Common fair value of Kalshi YES, in micros. */
  readonly fair: Price;
  readonly cross: CrossState | null;
}

export interface SimulatedWorld {
  /** The seed as given in the settings. */
  readonly seed: number;
  readonly settings: SimulatedSettings;
  /** `now()` when the world was created: tick 0 starts here. */
  readonly startTime: number;
  readonly pairs: readonly PlantedPair[];
  markets(venue: VenueId): readonly Market[];
  /** The tick at `time` (0 before the start). */
  tickAt(time: number): number;
  /** The tick now. */
  currentTick(): number;
  /** Start time of `tick` (ms): what the books carry as their venue time. */
  timeOfTick(tick: number): number;
  /** Book of a catalog market at `tick`; undefined when the venue lists no such market. */
  bookAt(venue: VenueId, marketId: string, tick: number): OrderBook | undefined;
  /** A planted pair's hidden state at `tick`, by Kalshi ticker. */
  pairStateAt(kalshiTicker: string, tick: number): PairState;
}

export interface SimulatedWorldOptions {
  readonly settings: SimulatedSettings;
  readonly kalshiMarkets: readonly Market[];
  readonly polymarketMarkets: readonly Market[];
  readonly pairs: readonly PlantedPair[];
  /**
   * Other pairs of the same question on both venues (e.g. what the matcher
   * proposes beyond the planted pairs): they share one fair value so their
   * books agree, and they never cross. Without this, two independent walks
   * would show arbitrage that is an artefact of the simulation.
   *
   * A function is called once, when the first book of a market that is not
   * in a planted pair is asked for (finding them may take a while: the demo
   * runs the matcher over its catalog). Planted pairs' books never need it.
   */
  readonly linked?: readonly LinkedPair[] | (() => readonly LinkedPair[]) | undefined;
  readonly now: () => number;
  /** Start of tick 0 (ms); `now()` at creation when absent. */
  readonly startTime?: number | undefined;
}

export interface LinkedPair {
  readonly kalshiTicker: string;
  readonly polymarketConditionId: string;
  /** `same`: Polymarket YES pays with Kalshi YES; `inverse`: Polymarket NO does. */
  readonly relation: 'same' | 'inverse';
}

export class SimulatedSettingsError extends Error {
  override readonly name = 'SimulatedSettingsError';
}

export function validateSimulatedSettings(s: SimulatedSettings): void {
  if (!Number.isFinite(s.seed)) throw new SimulatedSettingsError(`seed must be a finite number, got ${s.seed}`);
  if (!Number.isSafeInteger(s.tickMs) || s.tickMs <= 0) {
    throw new SimulatedSettingsError(`tickMs must be a positive integer, got ${s.tickMs}`);
  }
  if (!(s.crossProbability >= 0 && s.crossProbability <= 1)) {
    throw new SimulatedSettingsError(`crossProbability must be in [0, 1], got ${s.crossProbability}`);
  }
}

interface WalkState {
  tick: number;
  fair: number; // units of $0.0001
  rng: number; // Mulberry32 state after this tick's draws
  cross: { up: boolean; shift: number; remaining: number } | null;
  crossEndedNow: boolean;
}

function reflect(x: number, low: number, high: number): number {
  let v = x;
  for (let i = 0; i < 4 && (v < low || v > high); i++) {
    if (v < low) v = 2 * low - v;
    if (v > high) v = 2 * high - v;
  }
  return Math.min(high, Math.max(low, v));
}

/**
 * One independent random stream: a fair-value walk and, for planted pairs, the
 * cross schedule. Each tick consumes exactly six draws.
 */
class Walker {
  private current: WalkState;
  private readonly checkpoints: WalkState[] = [];

  constructor(
    private readonly streamSeed: number,
    private readonly bounds: { readonly low: number; readonly high: number },
    private readonly crossProbability: number,
  ) {
    const rng = new Mulberry32(streamSeed);
    const fair = rng.int(bounds.low, bounds.high);
    this.current = this.advance({ tick: -1, fair, rng: rng.state, cross: null, crossEndedNow: false }, true);
    this.checkpoints.push(this.current);
  }

  private advance(prev: WalkState, first = false): WalkState {
    const rng = new Mulberry32(prev.rng);
    const d1 = rng.int(-WALK_HALF_STEP, WALK_HALF_STEP);
    const d2 = rng.int(-WALK_HALF_STEP, WALK_HALF_STEP);
    const roll = rng.chance(this.crossProbability);
    const up = rng.int(0, 1) === 1;
    const shift = rng.int(CROSS_SHIFT_MIN, CROSS_SHIFT_MAX);
    const duration = rng.int(CROSS_TICKS_MIN, CROSS_TICKS_MAX);
    const fair = first ? prev.fair : reflect(prev.fair + d1 + d2, this.bounds.low, this.bounds.high);
    let cross: WalkState['cross'] = null;
    let crossEndedNow = false;
    if (prev.cross !== null && prev.cross.remaining > 1) {
      cross = { ...prev.cross, remaining: prev.cross.remaining - 1 };
    } else if (prev.cross !== null) {
      crossEndedNow = true; // at least one clear tick between two crosses
    } else if (roll) {
      cross = { up, shift, remaining: duration };
    }
    return { tick: prev.tick + 1, fair, rng: rng.state, cross, crossEndedNow };
  }

  at(tick: number): WalkState {
    if (!Number.isSafeInteger(tick) || tick < 0) throw new RangeError(`tick must be a non-negative integer, got ${tick}`);
    let s = this.current;
    if (s.tick > tick) {
      const cp = this.checkpoints[Math.floor(tick / CHECKPOINT_EVERY)];
      if (cp === undefined) throw new Error('simulated world: missing checkpoint');
      s = cp;
    }
    while (s.tick < tick) {
      s = this.advance(s);
      if (s.tick % CHECKPOINT_EVERY === 0 && this.checkpoints.length === s.tick / CHECKPOINT_EVERY) {
        this.checkpoints.push(s);
      }
    }
    if (s.tick >= this.current.tick) this.current = s;
    return s;
  }
}

interface PlantedLeg {
  readonly pair: PlantedPair;
  readonly venue: VenueId;
}

/** ceil to the 1¢ grid, clamped to [0.01, 0.99]; `units` in $0.0001. */
function askFromUnits(units: number): Price {
  const ticks = Math.ceil(units / TICK_UNITS);
  const clamped = Math.min(UNITS_PER_DOLLAR / TICK_UNITS - 1, Math.max(1, ticks));
  return BigInt(clamped) * SIMULATED_TICK;
}

function ladder(best: Price, levels: number, sizeAt: (i: number) => Size): Level[] {
  const out: Level[] = [];
  for (let i = 0; i < levels; i++) {
    const price = best + BigInt(i) * SIMULATED_TICK;
    if (price >= ONE) break;
    out.push({ price, size: sizeAt(i) });
  }
  return normaliseAsks(out);
}

export function createSimulatedWorld(options: SimulatedWorldOptions): SimulatedWorld {
  const { settings, pairs, now } = options;
  validateSimulatedSettings(settings);
  const seed32 = normaliseSeed(settings.seed);
  const startTime = options.startTime ?? now();
  if (!Number.isFinite(startTime)) throw new SimulatedSettingsError(`bad start time ${startTime}`);

  const marketsByVenue: Record<VenueId, readonly Market[]> = {
    kalshi: options.kalshiMarkets,
    polymarket: options.polymarketMarkets,
  };
  const known: Record<VenueId, Set<string>> = {
    kalshi: new Set(options.kalshiMarkets.map((m) => m.id)),
    polymarket: new Set(options.polymarketMarkets.map((m) => m.id)),
  };
  const legs: Record<VenueId, Map<string, PlantedLeg>> = { kalshi: new Map(), polymarket: new Map() };
  const pairByKalshi = new Map<string, PlantedPair>();
  for (const pair of pairs) {
    legs.kalshi.set(pair.kalshiTicker, { pair, venue: 'kalshi' });
    legs.polymarket.set(pair.polymarketConditionId, { pair, venue: 'polymarket' });
    pairByKalshi.set(pair.kalshiTicker, pair);
  }
  let links: Record<VenueId, Map<string, LinkedPair>> | null = null;
  const linksOf = (venue: VenueId): Map<string, LinkedPair> => {
    if (links === null) {
      const linked = typeof options.linked === 'function' ? options.linked() : (options.linked ?? []);
      const built: Record<VenueId, Map<string, LinkedPair>> = { kalshi: new Map(), polymarket: new Map() };
      for (const link of linked) {
        if (legs.kalshi.has(link.kalshiTicker) || legs.polymarket.has(link.polymarketConditionId)) continue;
        if (built.kalshi.has(link.kalshiTicker) || built.polymarket.has(link.polymarketConditionId)) continue;
        built.kalshi.set(link.kalshiTicker, link);
        built.polymarket.set(link.polymarketConditionId, link);
      }
      links = built;
    }
    return links[venue];
  };

  const walkers = new Map<string, Walker>();
  const walker = (key: string, planted: boolean): Walker => {
    let w = walkers.get(key);
    if (w === undefined) {
      w = new Walker(
        combine(seed32, hashString(key)),
        planted ? PLANTED_BOUNDS : OTHER_BOUNDS,
        planted ? settings.crossProbability : 0,
      );
      walkers.set(key, w);
    }
    return w;
  };
  const pairWalker = (pair: PlantedPair): Walker => walker(`pair:${pair.kalshiTicker}`, true);

  /** Deterministic integer in [min, max] from labels; no stream state. */
  const draw = (min: number, max: number, ...labels: (string | number)[]): number =>
    uniformInt(
      combine(seed32, ...labels.map((l) => (typeof l === 'number' ? l >>> 0 : hashString(l)))),
      min,
      max,
    );

  const timeOfTick = (tick: number): number => startTime + tick * settings.tickMs;

  const tickAt = (time: number): number => {
    if (!Number.isFinite(time) || time <= startTime) return 0;
    return Math.floor((time - startTime) / settings.tickMs);
  };

  const pairStateAt = (kalshiTicker: string, tick: number): PairState => {
    const pair = pairByKalshi.get(kalshiTicker);
    if (pair === undefined) throw new RangeError(`${kalshiTicker} is not a planted pair`);
    const s = pairWalker(pair).at(tick);
    return {
      tick,
      fair: BigInt(s.fair) * UNIT,
      cross:
        s.cross === null
          ? null
          : {
              direction: s.cross.up ? 'kalshi-rich' : 'polymarket-rich',
              shift: BigInt(s.cross.shift) * UNIT,
              remaining: s.cross.remaining,
            },
    };
  };

  const book = (
    venue: VenueId,
    marketId: string,
    tick: number,
    yesFair: number,
    halfSpreadTicks: number,
    levels: number,
    sizeRange: readonly [number, number],
  ): OrderBook => {
    const h = halfSpreadTicks * TICK_UNITS;
    const yesBest = askFromUnits(yesFair + h);
    const noBest = askFromUnits(UNITS_PER_DOLLAR - yesFair + h);
    const size = (side: string) => (i: number): Size =>
      BigInt(draw(sizeRange[0], sizeRange[1], 'size', venue, marketId, side, tick, i)) * ONE;
    const t = timeOfTick(tick);
    return orderBook(venue, marketId, ladder(yesBest, levels, size('yes')), ladder(noBest, levels, size('no')), t, t);
  };

  const bookAt = (venue: VenueId, marketId: string, tick: number): OrderBook | undefined => {
    if (!known[venue].has(marketId)) return undefined;
    const leg = legs[venue].get(marketId);
    const link = leg === undefined ? linksOf(venue).get(marketId) : undefined;
    if (link !== undefined) {
      // one common walk that never crosses: both venues quote around the same fair value
      const s = walker(`link:${link.kalshiTicker}`, false).at(tick);
      const fair = s.fair + draw(-WOBBLE, WOBBLE, 'wobble', venue, link.kalshiTicker, tick);
      const h = draw(1, 2, 'spread', venue, link.kalshiTicker, tick);
      const yesFair = venue === 'polymarket' && link.relation === 'inverse' ? UNITS_PER_DOLLAR - fair : fair;
      return book(venue, marketId, tick, yesFair, h, OTHER_LEVELS, [5, 150]);
    }
    if (leg === undefined) {
      const s = walker(`${venue}:${marketId}`, false).at(tick);
      const h = draw(1, 3, 'spread', venue, marketId, tick);
      return book(venue, marketId, tick, s.fair, h, OTHER_LEVELS, [5, 150]);
    }
    const s = pairWalker(leg.pair).at(tick);
    // fair value of Kalshi YES as this venue sees it
    let fair = s.fair;
    let h: number;
    if (s.cross !== null) {
      const richHere = (venue === 'kalshi') === s.cross.up;
      fair += (richHere ? 1 : -1) * Math.floor(s.cross.shift / 2);
      h = 1;
    } else {
      fair += draw(-WOBBLE, WOBBLE, 'wobble', venue, leg.pair.kalshiTicker, tick);
      h = draw(1, 2, 'spread', venue, leg.pair.kalshiTicker, tick);
    }
    // this market's YES: Kalshi YES itself, or on Polymarket the outcome paying with it
    const yesFair = venue === 'polymarket' && leg.pair.relation === 'inverse' ? UNITS_PER_DOLLAR - fair : fair;
    return book(venue, marketId, tick, yesFair, h, PLANTED_LEVELS, [20, 500]);
  };

  return {
    seed: settings.seed,
    settings,
    startTime,
    pairs,
    markets: (venue) => marketsByVenue[venue],
    tickAt,
    currentTick: () => tickAt(now()),
    timeOfTick,
    bookAt,
    pairStateAt,
  };
}
