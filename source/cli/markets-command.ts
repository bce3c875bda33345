/**
 * `arb-tui markets --venue kalshi|polymarket [--demo] [--json] [--limit N]`:
 * list normalised open markets with their best YES/NO asks, sizes and fee parameters.
 */
import { describeFeeModel } from '../domain/fees.js';
import type { Market } from '../domain/market.js';
import { formatDecimal } from '../domain/money.js';
import type { OrderBook } from '../domain/order-book.js';
import type { MarketDataVenue } from '../venues/venue.js';
import { renderTable, type Column } from './text-table.js';

export interface MarketRow {
  readonly venue: string;
  readonly id: string;
  readonly event: string;
  readonly title: string;
  readonly yes_label: string;
  readonly no_label: string;
  readonly status: string;
  readonly close_time: string | null;
  readonly best_yes_ask: string | null;
  readonly best_yes_ask_size: string | null;
  readonly best_no_ask: string | null;
  readonly best_no_ask_size: string | null;
  readonly fee: string;
  readonly fee_model: Record<string, string | number | boolean>;
}

function feeModelJson(m: Market['fee']): Record<string, string | number | boolean> {
  switch (m.kind) {
    case 'kalshi':
      return { kind: 'kalshi', fee_type: m.feeType, multiplier: formatDecimal(m.multiplier), source: m.source };
    case 'polymarket':
      return { kind: 'polymarket', rate: formatDecimal(m.rate), exponent: m.exponent, taker_only: m.takerOnly, source: m.source };
    case 'unknown':
      return { kind: 'unknown', reason: m.reason };
  }
}

export function toMarketRow(market: Market, book: OrderBook | undefined): MarketRow {
  const yes = book?.yesAsks[0];
  const no = book?.noAsks[0];
  const price = (v: bigint | undefined): string | null => (v === undefined ? null : formatDecimal(v, { dp: 4 }));
  const size = (v: bigint | undefined): string | null => (v === undefined ? null : formatDecimal(v, { dp: 2 }));
  return {
    venue: market.venue,
    id: market.id,
    event: market.eventTitle,
    title: market.title,
    yes_label: market.yesLabel,
    no_label: market.noLabel,
    status: market.status,
    close_time: market.closeTime === null ? null : new Date(market.closeTime).toISOString(),
    best_yes_ask: price(yes?.price),
    best_yes_ask_size: size(yes?.size),
    best_no_ask: price(no?.price),
    best_no_ask_size: size(no?.size),
    fee: describeFeeModel(market.fee),
    fee_model: feeModelJson(market.fee),
  };
}

interface MarketColumn {
  readonly column: Column;
  readonly cell: (r: MarketRow) => string;
  /** Columns with a higher number are dropped first when the terminal is narrow. */
  readonly dropOrder: number;
}

const MIN_TITLE = 20;

function titleCell(r: MarketRow): string {
  return r.yes_label && !['Yes', 'yes'].includes(r.yes_label) && !r.title.includes(r.yes_label) ? `${r.title} — ${r.yes_label}` : r.title;
}

/** The markets table, dropping the least important columns until it fits `width`. */
export function renderMarketsTable(rows: readonly MarketRow[], width: number): string {
  // Polymarket condition ids are 66 hex characters: a prefix identifies them well enough in a
  // table (the JSON output has them whole), and the title gets the room.
  const idCap = rows.some((r) => r.id.startsWith('0x')) ? 14 : 26;
  const idWidth = Math.min(idCap, Math.max(10, ...rows.map((r) => Array.from(r.id).length)));
  const all: MarketColumn[] = [
    { column: { header: 'MARKET', width: idWidth }, cell: (r) => r.id, dropOrder: 0 },
    { column: { header: 'TITLE', width: MIN_TITLE }, cell: titleCell, dropOrder: 0 },
    { column: { header: 'YES ASK', width: 7, align: 'right' }, cell: (r) => r.best_yes_ask ?? '—', dropOrder: 0 },
    { column: { header: 'SIZE', width: 9, align: 'right' }, cell: (r) => r.best_yes_ask_size ?? '', dropOrder: 3 },
    { column: { header: 'NO ASK', width: 7, align: 'right' }, cell: (r) => r.best_no_ask ?? '—', dropOrder: 0 },
    { column: { header: 'SIZE', width: 9, align: 'right' }, cell: (r) => r.best_no_ask_size ?? '', dropOrder: 3 },
    { column: { header: 'FEE', width: 18 }, cell: (r) => r.fee, dropOrder: 2 },
    { column: { header: 'CLOSES', width: 10 }, cell: (r) => (r.close_time ? r.close_time.slice(0, 10) : '—'), dropOrder: 1 },
  ];
  const widthOf = (cols: readonly MarketColumn[]): number =>
    cols.reduce((sum, c) => sum + c.column.width, 0) + 2 * (cols.length - 1);
  let shown = all;
  for (let drop = 3; drop >= 1 && widthOf(shown) > width; drop -= 1) shown = shown.filter((c) => c.dropOrder < drop);
  const spare = Math.max(0, width - widthOf(shown));
  const columns = shown.map((c) => (c.column.header === 'TITLE' ? { ...c.column, width: MIN_TITLE + spare } : c.column));
  return renderTable(
    columns,
    rows.map((r) => shown.map((c) => c.cell(r))),
  );
}

export async function listMarketsWithBooks(
  venue: MarketDataVenue,
  limit: number,
  signal?: AbortSignal,
): Promise<MarketRow[]> {
  const markets = await venue.listMarkets({ limit, signal });
  const listed = markets.slice(0, limit);
  // the fee parameters shown are the venue's own for each market (Polymarket: its CLOB's)
  const shown = venue.detailMarkets === undefined ? listed : await venue.detailMarkets(listed, signal);
  const books = await venue.fetchBooks(shown, signal);
  return shown.map((m) => toMarketRow(m, books.get(m.id)));
}
