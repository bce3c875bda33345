/**
 * What the execution layer writes and reads in the database, beyond the raw
 * repositories: fills applied once (by (venue, fill id)) with the position they
 * move, a trade's realised figures from its fills, and the figures the risk gate
 * needs. Every function here runs inside a caller's transaction (sync, sql.js).
 */
import type { VenueId } from '../../domain/market.js';
import { div, divRound, mul, notional, ONE, SCALE, type Money, type Size } from '../../domain/money.js';
import type { Repositories } from '../../persistence/repositories.js';
import type { FillInput, FillRow, OrderRow, PositionRow } from '../../persistence/repositories/orders.js';

/** Order types we write: role of the order inside its attempt. */
export const ORDER_TYPE_LEG0 = 'ioc:leg0';
export const ORDER_TYPE_LEG1 = 'ioc:leg1';
export const ORDER_TYPE_UNWIND = 'ioc:unwind';

export type OrderRole = 'leg0' | 'leg1' | 'unwind';

export function roleOf(row: OrderRow): OrderRole | null {
  if (row.orderType === ORDER_TYPE_LEG0) return 'leg0';
  if (row.orderType === ORDER_TYPE_LEG1) return 'leg1';
  if (row.orderType === ORDER_TYPE_UNWIND) return 'unwind';
  return null;
}

/** Order row states that will not change any more. */
export const FINAL_ORDER_STATES: ReadonlySet<string> = new Set(['filled', 'canceled', 'rejected', 'not-placed']);

/**
 * The position after one fill: buys add size and cost; sells remove size at the average cost
 * and realise P&L. A sale of more than is held (possible only once a bought fill before it
 * was voided by the venue) counts for what was held, its fee pro rata (rounded up): shares
 * never delivered are neither held nor sold, and a position never goes below zero.
 */
export function positionAfterFill(
  current: Pick<PositionRow, 'size' | 'cost' | 'realisedPnl'> | undefined,
  given: FillRow | FillInput,
): Omit<PositionRow, 'updatedAt'> {
  const size = current?.size ?? 0n;
  const held = size > 0n ? size : 0n;
  const fill = given.action === 'sell' && given.size > held ? { ...given, size: held, fee: divRound(given.fee * held, given.size, 'ceil') } : given;
  const cost = current?.cost ?? 0n;
  const realised = current?.realisedPnl ?? 0n;
  if (fill.action === 'buy') {
    return {
      venue: fill.venue,
      marketId: fill.marketId,
      side: fill.side,
      size: size + fill.size,
      cost: cost + notional(fill.price, fill.size, 'ceil') + fill.fee,
      realisedPnl: realised,
      source: 'fills',
    };
  }
  const removed = size > 0n ? divRound(cost * (fill.size < size ? fill.size : size), size, 'ceil') : 0n;
  const proceeds = notional(fill.price, fill.size, 'floor') - fill.fee;
  return {
    venue: fill.venue,
    marketId: fill.marketId,
    side: fill.side,
    size: size - fill.size,
    cost: cost - removed,
    realisedPnl: realised + proceeds - removed,
    source: 'fills',
  };
}

export function findPosition(repos: Repositories, venue: VenueId, marketId: string, side: 'yes' | 'no'): PositionRow | undefined {
  return repos.orders.positions().find((p) => p.venue === venue && p.marketId === marketId && p.side === side);
}

/** Record a fill once; when new, move the position. Returns the new position, or null when the fill was known. */
export function applyFill(repos: Repositories, fill: FillInput): PositionRow | null {
  if (!repos.orders.recordFill(fill)) return null;
  const next = positionAfterFill(findPosition(repos, fill.venue, fill.marketId, fill.side), fill);
  repos.orders.upsertPosition(next);
  return findPosition(repos, fill.venue, fill.marketId, fill.side) ?? null;
}

/**
 * Rebuild one position from its fills (in the order they were recorded, voided fills left
 * out): what `applyFill` would have made had the voided fills never been recorded. Returns
 * the position written.
 */
export function replayPosition(repos: Repositories, venue: VenueId, marketId: string, side: 'yes' | 'no'): PositionRow {
  let position: Omit<PositionRow, 'updatedAt'> | undefined;
  for (const fill of repos.orders.fillsForPosition(venue, marketId, side)) position = positionAfterFill(position, fill);
  repos.orders.upsertPosition(position ?? { venue, marketId, side, size: 0n, cost: 0n, realisedPnl: 0n, source: 'fills' });
  return findPosition(repos, venue, marketId, side) as PositionRow;
}

export interface TradeFigures {
  /** Contracts filled per leg (buys), and sold back by unwinds per leg. */
  readonly filled: readonly [Size, Size];
  readonly unwound: readonly [Size, Size];
  /** `unwound`, counting no more than each leg bought (a sale beyond it follows a voided buy: never held, never sold). */
  readonly sold: readonly [Size, Size];
  readonly hedged: Size;
  /** hedged × $1 − cost of the hedged contracts (fees included) + P&L of unwinds; null when nothing was hedged or unwound. */
  readonly realisedPnl: Money | null;
  /** realisedPnl / hedged, per contract (rounded down); null when nothing is hedged. */
  readonly realisedEdge: Money | null;
}

interface LegCost {
  size: Size;
  cost: Money;
}

/** A trade's realised figures from the fills of its orders (costs rounded against us). */
export function tradeFigures(repos: Repositories, tradeId: number): TradeFigures {
  const orders = repos.orders.listByTrade(tradeId);
  const buys: [LegCost, LegCost] = [
    { size: 0n, cost: 0n },
    { size: 0n, cost: 0n },
  ];
  const sells: [{ size: Size; proceeds: Money }, { size: Size; proceeds: Money }] = [
    { size: 0n, proceeds: 0n },
    { size: 0n, proceeds: 0n },
  ];
  const legOf = new Map<string, 0 | 1>();
  for (const o of orders) {
    const role = roleOf(o);
    if (role === 'leg0' || role === 'leg1') legOf.set(`${o.venue}|${o.marketId}|${o.side}`, role === 'leg0' ? 0 : 1);
  }
  for (const o of orders) {
    const role = roleOf(o);
    const leg = legOf.get(`${o.venue}|${o.marketId}|${o.side}`);
    if (role === null || leg === undefined) continue;
    for (const f of repos.orders.fillsForOrder(o.clientOrderId)) {
      if (f.action === 'buy') {
        buys[leg].size += f.size;
        buys[leg].cost += notional(f.price, f.size, 'ceil') + f.fee;
      } else {
        sells[leg].size += f.size;
        sells[leg].proceeds += notional(f.price, f.size, 'floor') - f.fee;
      }
    }
  }
  // Sold back beyond what a leg bought: possible only once a bought fill was voided after the
  // unwind (a ghost fill); those contracts were never held, and their sale earns nothing here.
  const sold = [0, 1].map((i) => {
    const s = sells[i as 0 | 1];
    const b = buys[i as 0 | 1].size;
    return s.size <= b ? s : { size: b, proceeds: divRound(s.proceeds * b, s.size, 'floor') };
  }) as [{ size: Size; proceeds: Money }, { size: Size; proceeds: Money }];
  const held0 = buys[0].size - sold[0].size;
  const held1 = buys[1].size - sold[1].size;
  const hedged = held0 < held1 ? held0 : held1;
  const avg = (l: LegCost): Money => (l.size === 0n ? 0n : div(l.cost, l.size, 'ceil'));
  let pnl: Money = 0n;
  if (hedged > 0n) pnl += mul(hedged, ONE, 'floor') - mul(avg(buys[0]), hedged, 'ceil') - mul(avg(buys[1]), hedged, 'ceil');
  for (const i of [0, 1] as const) {
    if (sold[i].size > 0n) pnl += sold[i].proceeds - mul(avg(buys[i]), sold[i].size, 'ceil');
  }
  const traded = hedged > 0n || sold[0].size > 0n || sold[1].size > 0n;
  return {
    filled: [buys[0].size, buys[1].size],
    unwound: [sells[0].size, sells[1].size],
    sold: [sold[0].size, sold[1].size],
    hedged,
    realisedPnl: traded ? pnl : null,
    realisedEdge: hedged > 0n ? divRound(pnl * SCALE, hedged, 'floor') : null,
  };
}

/** Cost held (fees included) across positions, optionally only on some markets. */
export function heldCost(positions: readonly PositionRow[], only?: ReadonlySet<string>): Money {
  let total = 0n;
  for (const [market, cost] of heldCostByMarket(positions)) if (only === undefined || only.has(market)) total += cost;
  return total;
}

/** `heldCost` per market (`venue|marketId`): the cost of the positions held in it. */
export function heldCostByMarket(positions: readonly PositionRow[]): Map<string, Money> {
  const byMarket = new Map<string, Money>();
  for (const p of positions) {
    if (p.size <= 0n) continue;
    const key = `${p.venue}|${p.marketId}`;
    byMarket.set(key, (byMarket.get(key) ?? 0n) + p.cost);
  }
  return byMarket;
}

const DAY_MS = 86_400_000;

/** Realised P&L of trades created today (UTC), every session. */
export function realisedToday(repos: Repositories, now: number): Money {
  const start = Math.floor(now / DAY_MS) * DAY_MS;
  let total = 0n;
  for (const s of repos.sessions.list()) {
    if (s.endedAt !== null && s.endedAt < start) continue;
    for (const t of repos.trades.listBySession(s.id)) {
      if (t.createdAt >= start && t.realisedPnl !== null) total += t.realisedPnl;
    }
  }
  return total;
}
