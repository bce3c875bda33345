/**
 * Reads the rows the CSV exports are built from (one query per export, with
 * the pair's market titles joined in). The CSV writers in source/export/ are
 * pure functions of these rows.
 */
import { z } from 'zod';
import { exactInteger, type SqlCell, type SqlConnection, type SqlRow } from './connection.js';
import { PersistenceError } from './errors.js';
import { NOT_VOIDED, toFill, type FillRow } from './repositories/orders.js';
import type { OpportunityRow } from './repositories/opportunities.js';
import { toTrade, type TradeRow } from './repositories/trades.js';
import type { PairRelation, PairVerdict, VerdictSource } from './repositories/pairs.js';
import { PAIR_RELATIONS, PAIR_VERDICTS } from './repositories/pairs.js';
import {
  cellE6,
  cellEnum,
  cellOptEnum,
  cellOptSafeInt,
  cellOptText,
  cellSafeInt,
  cellText,
  rowParser,
  zE6,
  zOptE6,
  zOptSafeInt,
  zOptText,
  zSafeInt,
  zText,
} from './row-schemas.js';

/** Which sessions an export covers. */
export type SessionSelector = { readonly kind: 'all' } | { readonly kind: 'last' } | { readonly kind: 'id'; readonly id: number };

export interface PairTitles {
  readonly kalshiMarketId: string;
  readonly polymarketMarketId: string;
  readonly kalshiTitle: string | null;
  readonly polymarketTitle: string | null;
}

export type OpportunityExportRow = OpportunityRow & PairTitles;

export interface LegTotals {
  /** Contracts filled on this venue's orders of the trade. */
  readonly filled: bigint;
  /** Σ price × size of those fills at scale 1e12 (exact; format with rounding). */
  readonly costE12: bigint;
  readonly fees: bigint;
}

export type TradeExportRow = TradeRow & PairTitles & { readonly kalshi: LegTotals; readonly polymarket: LegTotals };

export type FillExportRow = FillRow & {
  readonly tradeId: number | null;
  readonly title: string | null;
  /** when the venue voided the fill after matching (it did not happen; left out of every total), else null */
  readonly voidedAt: number | null;
};

export interface PairExportRow extends PairTitles {
  readonly id: number;
  readonly relation: PairRelation;
  readonly verdict: PairVerdict;
  readonly score: bigint | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly verdictCount: number;
  readonly lastDecidedBy: VerdictSource | null;
  readonly lastReason: string | null;
}

/** Resolve a selector to concrete session ids (ascending). Throws not-found. */
export function resolveSessions(conn: SqlConnection, selector: SessionSelector, dbPath: string): number[] {
  if (selector.kind === 'id') {
    const found = conn.get('SELECT id FROM sessions WHERE id = ?', [selector.id], (r) => Number(r['id']));
    if (found === undefined) throw new PersistenceError('not-found', `no session ${selector.id} in ${dbPath} (see: arb-tui sessions)`);
    return [found];
  }
  const ids = conn.all('SELECT id FROM sessions ORDER BY id', [], (r) => Number(r['id']));
  if (ids.length === 0) throw new PersistenceError('not-found', `no sessions recorded in ${dbPath} yet`);
  return selector.kind === 'all' ? ids : [ids[ids.length - 1] as number];
}

function inList(ids: readonly number[]): { sql: string; params: number[] } {
  return { sql: ids.map(() => '?').join(', '), params: [...ids] };
}

const titles = z.object({
  kalshi_market_id: zText,
  polymarket_market_id: zText,
  kalshi_title: zOptText,
  polymarket_title: zOptText,
});
const parseTitles = rowParser(titles, 'pair');

function toTitles(row: SqlRow): PairTitles {
  const t = parseTitles(row);
  return {
    kalshiMarketId: t.kalshi_market_id,
    polymarketMarketId: t.polymarket_market_id,
    kalshiTitle: t.kalshi_title,
    polymarketTitle: t.polymarket_title,
  };
}

const PAIR_JOIN = `JOIN pairs p ON p.id = x.pair_id
  LEFT JOIN markets km ON km.venue = 'kalshi' AND km.market_id = p.kalshi_market_id
  LEFT JOIN markets pm ON pm.venue = 'polymarket' AND pm.market_id = p.polymarket_market_id`;
const PAIR_COLUMNS = `p.kalshi_market_id, p.polymarket_market_id, km.title AS kalshi_title, pm.title AS polymarket_title`;

const OPPORTUNITY_EXPORT_SQL = (placeholders: string): string =>
  `SELECT x.id, x.session_id, x.pair_id, x.first_seen_at, x.last_seen_at, x.best_at,
     ${exactInteger('x.best_net_edge_e6')}, ${exactInteger('x.size_e6')},
     x.kalshi_side, ${exactInteger('x.kalshi_price_e6')}, ${exactInteger('x.kalshi_fee_e6')},
     x.polymarket_side, ${exactInteger('x.polymarket_price_e6')}, ${exactInteger('x.polymarket_fee_e6')},
     x.outcome, x.outcome_reason, x.closed_at
   FROM opportunities x WHERE x.session_id IN (${placeholders}) ORDER BY x.id`;

const TITLES_SQL = `SELECT p.id, ${PAIR_COLUMNS} FROM pairs p
  LEFT JOIN markets km ON km.venue = 'kalshi' AND km.market_id = p.kalshi_market_id
  LEFT JOIN markets pm ON pm.venue = 'polymarket' AND pm.market_id = p.polymarket_market_id`;

function decodeTitles(c: readonly SqlCell[]): PairTitles {
  return {
    kalshiMarketId: cellText(c[1], 'pair', 'kalshi_market_id'),
    polymarketMarketId: cellText(c[2], 'pair', 'polymarket_market_id'),
    kalshiTitle: cellOptText(c[3], 'pair', 'kalshi_title'),
    polymarketTitle: cellOptText(c[4], 'pair', 'polymarket_title'),
  };
}

const SIDES = ['yes', 'no'] as const;
const OUTCOMES = ['expired', 'executed', 'skipped'] as const;

/** Check and convert one row of OPPORTUNITY_EXPORT_SQL (compiled checks: the same rules as toOpportunity's schema). */
function decodeOpportunityExport(c: readonly SqlCell[], titlesOf: (pairId: number) => PairTitles): OpportunityExportRow {
  const w = 'opportunity';
  const pairId = cellSafeInt(c[2], w, 'pair_id');
  const t = titlesOf(pairId);
  return {
    id: cellSafeInt(c[0], w, 'id'),
    sessionId: cellSafeInt(c[1], w, 'session_id'),
    pairId,
    firstSeenAt: cellSafeInt(c[3], w, 'first_seen_at'),
    lastSeenAt: cellSafeInt(c[4], w, 'last_seen_at'),
    bestAt: cellSafeInt(c[5], w, 'best_at'),
    bestNetEdge: cellE6(c[6], w, 'best_net_edge_e6'),
    size: cellE6(c[7], w, 'size_e6'),
    kalshi: { side: cellEnum(c[8], SIDES, w, 'kalshi_side'), price: cellE6(c[9], w, 'kalshi_price_e6'), fee: cellE6(c[10], w, 'kalshi_fee_e6') },
    polymarket: {
      side: cellEnum(c[11], SIDES, w, 'polymarket_side'),
      price: cellE6(c[12], w, 'polymarket_price_e6'),
      fee: cellE6(c[13], w, 'polymarket_fee_e6'),
    },
    outcome: cellOptEnum(c[14], OUTCOMES, w, 'outcome'),
    outcomeReason: cellOptText(c[15], w, 'outcome_reason'),
    closedAt: cellOptSafeInt(c[16], w, 'closed_at'),
    kalshiMarketId: t.kalshiMarketId,
    polymarketMarketId: t.polymarketMarketId,
    kalshiTitle: t.kalshiTitle,
    polymarketTitle: t.polymarketTitle,
  };
}

/**
 * The opportunities of the sessions with their pair's market ids and titles,
 * one at a time from a stepped statement (an export of 100,000 rows never
 * holds them all). The titles are read once per pair, not joined per row.
 */
export function* iterateOpportunityExportRows(conn: SqlConnection, sessionIds: readonly number[]): Generator<OpportunityExportRow, void, undefined> {
  const list = inList(sessionIds);
  const titles = new Map<number, PairTitles>();
  for (const c of conn.iterate(
    `${TITLES_SQL} WHERE p.id IN (SELECT DISTINCT pair_id FROM opportunities WHERE session_id IN (${list.sql}))`,
    list.params,
    { integers: 'number' },
  )) {
    titles.set(cellSafeInt(c[0], 'pair', 'id'), decodeTitles(c));
  }
  const titlesOf = (pairId: number): PairTitles => {
    let t = titles.get(pairId);
    if (t === undefined) {
      // A pair recorded after the iteration started (the caller wrote meanwhile).
      const [row] = [...conn.iterate(`${TITLES_SQL} WHERE p.id = ?`, [pairId], { integers: 'number' })];
      if (row === undefined) throw new PersistenceError('bad-row', `an opportunity row in the database is invalid: field pair_id: no pair ${pairId}`);
      t = decodeTitles(row);
      titles.set(pairId, t);
    }
    return t;
  };
  for (const cells of conn.iterate(OPPORTUNITY_EXPORT_SQL(list.sql), list.params, { integers: 'number' })) {
    yield decodeOpportunityExport(cells, titlesOf);
  }
}

export function opportunityExportRows(conn: SqlConnection, sessionIds: readonly number[]): OpportunityExportRow[] {
  return [...iterateOpportunityExportRows(conn, sessionIds)];
}

const parseLegs = rowParser(
  z.object({
    k_filled: zE6,
    k_cost_e12: zE6,
    k_fees: zE6,
    p_filled: zE6,
    p_cost_e12: zE6,
    p_fees: zE6,
  }),
  'trade totals',
);

export function tradeExportRows(conn: SqlConnection, sessionIds: readonly number[]): TradeExportRow[] {
  const list = inList(sessionIds);
  const leg = (venue: string, col: string): string =>
    `(SELECT coalesce(sum(${col}), 0) FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id
       WHERE o.trade_id = x.id AND f.venue = '${venue}' AND ${NOT_VOIDED})`;
  // price_e6 × size_e6 fits 64 bits for any sane fill (≤ $1 × 9.2 million contracts); SQLite raises on overflow.
  return conn.all(
    `SELECT x.*, ${PAIR_COLUMNS},
       ${leg('kalshi', 'f.size_e6')} AS k_filled, ${leg('kalshi', 'f.price_e6 * f.size_e6')} AS k_cost_e12, ${leg('kalshi', 'f.fee_e6')} AS k_fees,
       ${leg('polymarket', 'f.size_e6')} AS p_filled, ${leg('polymarket', 'f.price_e6 * f.size_e6')} AS p_cost_e12, ${leg('polymarket', 'f.fee_e6')} AS p_fees
     FROM trades x ${PAIR_JOIN} WHERE x.session_id IN (${list.sql}) ORDER BY x.id`,
    list.params,
    (r) => {
      const legs = parseLegs(r);
      return {
        ...toTrade(r),
        ...toTitles(r),
        kalshi: { filled: legs.k_filled, costE12: legs.k_cost_e12, fees: legs.k_fees },
        polymarket: { filled: legs.p_filled, costE12: legs.p_cost_e12, fees: legs.p_fees },
      };
    },
  );
}

const parseFillExtra = rowParser(z.object({ trade_id: zOptSafeInt, title: zOptText, voided_at: zOptSafeInt }), 'fill');

export function fillExportRows(conn: SqlConnection, sessionIds: readonly number[]): FillExportRow[] {
  const list = inList(sessionIds);
  return conn.all(
    `SELECT f.*, o.trade_id AS trade_id, m.title AS title, v.voided_at AS voided_at FROM fills f
       LEFT JOIN orders o ON o.client_order_id = f.client_order_id
       LEFT JOIN markets m ON m.venue = f.venue AND m.market_id = f.market_id
       LEFT JOIN fill_voids v ON v.venue = f.venue AND v.venue_fill_id = f.venue_fill_id
     WHERE f.session_id IN (${list.sql}) ORDER BY f.filled_at, f.venue, f.venue_fill_id`,
    list.params,
    (r) => {
      const extra = parseFillExtra(r);
      return { ...toFill(r), tradeId: extra.trade_id, title: extra.title, voidedAt: extra.voided_at };
    },
  );
}

const parsePairExport = rowParser(
  z.object({
    id: zSafeInt,
    relation: z.enum(PAIR_RELATIONS),
    verdict: z.enum(PAIR_VERDICTS),
    score_e6: zOptE6,
    created_at: zSafeInt,
    updated_at: zSafeInt,
    verdict_count: zSafeInt,
    last_decided_by: z.enum(['matcher', 'user', 'engine']).nullable(),
    last_reason: zOptText,
  }),
  'pair',
);

/**
 * Pairs touched by the sessions (a verdict, an opportunity or a trade in one of
 * them); with `all` every pair.
 */
export function pairExportRows(conn: SqlConnection, sessionIds: readonly number[] | 'all'): PairExportRow[] {
  const filter =
    sessionIds === 'all'
      ? { sql: '', params: [] as number[] }
      : (() => {
          const l = inList(sessionIds);
          return {
            sql: `WHERE x.id IN (SELECT pair_id FROM pair_verdicts WHERE session_id IN (${l.sql})
                     UNION SELECT pair_id FROM opportunities WHERE session_id IN (${l.sql})
                     UNION SELECT pair_id FROM trades WHERE session_id IN (${l.sql}))`,
            params: [...l.params, ...l.params, ...l.params],
          };
        })();
  return conn.all(
    `SELECT x.*, x.id AS pair_id, ${PAIR_COLUMNS.replaceAll('p.', 'x.')},
       (SELECT count(*) FROM pair_verdicts v WHERE v.pair_id = x.id) AS verdict_count,
       (SELECT v.decided_by FROM pair_verdicts v WHERE v.pair_id = x.id ORDER BY v.id DESC LIMIT 1) AS last_decided_by,
       (SELECT v.reason FROM pair_verdicts v WHERE v.pair_id = x.id ORDER BY v.id DESC LIMIT 1) AS last_reason
     FROM pairs x
       LEFT JOIN markets km ON km.venue = 'kalshi' AND km.market_id = x.kalshi_market_id
       LEFT JOIN markets pm ON pm.venue = 'polymarket' AND pm.market_id = x.polymarket_market_id
     ${filter.sql} ORDER BY x.id`,
    filter.params,
    (r) => {
      const p = parsePairExport(r);
      return {
        ...toTitles(r),
        id: p.id,
        relation: p.relation,
        verdict: p.verdict,
        score: p.score_e6,
        createdAt: p.created_at,
        updatedAt: p.updated_at,
        verdictCount: p.verdict_count,
        lastDecidedBy: p.last_decided_by,
        lastReason: p.last_reason,
      };
    },
  );
}
