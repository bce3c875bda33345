/**
 * The append-only audit log of user decisions and engine events (UPDATE and
 * DELETE are refused by triggers). `detail` is stored as JSON; bigints are
 * written as their integer text (scale as the caller documents).
 */
import { z } from 'zod';
import type { SqlConnection } from '../connection.js';
import { rowParser, zOptSafeInt, zOptText, zSafeInt, zText } from '../row-schemas.js';

export type AuditActor = 'user' | 'engine' | 'system';

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly sessionId: number | null;
  readonly actor: AuditActor;
  readonly kind: string;
  readonly subject: string | null;
  /** JSON text as stored. */
  readonly detail: string | null;
}

export interface AuditInput {
  readonly actor: AuditActor;
  readonly kind: string;
  readonly subject?: string | null;
  readonly detail?: unknown;
  readonly sessionId?: number | null;
  readonly at?: number;
}

const parse = rowParser(
  z.object({
    id: zSafeInt,
    at: zSafeInt,
    session_id: zOptSafeInt,
    actor: z.enum(['user', 'engine', 'system']),
    kind: zText,
    subject: zOptText,
    detail: zOptText,
  }),
  'audit log',
);

function toEntry(raw: Parameters<typeof parse>[0]): AuditEntry {
  const r = parse(raw);
  return { id: r.id, at: r.at, sessionId: r.session_id, actor: r.actor, kind: r.kind, subject: r.subject, detail: r.detail };
}

export function auditJson(detail: unknown): string | null {
  if (detail === undefined || detail === null) return null;
  if (typeof detail === 'string') return detail;
  return JSON.stringify(detail, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

export class AuditRepository {
  constructor(
    private readonly conn: SqlConnection,
    private readonly now: () => number,
  ) {}

  append(input: AuditInput): number {
    return this.conn.insert('INSERT INTO audit_log (at, session_id, actor, kind, subject, detail) VALUES (?, ?, ?, ?, ?, ?)', [
      input.at ?? this.now(),
      input.sessionId ?? null,
      input.actor,
      input.kind,
      input.subject ?? null,
      auditJson(input.detail),
    ]);
  }

  list(filter: { sessionId?: number; afterId?: number; limit?: number } = {}): AuditEntry[] {
    const limit = filter.limit ?? 1_000_000;
    if (filter.sessionId !== undefined) {
      return this.conn.all(
        'SELECT * FROM audit_log WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?',
        [filter.sessionId, filter.afterId ?? 0, limit],
        toEntry,
      );
    }
    return this.conn.all('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?', [filter.afterId ?? 0, limit], toEntry);
  }
}

/** Small persistent key/value state (e.g. the kill switch, which must survive a restart). */
export class AppStateRepository {
  constructor(
    private readonly conn: SqlConnection,
    private readonly now: () => number,
  ) {}

  get(key: string): string | undefined {
    return this.conn.get('SELECT value FROM app_state WHERE key = ?', [key], (r) => z.string().parse(r['value']));
  }

  set(key: string, value: string): void {
    this.conn.run(
      'INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      [key, value, this.now()],
    );
  }

  delete(key: string): void {
    this.conn.run('DELETE FROM app_state WHERE key = ?', [key]);
  }

  /** Every key starting with `prefix`, with its value, by key. */
  withPrefix(prefix: string): Array<readonly [string, string]> {
    // not LIKE: the prefix may hold '%' or '_'
    return this.conn.all('SELECT key, value FROM app_state WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key', [prefix], (r) => [
      z.string().parse(r['key']),
      z.string().parse(r['value']),
    ] as const);
  }
}
