/**
 * The Executor with the REAL Kalshi and Polymarket trading clients against the verifying
 * mock servers (RSA-PSS signatures checked, EIP-712 signer recovered, HMAC checked).
 */
import { generateKeyPairSync } from 'node:crypto';
import { privateKeyToAccount } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../../source/credentials/secret.js';
import { createExecution, type Execution } from '../../../source/engine/execution/create-execution.js';
import type { ArbDatabase } from '../../../source/persistence/database.js';
import type { OrderRow } from '../../../source/persistence/repositories/orders.js';
import { KalshiTradingClient } from '../../../source/venues/kalshi/trading.js';
import { POLYMARKET_EXCHANGES } from '../../../source/venues/polymarket/signing.js';
import { PolymarketTradingClient } from '../../../source/venues/polymarket/trading.js';
import { MockKalshiTrading, kalshiFixture } from '../../helpers/mock-kalshi-trading.js';
import { MockPolymarketTrading } from '../../helpers/mock-polymarket-trading.js';
import { C, defaultBooks, kalshiMarket, openTestDb, opportunity, POLY_NO_TOKEN, POLY_YES_TOKEN, price, resolveMarket, type TestDb } from './helpers.js';

const KEY_ID = 'a952bcbe-ec3b-4b5b-b8f9-11dae589608c';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const WALLET_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'; // hardhat #1
const wallet = privateKeyToAccount(WALLET_KEY).address;
const API = { apiKey: 'f4f247b7-4ac7-ff29-a152-04fda0a8755a', secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=', passphrase: 'pass-phrase-1' };

interface Rig {
  t: TestDb;
  km: MockKalshiTrading;
  pm: MockPolymarketTrading;
  kalshi: KalshiTradingClient;
  poly: PolymarketTradingClient;
  exec: Execution;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.exec.idle();
    await r.kalshi.close();
    await r.poly.close();
    await r.km.stop();
    await r.pm.stop();
    await r.t.cleanup();
  }
});

async function rig(
  options: { kalshiIds?: string[]; kalshiTimeoutMs?: number; tradeStatuses?: readonly string[]; onAlert?: (message: string) => void } = {},
): Promise<Rig> {
  const t = await openTestDb(Date.now);
  const km = await new MockKalshiTrading({ keyId: KEY_ID, publicKey }).start();
  km.liquidity = { asks: [{ price: 4000, size: 2000 }], bids: [{ price: 3800, size: 2000 }] }; // YES 0.40 ask, YES 0.38 bid (1e-4 $, 0.01 contracts)
  const pm = await new MockPolymarketTrading({
    wallet,
    funder: null,
    signatureType: 0,
    markets: [{ yesTokenId: POLY_YES_TOKEN, noTokenId: POLY_NO_TOKEN, negRisk: false, version: 'v1' }],
    exchanges: POLYMARKET_EXCHANGES,
    api: API,
  }).start();
  if (options.tradeStatuses) pm.tradeStatuses = options.tradeStatuses;
  const ids = options.kalshiIds;
  const kalshi = new KalshiTradingClient(
    {
      restUrl: km.restUrl,
      timeoutMs: options.kalshiTimeoutMs ?? 2_000,
      rateLimit: { requests: 100, intervalMs: 1_000, concurrency: 4 },
      retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 },
    },
    { keyId: KEY_ID, privateKeyPem: new Secret(PEM) },
    { sleep: async () => {}, ...(ids ? { newId: () => ids.shift() ?? crypto.randomUUID() } : {}) },
  );
  const poly = await PolymarketTradingClient.connect(
    { clobUrl: pm.url, timeoutMs: 2_000, rateLimit: { requests: 100, intervalMs: 1_000, concurrency: 4 }, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } },
    { privateKey: new Secret(WALLET_KEY), signatureType: 0, funder: null, api: { key: API.apiKey, secret: new Secret(API.secret), passphrase: new Secret(API.passphrase) } },
    { sleep: async () => {} },
  );
  const exec = createExecution({
    db: t.db,
    sessionId: t.sessionId,
    venues: { kalshi, polymarket: poly },
    now: Date.now,
    settings: { pollIntervalMs: 40, pollDeadlineMs: 4_000, maxQuoteAgeMs: 600_000 },
    resolveMarket,
    // waits of more than a second (the settlement checks, 30 s apart) take 5 ms here
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms > 1_000 ? 5 : ms)),
    ...(options.onAlert ? { onAlert: options.onAlert } : {}),
  });
  const r: Rig = { t, km, pm, kalshi, poly, exec };
  rigs.push(r);
  expect((await exec.reconcile()).armed).toBe(true);
  return r;
}

async function attempt(r: Rig) {
  const o = opportunity(defaultBooks(Date.now()), 10n * C, Date.now());
  const started = await r.exec.start(o, 10n * C, 'q');
  expect(started.result.kind).toBe('submitted');
  const report = await started.completion;
  if (!report) throw new Error('no completion');
  return { o, report, orders: r.t.db.repos.orders.listByTrade(report.tradeId), trade: r.t.db.repos.trades.get(report.tradeId) };
}

const byType = (orders: readonly OrderRow[], type: string): OrderRow | undefined => orders.find((o) => o.orderType === type);
const positions = (db: ArbDatabase): [string, string, bigint][] => db.repos.orders.positions().map((p) => [p.venue, p.side, p.size]);
const kinds = (db: ArbDatabase, tradeId: number): string[] => db.repos.audit.list().filter((e) => e.subject === `trade:${tradeId}`).map((e) => e.kind);
const orderPosts = (km: MockKalshiTrading) => km.server.requestsTo('/trade-api/v2/portfolio/events/orders').filter((q) => q.method === 'POST');

describe('executor with the real clients against verifying mocks', () => {
  it('complete: both orders signed and verified; the Polymarket order hash was persisted with the intent', async () => {
    const r = await rig();
    const { report, orders, trade } = await attempt(r);
    expect(report.outcome?.classification).toBe('complete');
    expect(r.km.refused).toEqual([]);
    expect(r.pm.refused).toEqual([]);
    expect(r.pm.verifiedOrders).toHaveLength(1);
    expect(byType(orders, 'ioc:leg1')?.venueOrderId).toBe(r.pm.verifiedOrders[0]?.hash);
    const body = JSON.parse(orderPosts(r.km)[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ ticker: kalshiMarket.id, side: 'bid', count: '10.00', price: '0.4000', time_in_force: 'immediate_or_cancel', client_order_id: byType(orders, 'ioc:leg0')?.clientOrderId });
    expect(orders.map((o) => [o.venue, o.state, o.filledSize])).toEqual(
      expect.arrayContaining([
        ['kalshi', 'filled', 10n * C],
        ['polymarket', 'filled', 10n * C],
      ]),
    );
    expect(positions(r.t.db)).toEqual([
      ['kalshi', 'yes', 10n * C],
      ['polymarket', 'no', 10n * C],
    ]);
    // the mocks do not list our fills: one fill per order derived from the order's figures
    const fills = r.t.db.repos.orders.fillsBySession(r.t.sessionId);
    expect(fills.map((f) => [f.venue, f.venueFillId.startsWith('derived:'), f.price, f.size])).toEqual(
      expect.arrayContaining([
        ['kalshi', true, price('0.40'), 10n * C],
        ['polymarket', true, price('0.50'), 10n * C],
      ]),
    );
    expect(trade?.status).toBe('complete');
    expect(trade?.realisedPnl).not.toBeNull();
  });

  it('Kalshi POST times out but the order was executed: found by client id, one POST only', async () => {
    const r = await rig({ kalshiTimeoutMs: 250 });
    r.km.createDelayMs = 600;
    const { report, orders } = await attempt(r);
    expect(report.outcome?.classification).toBe('complete');
    expect(orderPosts(r.km)).toHaveLength(1);
    expect(byType(orders, 'ioc:leg0')).toMatchObject({ state: 'filled', filledSize: 10n * C });
    expect(kinds(r.t.db, report.tradeId)).toEqual(expect.arrayContaining(['order-outcome-unknown', 'order-polled']));
    expect(positions(r.t.db)).toContainEqual(['kalshi', 'yes', 10n * C]);
  });

  it('429 on the Kalshi POST: sent again with the same client id, accepted once', async () => {
    const r = await rig();
    r.km.server.fault({ kind: 'status', status: 429, body: kalshiFixture('docs-examples/error-429-too-many-requests.json') }, { pathPrefix: '/trade-api/v2/portfolio/events/orders' });
    const { report } = await attempt(r);
    expect(report.outcome?.classification).toBe('complete');
    const posts = orderPosts(r.km).map((q) => (JSON.parse(q.body) as { client_order_id: string }).client_order_id);
    expect(posts).toHaveLength(2);
    expect(posts[0]).toBe(posts[1]);
    expect(r.km.orders.size).toBe(1);
    expect(kinds(r.t.db, report.tradeId)).toContain('order-not-accepted');
  });

  it('409 duplicate client id: the order already at the venue is read back and used', async () => {
    const r = await rig({ kalshiIds: ['dup-1'] });
    // An earlier send of the same client id whose answer was lost (it executed).
    await r.kalshi.placeOrder({ clientOrderId: 'dup-1', market: kalshiMarket, outcome: 'yes', action: 'buy', size: 10n * C, limitPrice: price('0.40'), timeInForce: 'ioc' });
    const { report, orders } = await attempt(r);
    expect(byType(orders, 'ioc:leg0')?.clientOrderId).toBe('dup-1');
    expect(report.outcome?.classification).toBe('complete');
    expect(r.km.orders.size).toBe(1);
    expect(kinds(r.t.db, report.tradeId)).toContain('duplicate-client-id');
  });

  it('Polymarket 500 after the order was recorded: polled by its hash, found matched', async () => {
    const r = await rig();
    r.pm.failAfterRecording = 500;
    const { report, orders } = await attempt(r);
    expect(report.outcome?.classification).toBe('complete');
    expect(r.pm.verifiedOrders).toHaveLength(1);
    expect(byType(orders, 'ioc:leg1')).toMatchObject({ state: 'filled', filledSize: 10n * C, venueOrderId: r.pm.verifiedOrders[0]?.hash });
    expect(positions(r.t.db)).toContainEqual(['polymarket', 'no', 10n * C]);
  });

  it('Polymarket refuses (cancel-only): the Kalshi leg is unwound with a signed ask at the bounded price', async () => {
    const r = await rig();
    r.pm.orderMode = { status: 503, file: 'order-post-error.json' };
    const { report, orders, trade } = await attempt(r);
    expect(report.outcome).toEqual({ classification: 'unwound', hedged: 0n, exposed: null });
    const unwindPost = JSON.parse(orderPosts(r.km)[1]?.body ?? '{}') as Record<string, unknown>;
    expect(unwindPost).toMatchObject({ side: 'ask', count: '10.00', price: '0.3500', time_in_force: 'immediate_or_cancel' });
    expect(byType(orders, 'ioc:unwind')).toMatchObject({ action: 'sell', state: 'filled', filledSize: 10n * C });
    const fills = r.t.db.repos.orders.fillsForOrder(byType(orders, 'ioc:unwind')?.clientOrderId ?? '');
    expect(fills.map((f) => [f.side, f.action, f.price])).toEqual([['yes', 'sell', price('0.38')]]);
    expect(positions(r.t.db)).toEqual([['kalshi', 'yes', 0n]]);
    expect(trade?.realisedPnl).toBeLessThan(0n);
    expect(r.km.refused).toEqual([]);
  });
});

describe('a ghost fill over the wire (Polymarket trade MATCHED, then FAILED on chain)', () => {
  it('is booked when matched, then voided when the venue reports it failed: position rebuilt, trade one-leg exposed, alert', async () => {
    const alerts: string[] = [];
    const r = await rig({ tradeStatuses: ['MATCHED', 'FAILED'], onAlert: (m) => alerts.push(m) });
    const { report, orders } = await attempt(r);
    expect(report.outcome?.classification).toBe('complete');
    const polyId = orders.find((o) => o.venue === 'polymarket')?.clientOrderId as string;
    // booked by the venue's own trade id while matched
    expect(r.t.db.repos.orders.fillsForOrder(polyId).map((f) => f.venueFillId)).toEqual([expect.stringMatching(/^trade-/)]);
    for (let i = 0; i < 400 && alerts.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(alerts).toEqual([expect.stringMatching(/polymarket reports 10 NO of .* failed after matching \(not delivered\): voided, booked position now 0 NO, trade one-leg-exposed/)]);
    expect(r.pm.tradeReads).toBeGreaterThanOrEqual(2);
    expect(r.t.db.repos.orders.fillsForOrder(polyId)).toEqual([]);
    expect(positions(r.t.db)).toEqual([
      ['kalshi', 'yes', 10n * C],
      ['polymarket', 'no', 0n],
    ]);
    expect(r.t.db.repos.trades.get(report.tradeId)).toMatchObject({ status: 'one-leg-exposed', hedgedSize: 0n });
    expect(kinds(r.t.db, report.tradeId)).toContain('fill-failed');
  });
});
