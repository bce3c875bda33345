import { constants, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../../source/credentials/secret.js';
import { AuthVenueError, MalformedVenueError, RejectedVenueError, RetryableVenueError } from '../../../source/venues/errors.js';
import { kalshiSignatureMessage, KalshiAuth, signKalshiMessage } from '../../../source/venues/kalshi/auth.js';
import { KalshiTradingClient, kalshiOrderBody, type KalshiTradingSettings } from '../../../source/venues/kalshi/trading.js';
import { DuplicateOrderError, OrderInputError, UnknownOutcomeError } from '../../../source/venues/trading.js';
import { MockKalshiTrading } from '../../helpers/mock-kalshi-trading.js';
import { intentBuilder, kalshiTradingMarket, TEST_KEY_ID, testKeyPair } from '../../helpers/kalshi-trading-setup.js';
import { kalshiFixture } from '../../helpers/mock-kalshi.js';

const TICKER = 'KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP';
const KEY_ID = TEST_KEY_ID;
const { privateKey, publicKey, pem: PEM } = testKeyPair();
const credentials = { keyId: KEY_ID, privateKeyPem: new Secret(PEM) };

/** Scaffolding market around the recorded demo ticker; grid from demo-recorded/market.json. */
const market = kalshiTradingMarket(TICKER, 'KXWTACHALLENGERMATCH-26JUN11JIMLEP', 'KXWTACHALLENGERMATCH');
const intent = intentBuilder(market, 990_000n);

let mock: MockKalshiTrading;
let client: KalshiTradingClient;

async function setup(options: { clientNow?: () => number; pem?: string; keyId?: string; timeoutMs?: number } = {}): Promise<void> {
  mock = await new MockKalshiTrading({ keyId: KEY_ID, publicKey }).start();
  const settings: KalshiTradingSettings = {
    restUrl: mock.restUrl,
    timeoutMs: options.timeoutMs ?? 2_000,
    rateLimit: { requests: 100, intervalMs: 1_000, concurrency: 4 },
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
  };
  client = new KalshiTradingClient(
    settings,
    { keyId: options.keyId ?? KEY_ID, privateKeyPem: new Secret(options.pem ?? PEM) },
    { ...(options.clientNow ? { now: options.clientNow } : {}), sleep: async () => {} },
  );
}

afterEach(async () => {
  await client?.close();
  await mock?.stop();
});

describe('Kalshi RSA-PSS signing', () => {
  it('signs timestamp + METHOD + path without the query, verifiable with the public key', () => {
    expect(kalshiSignatureMessage('1703123456789', 'get', '/trade-api/v2/portfolio/balance?subaccount=0')).toBe(
      '1703123456789GET/trade-api/v2/portfolio/balance',
    );
    const auth = new KalshiAuth(credentials, () => 1_703_123_456_789);
    const h = auth.headers('GET', '/trade-api/v2/portfolio/orders?limit=5');
    expect(h['KALSHI-ACCESS-KEY']).toBe(KEY_ID);
    expect(h['KALSHI-ACCESS-TIMESTAMP']).toBe('1703123456789');
    const ok = verify(
      'sha256',
      Buffer.from('1703123456789GET/trade-api/v2/portfolio/orders'),
      { key: createPublicKey(privateKey), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      Buffer.from(h['KALSHI-ACCESS-SIGNATURE'] as string, 'base64'),
    );
    expect(ok).toBe(true);
    // PSS is randomised: two signatures differ, and a signature over another path does not verify
    const sig = signKalshiMessage(privateKey, 'x');
    expect(sig).not.toBe(signKalshiMessage(privateKey, 'x'));
    const wrong = verify('sha256', Buffer.from('1703123456789GET/trade-api/v2/portfolio/fills'), { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(h['KALSHI-ACCESS-SIGNATURE'] as string, 'base64'));
    expect(wrong).toBe(false);
  });
});

describe('Kalshi V2 order body', () => {
  it('single YES book: buy YES is a bid, buy NO at q is an ask at 1 − q', () => {
    const yes = kalshiOrderBody(intent({ limitPrice: 560_000n, size: 10_000_000n, timeInForce: 'fok' }));
    expect(yes).toMatchObject({ ticker: TICKER, side: 'bid', price: '0.5600', count: '10.00', time_in_force: 'fill_or_kill' });
    const no = kalshiOrderBody(intent({ outcome: 'no', limitPrice: 400_000n }));
    expect(no).toMatchObject({ side: 'ask', price: '0.6000', time_in_force: 'immediate_or_cancel' });
    const sellYes = kalshiOrderBody(intent({ action: 'sell', limitPrice: 300_000n, timeInForce: 'gtc' }));
    expect(sellYes).toMatchObject({ side: 'ask', price: '0.3000', time_in_force: 'good_till_canceled' });
    expect(typeof yes.count).toBe('string');
  });

  it('refuses off-grid prices and sizes finer than 0.01 before sending', () => {
    expect(() => kalshiOrderBody(intent({ limitPrice: 555_000n }))).toThrow(OrderInputError);
    expect(() => kalshiOrderBody(intent({ size: 1_005_000n }))).toThrow(OrderInputError);
    expect(() => kalshiOrderBody(intent({ size: 0n }))).toThrow(OrderInputError);
  });

  it('property: every on-grid buy maps to a YES price whose complement is the intended price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.constantFrom<'yes' | 'no'>('yes', 'no'), (cents, outcome) => {
        const body = kalshiOrderBody(intent({ outcome, limitPrice: BigInt(cents) * 10_000n }));
        const yesCents = Math.round(Number(body.price) * 100);
        expect(outcome === 'yes' ? yesCents : 100 - yesCents).toBe(cents);
        expect(body.side).toBe(outcome === 'yes' ? 'bid' : 'ask');
      }),
    );
  });
});

describe('Kalshi trading client against the verifying mock', () => {
  it('replays the recorded IOC fill and the server verified the signature', async () => {
    await setup();
    const recorded = kalshiFixture<Record<string, string>>('demo-recorded/order-create-ioc.request.json');
    mock.createReplies.push({ status: 201, file: 'demo-recorded/order-created-ioc-filled.json' });
    const order = await client.placeOrder(intent({ clientOrderId: recorded['client_order_id'] as string, limitPrice: 990_000n }));
    expect(order).toMatchObject({ status: 'filled', filledSize: 1_000_000n, remainingSize: 0n, averagePrice: 520_000n, fees: 17_500n, outcome: 'yes' });
    expect(order.venueOrderId).toBe('97ec18b7-10d3-4557-9de0-8598aad625f0');
    expect(mock.verified).toHaveLength(1);
    const sent = JSON.parse(mock.verified[0]?.body ?? '{}') as Record<string, unknown>;
    for (const k of ['ticker', 'side', 'count', 'price', 'time_in_force', 'client_order_id', 'self_trade_prevention_type']) {
      expect(sent[k]).toBe(recorded[k]);
    }
  });

  it('buys NO through an ask and reads the fill back in NO terms', async () => {
    await setup();
    mock.liquidity.bids.push({ price: 6_200, size: 300 }); // YES bids at 0.62 ⇒ NO asks at 0.38
    const order = await client.placeOrder(intent({ outcome: 'no', limitPrice: 400_000n, size: 2_000_000n }));
    expect(JSON.parse(mock.verified[0]?.body ?? '{}')).toMatchObject({ side: 'ask', price: '0.6000', count: '2.00' });
    expect(order).toMatchObject({ status: 'filled', outcome: 'no', filledSize: 2_000_000n, averagePrice: 380_000n, limitPrice: 400_000n });
    const back = await client.getOrder({ market, venueOrderId: order.venueOrderId });
    expect(back).toMatchObject({ status: 'filled', outcome: 'no', filledSize: 2_000_000n, averagePrice: 380_000n, limitPrice: 400_000n });
  });

  it('IOC partial fill ends canceled with the filled part; FOK without enough liquidity fills nothing', async () => {
    await setup();
    mock.liquidity.asks.push({ price: 5_000, size: 150 });
    const ioc = await client.placeOrder(intent({ size: 2_000_000n, limitPrice: 550_000n }));
    expect(ioc).toMatchObject({ status: 'canceled', filledSize: 1_500_000n, remainingSize: 0n, averagePrice: 500_000n });
    const fok = await client.placeOrder(intent({ size: 2_000_000n, limitPrice: 550_000n, timeInForce: 'fok' }));
    expect(fok).toMatchObject({ status: 'canceled', filledSize: 0n, averagePrice: null });
  });

  it('a reused client order id is a DuplicateOrderError (recorded 409) and findOrder locates the original', async () => {
    await setup();
    const i = intent({ timeInForce: 'gtc', limitPrice: 10_000n });
    const first = await client.placeOrder(i);
    expect(first.status).toBe('open');
    const error = await client.placeOrder(i).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateOrderError);
    expect(error).toMatchObject({ status: 409, code: 'order_already_exists', clientOrderId: i.clientOrderId, kind: 'rejected' });
    const found = await client.findOrder(market, i.clientOrderId, Date.now() - 60_000);
    expect(found).toMatchObject({ venueOrderId: first.venueOrderId, status: 'open', clientOrderId: i.clientOrderId });
  });

  it('429 on an order POST is retryable (not accepted), sent once, never an unknown outcome', async () => {
    await setup();
    mock.server.fault({ kind: 'status', status: 429, body: kalshiFixture('docs-examples/error-429-too-many-requests.json') }, { pathPrefix: '/trade-api/v2/portfolio/events/orders' });
    const error = await client.placeOrder(intent()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableVenueError);
    expect(error).not.toBeInstanceOf(UnknownOutcomeError);
    expect((error as RetryableVenueError).reason).toBe('rate-limited');
    expect(mock.server.requestsTo('/trade-api/v2/portfolio/events/orders')).toHaveLength(1);
  });

  it('a timeout on the POST is an unknown outcome, not resent; polling finds the order filled', async () => {
    await setup({ timeoutMs: 150 });
    mock.liquidity.asks.push({ price: 5_200, size: 100 });
    mock.createDelayMs = 600;
    const i = intent();
    const error = await client.placeOrder(i).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect(error).toMatchObject({ outcome: 'unknown', clientOrderId: i.clientOrderId, reason: 'timeout' });
    expect(mock.server.requestsTo('/trade-api/v2/portfolio/events/orders')).toHaveLength(1);
    const found = await client.findOrder(market, i.clientOrderId, Date.now() - 60_000);
    expect(found).toMatchObject({ status: 'filled', filledSize: 1_000_000n, averagePrice: 520_000n });
  });

  it('a 5xx on the POST is an unknown outcome', async () => {
    await setup();
    mock.server.fault({ kind: 'status', status: 500, body: { error: { code: 'internal', message: 'internal' } } }, { pathPrefix: '/trade-api/v2/portfolio/events/orders' });
    const error = await client.placeOrder(intent()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect(mock.server.requestsTo('/trade-api/v2/portfolio/events/orders')).toHaveLength(1);
  });

  it('the server rejects a stale timestamp, a wrong key and an unknown key id (recorded 401 bodies)', async () => {
    await setup({ clientNow: () => Date.now() - 30_000 });
    const stale = await client.balance().catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(AuthVenueError);
    expect(stale).toMatchObject({ code: 'header_timestamp_expired', status: 401 });
    expect(mock.refused.map((r) => r.reason)).toEqual(['stale timestamp']);
    await client.close();
    await mock.stop();

    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await setup({ pem: other });
    const bad = await client.placeOrder(intent()).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AuthVenueError);
    expect(bad).toMatchObject({ code: 'authentication_error' });
    expect(mock.refused.map((r) => r.reason)).toEqual(['bad signature']);
    await client.close();
    await mock.stop();

    await setup({ keyId: '00000000-0000-0000-0000-000000000001' });
    expect(await client.balance().catch((e: unknown) => e)).toBeInstanceOf(AuthVenueError);
    expect(mock.refused.map((r) => r.reason)).toEqual(['unknown key id']);
  });

  it('maps recorded rejection bodies to typed errors', async () => {
    await setup();
    mock.createReplies.push({ status: 400, file: 'demo-recorded/error-400-insufficient-balance.json' });
    mock.createReplies.push({ status: 400, file: 'demo-recorded/error-400-invalid-price.json' });
    const a = await client.placeOrder(intent()).catch((e: unknown) => e);
    const b = await client.placeOrder(intent()).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(RejectedVenueError);
    expect(a).toMatchObject({ code: 'insufficient_balance', status: 400 });
    expect(b).toMatchObject({ code: 'invalid_price', kind: 'rejected' });
  });

  it('reads back the recorded order, fills, positions and per-shard balance in domain units', async () => {
    await setup();
    const order = await client.getOrder({ market, venueOrderId: '2597b999-f887-4195-8bac-c3f97a1f2021' });
    expect(order).toMatchObject({ status: 'open', venueStatus: 'resting', limitPrice: 10_000n, filledSize: 0n, remainingSize: 1_000_000n, requestedSize: 1_000_000n });
    const fills = await client.fills({ sinceMs: 0 });
    expect(fills).toHaveLength(3);
    expect(fills[0]).toMatchObject({ tradeId: 'f4a42159-b500-57c6-efa2-c31d94d916c1', outcome: 'yes', price: 520_000n, size: 1_000_000n, fee: 17_500n, isTaker: true, final: true });
    expect(fills.reduce((s, f) => s + (f.fee ?? 0n), 0n)).toBe(18_900n); // = positions.json fees_paid_dollars
    expect(await client.positions([market])).toEqual([{ venue: 'kalshi', marketId: TICKER, yes: 3_000_000n, no: 0n }]);
    const balance = await client.balance();
    expect(balance).toMatchObject({ available: 98_018_600n, shards: [{ exchangeIndex: 0, available: 98_018_600n }] });
    const list = await client.listOrders(market, 0);
    expect(list.map((o) => o.status)).toContain('canceled');
    expect(mock.refused).toHaveLength(0);
  });

  it('cancels: the recorded cancel, and a 404 that proves nothing', async () => {
    await setup();
    expect(await client.cancelOrder({ market, venueOrderId: '2597b999-f887-4195-8bac-c3f97a1f2021' })).toEqual({ kind: 'canceled', canceledSize: 1_000_000n });
    const unknown = await client.cancelOrder({ market, venueOrderId: '00000000-0000-0000-0000-000000000000' });
    expect(unknown.kind).toBe('not-cancelable');
    expect(await client.getOrder({ market, venueOrderId: '11111111-0000-0000-0000-000000000000' })).toBeNull();
  });

  it('retries a read after a 503 with a fresh, valid signature each attempt', async () => {
    await setup();
    mock.server.fault({ kind: 'status', status: 503, body: 'upstream' }, { pathPrefix: '/trade-api/v2/portfolio/balance' });
    const balance = await client.balance();
    expect(balance.available).toBe(98_018_600n);
    expect(mock.server.requestsTo('/trade-api/v2/portfolio/balance')).toHaveLength(2);
    expect(mock.verified).toHaveLength(1);
  });
});

beforeAll(() => {
  expect(PEM).toContain('BEGIN RSA PRIVATE KEY');
});

describe('Kalshi signatures are made when a request leaves the rate-limit queue', () => {
  // found in review: the timestamp was stamped before the request waited in the queue, so a
  // request that waited longer than the venue's clock tolerance was refused (401
  // header_timestamp_expired), an order leg then counted as rejected
  it('requests queued past the clock tolerance still carry a fresh timestamp: reads and orders', async () => {
    mock = await new MockKalshiTrading({ keyId: KEY_ID, publicKey, skewToleranceMs: 250 }).start();
    client = new KalshiTradingClient(
      { restUrl: mock.restUrl, timeoutMs: 2_000, rateLimit: { requests: 1, intervalMs: 200, concurrency: 1 }, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } },
      credentials,
    );
    mock.liquidity.asks.push({ price: 5_000, size: 1_000 });
    const results = await Promise.allSettled([
      client.balance(),
      client.balance(),
      client.balance(),
      client.placeOrder(intent({ size: 1_000_000n, limitPrice: 550_000n })),
      client.balance(),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : String(r.reason)))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(mock.refused).toEqual([]);
  }, 10_000);
});

describe('Kalshi lists read page by page', () => {
  // found in review: after maxPages the pages read so far were returned as the whole list
  it('a cursor that never ends is an error after maxPages, not a partial list', async () => {
    mock = await new MockKalshiTrading({ keyId: KEY_ID, publicKey }).start();
    client = new KalshiTradingClient(
      { restUrl: mock.restUrl, timeoutMs: 2_000, rateLimit: { requests: 100, intervalMs: 1_000, concurrency: 4 }, retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 }, maxPages: 3 },
      credentials,
    );
    mock.endlessFills = true;
    const error = await client.fills({ sinceMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedVenueError);
    expect(String((error as Error).message)).toContain('more than 3 pages');
    expect(mock.fillPages).toBe(3);
  });
});
