/**
 * Opportunity episodes: one row from the moment a pair shows a net edge until it expires, is executed or skipped.
 *
 * - `last_seen_at`: the last time the episode was known to be open (a quote observed, or the
 *   engine still holding it: the recorder writes that at most once a second), and at close the
 *   time of the last quote that showed it.
 * - Outcome when it closes (`finish`): `executed` when a trade was made on it (a trade row names it
 *   in `opportunity_id`), `expired` otherwise; the reason says why it closed (gone, the session
 *   ended, or the session that saw it ended without closing it: a crash, closed at a later start).
 */
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

  /** Still open at `at`: extends last_seen_at (never moves it back); an episode already closed is left as it is. */
  seen(id: number, at: number): void {
    this.conn.run('UPDATE opportunities SET last_seen_at = max(last_seen_at, CAST(? AS INTEGER)) WHERE id = ? AND outcome IS NULL', [at, id]);
  }

  close(id: number, outcome: OpportunityOutcome, options: { reason?: string | null; at?: number; lastSeenAt?: number } = {}): void {
    const n = this.conn.run(
      `UPDATE opportunities SET outcome = ?, outcome_reason = ?, closed_at = ?, last_seen_at = max(last_seen_at, CAST(? AS INTEGER))
       WHERE id = ? AND outcome IS NULL`,
      [outcome, options.reason ?? null, options.at ?? this.now(), options.lastSeenAt ?? 0, id],
    );
    if (n !== 1) throw new PersistenceError('not-found', `no open opportunity ${id}`);
  }

  /** The trades made on an episode (their ids, oldest first). */
  tradesOf(id: number): number[] {
    return this.conn.all('SELECT id FROM trades WHERE opportunity_id = ? ORDER BY id', [id], (r) => Number(r['id']));
  }

  /**
   * Close an episode: `executed` when a trade was made on it (the reason names the trades, then
   * why it closed), `expired` otherwise (the reason is why it closed). Returns the outcome.
   */
  finish(id: number, options: { reason: string; at?: number; lastSeenAt?: number }): OpportunityOutcome {
    const trades = this.tradesOf(id);
    const outcome: OpportunityOutcome = trades.length > 0 ? 'executed' : 'expired';
    const reason = trades.length > 0 ? `${trades.length === 1 ? 'trade' : 'trades'} ${trades.join(', ')} made on it; ${options.reason}` : options.reason;
    this.close(id, outcome, { ...options, reason });
    return outcome;
  }

  /**
   * The episode of a pair's direction (its legs' sides) open now in a session (the newest, should
   * an older one have been left open), or null: the one a trade is made on.
   */
  openEpisodeOf(sessionId: number, pairId: number, kalshiSide: ContractSide, polymarketSide: ContractSide): number | null {
    return (
      this.conn.get(
        `SELECT id FROM opportunities WHERE session_id = ? AND pair_id = ? AND kalshi_side = ? AND polymarket_side = ? AND outcome IS NULL
         ORDER BY id DESC LIMIT 1`,
        [sessionId, pairId, kalshiSide, polymarketSide],
        (r) => Number(r['id']),
      ) ?? null
    );
  }

  /**
   * Close the episodes other sessions left open (at start-up, holding the database's lock: no
   * other session is running): a session that crashed or was killed never closed them. Each
   * closes at its last sighting (`last_seen_at`: when it ended is not known), `executed` when a
   * trade was made on it, `expired` otherwise, the reason naming the session that left it open
   * and the one that closed it. Returns how many were closed.
   */
  closeLeftOpen(currentSessionId: number): number {
    return this.conn.transaction(() => {
      const left = this.conn.all(
        `SELECT o.id AS id, o.session_id AS session_id, o.last_seen_at AS last_seen_at, s.ended_at AS ended_at
         FROM opportunities o JOIN sessions s ON s.id = o.session_id
         WHERE o.outcome IS NULL AND o.session_id <> ? ORDER BY o.id`,
        [currentSessionId],
        (r) => ({ id: Number(r['id']), sessionId: Number(r['session_id']), lastSeenAt: Number(r['last_seen_at']), ended: r['ended_at'] !== null && r['ended_at'] !== undefined }),
      );
      for (const e of left) {
        const how = e.ended ? 'which ended without closing it' : 'which never ended: it crashed or was killed';
        this.finish(e.id, {
          reason: `left open by session ${e.sessionId}, ${how}; closed at the start of session ${currentSessionId}, as of its last sighting`,
          at: e.lastSeenAt,
        });
      }
      return left.length;
    });
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
