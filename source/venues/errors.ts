/**
 * Typed venue errors. Every failure talking to a venue becomes one of these, so
 * callers react by kind instead of parsing messages:
 *
 * - `retryable`: rate limited (429), venue 5xx, network failure, timeout. Safe to try a
 *   read again later; the HTTP client already retried with backoff before giving up.
 * - `rejected`:  the venue understood and refused (4xx other than auth): bad parameter,
 *   unknown market, insufficient balance… Retrying the same request will not help.
 * - `auth`:      credentials missing, wrong or expired (401/403).
 * - `malformed`: the venue answered something we cannot trust (not JSON, a field missing or
 *   of the wrong type). Names the field. Never turned into a default value.
 */
export type VenueErrorKind = 'retryable' | 'rejected' | 'auth' | 'malformed';

export type RetryableReason = 'rate-limited' | 'server' | 'network' | 'timeout';

/**
 * The code of a request its caller gave up on (the app stopping) before it was sent:
 * still waiting its turn in the rate-limited queue, or not yet started. It cannot have
 * reached the venue.
 */
export const CANCELLED_BEFORE_SENDING = 'ECANCELLED_BEFORE_SENDING';

export interface VenueErrorInit {
  readonly venue: string;
  readonly endpoint: string;
  readonly status?: number | undefined;
  readonly code?: string | undefined;
  readonly attempts?: number | undefined;
  readonly cause?: unknown;
}

export abstract class VenueError extends Error {
  abstract readonly kind: VenueErrorKind;
  readonly venue: string;
  readonly endpoint: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly attempts: number;

  constructor(message: string, init: VenueErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.venue = init.venue;
    this.endpoint = init.endpoint;
    this.status = init.status;
    this.code = init.code;
    this.attempts = init.attempts ?? 1;
  }

  /** One line for a person: "kalshi GET /events: rate limited (HTTP 429) after 4 attempts". */
  describe(): string {
    const status = this.status === undefined ? '' : ` (HTTP ${this.status})`;
    const attempts = this.attempts > 1 ? ` after ${this.attempts} attempts` : '';
    return `${this.venue} ${this.endpoint}: ${this.message}${status}${attempts}`;
  }
}

export class RetryableVenueError extends VenueError {
  readonly kind = 'retryable' as const;
  override readonly name = 'RetryableVenueError';
  readonly reason: RetryableReason;
  /** Delay the venue asked for (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, init: VenueErrorInit & { reason: RetryableReason; retryAfterMs?: number | undefined }) {
    super(message, init);
    this.reason = init.reason;
    this.retryAfterMs = init.retryAfterMs;
  }
}

export class RejectedVenueError extends VenueError {
  readonly kind = 'rejected' as const;
  override readonly name = 'RejectedVenueError';
}

export class AuthVenueError extends VenueError {
  readonly kind = 'auth' as const;
  override readonly name = 'AuthVenueError';
}

export class MalformedVenueError extends VenueError {
  readonly kind = 'malformed' as const;
  override readonly name = 'MalformedVenueError';
  /** Path of the offending field, e.g. "events[3].markets[0].close_time"; "" for the whole body. */
  readonly field: string;
  constructor(message: string, init: VenueErrorInit & { field: string }) {
    super(message, init);
    this.field = init.field;
  }
}

export function isVenueError(e: unknown): e is VenueError {
  return e instanceof VenueError;
}
