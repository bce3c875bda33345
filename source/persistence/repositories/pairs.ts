/** Pairs of markets (one Kalshi, one Polymarket) with their current verdict and verdict history. */
import { z } from 'zod';
import type { SqlConnection } from '../connection.js';
import { PersistenceError } from '../errors.js';
import { rowParser, zOptE6, zOptSafeInt, zOptText, zSafeInt, zText } from '../row-schemas.js';

export const PAIR_RELATIONS = ['same', 'inverse', 'subset', 'superset', 'different', 'unknown'] as const;
export type PairRelation = (typeof PAIR_RELATIONS)[number];
export const PAIR_VERDICTS = ['candidate', 'approved', 'rejected', 'revoked'] as const;
export type PairVerdict = (typeof PAIR_VERDICTS)[number];
export type VerdictSource = 'matcher' | 'user' | 'engine';

export interface PairRow {
  readonly id: number;
  readonly kalshiMarketId: string;
  readonly polymarketMarketId: string;
  readonly relation: PairRelation;
  readonly verdict: PairVerdict;
  /** Matcher score at scale 1e6, if any. */
  readonly score: bigint | null;
  readonly kalshiRulesDigest: string | null;
  readonly polymarketRulesDigest: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface PairVerdictRow {
  readonly id: number;
  readonly pairId: number;
  readonly sessionId: number | null;
  readonly at: number;
  readonly verdict: PairVerdict;
  readonly relation: PairRelation;
  readonly decidedBy: VerdictSource;
  readonly reason: string | null;
  readonly kalshiRulesDigest: string | null;
  readonly polymarketRulesDigest: string | null;
}

export interface VerdictInput {
  readonly verdict: PairVerdict;
  readonly relation?: PairRelation;
  readonly decidedBy: VerdictSource;
  readonly reason?: string | null;
  readonly sessionId?: number | null;
  readonly kalshiRulesDigest?: string | null;
  readonly polymarketRulesDigest?: string | null;
  readonly at?: number;
}

const zRelation = z.enum(PAIR_RELATIONS);
const zVerdict = z.enum(PAIR_VERDICTS);

const parsePair = rowParser(
  z.object({
    id: zSafeInt,
    kalshi_market_id: zText,
    polymarket_market_id: zText,
    relation: zRelation,
    verdict: zVerdict,
    score_e6: zOptE6,
    kalshi_rules_digest: zOptText,
    polymarket_rules_digest: zOptText,
    created_at: zSafeInt,
    updated_at: zSafeInt,
  }),
  'pair',
);

const parseVerdict = rowParser(
  z.object({
    id: zSafeInt,
    pair_id: zSafeInt,
    session_id: zOptSafeInt,
    at: zSafeInt,
    verdict: zVerdict,
    relation: zRelation,
    decided_by: z.enum(['matcher', 'user', 'engine']),
    reason: zOptText,
    kalshi_rules_digest: zOptText,
    polymarket_rules_digest: zOptText,
  }),
  'pair verdict',
);

function toPair(raw: Parameters<typeof parsePair>[0]): PairRow {
  const r = parsePair(raw);
  return {
    id: r.id,
    kalshiMarketId: r.kalshi_market_id,
    polymarketMarketId: r.polymarket_market_id,
    relation: r.relation,
    verdict: r.verdict,
    score: r.score_e6,
    kalshiRulesDigest: r.kalshi_rules_digest,
    polymarketRulesDigest: r.polymarket_rules_digest,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toVerdict(raw: Parameters<typeof parseVerdict>[0]): PairVerdictRow {
  const r = parseVerdict(raw);
  return {
    id: r.id,
    pairId: r.pair_id,
    sessionId: r.session_id,
    at: r.at,
    verdict: r.verdict,
    relation: r.relation,
    decidedBy: r.decided_by,
    reason: r.reason,
    kalshiRulesDigest: r.kalshi_rules_digest,
    polymarketRulesDigest: r.polymarket_rules_digest,
  };
}

export class PairsRepository {
  constructor(
    private readonly conn: SqlConnection,
    private readonly now: () => number,
  ) {}

  get(id: number): PairRow | undefined {
    return this.conn.get('SELECT * FROM pairs WHERE id = ?', [id], toPair);
  }

  find(kalshiMarketId: string, polymarketMarketId: string): PairRow | undefined {
    return this.conn.get(
      'SELECT * FROM pairs WHERE kalshi_market_id = ? AND polymarket_market_id = ?',
      [kalshiMarketId, polymarketMarketId],
      toPair,
    );
  }

  list(filter: { verdict?: PairVerdict } = {}): PairRow[] {
    if (filter.verdict !== undefined) return this.conn.all('SELECT * FROM pairs WHERE verdict = ? ORDER BY id', [filter.verdict], toPair);
    return this.conn.all('SELECT * FROM pairs ORDER BY id', [], toPair);
  }

  /**
   * The pair of these two markets, created as a matcher candidate (with a first
   * history entry) if it does not exist yet.
   */
  ensureCandidate(input: {
    kalshiMarketId: string;
    polymarketMarketId: string;
    relation: PairRelation;
    score?: bigint | null;
    reason?: string | null;
    sessionId?: number | null;
    at?: number;
  }): PairRow {
    return this.conn.transaction(() => {
      const existing = this.find(input.kalshiMarketId, input.polymarketMarketId);
      if (existing) return existing;
      const at = input.at ?? this.now();
      // the row as written (no RETURNING to read back and check: a rematch proposes thousands at once)
      const id = this.conn.insertWithNextId(
        'pairs',
        `INSERT INTO pairs (id, kalshi_market_id, polymarket_market_id, relation, verdict, score_e6, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'candidate', ?, ?, ?)`,
        [input.kalshiMarketId, input.polymarketMarketId, input.relation, input.score ?? null, at, at],
      );
      const pair: PairRow = {
        id,
        kalshiMarketId: input.kalshiMarketId,
        polymarketMarketId: input.polymarketMarketId,
        relation: input.relation,
        verdict: 'candidate',
        score: input.score ?? null,
        kalshiRulesDigest: null,
        polymarketRulesDigest: null,
        createdAt: at,
        updatedAt: at,
      };
      this.#appendHistory(pair.id, {
        verdict: 'candidate',
        relation: input.relation,
        decidedBy: 'matcher',
        reason: input.reason ?? null,
        sessionId: input.sessionId ?? null,
        at,
      });
      return pair;
    });
  }

  /** Change the verdict (and optionally the relation) and append it to the history. */
  setVerdict(pairId: number, input: VerdictInput): PairRow {
    return this.conn.transaction(() => {
      const current = this.get(pairId);
      if (!current) throw new PersistenceError('not-found', `no pair ${pairId}`);
      const at = input.at ?? this.now();
      const relation = input.relation ?? current.relation;
      this.conn.run(
        `UPDATE pairs SET verdict = ?, relation = ?, kalshi_rules_digest = ?, polymarket_rules_digest = ?, updated_at = ?
         WHERE id = ?`,
        [
          input.verdict,
          relation,
          input.kalshiRulesDigest ?? current.kalshiRulesDigest,
          input.polymarketRulesDigest ?? current.polymarketRulesDigest,
          at,
          pairId,
        ],
      );
      this.#appendHistory(pairId, { ...input, relation, at });
      return this.get(pairId) as PairRow;
    });
  }

  history(pairId: number): PairVerdictRow[] {
    return this.conn.all('SELECT * FROM pair_verdicts WHERE pair_id = ? ORDER BY id', [pairId], toVerdict);
  }

  #appendHistory(pairId: number, v: VerdictInput & { relation: PairRelation; at: number }): void {
    this.conn.run(
      `INSERT INTO pair_verdicts (pair_id, session_id, at, verdict, relation, decided_by, reason, kalshi_rules_digest, polymarket_rules_digest)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        pairId,
        v.sessionId ?? null,
        v.at,
        v.verdict,
        v.relation,
        v.decidedBy,
        v.reason ?? null,
        v.kalshiRulesDigest ?? null,
        v.polymarketRulesDigest ?? null,
      ],
    );
  }
}
