/**
 * Staged Kalshi orders (signed ahead while the intent is flushed): the verifying mock
 * accepts a pre-signed request while it is young and the client signs again when it is
 * not, so a slow flush can never send a stale timestamp.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../../source/credentials/secret.js';
import { KalshiTradingClient } from '../../../source/venues/kalshi/trading.js';
import { OrderInputError } from '../../../source/venues/trading.js';
import { MockKalshiTrading } from '../../helpers/mock-kalshi-trading.js';
import { intentBuilder, kalshiTradingMarket, TEST_KEY_ID, testKeyPair } from '../../helpers/kalshi-trading-setup.js';

const { publicKey, pem: PEM } = testKeyPair();
const KEY_ID = TEST_KEY_ID;
const TICKER = 'KXSTAGED-26JUN-T1';
const market = kalshiTradingMarket(TICKER, 'KXSTAGED-26JUN', 'KXSTAGED');
const intent = intentBuilder(market, 500_000n);

let mock: MockKalshiTrading;
let client: KalshiTradingClient;
let clientNow = Date.now();

async function setup(presignMaxAgeMs?: number): Promise<void> {
  clientNow = Date.now();
  mock = await new MockKalshiTrading({ keyId: KEY_ID, publicKey, skewToleranceMs: 2_000 }).start();
  client = new KalshiTradingClient(
    {
      restUrl: mock.restUrl,
      timeoutMs: 2_000,
      rateLimit: { requests: 100, intervalMs: 1_000, concurrency: 4 },
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      ...(presignMaxAgeMs !== undefined ? { presignMaxAgeMs } : {}),
    },
    { keyId: KEY_ID, privateKeyPem: new Secret(PEM) },
    { now: () => clientNow, sleep: async () => {} },
  );
}

afterEach(async () => {
  await client?.close();
  await mock?.stop();
});

describe('Kalshi staged orders', () => {
  it('a young pre-signed request is sent as signed; the mock verifies it and the order fills', async () => {
    await setup();
    mock.liquidity.asks.push({ price: 5_000, size: 100 });
    const staged = client.stageOrder(intent());
    expect(staged.venueOrderId).toBeNull();
    await staged.ready();
    clientNow += 100; // a flush of 100 ms
    const st = await staged.send();
    expect(st).toMatchObject({ status: 'filled', filledSize: 1_000_000n });
    expect(mock.refused).toEqual([]);
    const sent = mock.verified.find((r) => r.method === 'POST');
    // the timestamp is the one signed before the "flush", not the send time
    expect(Number(sent?.headers['kalshi-access-timestamp'])).toBe(clientNow - 100);
  });

  it('a pre-signed request older than presignMaxAgeMs is signed again at send time (fresh timestamp)', async () => {
    await setup(500);
    mock.liquidity.asks.push({ price: 5_000, size: 100 });
    const staged = client.stageOrder(intent());
    const signedAt = clientNow;
    await staged.ready();
    clientNow += 600;
    expect((await staged.send()).status).toBe('filled');
    const sent = mock.verified.find((r) => r.method === 'POST');
    expect(Number(sent?.headers['kalshi-access-timestamp'])).toBe(signedAt + 600);
  });

  it('without re-signing, the verifying mock would refuse the stale request (the check is real)', async () => {
    await setup(60_000); // accept any age: the mock's 2 s window decides
    const staged = client.stageOrder(intent());
    await staged.ready();
    // the server's clock moves on: the pre-signed timestamp is now 3 s old for the server
    const realNow = Date.now;
    const start = realNow();
    Date.now = () => start + 3_000;
    try {
      await expect(staged.send()).rejects.toThrow();
    } finally {
      Date.now = realNow;
    }
    expect(mock.refused.map((r) => r.reason)).toContain('stale timestamp');
  });

  it('a resend (after a 429) never reuses the first signature', async () => {
    await setup();
    mock.liquidity.asks.push({ price: 5_000, size: 100 });
    const staged = client.stageOrder(intent());
    await staged.ready();
    await staged.send();
    clientNow += 1;
    await expect(staged.send()).rejects.toThrow(); // the same client id: 409 duplicate
    const posts = mock.verified.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0]?.headers['kalshi-access-signature']).not.toBe(posts[1]?.headers['kalshi-access-signature']);
    expect(Number(posts[1]?.headers['kalshi-access-timestamp'])).toBe(clientNow);
  });

  it('refuses an intent it cannot express synchronously, before anything is signed or sent', async () => {
    await setup();
    expect(() => client.stageOrder(intent({ limitPrice: 555_000n }))).toThrow(OrderInputError);
    expect(mock.verified).toEqual([]);
  });

  it('warmUp is an authenticated read that the verifying mock accepts, and never throws', async () => {
    await setup();
    await client.warmUp();
    expect(mock.verified.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /trade-api/v2/portfolio/balance']);
    await mock.stop();
    await expect(client.warmUp()).resolves.toBeUndefined();
  });
});
