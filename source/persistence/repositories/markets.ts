/** Markets seen on either venue. */
import { z } from 'zod';
import type { VenueId } from '../../domain/market.js';
import type { SqlConnection } from '../connection.js';
import { rowParser, zOptSafeInt, zOptText, zSafeInt, zText, zVenue } from '../row-schemas.js';

export interface MarketSeenRow {
  readonly venue: VenueId;
  readonly marketId: string;
  readonly eventId: string;
  readonly yesTokenId: string | null;
  readonly noTokenId: string | null;
  readonly title: string;
  readonly subtitle: string | null;
  readonly rulesDigest: string | null;
  readonly closeTime: number | null;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  readonly firstSessionId: number | null;
}

export interface MarketSeenInput {
  readonly venue: VenueId;
  readonly marketId: string;
  readonly eventId: string;
  readonly yesTokenId?: string | null;
  readonly noTokenId?: string | null;
  readonly title: string;
  readonly subtitle?: string | null;
  readonly rulesDigest?: string | null;
  readonly closeTime?: number | null;
  readonly sessionId?: number | null;
  readonly seenAt?: number;
}

export interface MarketSeenResult {
  readonly inserted: boolean;
  /** The rules digest or close time changed since the market was last seen (approvals must be revoked). */
  readonly termsChanged: boolean;
  readonly previous: MarketSeenRow | null;
}

const parse = rowParser(
  z.object({
    venue: zVenue,
    market_id: zText,
    event_id: zText,
    yes_token_id: zOptText,
    no_token_id: zOptText,
    title: zText,
    subtitle: zOptText,
    rules_digest: zOptText,
    close_time: zOptSafeInt,
    first_seen_at: zSafeInt,
    last_seen_at: zSafeInt,
    first_session_id: zOptSafeInt,
  }),
  'market',
);

function toRow(raw: Parameters<typeof parse>[0]): MarketSeenRow {
  const r = parse(raw);
  return {
    venue: r.venue,
    marketId: r.market_id,
    eventId: r.event_id,
    yesTokenId: r.yes_token_id,
    noTokenId: r.no_token_id,
    title: r.title,
    subtitle: r.subtitle,
    rulesDigest: r.rules_digest,
    closeTime: r.close_time,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    firstSessionId: r.first_session_id,
  };
}

export class MarketsRepository {
  constructor(
    private readonly conn: SqlConnection,
    private readonly now: () => number,
  ) {}

  get(venue: VenueId, marketId: string): MarketSeenRow | undefined {
    return this.conn.get('SELECT * FROM markets WHERE venue = ? AND market_id = ?', [venue, marketId], toRow);
  }

  /** Record that a market was seen (insert, or refresh title/rules/close time and last_seen_at). */
  seen(input: MarketSeenInput): MarketSeenResult {
    return this.conn.transaction(() => {
      const previous = this.get(input.venue, input.marketId) ?? null;
      this.touch(input);
      const termsChanged =
        previous !== null &&
        (previous.rulesDigest !== (input.rulesDigest ?? null) || previous.closeTime !== (input.closeTime ?? null));
      return { inserted: previous === null, termsChanged, previous };
    });
  }

  /** `seen` without reading the row first (nor saying what changed): the same write. */
  touch(input: MarketSeenInput): void {
    const at = input.seenAt ?? this.now();
    this.conn.run(
      `INSERT INTO markets (venue, market_id, event_id, yes_token_id, no_token_id, title, subtitle, rules_digest,
         close_time, first_seen_at, last_seen_at, first_session_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (venue, market_id) DO UPDATE SET
         event_id = excluded.event_id, yes_token_id = excluded.yes_token_id, no_token_id = excluded.no_token_id,
         title = excluded.title, subtitle = excluded.subtitle, rules_digest = excluded.rules_digest,
         close_time = excluded.close_time, last_seen_at = excluded.last_seen_at`,
      [
        input.venue,
        input.marketId,
        input.eventId,
        input.yesTokenId ?? null,
        input.noTokenId ?? null,
        input.title,
        input.subtitle ?? null,
        input.rulesDigest ?? null,
        input.closeTime ?? null,
        at,
        at,
        input.sessionId ?? null,
      ],
    );
  }

  count(): number {
    return this.conn.get('SELECT count(*) AS n FROM markets', [], (r) => Number(r['n'])) ?? 0;
  }
}
