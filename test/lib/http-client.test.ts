import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient, buildUrl, formatIssuePath, type HttpClientOptions } from '../../source/lib/http-client.js';
import {
  AuthVenueError,
  CANCELLED_BEFORE_SENDING,
  MalformedVenueError,
  RejectedVenueError,
  RetryableVenueError,
} from '../../source/venues/errors.js';
import { classifyWriteError } from '../../source/venues/trading.js';
import { MockHttpServer } from '../helpers/mock-http-server.js';

const okSchema = z.object({ ok: z.literal(true), price: z.string() });

let server: MockHttpServer;
let client: HttpClient | undefined;
const sleeps: number[] = [];

function makeClient(overrides: Partial<HttpClientOptions> = {}): HttpClient {
  client = new HttpClient({
    venue: 'test',
    baseUrl: `${server.url}/api/v1`,
    timeoutMs: 300,
    rateLimit: { requests: 100, intervalMs: 1000, concurrency: 4 },
    retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 1000 },
    classifyError: (status, body) => ({
      kind: status === 429 || status >= 500 ? 'retryable' : status === 401 ? 'auth' : 'rejected',
      code: undefined,
      message: typeof body === 'object' && body && 'error' in body ? String((body as { error: unknown }).error) : `HTTP ${status}`,
    }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return client;
}

beforeEach(async () => {
  sleeps.length = 0;
  server = await new MockHttpServer().start();
  server.route('GET', '/api/v1/thing', { body: { ok: true, price: '0.52' } });
  server.route('POST', '/api/v1/thing', { body: { ok: true, price: '0.52' } });
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await server.stop();
});

describe('HttpClient', () => {
  it('builds URLs with repeated keys for arrays and keeps the base path', () => {
    const url = buildUrl('http://h/trade-api/v2', '/markets/orderbooks', { tickers: ['A', 'B'], limit: 5, skip: undefined });
    expect(url.href).toBe('http://h/trade-api/v2/markets/orderbooks?tickers=A&tickers=B&limit=5');
  });

  it('returns schema-checked data with the receive time', async () => {
    const c = makeClient({ now: () => 1234 });
    const r = await c.get('/thing', { schema: okSchema });
    expect(r.data).toEqual({ ok: true, price: '0.52' });
    expect(r.receivedAt).toBe(1234);
    expect(server.requests[0]?.headers['connection']).toBe('keep-alive');
  });

  it('retries 429 and 5xx with growing jittered delays, then succeeds', async () => {
    server.fault({ kind: 'status', status: 429, body: { error: 'too many requests' } });
    server.fault({ kind: 'status', status: 502, body: 'bad gateway' });
    const c = makeClient();
    const r = await c.get('/thing', { schema: okSchema });
    expect(r.data.ok).toBe(true);
    expect(server.requests).toHaveLength(3);
    // random() = 0.5 → delay = cap/2 + cap/4 with cap = base × 2^(n-1)
    expect(sleeps).toEqual([8, 15]);
    expect(c.traffic()).toMatchObject({ requests: 3, retries: 2, rateLimited: 1 });
  });

  it('gives up after maxRetries with the attempt count', async () => {
    server.fault({ kind: 'status', status: 503, body: { error: 'down' } }, { times: 10 });
    const c = makeClient();
    const error = await c.get('/thing', { schema: okSchema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect((error as RetryableVenueError).attempts).toBe(4);
    expect((error as RetryableVenueError).reason).toBe('server');
    expect((error as RetryableVenueError).describe()).toBe('test GET /thing: down (HTTP 503) after 4 attempts');
    expect(server.requests).toHaveLength(4);
  });

  it('honours Retry-After: waits as long as asked, beyond maxDelayMs', async () => {
    server.fault({ kind: 'status', status: 429, body: {}, headers: { 'retry-after': '0.2' } });
    server.fault({ kind: 'status', status: 429, body: {}, headers: { 'retry-after': '30' } });
    const c = makeClient();
    await c.get('/thing', { schema: okSchema });
    expect(sleeps).toEqual([200, 30_000]);
  });

  it('a Retry-After longer than a request waits (60 s) ends the request, saying how long was asked', async () => {
    server.fault({ kind: 'status', status: 429, body: {}, headers: { 'retry-after': '120' } });
    const c = makeClient();
    const error = await c.get('/thing', { schema: okSchema }).catch((e: unknown) => e);
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect((error as RetryableVenueError).retryAfterMs).toBe(120_000);
    expect((error as RetryableVenueError).reason).toBe('rate-limited');
  });

  it('does not retry a POST unless told to', async () => {
    server.fault({ kind: 'status', status: 500, body: { error: 'boom' } }, { times: 2 });
    const c = makeClient();
    await expect(c.post('/thing', { schema: okSchema, body: { a: 1 } })).rejects.toBeInstanceOf(RetryableVenueError);
    expect(server.requests).toHaveLength(1);
    const r = await c.post('/thing', { schema: okSchema, body: { a: 1 }, retry: true });
    expect(r.data.ok).toBe(true);
    expect(server.requests[2]?.body).toBe('{"a":1}');
  });

  it('times out a slow answer and reports it as retryable timeout', async () => {
    server.fault({ kind: 'delay', ms: Number.POSITIVE_INFINITY }, { times: 10 });
    const c = makeClient({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await c.get('/thing', { schema: okSchema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect((error as RetryableVenueError).reason).toBe('timeout');
    expect((error as RetryableVenueError).attempts).toBe(2);
  });

  it('treats a dropped connection as a retryable network error and recovers', async () => {
    server.fault({ kind: 'drop' });
    const c = makeClient();
    const r = await c.get('/thing', { schema: okSchema });
    expect(r.data.ok).toBe(true);
    expect(c.traffic().retries).toBe(1);
  });

  it('an abort during the pause before a retry ends the request at once (a Retry-After of 30 s does not keep a stopped app waiting)', async () => {
    server.fault({ kind: 'status', status: 429, body: {}, headers: { 'retry-after': '30' } });
    const c = new HttpClient({
      venue: 'test',
      baseUrl: `${server.url}/api/v1`,
      timeoutMs: 1_000,
      rateLimit: { requests: 100, intervalMs: 1000, concurrency: 4 },
      retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 1000 },
      classifyError: (status) => ({ kind: status === 429 ? 'retryable' : 'rejected', code: undefined, message: `HTTP ${status}` }),
    });
    const controller = new AbortController();
    const started = Date.now();
    const pending = c.get('/thing', { schema: okSchema, signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 100);
    const error = await pending;
    await c.close();
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });

  it('a network error names the endpoint without its query string or any user:password of the URL', async () => {
    const c = new HttpClient({
      venue: 'test',
      baseUrl: 'http://user:hunter2@127.0.0.1:1/api/v1',
      timeoutMs: 300,
      rateLimit: { requests: 100, intervalMs: 1000, concurrency: 4 },
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      classifyError: () => ({ kind: 'retryable', code: undefined, message: 'x' }),
    });
    const error = await c.get('/thing', { schema: okSchema, query: { token: 'SECRET123', cursor: 'abc' } }).catch((e: unknown) => e);
    await c.close();
    expect(error).toBeInstanceOf(RetryableVenueError);
    const text = (error as RetryableVenueError).describe();
    expect(text).toContain('network error');
    expect(text).not.toContain('SECRET123');
    expect(text).not.toContain('hunter2');
  });

  it('reports a truncated body as a network error, not as data', async () => {
    server.fault({ kind: 'truncate' }, { times: 10 });
    const c = makeClient({ retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await c.get('/thing', { schema: okSchema }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect((error as RetryableVenueError).reason).toBe('network');
  });

  it('classifies malformed JSON and malformed fields, naming the field', async () => {
    server.fault({ kind: 'malformed-json', text: '<html>oops</html>' });
    const c = makeClient();
    const e1 = await c.get('/thing', { schema: okSchema }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(MalformedVenueError);
    expect((e1 as MalformedVenueError).message).toContain('not JSON');
    server.route('GET', '/api/v1/thing', { body: { ok: true, price: 0.52 } });
    const e2 = await c.get('/thing', { schema: okSchema }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(MalformedVenueError);
    expect((e2 as MalformedVenueError).field).toBe('price');
    expect(server.requests).toHaveLength(2); // malformed answers are not retried
  });

  it('maps 401 to auth and other 4xx to rejected, without retrying', async () => {
    server.fault({ kind: 'status', status: 401, body: { error: 'bad key' } });
    server.fault({ kind: 'status', status: 404, body: { error: 'no such market' } });
    const c = makeClient();
    await expect(c.get('/thing', { schema: okSchema })).rejects.toBeInstanceOf(AuthVenueError);
    const e = await c.get('/thing', { schema: okSchema }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RejectedVenueError);
    expect((e as RejectedVenueError).status).toBe(404);
    expect(server.requests).toHaveLength(2);
  });

  it('never runs more requests at once than the concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    server.route('GET', '/api/v1/slow', async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight -= 1;
      return { body: { ok: true, price: '1' } };
    });
    const c = makeClient({ rateLimit: { requests: 100, intervalMs: 1000, concurrency: 2 } });
    await Promise.all(Array.from({ length: 6 }, () => c.get('/slow', { schema: okSchema })));
    expect(peak).toBe(2);
  });

  it('requests still waiting their turn when the caller gives up leave the queue at once, unsent, and say so', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.route('GET', '/api/v1/slow', async () => {
      await held;
      return { body: { ok: true, price: '0.5' } };
    });
    const c = makeClient({ rateLimit: { requests: 100, intervalMs: 1000, concurrency: 1 } });
    const controller = new AbortController();
    const first = c.get('/slow', { schema: okSchema, signal: controller.signal }).catch((e: unknown) => e);
    const queued = Array.from({ length: 50 }, () => c.get('/thing', { schema: okSchema, signal: controller.signal }).catch((e: unknown) => e));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(c.traffic().queued).toBe(50);
    controller.abort();
    const errors = await Promise.all(queued);
    release();
    // the request in flight may have reached the server: never said unsent
    const inFlight = await first;
    expect(inFlight).toBeInstanceOf(RetryableVenueError);
    expect((inFlight as RetryableVenueError).code).not.toBe(CANCELLED_BEFORE_SENDING);
    expect(classifyWriteError(inFlight, { clientOrderId: 'c0', venueOrderId: null })).not.toBe(inFlight);
    // none of the 50 reached the server: only the one in flight did
    expect(server.requests.filter((r) => r.path === '/api/v1/thing')).toHaveLength(0);
    for (const e of errors) {
      expect(e).toBeInstanceOf(RetryableVenueError);
      expect((e as RetryableVenueError).code).toBe(CANCELLED_BEFORE_SENDING);
    }
    // an order write given up on before it was sent is not an unknown outcome
    expect(classifyWriteError(errors[0], { clientOrderId: 'c1', venueOrderId: null })).toBe(errors[0]);
    // and a request asked for after the abort is not sent either
    await expect(c.get('/thing', { schema: okSchema, signal: controller.signal })).rejects.toMatchObject({ code: CANCELLED_BEFORE_SENDING });
    expect(server.requests.filter((r) => r.path === '/api/v1/thing')).toHaveLength(0);
  });

  it('stops retrying when the caller aborts', async () => {
    server.fault({ kind: 'status', status: 503, body: {} }, { times: 10 });
    const controller = new AbortController();
    const c = makeClient({
      sleep: async () => {
        controller.abort();
      },
    });
    await expect(c.get('/thing', { schema: okSchema, signal: controller.signal })).rejects.toBeInstanceOf(RetryableVenueError);
    expect(server.requests).toHaveLength(1);
  });

  it('formats issue paths like the wire', () => {
    expect(formatIssuePath(['events', 3, 'markets', 0, 'close_time'])).toBe('events[3].markets[0].close_time');
    expect(formatIssuePath([0, 'price'])).toBe('[0].price');
  });
});
