/** Sessions: one row per run of arb-tui. */
import { z } from 'zod';
import type { SqlConnection } from '../connection.js';
import { PersistenceError } from '../errors.js';
import { rowParser, zBool, zE6, zOptSafeInt, zOptText, zSafeInt, zText } from '../row-schemas.js';

export type SessionMode = 'monitor' | 'paper' | 'execute';

export interface SessionRow {
  readonly id: number;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly mode: SessionMode;
  readonly demo: boolean;
  readonly appVersion: string;
  readonly configDigest: string;
  readonly endReason: string | null;
}

export interface SessionSummary extends SessionRow {
  readonly opportunities: number;
  readonly trades: number;
  /** Sum of realised P&L of the session's trades that have one (scale 1e6). */
  readonly realisedPnl: bigint;
  /** Trades whose realised P&L is not known yet. */
  readonly tradesPending: number;
}

export interface StartSessionInput {
  readonly mode: SessionMode;
  readonly demo: boolean;
  readonly appVersion: string;
  readonly configDigest: string;
  readonly startedAt?: number;
}

const sessionShape = {
  id: zSafeInt,
  started_at: zSafeInt,
  ended_at: zOptSafeInt,
  mode: z.enum(['monitor', 'paper', 'execute']),
  demo: zBool,
  app_version: zText,
  config_digest: zText,
  end_reason: zOptText,
};

function toSession(r: z.output<z.ZodObject<typeof sessionShape>>): SessionRow {
  return {
    id: r.id,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    mode: r.mode,
    demo: r.demo,
    appVersion: r.app_version,
    configDigest: r.config_digest,
    endReason: r.end_reason,
  };
}

const parseSession = rowParser(z.object(sessionShape), 'session');
const parseSummary = rowParser(
  z.object({ ...sessionShape, opportunities: zSafeInt, trades: zSafeInt, realised_pnl_e6: zE6, trades_pending: zSafeInt }),
  'session summary',
);

const SELECT = 'SELECT id, started_at, ended_at, mode, demo, app_version, config_digest, end_reason FROM sessions';

export class SessionsRepository {
  constructor(
    private readonly conn: SqlConnection,
    private readonly now: () => number,
  ) {}

  start(input: StartSessionInput): SessionRow {
    const rows = this.conn.runReturning(
      'INSERT INTO sessions (started_at, mode, demo, app_version, config_digest) VALUES (?, ?, ?, ?, ?) ' +
        'RETURNING id, started_at, ended_at, mode, demo, app_version, config_digest, end_reason',
      [input.startedAt ?? this.now(), input.mode, input.demo, input.appVersion, input.configDigest],
      (r) => toSession(parseSession(r)),
    );
    return rows[0] as SessionRow;
  }

  end(id: number, options: { endedAt?: number; reason?: string } = {}): void {
    const n = this.conn.run('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?', [
      options.endedAt ?? this.now(),
      options.reason ?? null,
      id,
    ]);
    if (n !== 1) throw new PersistenceError('not-found', `no session ${id}`);
  }

  get(id: number): SessionRow | undefined {
    return this.conn.get(`${SELECT} WHERE id = ?`, [id], (r) => toSession(parseSession(r)));
  }

  latest(): SessionRow | undefined {
    return this.conn.get(`${SELECT} ORDER BY id DESC LIMIT 1`, [], (r) => toSession(parseSession(r)));
  }

  list(): SessionRow[] {
    return this.conn.all(`${SELECT} ORDER BY id`, [], (r) => toSession(parseSession(r)));
  }

  /** Every session with its counts, oldest first. */
  summaries(): SessionSummary[] {
    return this.conn.all(
      `SELECT s.id, s.started_at, s.ended_at, s.mode, s.demo, s.app_version, s.config_digest, s.end_reason,
         (SELECT count(*) FROM opportunities o WHERE o.session_id = s.id) AS opportunities,
         (SELECT count(*) FROM trades t WHERE t.session_id = s.id) AS trades,
         (SELECT coalesce(sum(t.realised_pnl_e6), 0) FROM trades t WHERE t.session_id = s.id) AS realised_pnl_e6,
         (SELECT count(*) FROM trades t WHERE t.session_id = s.id AND t.realised_pnl_e6 IS NULL) AS trades_pending
       FROM sessions s ORDER BY s.id`,
      [],
      (raw) => {
        const r = parseSummary(raw);
        return {
          ...toSession(r),
          opportunities: r.opportunities,
          trades: r.trades,
          realisedPnl: r.realised_pnl_e6,
          tradesPending: r.trades_pending,
        };
      },
    );
  }
}
