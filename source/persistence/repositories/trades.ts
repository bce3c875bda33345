/** Trades: one attempt to execute an opportunity (two legs, each an order). */
import { z } from 'zod';
import type { Money, Size } from '../../domain/money.js';
import type { SqlConnection } from '../connection.js';
import { PersistenceError } from '../errors.js';
import { rowParser, zE6, zOptE6, zOptSafeInt, zOptText, zSafeInt, zText } from '../row-schemas.js';

export interface TradeRow {
  readonly id: number;
  readonly sessionId: number;
  readonly pairId: number;
  readonly opportunityId: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly status: string;
  readonly plannedSize: Size;
  /** Expected net edge per contract when the trade was approved (scale 1e6). */
  readonly expectedEdge: Money;
  readonly expectedPnl: Money;
  /** Contracts filled on both legs, once known. */
  readonly hedgedSize: Size | null;
  /** Realised P&L, once known (set by the engine). */
  readonly realisedPnl: Money | null;
  readonly note: string | null;
}

export interface CreateTradeInput {
  readonly sessionId: number;
  readonly pairId: number;
  readonly opportunityId?: number | null;
  readonly status?: string;
  readonly plannedSize: Size;
  readonly expectedEdge: Money;
  readonly expectedPnl: Money;
  readonly note?: string | null;
  readonly at?: number;
}

export interface UpdateTradeInput {
  readonly status?: string;
  readonly hedgedSize?: Size | null;
  readonly realisedPnl?: Money | null;
  readonly note?: string | null;
  readonly at?: number;
}

const parse = rowParser(
  z.object({
    id: zSafeInt,
    session_id: zSafeInt,
    pair_id: zSafeInt,
    opportunity_id: zOptSafeInt,
    created_at: zSafeInt,
    updated_at: zSafeInt,
    status: zText,
    planned_size_e6: zE6,
    expected_edge_e6: zE6,
    expected_pnl_e6: zE6,
    hedged_size_e6: zOptE6,
    realised_pnl_e6: zOptE6,
    note: zOptText,
  }),
  'trade',
);

export function toTrade(raw: Parameters<typeof parse>[0]): TradeRow {
  const r = parse(raw);
  return {
    id: r.id,
    sessionId: r.session_id,
    pairId: r.pair_id,
    opportunityId: r.opportunity_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    status: r.status,
    plannedSize: r.planned_size_e6,
    expectedEdge: r.expected_edge_e6,
    expectedPnl: r.expected_pnl_e6,
    hedgedSize: r.hedged_size_e6,
    realisedPnl: r.realised_pnl_e6,
    note: r.note,
  };
}

export class TradesRepository {
  constructor(
    private readonly conn: SqlConnection,
    private readonly now: () => number,
  ) {}

  create(input: CreateTradeInput): number {
    const at = input.at ?? this.now();
    return this.conn.insert(
      `INSERT INTO trades (session_id, pair_id, opportunity_id, created_at, updated_at, status, planned_size_e6,
         expected_edge_e6, expected_pnl_e6, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        input.sessionId,
        input.pairId,
        input.opportunityId ?? null,
        at,
        at,
        input.status ?? 'pending',
        input.plannedSize,
        input.expectedEdge,
        input.expectedPnl,
        input.note ?? null,
      ],
    );
  }

  update(id: number, input: UpdateTradeInput): TradeRow {
    return this.conn.transaction(() => {
      const current = this.get(id);
      if (!current) throw new PersistenceError('not-found', `no trade ${id}`);
      this.conn.run(
        'UPDATE trades SET status = ?, hedged_size_e6 = ?, realised_pnl_e6 = ?, note = ?, updated_at = ? WHERE id = ?',
        [
          input.status ?? current.status,
          input.hedgedSize !== undefined ? input.hedgedSize : current.hedgedSize,
          input.realisedPnl !== undefined ? input.realisedPnl : current.realisedPnl,
          input.note !== undefined ? input.note : current.note,
          input.at ?? this.now(),
          id,
        ],
      );
      return this.get(id) as TradeRow;
    });
  }

  get(id: number): TradeRow | undefined {
    return this.conn.get('SELECT * FROM trades WHERE id = ?', [id], toTrade);
  }

  listBySession(sessionId: number): TradeRow[] {
    return this.conn.all('SELECT * FROM trades WHERE session_id = ? ORDER BY id', [sessionId], toTrade);
  }
}
