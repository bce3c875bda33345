/**
 * What each view lists, derived from a snapshot: filtered, sorted, with
 * stable keys. Pure; views render a window of these.
 */
import { explicitMarketLabel } from '../domain/market.js';
import type { Opportunity } from '../engine/detector.js';
import type { FillView, LogEntry, OrderView, PairView, PositionView, Snapshot } from '../store/store.js';
import { containsAll, filterWords, matchesFilter } from './format/text.js';

export type SortKey = 'net' | 'annualised';

export interface OpportunityRow {
  readonly key: string;
  readonly opportunity: Opportunity;
  /** When it vanished (its last figures are shown, faded), null while open. */
  readonly closedAt: number | null;
}

/** The opportunity's name where it stands alone (a ticket, a notice): its Kalshi market's, outcome said. */
export function pairLabel(o: Opportunity): string {
  return explicitMarketLabel(o.legs[0].market);
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareOpportunities(sort: SortKey) {
  return (a: OpportunityRow, b: OpportunityRow): number => {
    const x = a.opportunity;
    const y = b.opportunity;
    let c: number;
    if (sort === 'net') {
      c = compareBig(y.netProfit, x.netProfit);
    } else {
      // Unknown annualised return (no close time) sorts last.
      if (x.annualizedReturn === null || y.annualizedReturn === null) {
        c = x.annualizedReturn === y.annualizedReturn ? 0 : x.annualizedReturn === null ? 1 : -1;
      } else c = compareBig(y.annualizedReturn, x.annualizedReturn);
      if (c === 0) c = compareBig(y.netProfit, x.netProfit);
    }
    return c !== 0 ? c : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  };
}

/**
 * Open opportunities and the recently closed ones in one order, so a row that
 * vanishes stays where it was (faded) for the store's retention and then goes,
 * instead of the rows below jumping up at once.
 */
export function opportunityRows(snapshot: Snapshot, sort: SortKey, filter: string): OpportunityRow[] {
  const rows: OpportunityRow[] = [];
  const open = new Set<string>();
  for (const o of snapshot.opportunities) {
    open.add(o.id);
    rows.push({ key: o.id, opportunity: o, closedAt: null });
  }
  for (const c of snapshot.closed) {
    if (open.has(c.opportunity.id)) continue;
    open.add(c.opportunity.id);
    rows.push({ key: c.opportunity.id, opportunity: c.opportunity, closedAt: c.closedAt });
  }
  const filtered = filter === '' ? rows : rows.filter((r) => matchesFilter(opportunityText(r.opportunity), filter));
  return filtered.sort(compareOpportunities(sort));
}

function opportunityText(o: Opportunity): string {
  return [o.pairKey, o.direction, pairLabel(o), o.legs[1].market.title, ...o.warnings].join(' ');
}

const PAIR_STATUS_ORDER: Record<PairView['status'], number> = { candidate: 0, approved: 1, rejected: 2 };

/**
 * The pairs listed lately, by the snapshot's pairs array and the filter: a snapshot lists its
 * pairs in the same array while none changed (the store), so moving along 78,789 pairs does
 * not sort them again on every key and frame. The lists of the filters typed lately are kept
 * (`PAIR_LISTS_KEPT`): a filter that extends one of them lists only that one's pairs that match
 * it, in its order (one more character only narrows a filter), and Backspace finds the shorter
 * filter's list kept. Frozen: callers share them.
 */
const PAIR_ROWS = new WeakMap<readonly PairView[], Map<string, readonly PairView[]>>();
const PAIR_LISTS_KEPT = 32;

/**
 * Each pair's text a filter searches, lower-cased, made once per pair view (the store keeps a
 * pair's view while the pair does not change): at 78,789 pairs, building and lower-casing them
 * all took most of a key's 0.3–1.1 s.
 */
const PAIR_TEXT = new WeakMap<PairView, string>();

function pairText(p: PairView): string {
  let text = PAIR_TEXT.get(p);
  if (text === undefined) {
    text = [p.key, p.status, p.relation, explicitMarketLabel(p.kalshi), explicitMarketLabel(p.polymarket), ...p.reasons, ...p.warnings]
      .join(' ')
      .toLowerCase();
    PAIR_TEXT.set(p, text);
  }
  return text;
}

/** Candidates first (they want a decision), then approved, then rejected; by confidence within. */
export function pairRows(snapshot: Snapshot, filter: string): readonly PairView[] {
  let lists = PAIR_ROWS.get(snapshot.pairs);
  const known = lists?.get(filter);
  if (known !== undefined) return known;
  // the longest filter listed that this one extends: its rows, narrowed
  let from: readonly PairView[] | null = null;
  let fromLength = -1;
  for (const [f, rows] of lists ?? []) {
    if (f.length > fromLength && filter.startsWith(f)) {
      from = rows;
      fromLength = f.length;
    }
  }
  const words = filterWords(filter);
  const kept = (p: PairView): boolean => words.length === 0 || containsAll(pairText(p), words);
  const rows = Object.freeze(from !== null ? from.filter(kept) : sortedPairRows(snapshot, kept));
  if (lists === undefined) {
    lists = new Map();
    PAIR_ROWS.set(snapshot.pairs, lists);
  }
  if (lists.size >= PAIR_LISTS_KEPT) lists.delete(lists.keys().next().value as string);
  lists.set(filter, rows);
  return rows;
}

function sortedPairRows(snapshot: Snapshot, kept: (p: PairView) => boolean): PairView[] {
  const rows = snapshot.pairs.filter(kept);
  return rows.sort(
    (a, b) =>
      PAIR_STATUS_ORDER[a.status] - PAIR_STATUS_ORDER[b.status] ||
      compareBig(b.confidence, a.confidence) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

export function positionKey(p: PositionView): string {
  return `${p.venue}:${p.marketId}:${p.side}`;
}

export function positionRows(snapshot: Snapshot, filter: string): PositionView[] {
  if (filter === '') return [...snapshot.positions];
  return snapshot.positions.filter((p) => matchesFilter([p.venue, p.marketId, p.title, p.side, p.pairKey ?? ''].join(' '), filter));
}

export function orderRows(snapshot: Snapshot, filter: string): OrderView[] {
  if (filter === '') return [...snapshot.orders];
  return snapshot.orders.filter((o) => matchesFilter([o.id, o.venue, o.marketId, o.side, o.status, o.pairKey ?? ''].join(' '), filter));
}

export function fillRows(snapshot: Snapshot, filter: string): FillView[] {
  if (filter === '') return [...snapshot.fills];
  return snapshot.fills.filter((f) => matchesFilter([f.id, f.orderId, f.venue, f.marketId, f.side].join(' '), filter));
}

export interface LogRow {
  readonly key: string;
  readonly entry: LogEntry;
}

/** Newest first; keys stay stable as entries are added (index from the oldest kept entry's time and position). */
export function logRows(snapshot: Snapshot, filter: string): LogRow[] {
  const out: LogRow[] = [];
  const seen = new Map<string, number>();
  for (const entry of snapshot.log) {
    const base = `${entry.at}:${entry.level}:${entry.message}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    if (filter !== '' && !matchesFilter(`${entry.level} ${entry.message}`, filter)) continue;
    out.push({ key: `${base}#${n}`, entry });
  }
  return out.reverse();
}

/** Positions summed: cost, marked value (of the positions that have a mark), unrealised and realised P&L. */
export interface PnlTotals {
  readonly cost: bigint;
  readonly markValue: bigint;
  readonly unrealised: bigint;
  readonly realised: bigint;
  /** Positions without a book to mark them. */
  readonly unmarked: number;
}

export function pnlTotals(positions: readonly PositionView[]): PnlTotals {
  let cost = 0n;
  let markValue = 0n;
  let unrealised = 0n;
  let realised = 0n;
  let unmarked = 0;
  for (const p of positions) {
    cost += p.cost;
    realised += p.realisedPnl;
    if (p.markValue === null) unmarked += 1;
    else {
      markValue += p.markValue;
      unrealised += p.markValue - p.cost;
    }
  }
  return { cost, markValue, unrealised, realised, unmarked };
}
