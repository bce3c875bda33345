/**
 * Keypress confirm → both orders on the wire (issue 7, target < 20 ms excluding network).
 *
 * Measured from the `execute()` call to the moment BOTH order requests have been received
 * by local HTTP servers on 127.0.0.1 (one Kalshi-shaped, one Polymarket-shaped), with the
 * real trading clients (RSA-PSS signing, EIP-712 order signing + HMAC), the real risk gate
 * and a real database file (the intent is flushed to disk with writeCritical before any
 * request). The local servers answer like the venues do (an IOC filled) but do not verify
 * signatures (the verifying mocks live in test/helpers); the Polymarket one credits the
 * shares bought, which the client reads back after each buy. A second figure runs the same
 * attempt against paper venues (no HTTP, no signing). Throwaway keys; nothing leaves the host.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Secret } from '../credentials/secret.js';
import { uniformGrid, type Market } from '../domain/market.js';
import { ONE, parseDecimal, type Size } from '../domain/money.js';
import { normaliseAsks, type OrderBook } from '../domain/order-book.js';
import { createExecution } from '../engine/execution/create-execution.js';
import { detectPair, type Opportunity } from '../engine/detector.js';
import { openDatabase } from '../persistence/database.js';
import { KalshiTradingClient } from '../venues/kalshi/trading.js';
import { PaperVenue } from '../venues/paper/paper-venue.js';
import { PolymarketTradingClient } from '../venues/polymarket/trading.js';
import type { TradingVenue } from '../venues/trading.js';

const C = 1_000_000n;
const d = (text: string): bigint => parseDecimal(text);

const kalshiMarket: Market = {
  venue: 'kalshi',
  id: 'KXBENCH-26JUN-T4.00',
  ref: { venue: 'kalshi', ticker: 'KXBENCH-26JUN-T4.00', eventTicker: 'KXBENCH-26JUN', seriesTicker: 'KXBENCH', exchangeIndex: null },
  eventId: 'KXBENCH-26JUN',
  eventTitle: 'bench',
  title: 'bench',
  subtitle: null,
  yesLabel: 'Yes',
  noLabel: 'No',
  closeTime: null,
  rules: null,
  status: 'open',
  priceRanges: [{ start: 10_000n, end: 990_000n, step: 10_000n }],
  minOrderSize: 10_000n,
  sizeIncrement: 10_000n,
  fee: { kind: 'kalshi', feeType: 'quadratic', multiplier: 1_000_000n, source: 'series' },
};

const polyMarket: Market = {
  venue: 'polymarket',
  id: '0x00000000000000000000000000000000000000000000000000000000000000be',
  ref: {
    venue: 'polymarket',
    conditionId: '0x00000000000000000000000000000000000000000000000000000000000000be',
    gammaId: null,
    eventId: null,
    slug: null,
    yesTokenId: '1001',
    noTokenId: '1002',
    negRisk: false,
    protocolVersion: 'v1',
  },
  eventId: 'bench',
  eventTitle: 'bench',
  title: 'bench',
  subtitle: null,
  yesLabel: 'Yes',
  noLabel: 'No',
  closeTime: null,
  rules: null,
  status: 'open',
  priceRanges: uniformGrid(10_000n, ONE),
  minOrderSize: 5_000_000n,
  sizeIncrement: 10_000n,
  fee: { kind: 'polymarket', rate: 30_000n, exponent: 1, takerOnly: true, source: 'clob' },
};

function books(now: number): { kalshi: OrderBook; polymarket: OrderBook } {
  return {
    kalshi: { venue: 'kalshi', marketId: kalshiMarket.id, yesAsks: normaliseAsks([{ price: d('0.40'), size: 1_000_000n * C }]), noAsks: normaliseAsks([{ price: d('0.62'), size: 1_000_000n * C }]), venueTime: null, receivedAt: now },
    polymarket: { venue: 'polymarket', marketId: polyMarket.id, yesAsks: normaliseAsks([{ price: d('0.48'), size: 1_000_000n * C }]), noAsks: normaliseAsks([{ price: d('0.50'), size: 1_000_000n * C }]), venueTime: null, receivedAt: now },
  };
}

function opportunityAt(now: number, size: Size): Opportunity {
  const { opportunities } = detectPair(
    { key: `${kalshiMarket.id}|${polyMarket.id}`, kalshi: kalshiMarket, polymarket: polyMarket, relation: 'same', approved: true, confidence: C, warnings: [] },
    books(now),
    now,
    {
      thresholds: { minNetProfit: 0n, minRoi: 0n, minAnnualizedReturn: 0n, maxSizePerTrade: size, maxCapitalPerPair: 1_000_000n * C, staleQuoteMs: 60_000 },
      kalshiFeeRounding: 'centicent',
    },
  );
  const o = opportunities.find((x) => x.legs[0].side === 'yes');
  if (!o) throw new Error('bench books give no opportunity');
  return o;
}

/** A local server that answers like the venue's order endpoint and notes when each order arrives. */
async function venueServer(answer: (path: string, method: string, body: string, query: URLSearchParams) => { status: number; body: unknown }, onOrder: () => void, isOrder: (method: string, path: string) => boolean): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const [path = '/', search = ''] = (req.url ?? '/').split('?');
    const query = new URLSearchParams(search);
    if (isOrder(req.method ?? 'GET', path)) onOrder();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const a = answer(path, req.method ?? 'GET', Buffer.concat(chunks).toString('utf8'), query);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function summarise(name: string, samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? Number.NaN;
  return `${name.padEnd(58)} median ${at(0.5).toFixed(2)} ms  p95 ${at(0.95).toFixed(2)} ms  min ${(s[0] ?? Number.NaN).toFixed(2)} ms  (${s.length} runs)`;
}

interface Probe {
  mark: (venue: 'kalshi' | 'polymarket') => void;
  reset: () => void;
  both: () => Promise<number>;
}

function probe(): Probe {
  let times: Partial<Record<'kalshi' | 'polymarket', number>> = {};
  let waiter: (() => void) | null = null;
  return {
    mark: (venue) => {
      times[venue] ??= performance.now();
      if (times.kalshi !== undefined && times.polymarket !== undefined) waiter?.();
    },
    reset: () => {
      times = {};
    },
    both: () =>
      new Promise<number>((resolve) => {
        const done = (): void => resolve(Math.max(times.kalshi ?? 0, times.polymarket ?? 0));
        if (times.kalshi !== undefined && times.polymarket !== undefined) done();
        else waiter = done;
      }),
  };
}

async function measure(label: string, venues: Record<'kalshi' | 'polymarket', TradingVenue>, p: Probe, iterations: number, warmup: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'arb-bench-exec-'));
  const db = await openDatabase({ path: join(dir, 'bench.sqlite'), flushIntervalMs: 60_000 });
  try {
    const sessionId = db.write((r) => r.sessions.start({ mode: 'paper', demo: false, appVersion: 'bench', configDigest: 'bench' })).id;
    const exec = createExecution({
      db,
      sessionId,
      venues,
      now: Date.now,
      settings: { cooldownMs: 0, maxQuoteAgeMs: 60_000, maxTradeNotional: 1_000_000n * C, maxPairNotional: 1_000_000_000n * C, maxTotalExposure: 1_000_000_000n * C },
    });
    const r = await exec.reconcile();
    if (!r.armed) throw new Error(r.reason);
    const toWire: number[] = [];
    const toSubmitted: number[] = [];
    for (let i = 0; i < warmup + iterations; i += 1) {
      const o = opportunityAt(Date.now(), 10n * C);
      p.reset();
      const both = p.both();
      const t0 = performance.now();
      const result = await exec.execute(o, 10n * C, `bench-${i}`);
      const t1 = performance.now();
      if (result.kind !== 'submitted') throw new Error(`bench attempt refused: ${result.kind === 'refused' ? result.reason : result.reason}`);
      const t2 = await both;
      await exec.idle();
      if (i >= warmup) {
        toWire.push(t2 - t0);
        toSubmitted.push(t1 - t0);
      }
    }
    // For context: what one durable write (writeCritical) costs on this database now.
    const flush: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const t0 = performance.now();
      await db.writeCritical((rr) => rr.audit.append({ actor: 'system', kind: 'bench', sessionId }));
      flush.push(performance.now() - t0);
    }
    return [
      summarise(`${label}: execute() → both orders received`, toWire),
      summarise(`${label}: execute() → submitted`, toSubmitted),
      summarise(`${label}: of which one writeCritical (intent flush)`, flush),
    ];
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runExecutionBenchmarks(): Promise<string[]> {
  const lines: string[] = [];
  const iterations = 40;
  const warmup = 5;

  // Paper venues: the attempt code alone (risk gate, intent flushed to disk, fills).
  {
    const p = probe();
    const mk = (id: 'kalshi' | 'polymarket'): PaperVenue => {
      const v = new PaperVenue({ id, bookSource: () => books(Date.now())[id === 'kalshi' ? 'kalshi' : 'polymarket'], now: Date.now, startingBalance: 1_000_000_000n * C, idPrefix: `bench-${id}-${Date.now()}` });
      v.onReceive = () => p.mark(id);
      return v;
    };
    lines.push(...(await measure('paper venues', { kalshi: mk('kalshi'), polymarket: mk('polymarket') }, p, iterations, warmup)));
  }

  // Real clients over HTTP to local servers on 127.0.0.1.
  {
    const p = probe();
    const kalshiServer = await venueServer(
      (path, method, body) => {
        if (method === 'POST' && path.endsWith('/portfolio/events/orders')) {
          const b = JSON.parse(body) as { client_order_id: string; count: string };
          return { status: 201, body: { client_order_id: b.client_order_id, order_id: `bench-${b.client_order_id}`, fill_count: b.count, remaining_count: '0.00', average_fill_price: '0.4000', average_fee_paid: '0.0168', ts_ms: Date.now() } };
        }
        if (path.endsWith('/portfolio/fills')) return { status: 200, body: { fills: [], cursor: '' } };
        if (path.endsWith('/portfolio/balance')) return { status: 200, body: { balance: 100_000_000 } };
        return { status: 404, body: { error: { code: 'not_found', message: 'not found' } } };
      },
      () => p.mark('kalshi'),
      (method, path) => method === 'POST' && path.endsWith('/portfolio/events/orders'),
    );
    // Shares held per token (6-decimal units): the client reads back what a buy credited.
    const held = new Map<string, bigint>();
    const polyServer = await venueServer(
      (path, method, body, query) => {
        if (method === 'POST' && path === '/order') {
          const b = JSON.parse(body) as { order: { tokenId: string; side: string; makerAmount: string; takerAmount: string } };
          if (b.order.side === 'BUY') held.set(b.order.tokenId, (held.get(b.order.tokenId) ?? 0n) + BigInt(b.order.takerAmount));
          return { status: 200, body: { success: true, orderID: '', status: 'matched', makingAmount: b.order.makerAmount, takingAmount: b.order.takerAmount, errorMsg: '' } };
        }
        if (path === '/data/trades') return { status: 200, body: { data: [], next_cursor: 'LTE=' } };
        if (path === '/balance-allowance') {
          const token = query.get('token_id');
          const balance = token === null ? 1_000_000_000_000n : (held.get(token) ?? 0n);
          return { status: 200, body: { balance: balance.toString(), allowances: {} } };
        }
        return { status: 404, body: { error: 'not found' } };
      },
      () => p.mark('polymarket'),
      (method, path) => method === 'POST' && path === '/order',
    );
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const kalshi = new KalshiTradingClient(
      { restUrl: `${kalshiServer.url}/trade-api/v2`, timeoutMs: 5_000, rateLimit: { requests: 1_000, intervalMs: 1_000, concurrency: 8 }, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } },
      { keyId: 'bench', privateKeyPem: new Secret(pem) },
    );
    const poly = new PolymarketTradingClient(
      { clobUrl: polyServer.url, timeoutMs: 5_000, rateLimit: { requests: 1_000, intervalMs: 1_000, concurrency: 8 }, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } },
      { privateKey: new Secret('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'), signatureType: 0, funder: null, api: null },
      { key: 'bench-key', secret: new Secret('c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ='), passphrase: new Secret('bench') },
    );
    try {
      lines.push(...(await measure('real clients → local servers (HTTP, signed)', { kalshi, polymarket: poly }, p, iterations, warmup)));
    } finally {
      await kalshi.close();
      await poly.close();
      await kalshiServer.close();
      await polyServer.close();
    }
  }
  lines.push('(target < 20 ms excluding network; both figures include flushing the intent to disk before sending)');
  return lines;
}
