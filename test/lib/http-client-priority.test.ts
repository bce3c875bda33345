/**
 * Queue priorities in HttpClient: urgent requests (books) are dequeued before queued
 * background work (catalog lookups), within the one rate limit the venue shares.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient, REQUEST_PRIORITY, type HttpClientOptions } from '../../source/lib/http-client.js';
import { MockHttpServer } from '../helpers/mock-http-server.js';

const okSchema = z.object({ ok: z.literal(true) });

let server: MockHttpServer;
let client: HttpClient | undefined;
/** `name` query parameter of each request, in the order the server received them, and when. */
let arrivals: { name: string; at: number }[];

function makeClient(rateLimit: HttpClientOptions['rateLimit']): HttpClient {
  client = new HttpClient({
    venue: 'test',
    baseUrl: `${server.url}/api`,
    timeoutMs: 2_000,
    rateLimit,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
    classifyError: (status) => ({ kind: status >= 500 ? 'retryable' : 'rejected', code: undefined, message: `HTTP ${status}` }),
    sleep: async () => undefined,
    random: () => 0.5,
  });
  client.setPriorities({ 'GET /books': REQUEST_PRIORITY.urgent, 'GET /catalog': REQUEST_PRIORITY.background });
  return client;
}

function ask(c: HttpClient, path: '/books' | '/catalog' | '/other', name: string, priority?: number): Promise<unknown> {
  return c.get(path, { schema: okSchema, query: { name }, label: `GET ${path}`, ...(priority === undefined ? {} : { priority }) });
}

beforeEach(async () => {
  arrivals = [];
  server = await new MockHttpServer().start();
  for (const path of ['/api/books', '/api/catalog', '/api/other']) {
    server.route('GET', path, (req) => {
      arrivals.push({ name: req.url.searchParams.get('name') ?? '?', at: performance.now() });
      return { body: { ok: true } };
    });
  }
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await server.stop();
});

describe('HttpClient queue priorities', () => {
  it('an urgent request overtakes queued background work; FIFO within a priority', async () => {
    const c = makeClient({ requests: 1_000, intervalMs: 1_000, concurrency: 1 });
    server.fault({ kind: 'delay', ms: 50 }, { pathPrefix: '/api/catalog' }); // c0 holds the only slot
    const all = [
      ask(c, '/catalog', 'c0'),
      ask(c, '/catalog', 'c1'),
      ask(c, '/catalog', 'c2'),
      ask(c, '/other', 'n1'), // no priority set for its label: normal
      ask(c, '/catalog', 'c3'),
      ask(c, '/books', 'b1'),
      ask(c, '/books', 'b2'),
      ask(c, '/books', 'demoted', REQUEST_PRIORITY.background), // an explicit priority beats the label's
    ];
    expect(c.traffic().queued).toBe(7);
    await Promise.all(all);
    expect(arrivals.map((a) => a.name)).toEqual(['c0', 'b1', 'b2', 'n1', 'c1', 'c2', 'c3', 'demoted']);
  });

  it('priority reorders the queue but spends the same rate budget', async () => {
    const c = makeClient({ requests: 2, intervalMs: 200, concurrency: 4 });
    const all = [
      ask(c, '/catalog', 'c0'),
      ask(c, '/catalog', 'c1'),
      ask(c, '/catalog', 'c2'),
      ask(c, '/catalog', 'c3'),
      ask(c, '/books', 'b0'),
      ask(c, '/books', 'b1'),
    ];
    await Promise.all(all);
    // c0, c1 took the first window's two slots; the books go first in the next window
    expect(arrivals.map((a) => a.name)).toEqual(['c0', 'c1', 'b0', 'b1', 'c2', 'c3']);
    const t0 = arrivals[0]?.at ?? 0;
    const since = arrivals.map((a) => a.at - t0);
    // two requests per 200 ms window, urgent or not (slack for timers and the first connect)
    for (const i of [2, 3]) expect(since[i]).toBeGreaterThanOrEqual(170);
    for (const i of [4, 5]) expect(since[i]).toBeGreaterThanOrEqual(370);
  });

  it('a retried urgent request keeps its priority', async () => {
    const c = makeClient({ requests: 1_000, intervalMs: 1_000, concurrency: 1 });
    server.fault({ kind: 'status', status: 503 }, { pathPrefix: '/api/books' });
    const all = [ask(c, '/books', 'b'), ask(c, '/catalog', 'c1'), ask(c, '/catalog', 'c2'), ask(c, '/catalog', 'c3'), ask(c, '/catalog', 'c4')];
    await Promise.all(all);
    const names = arrivals.map((a) => a.name);
    // the 503 is not recorded by the route; at most the one lookup that took the freed slot
    // while the retry was being scheduled goes before it
    expect(names.indexOf('b')).toBeLessThanOrEqual(1);
    expect(names).toHaveLength(5);
    expect(server.requestsTo('/api/books')).toHaveLength(2);
  });
});
