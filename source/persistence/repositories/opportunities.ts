/** Opportunity episodes: one row from the moment a pair shows a net edge until it expires, is executed or skipped. */
import { z } from 'zod';
import type { Money, Price, Size } from '../../domain/money.js';
import type { SqlConnection } from '../connection.js';
import { PersistenceError } from '../errors.js';
import { rowParser, zE6, zOptSafeInt, zOptText, zSafeInt, zSide } from '../row-schemas.js';

export type OpportunityOutcome = 'expired' | 'executed' | 'skipped';
export type ContractSide = 'yes' | 'no';

export interface OpportunityLeg {
  readonly side: ContractSide;
  /** Price per contract (scale 1e6). */
  readonly price: Price;
  /** Fee for the whole size on this leg (scale 1e6 dollars). */
  readonly fee: Money;
}

export interface OpportunityQuote {
  readonly at: number;
  /** Net edge per contract after both legs' fees (scale 1e6 dollars). */
  readonly netEdge: Money;
  /** Contracts available at these prices. */
  readonly size: Size;
  readonly kalshi: OpportunityLeg;
  readonly polymarket: OpportunityLeg;
}

export interface OpportunityRow {
  readonly id: number;
  readonly sessionId: number;
  readonly pairId: number;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  readonly bestAt: number;
  readonly bestNetEdge: Money;
  readonly size: Size;
  readonly kalshi: OpportunityLeg;
  readonly polymarket: OpportunityLeg;
  readonly outcome: OpportunityOutcome | null;
  readonly outcomeReason: string | null;
  readonly closedAt: number | null;
}

const parse = rowParser(
  z.object({
    id: zSafeInt,
    session_id: zSafeInt,
    pair_id: zSafeInt,
    first_seen_at: zSafeInt,
    last_seen_at: zSafeInt,
    best_at: zSafeInt,
    best_net_edge_e6: zE6,
    size_e6: zE6,
    kalshi_side: zSide,
    kalshi_price_e6: zE6,
    kalshi_fee_e6: zE6,
    polymarket_side: zSide,
    polymarket_price_e6: zE6,
    polymarket_fee_e6: zE6,
    outcome: z.enum(['expired', 'executed', 'skipped']).nullable(),
    outcome_reason: zOptText,
    closed_at: zOptSafeInt,
  }),
  'opportunity',
);

export function toOpportunity(raw: Parameters<typeof parse>[0]): OpportunityRow {
  const r = parse(raw);
  return {
    id: r.id,
    sessionId: r.session_id,
    pairId: r.pair_id,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    bestAt: r.best_at,
    bestNetEdge: r.best_net_edge_e6,
    size: r.size_e6,
    kalshi: { side: r.kalshi_side, price: r.kalshi_price_e6, fee: r.kalshi_fee_e6 },
    polymarket: { side: r.polymarket_side, price: r.polymarket_price_e6, fee: r.polymarket_fee_e6 },
    outcome: r.outcome,
    outcomeReason: r.outcome_reason,
    closedAt: r.closed_at,
  };
}

// The id is minted by the connection (insertWithNextId): no last_insert_rowid() query per row.
const INSERT = `INSERT INTO opportunities (id, session_id, pair_id, first_seen_at, last_seen_at, best_at, best_net_edge_e6, size_e6,
  kalshi_side, kalshi_price_e6, kalshi_fee_e6, polymarket_side, polymarket_price_e6, polymarket_fee_e6)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export class OpportunitiesRepository {
  constructor(
    private readonly conn: SqlConnection,
    private readonly now: () => number,
  ) {}

  /** Start an episode; returns its id. */
  open(sessionId: number, pairId: number, quote: OpportunityQuote): number {
    return this.conn.insertWithNextId('opportunities', INSERT, [
      sessionId,
      pairId,
      quote.at,
      quote.at,
      quote.at,
      quote.netEdge,
      quote.size,
      quote.kalshi.side,
      quote.kalshi.price,
      quote.kalshi.fee,
      quote.polymarket.side,
      quote.polymarket.price,
      quote.polymarket.fee,
    ]);
  }

  /** Another sighting: extends last_seen_at; replaces the best quote when the net edge is higher. */
  observe(id: number, quote: OpportunityQuote): void {
    this.conn.transaction(() => {
      const current = this.get(id);
      if (!current) throw new PersistenceError('not-found', `no opportunity ${id}`);
      if (current.outcome !== null) throw new PersistenceError('usage', `opportunity ${id} is already ${current.outcome}`);
      if (quote.netEdge > current.bestNetEdge) {
        this.conn.run(
          `UPDATE opportunities SET last_seen_at = max(last_seen_at, CAST(? AS INTEGER)), best_at = ?, best_net_edge_e6 = ?, size_e6 = ?,
             kalshi_side = ?, kalshi_price_e6 = ?, kalshi_fee_e6 = ?, polymarket_side = ?, polymarket_price_e6 = ?, polymarket_fee_e6 = ?
           WHERE id = ?`,
          [
            quote.at,
            quote.at,
            quote.netEdge,
            quote.size,
            quote.kalshi.side,
            quote.kalshi.price,
            quote.kalshi.fee,
            quote.polymarket.side,
            quote.polymarket.price,
            quote.polymarket.fee,
            id,
          ],
        );
      } else {
        this.conn.run('UPDATE opportunities SET last_seen_at = max(last_seen_at, CAST(? AS INTEGER)) WHERE id = ?', [quote.at, id]);
      }
    });
  }

  close(id: number, outcome: OpportunityOutcome, options: { reason?: string | null; at?: number } = {}): void {
    const n = this.conn.run(
      'UPDATE opportunities SET outcome = ?, outcome_reason = ?, closed_at = ? WHERE id = ? AND outcome IS NULL',
      [outcome, options.reason ?? null, options.at ?? this.now(), id],
    );
    if (n !== 1) throw new PersistenceError('not-found', `no open opportunity ${id}`);
  }

  get(id: number): OpportunityRow | undefined {
    return this.conn.get('SELECT * FROM opportunities WHERE id = ?', [id], toOpportunity);
  }

  listBySession(sessionId: number): OpportunityRow[] {
    return this.conn.all('SELECT * FROM opportunities WHERE session_id = ? ORDER BY id', [sessionId], toOpportunity);
  }

  count(): number {
    return this.conn.get('SELECT count(*) AS n FROM opportunities', [], (r) => Number(r['n'])) ?? 0;
  }
}
