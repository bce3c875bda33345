/**
 * A small JSON-over-HTTP client shared by the venue adapters:
 * - rate limiting with p-queue (requests per interval + concurrency), per venue, with
 *   priorities: one shared budget, but urgent requests (books) are dequeued before
 *   background work (a catalog refresh's hundreds of lookups) instead of behind it;
 * - retries with exponential backoff and full jitter on 429, 5xx, network errors and
 *   timeouts (reads only; writes opt out), honouring Retry-After when the venue sends it;
 * - a timeout per attempt; HTTP keep-alive;
 * - every response schema-checked (zod) at the boundary: a bad field is a
 *   MalformedVenueError naming the field, never a crash or a NaN;
 * - error bodies handed to the venue's classifier for a typed error.
 */
import { formatIssuePath } from './issue-path.js';
import http from 'node:http';
import https from 'node:https';
import fetch, { type RequestInit as FetchInit, type Response } from 'node-fetch';
import PQueue from 'p-queue';
import type { z } from 'zod';
import {
  AuthVenueError,
  CANCELLED_BEFORE_SENDING,
  isVenueError,
  MalformedVenueError,
  RejectedVenueError,
  RetryableVenueError,
  type VenueError,
} from '../venues/errors.js';
import type { VenueTraffic } from '../venues/venue.js';

/** The longest Retry-After a request waits out before retrying; a longer one ends the request. */
export const LONGEST_RETRY_AFTER_MS = 60_000;

export interface RateLimitOptions {
  /** Requests allowed per `intervalMs`. */
  readonly requests: number;
  readonly intervalMs: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
}

/**
 * Queue priorities (higher is dequeued first; FIFO within a priority). Priority orders
 * the one rate-limited queue: every request still counts against the same limit.
 */
export const REQUEST_PRIORITY = {
  /** Bulk work nobody waits on for a quote: catalog pages, fee and series lookups. */
  background: -1,
  normal: 0,
  /** Requests whose answer goes stale in seconds: order books. */
  urgent: 1,
} as const;

export interface RetryOptions {
  /** Retries after the first attempt (0 = no retry). */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** What a venue says about a non-2xx answer. */
export interface ClassifiedError {
  readonly kind: 'retryable' | 'rejected' | 'auth';
  readonly code: string | undefined;
  readonly message: string;
}

export type ErrorClassifier = (status: number, body: unknown, rawText: string) => ClassifiedError;

export interface HttpClientOptions {
  readonly venue: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly rateLimit: RateLimitOptions;
  readonly retry: RetryOptions;
  readonly classifyError: ErrorClassifier;
  readonly userAgent?: string;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestOptions<T> {
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  /**
   * Extra headers; a function is called when the request is actually sent (after its wait
   * in the rate-limit queue), so that a signature's timestamp is fresh then: a request
   * signed before a long wait would reach the venue with an expired one.
   */
  readonly headers?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
  readonly schema: z.ZodType<T>;
  /** Retry on retryable failures (default: true for GET, false otherwise). */
  readonly retry?: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Name used in errors, e.g. "GET /events" (defaults to method + path). */
  readonly label?: string;
  /**
   * Queue priority (see REQUEST_PRIORITY); default: the one set for the label with
   * `setPriorities`, else normal. Retries keep it.
   */
  readonly priority?: number;
}

export interface HttpResult<T> {
  readonly data: T;
  readonly status: number;
  /** Local receive time (ms). */
  readonly receivedAt: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Render a zod issue path as `events[3].markets[0].close_time`. */
export { formatIssuePath };

export function buildUrl(baseUrl: string, path: string, query?: Readonly<Record<string, QueryValue>>): URL {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = new URL(path.replace(/^\//, ''), base);
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value as readonly string[]) url.searchParams.append(key, v);
      else url.searchParams.set(key, String(value));
    }
  }
  return url;
}

function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  if (!Number.isNaN(date)) return Math.max(0, date - now);
  return undefined;
}

export class HttpClient {
  readonly venue: string;
  readonly baseUrl: string;
  private readonly options: HttpClientOptions;
  private readonly queue: PQueue;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly priorities = new Map<string, number>();
  private counters = { requests: 0, retries: 0, rateLimited: 0, inFlight: 0 };
  private lastError: string | null = null;

  constructor(options: HttpClientOptions) {
    this.options = options;
    this.venue = options.venue;
    this.baseUrl = options.baseUrl;
    this.queue = new PQueue({
      concurrency: Math.max(1, options.rateLimit.concurrency),
      intervalCap: Math.max(1, options.rateLimit.requests),
      interval: Math.max(1, options.rateLimit.intervalMs),
    });
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  traffic(): VenueTraffic {
    return {
      requests: this.counters.requests,
      retries: this.counters.retries,
      rateLimited: this.counters.rateLimited,
      inFlight: this.counters.inFlight,
      queued: this.queue.size,
      lastError: this.lastError,
    };
  }

  /**
   * Queue priority by request label (e.g. `{ 'POST /books': REQUEST_PRIORITY.urgent }`),
   * for requests that do not name their own. Set by whoever owns the traffic policy (the
   * venue), not by the endpoint wrappers that only know the wire.
   */
  setPriorities(byLabel: Readonly<Record<string, number>>): void {
    for (const [label, priority] of Object.entries(byLabel)) this.priorities.set(label, priority);
  }

  get<T>(path: string, options: RequestOptions<T>): Promise<HttpResult<T>> {
    return this.request('GET', path, options);
  }

  post<T>(path: string, options: RequestOptions<T>): Promise<HttpResult<T>> {
    return this.request('POST', path, options);
  }

  /**
   * Delay before retry number `retry` (1-based): full jitter over an exponential cap
   * (`maxDelayMs`), or as long as the venue asked (Retry-After) when that is longer:
   * retrying sooner would only be refused again.
   */
  backoffDelay(retry: number, retryAfterMs?: number): number {
    const { baseDelayMs, maxDelayMs } = this.options.retry;
    const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
    const jittered = Math.round(cap / 2 + this.random() * (cap / 2));
    return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
  }

  async request<T>(method: string, path: string, options: RequestOptions<T>): Promise<HttpResult<T>> {
    const label = options.label ?? `${method} ${path}`;
    const canRetry = options.retry ?? method === 'GET';
    const maxAttempts = canRetry ? 1 + Math.max(0, this.options.retry.maxRetries) : 1;
    const priority = options.priority ?? this.priorities.get(label) ?? REQUEST_PRIORITY.normal;
    let attempt = 0;
    for (;;) {
      attempt += 1;
      let started = false;
      try {
        // a request still waiting its turn when the caller gives up leaves the queue at once
        // (a stopping app had thousands waiting behind the rate limit, each then sent)
        const result = await this.queue.add(
          () => {
            started = true;
            return this.attempt(method, path, label, attempt, options);
          },
          { priority, signal: options.signal },
        );
        return result as HttpResult<T>;
      } catch (error) {
        // the queue also gives up on a running task when the signal fires: once started, the
        // request may have left (an order may have been placed), so it is never called unsent
        if (options.signal?.aborted && !isVenueError(error)) {
          throw started
            ? new RetryableVenueError('request cancelled', { venue: this.venue, endpoint: label, attempts: attempt, reason: 'network', cause: error })
            : this.notSent(label, attempt, error);
        }
        const venueError = error as VenueError;
        this.lastError = venueError instanceof Error && 'describe' in venueError ? venueError.describe() : String(error);
        if (options.signal?.aborted) throw error;
        if (!(error instanceof RetryableVenueError) || attempt >= maxAttempts) throw error;
        // A pause longer than a request should hang for: give up now; the error carries the pause
        // (retryAfterMs), and the engine leaves the venue alone that long.
        if (error.retryAfterMs !== undefined && error.retryAfterMs > LONGEST_RETRY_AFTER_MS) throw error;
        this.counters.retries += 1;
        await this.pause(this.backoffDelay(attempt, error.retryAfterMs), options.signal);
        if (options.signal?.aborted) throw error;
      }
    }
  }

  /** A request the caller gave up on before it was sent (`CANCELLED_BEFORE_SENDING`). */
  private notSent(label: string, attempts: number, cause: unknown): RetryableVenueError {
    return new RetryableVenueError('request cancelled before it was sent', {
      venue: this.venue,
      endpoint: label,
      attempts,
      reason: 'network',
      code: CANCELLED_BEFORE_SENDING,
      cause,
    });
  }

  /**
   * The pause before a retry, cut short when the request is aborted (the app stopping): a
   * Retry-After of up to a minute must not keep a stopped process alive, nor its timer.
   */
  private async pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal === undefined) return this.sleep(ms);
    if (signal.aborted) return;
    let onAbort: () => void = () => undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const slept = this.options.sleep
      ? this.options.sleep(ms)
      : new Promise<void>((resolve) => {
          timer = setTimeout(resolve, ms);
        });
    try {
      await Promise.race([slept, aborted]);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async attempt<T>(
    method: string,
    path: string,
    label: string,
    attempt: number,
    options: RequestOptions<T>,
  ): Promise<HttpResult<T>> {
    // given up on before its turn came: never signed, never sent
    if (options.signal?.aborted) throw this.notSent(label, attempt, options.signal.reason);
    const url = buildUrl(this.baseUrl, path, options.query);
    // signed first (a signing failure leaves no timer or listener behind)
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'arb-tui',
      ...(typeof options.headers === 'function' ? options.headers() : options.headers),
    };
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const base = { venue: this.venue, endpoint: label, attempts: attempt };
    const init: FetchInit = {
      method,
      headers,
      signal: controller.signal as NonNullable<FetchInit['signal']>,
      agent: (u: URL) => (u.protocol === 'http:' ? this.httpAgent : this.httpsAgent),
    };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    this.counters.requests += 1;
    this.counters.inFlight += 1;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url.href, init);
      text = await response.text();
    } catch (error) {
      if (options.signal?.aborted) {
        throw new RetryableVenueError('request cancelled', { ...base, reason: 'network', cause: error });
      }
      if (timedOut) {
        throw new RetryableVenueError(`no answer within ${this.options.timeoutMs} ms`, {
          ...base,
          reason: 'timeout',
          cause: error,
        });
      }
      const code = (error as { code?: string }).code;
      // the fetch error names the whole URL: keep its query string (a token in a proxy URL,
      // cursors) and any user:password out of messages, logs and the audit table
      const said = (error as Error).message.split(url.href).join(`${url.origin}${url.pathname}`);
      throw new RetryableVenueError(`network error${code ? ` ${code}` : ''}: ${said}`, {
        ...base,
        reason: 'network',
        code,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      this.counters.inFlight -= 1;
    }
    const receivedAt = this.now();
    let body: unknown = undefined;
    let jsonOk = false;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
        jsonOk = true;
      } catch {
        jsonOk = false;
      }
    }
    if (response.status < 200 || response.status >= 300) {
      const classified = this.options.classifyError(response.status, jsonOk ? body : undefined, text);
      const init2 = { ...base, status: response.status, code: classified.code };
      if (response.status === 429) this.counters.rateLimited += 1;
      switch (classified.kind) {
        case 'retryable':
          throw new RetryableVenueError(classified.message, {
            ...init2,
            reason: response.status === 429 ? 'rate-limited' : 'server',
            retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), receivedAt),
          });
        case 'auth':
          throw new AuthVenueError(classified.message, init2);
        case 'rejected':
          throw new RejectedVenueError(classified.message, init2);
      }
    }
    if (!jsonOk) {
      const snippet = text.slice(0, 80).replace(/\s+/g, ' ');
      throw new MalformedVenueError(
        text.length === 0 ? 'empty response body' : `response is not JSON: ${JSON.stringify(snippet)}`,
        { ...base, status: response.status, field: '' },
      );
    }
    const parsed = options.schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue ? formatIssuePath(issue.path) : '';
      throw new MalformedVenueError(`malformed response: ${field || '(body)'}: ${issue?.message ?? 'invalid'}`, {
        ...base,
        status: response.status,
        field,
      });
    }
    return { data: parsed.data, status: response.status, receivedAt };
  }

  async close(): Promise<void> {
    this.queue.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
