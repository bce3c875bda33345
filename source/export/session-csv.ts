/**
 * The four exports of session history: opportunities, trades (expected vs
 * realised edge), fills and pairs. Pure functions of rows read by
 * source/persistence/export-queries.ts.
 */
import { divRound, mul, SCALE } from '../domain/money.js';
import type {
  FillExportRow,
  OpportunityExportRow,
  PairExportRow,
  TradeExportRow,
} from '../persistence/export-queries.js';
import { csvChunks, dec, formatE6, int, isoUtc, textField, time, toCsv, type CsvColumn, type CsvOptions } from './csv.js';

export type ExportKind = 'opportunities' | 'trades' | 'fills' | 'pairs';
export const EXPORT_KINDS: readonly ExportKind[] = ['opportunities', 'trades', 'fills', 'pairs'];

/** Expected profit of an opportunity at its best: edge × size, rounded down (what we could count on). */
export function opportunityProfit(row: OpportunityExportRow): bigint {
  return mul(row.bestNetEdge, row.size, 'floor');
}

/** Realised edge per hedged contract, rounded half-even at 6 dp; null until both are known. */
export function realisedEdge(row: TradeExportRow): bigint | null {
  if (row.realisedPnl === null || row.hedgedSize === null || row.hedgedSize === 0n) return null;
  return divRound(row.realisedPnl * SCALE, row.hedgedSize, 'half-even');
}

/** Cost of a leg from its exact scale-1e12 sum, rounded up (what we paid). */
function legCost(costE12: bigint): bigint {
  return divRound(costE12, SCALE, 'ceil');
}

export const OPPORTUNITY_COLUMNS: readonly CsvColumn<OpportunityExportRow>[] = [
  { header: 'session_id', value: (r) => int(r.sessionId) },
  { header: 'opportunity_id', value: (r) => int(r.id) },
  { header: 'pair_id', value: (r) => int(r.pairId) },
  { header: 'kalshi_market', value: (r) => r.kalshiMarketId },
  { header: 'kalshi_title', value: (r) => r.kalshiTitle },
  { header: 'polymarket_market', value: (r) => r.polymarketMarketId },
  { header: 'polymarket_title', value: (r) => r.polymarketTitle },
  { header: 'first_seen_utc', value: (r) => time(r.firstSeenAt) },
  { header: 'last_seen_utc', value: (r) => time(r.lastSeenAt) },
  { header: 'best_at_utc', value: (r) => time(r.bestAt) },
  { header: 'best_net_edge_per_contract', value: (r) => dec(r.bestNetEdge) },
  { header: 'size_contracts', value: (r) => dec(r.size) },
  { header: 'expected_profit', value: (r) => dec(opportunityProfit(r)) },
  { header: 'kalshi_side', value: (r) => r.kalshi.side },
  { header: 'kalshi_price', value: (r) => dec(r.kalshi.price) },
  { header: 'kalshi_fee', value: (r) => dec(r.kalshi.fee) },
  { header: 'polymarket_side', value: (r) => r.polymarket.side },
  { header: 'polymarket_price', value: (r) => dec(r.polymarket.price) },
  { header: 'polymarket_fee', value: (r) => dec(r.polymarket.fee) },
  { header: 'outcome', value: (r) => r.outcome ?? 'open' },
  { header: 'outcome_reason', value: (r) => r.outcomeReason },
  { header: 'closed_utc', value: (r) => time(r.closedAt) },
];

const utc = (ms: number | null): string => (ms === null ? '' : isoUtc(ms));

/** The four market cells of a pair, rendered once per pair (rows of one pair share these strings). */
const pairFieldCache = new Map<number, { readonly k: string; readonly kt: string | null; readonly p: string; readonly pt: string | null; readonly text: string }>();

function pairFields(r: OpportunityExportRow): string {
  const c = pairFieldCache.get(r.pairId);
  if (c !== undefined && c.k === r.kalshiMarketId && c.kt === r.kalshiTitle && c.p === r.polymarketMarketId && c.pt === r.polymarketTitle) return c.text;
  const text = `${textField(r.kalshiMarketId)},${textField(r.kalshiTitle)},${textField(r.polymarketMarketId)},${textField(r.polymarketTitle)}`;
  if (pairFieldCache.size >= 4096) pairFieldCache.clear();
  pairFieldCache.set(r.pairId, { k: r.kalshiMarketId, kt: r.kalshiTitle, p: r.polymarketMarketId, pt: r.polymarketTitle, text });
  return text;
}

/**
 * One record of the opportunities export, exactly csvRecord(OPPORTUNITY_COLUMNS,
 * row) (a property test in test/export checks it on arbitrary rows), built in
 * one template without a cell object and a closure call per column: exports
 * of 100,000 rows must take under a second. Change both together.
 */
export function opportunityRecord(r: OpportunityExportRow): string {
  return `${r.sessionId},${r.id},${r.pairId},${pairFields(r)},${isoUtc(r.firstSeenAt)},${isoUtc(r.lastSeenAt)},${isoUtc(r.bestAt)},${formatE6(r.bestNetEdge)},${formatE6(r.size)},${formatE6(
    opportunityProfit(r),
  )},${textField(r.kalshi.side)},${formatE6(r.kalshi.price)},${formatE6(r.kalshi.fee)},${textField(r.polymarket.side)},${formatE6(
    r.polymarket.price,
  )},${formatE6(r.polymarket.fee)},${textField(r.outcome ?? 'open')},${textField(r.outcomeReason)},${utc(r.closedAt)}\r\n`;
}

export const TRADE_COLUMNS: readonly CsvColumn<TradeExportRow>[] = [
  { header: 'session_id', value: (r) => int(r.sessionId) },
  { header: 'trade_id', value: (r) => int(r.id) },
  { header: 'pair_id', value: (r) => int(r.pairId) },
  { header: 'opportunity_id', value: (r) => int(r.opportunityId) },
  { header: 'kalshi_market', value: (r) => r.kalshiMarketId },
  { header: 'kalshi_title', value: (r) => r.kalshiTitle },
  { header: 'polymarket_market', value: (r) => r.polymarketMarketId },
  { header: 'polymarket_title', value: (r) => r.polymarketTitle },
  { header: 'created_utc', value: (r) => time(r.createdAt) },
  { header: 'updated_utc', value: (r) => time(r.updatedAt) },
  { header: 'status', value: (r) => r.status },
  { header: 'planned_size', value: (r) => dec(r.plannedSize) },
  { header: 'hedged_size', value: (r) => dec(r.hedgedSize) },
  { header: 'expected_edge_per_contract', value: (r) => dec(r.expectedEdge) },
  { header: 'realised_edge_per_contract', value: (r) => dec(realisedEdge(r)) },
  {
    header: 'edge_difference',
    value: (r) => {
      const realised = realisedEdge(r);
      return dec(realised === null ? null : realised - r.expectedEdge);
    },
  },
  { header: 'expected_pnl', value: (r) => dec(r.expectedPnl) },
  { header: 'realised_pnl', value: (r) => dec(r.realisedPnl) },
  { header: 'kalshi_filled', value: (r) => dec(r.kalshi.filled) },
  { header: 'kalshi_cost', value: (r) => dec(legCost(r.kalshi.costE12)) },
  { header: 'kalshi_fees', value: (r) => dec(r.kalshi.fees) },
  { header: 'polymarket_filled', value: (r) => dec(r.polymarket.filled) },
  { header: 'polymarket_cost', value: (r) => dec(legCost(r.polymarket.costE12)) },
  { header: 'polymarket_fees', value: (r) => dec(r.polymarket.fees) },
  { header: 'note', value: (r) => r.note },
];

export const FILL_COLUMNS: readonly CsvColumn<FillExportRow>[] = [
  { header: 'session_id', value: (r) => int(r.sessionId) },
  { header: 'venue', value: (r) => r.venue },
  { header: 'venue_fill_id', value: (r) => r.venueFillId },
  { header: 'client_order_id', value: (r) => r.clientOrderId },
  { header: 'venue_order_id', value: (r) => r.venueOrderId },
  { header: 'trade_id', value: (r) => int(r.tradeId) },
  { header: 'market', value: (r) => r.marketId },
  { header: 'title', value: (r) => r.title },
  { header: 'side', value: (r) => r.side },
  { header: 'action', value: (r) => r.action },
  { header: 'price', value: (r) => dec(r.price) },
  { header: 'size', value: (r) => dec(r.size) },
  { header: 'fee', value: (r) => dec(r.fee) },
  { header: 'taker', value: (r) => (r.isTaker === null ? null : r.isTaker ? 'yes' : 'no') },
  { header: 'filled_utc', value: (r) => time(r.filledAt) },
  { header: 'received_utc', value: (r) => time(r.receivedAt) },
  // a fill the venue voided after matching (a ghost fill): listed, but it did not happen
  { header: 'voided_utc', value: (r) => time(r.voidedAt) },
];

export const PAIR_COLUMNS: readonly CsvColumn<PairExportRow>[] = [
  { header: 'pair_id', value: (r) => int(r.id) },
  { header: 'kalshi_market', value: (r) => r.kalshiMarketId },
  { header: 'kalshi_title', value: (r) => r.kalshiTitle },
  { header: 'polymarket_market', value: (r) => r.polymarketMarketId },
  { header: 'polymarket_title', value: (r) => r.polymarketTitle },
  { header: 'relation', value: (r) => r.relation },
  { header: 'verdict', value: (r) => r.verdict },
  { header: 'score', value: (r) => dec(r.score) },
  { header: 'verdicts_recorded', value: (r) => int(r.verdictCount) },
  { header: 'last_decided_by', value: (r) => r.lastDecidedBy },
  { header: 'last_reason', value: (r) => r.lastReason },
  { header: 'created_utc', value: (r) => time(r.createdAt) },
  { header: 'updated_utc', value: (r) => time(r.updatedAt) },
];

export const opportunitiesCsv = (rows: Iterable<OpportunityExportRow>, options?: CsvOptions): string => {
  let out = '';
  for (const chunk of csvChunks(OPPORTUNITY_COLUMNS, rows, { ...options, record: opportunityRecord })) out += chunk;
  return out;
};
export const tradesCsv = (rows: Iterable<TradeExportRow>, options?: CsvOptions): string => toCsv(TRADE_COLUMNS, rows, options);
export const fillsCsv = (rows: Iterable<FillExportRow>, options?: CsvOptions): string => toCsv(FILL_COLUMNS, rows, options);
export const pairsCsv = (rows: Iterable<PairExportRow>, options?: CsvOptions): string => toCsv(PAIR_COLUMNS, rows, options);
