import { privateKeyToAccount } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../../source/credentials/secret.js';
import type { PolymarketCredentials } from '../../../source/credentials/store.js';
import type { Market } from '../../../source/domain/market.js';
import { AuthVenueError, RejectedVenueError, RetryableVenueError } from '../../../source/venues/errors.js';
import { POLYMARKET_EXCHANGES } from '../../../source/venues/polymarket/signing.js';
import { PolymarketTradingClient, readAmount, readOrderSizes, readShares, readTradeShares } from '../../../source/venues/polymarket/trading.js';
import { OrderInputError, UnknownOutcomeError, type OrderIntent } from '../../../source/venues/trading.js';
import { MockPolymarketTrading, type MockMarketSpec } from '../../helpers/mock-polymarket-trading.js';

const WALLET_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'; // hardhat #1
const wallet = privateKeyToAccount(WALLET_KEY).address;
const FUNDER = '0x1234567890123456789012345678901234567890' as const;
const API = { apiKey: 'f4f247b7-4ac7-ff29-a152-04fda0a8755a', secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=', passphrase: 'pass-phrase-1' };

/** The token of the recorded trades.json is the YES token of this scaffolding market. */
const TRADE_TOKEN = '15871154585880608648532107628464183779895785213830018178010423617714102767076';

function market(id: string, yes: string, no: string, negRisk: boolean, version: 'v1' | 'v2'): Market {
  return {
    venue: 'polymarket',
    id,
    ref: { venue: 'polymarket', conditionId: id, gammaId: null, eventId: null, slug: null, yesTokenId: yes, noTokenId: no, negRisk, protocolVersion: version },
    eventId: 'e',
    eventTitle: 't',
    title: 't',
    subtitle: null,
    yesLabel: 'Yes',
    noLabel: 'No',
    closeTime: null,
    rules: null,
    status: 'open',
    priceRanges: [{ start: 10_000n, end: 990_000n, step: 10_000n }],
    minOrderSize: 5_000_000n,
    sizeIncrement: 10_000n,
    fee: { kind: 'unknown', reason: 'test' },
  };
}

const plain = market('0x0000000000000000000000000000000000000000000000000000000000000001', TRADE_TOKEN, '222', false, 'v1');
const negRisk = market('0x02', '333', '444', true, 'v1');
const protocolV2 = market('0x03', '555', '666', false, 'v2');
const specs: MockMarketSpec[] = [plain, negRisk, protocolV2].map((m) => {
  const r = m.ref as { yesTokenId: string; noTokenId: string; negRisk: boolean; protocolVersion: 'v1' | 'v2' };
  return { yesTokenId: r.yesTokenId, noTokenId: r.noTokenId, negRisk: r.negRisk, version: r.protocolVersion };
});

let mock: MockPolymarketTrading;
let client: PolymarketTradingClient;

async function setup(options: { signatureType?: 0 | 1 | 2 | 3; funder?: `0x${string}` | null; storedApi?: boolean; apiKeyExists?: boolean; secret?: string; timeoutMs?: number } = {}): Promise<void> {
  const signatureType = options.signatureType ?? 0;
  const funder = options.funder ?? null;
  mock = await new MockPolymarketTrading({
    wallet,
    funder,
    signatureType,
    markets: specs,
    exchanges: POLYMARKET_EXCHANGES,
    api: API,
    apiKeyExists: options.apiKeyExists ?? true,
  }).start();
  const credentials: PolymarketCredentials = {
    privateKey: new Secret(WALLET_KEY),
    signatureType,
    funder,
    api: options.storedApi === false ? null : { key: API.apiKey, secret: new Secret(options.secret ?? API.secret), passphrase: new Secret(API.passphrase) },
  };
  const url = mock.url;
  connectAgain = () =>
    PolymarketTradingClient.connect(
      { clobUrl: url, timeoutMs: options.timeoutMs ?? 2_000, rateLimit: { requests: 100, intervalMs: 1_000, concurrency: 4 }, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } },
      credentials,
      { sleep: async () => {} },
    );
  client = await connectAgain();
}

/** Another client with the same settings and credentials (a restarted process: it built no orders). */
let connectAgain: () => Promise<PolymarketTradingClient>;

const intent = (over: Partial<OrderIntent> = {}): OrderIntent => ({
  clientOrderId: crypto.randomUUID(),
  market: plain,
  outcome: 'yes',
  action: 'buy',
  size: 10_000_000n,
  limitPrice: 560_000n,
  timeInForce: 'ioc',
  ...over,
});

afterEach(async () => {
  await client?.close();
  await mock?.stop();
});

describe('Polymarket L1 / L2 auth', () => {
  it('derives API credentials with an L1 signature the server recovers, creating them when none exist', async () => {
    await setup({ storedApi: false, apiKeyExists: false });
    expect(mock.server.requestsTo('/auth/derive-api-key')).toHaveLength(1);
    expect(mock.server.requestsTo('/auth/api-key')).toHaveLength(1);
    expect(mock.refused).toHaveLength(0);
    expect(client.apiKey).toBe(API.apiKey);
    expect((await client.balance()).available).toBe(125_500_000n);
  });

  it('a wrong API secret fails the server HMAC check: AuthVenueError', async () => {
    await setup({ secret: 'd3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZzE=' });
    const error = await client.balance().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthVenueError);
    expect(mock.refused.map((r) => r.reason)).toEqual(['bad HMAC']);
  });
});

describe('Polymarket orders against the verifying mock', () => {
  it('immediate-or-cancel buy: a GTC limit order for exactly the size; EIP-712 signer recovered by the server, order id = hash known before sending, filled; nothing to cancel', async () => {
    await setup();
    const i = intent();
    const prepared = await client.prepareOrder(i);
    const order = await client.sendPrepared(prepared);
    expect(mock.verifiedOrders).toHaveLength(1);
    expect(mock.verifiedOrders[0]).toMatchObject({ hash: prepared.venueOrderId, domainVersion: '2', verifyingContract: POLYMARKET_EXCHANGES.ctfV2 });
    expect(mock.verifiedOrders[0]?.order).toMatchObject({ makerAmount: '5600000', takerAmount: '10000000', side: 'BUY', signatureType: 0, expiration: '0' });
    expect(JSON.parse(prepared.body)).toMatchObject({ owner: API.apiKey, orderType: 'GTC' });
    expect(order).toMatchObject({ venueOrderId: prepared.venueOrderId, status: 'filled', filledSize: 10_000_000n, averagePrice: 560_000n, outcome: 'yes' });
    const back = await client.getOrder({ market: plain, venueOrderId: order.venueOrderId });
    expect(back).toMatchObject({ status: 'filled', venueStatus: 'ORDER_STATUS_MATCHED', filledSize: 10_000_000n, requestedSize: 10_000_000n, clientOrderId: i.clientOrderId });
    expect(await client.positions([plain])).toEqual([{ venue: 'polymarket', marketId: plain.id, yes: 10_000_000n, no: 0n }]);
    expect(mock.server.requestsTo('/order').filter((q) => q.method === 'DELETE')).toHaveLength(0);
  });

  it('a size × price with four decimals (10.37 at 0.53) is sent and filled: as a FAK "market order" the venue refuses it (maker amount at most 2 decimals)', async () => {
    await setup();
    const order = await client.placeOrder(intent({ size: 10_370_000n, limitPrice: 530_000n }));
    expect(mock.refused).toEqual([]);
    expect(mock.verifiedOrders[0]?.order).toMatchObject({ makerAmount: '5496100', takerAmount: '10370000' });
    expect(order).toMatchObject({ status: 'filled', filledSize: 10_370_000n });
    // (the mock refuses these amounts in a FAK or FOK order with the venue's own words)
    expect(mock.server.requestsTo('/order').map((q) => (JSON.parse(q.body) as { orderType: string }).orderType)).toEqual(['GTC']);
  });

  it('immediate-or-cancel partly matched: what rests is cancelled at once and the order read back (filled part, canceled)', async () => {
    await setup();
    mock.orderMode = 'partial';
    const order = await client.placeOrder(intent({ size: 10_000_000n }));
    expect(mock.server.requestsTo('/order').filter((q) => q.method === 'DELETE')).toHaveLength(1);
    expect(order).toMatchObject({ status: 'canceled', filledSize: 5_000_000n, remainingSize: 0n });
  });

  it('immediate-or-cancel delayed, then found resting when polled: cancelled then, and read back', async () => {
    await setup();
    mock.orderMode = 'delayed';
    const delayed = await client.placeOrder(intent());
    expect(delayed).toMatchObject({ status: 'pending' });
    const stored = mock.orders.get(delayed.venueOrderId);
    if (!stored) throw new Error('mock lost the order');
    stored.status = 'LIVE'; // the delay ended and the order rests
    const polled = await client.getOrder({ market: plain, venueOrderId: delayed.venueOrderId });
    expect(polled).toMatchObject({ status: 'canceled', filledSize: 0n });
    expect(mock.server.requestsTo('/order').filter((q) => q.method === 'DELETE')).toHaveLength(1);
  });

  it('fill-or-kill is refused before anything is signed or sent (Polymarket FOK is an amount of pUSD, not a share count)', async () => {
    await setup();
    expect(() => client.stageOrder(intent({ timeInForce: 'fok' }))).toThrow(OrderInputError);
    expect(mock.verifiedOrders).toHaveLength(0);
  });

  it('signs for Neg Risk V2 and ExchangeV3 (domain "3") by market', async () => {
    await setup();
    await client.placeOrder(intent({ market: negRisk, outcome: 'no', timeInForce: 'ioc' }));
    await client.placeOrder(intent({ market: protocolV2 }));
    expect(mock.refused).toHaveLength(0);
    expect(mock.verifiedOrders.map((o) => [o.domainVersion, o.verifyingContract])).toEqual([
      ['2', POLYMARKET_EXCHANGES.negRiskV2],
      ['3', POLYMARKET_EXCHANGES.v3],
    ]);
    expect(mock.verifiedOrders[0]?.order['tokenId']).toBe('444');
  });

  it.each([
    [1, FUNDER],
    [2, FUNDER],
    [3, FUNDER],
  ] as const)('signature type %i: maker is the funder, signer per type, server accepts', async (signatureType, funder) => {
    await setup({ signatureType, funder });
    await client.placeOrder(intent());
    const o = mock.verifiedOrders[0]?.order ?? {};
    expect(String(o['maker']).toLowerCase()).toBe(funder.toLowerCase());
    expect(String(o['signer']).toLowerCase()).toBe(signatureType === 3 ? funder.toLowerCase() : wallet.toLowerCase());
    expect(o['signatureType']).toBe(signatureType);
    expect(await client.balance()).toMatchObject({ available: 125_500_000n });
  });

  it('"delayed" is pending; polling shows the state; a resting order is canceled', async () => {
    await setup();
    mock.orderMode = 'delayed';
    const delayed = await client.placeOrder(intent());
    expect(delayed).toMatchObject({ status: 'pending', venueStatus: 'delayed', filledSize: 0n, remainingSize: null });
    expect(await client.getOrder({ market: plain, venueOrderId: delayed.venueOrderId })).toMatchObject({ status: 'pending' });
    mock.orderMode = 'rest';
    const resting = await client.placeOrder(intent({ timeInForce: 'gtc' }));
    expect(resting.status).toBe('open');
    expect(await client.cancelOrder({ market: plain, venueOrderId: resting.venueOrderId })).toEqual({ kind: 'canceled', canceledSize: null });
    expect(await client.cancelOrder({ market: plain, venueOrderId: delayed.venueOrderId })).toMatchObject({ kind: 'not-cancelable' });
  });

  it('the recorded POST /order answer (6-decimal amounts) parses; unknown statuses stay unknown', async () => {
    await setup();
    mock.orderMode = { status: 200, file: 'order-post-response.json' };
    const order = await client.placeOrder(intent({ size: 200_000_000n, limitPrice: 500_000n, timeInForce: 'gtc' }));
    // the docs' example "live" answer carries the order's own amounts: not fills (0 until polled)
    expect(order).toMatchObject({ venueOrderId: '0xabcdef1234567890abcdef1234567890abcdef12', status: 'open', venueStatus: 'live', filledSize: 0n, remainingSize: 200_000_000n });
  });

  it('503 cancel-only (recorded body) is a rejection; 500 after recording is an unknown outcome found by its hash; 429 is retryable', async () => {
    await setup();
    mock.orderMode = { status: 503, file: 'order-post-error.json' };
    const cancelOnly = await client.placeOrder(intent()).catch((e: unknown) => e);
    expect(cancelOnly).toBeInstanceOf(RejectedVenueError);
    expect((cancelOnly as Error).message).toMatch(/cancel-only/);

    mock.orderMode = 'match';
    mock.failAfterRecording = 500;
    const i = intent();
    const unknown = await client.placeOrder(i).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UnknownOutcomeError);
    const hash = (unknown as UnknownOutcomeError).venueOrderId;
    expect(hash).toBe(mock.verifiedOrders.at(-1)?.hash);
    expect(mock.server.requestsTo('/order').filter((r) => r.method === 'POST')).toHaveLength(2);
    expect(await client.findOrder(plain, i.clientOrderId, 0)).toMatchObject({ status: 'filled', venueOrderId: hash });

    mock.failAfterRecording = null;
    mock.server.fault({ kind: 'status', status: 429, body: { error: 'Too Many Requests' } }, { pathPrefix: '/order' });
    const limited = await client.placeOrder(intent()).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RetryableVenueError);
    expect(limited).not.toBeInstanceOf(UnknownOutcomeError);
  });

  it('a timeout on POST /order is an unknown outcome carrying the order hash, sent once', async () => {
    await setup({ timeoutMs: 150 });
    mock.server.fault({ kind: 'delay', ms: Number.POSITIVE_INFINITY }, { pathPrefix: '/order' });
    const error = await client.placeOrder(intent()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownOutcomeError);
    expect((error as UnknownOutcomeError).venueOrderId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(mock.server.requestsTo('/order')).toHaveLength(1);
  });

  it('refuses a price off the tick or a size below the market minimum before sending', async () => {
    await setup();
    await expect(client.placeOrder(intent({ limitPrice: 565_000n }))).rejects.toThrow(/tick/);
    await expect(client.placeOrder(intent({ size: 1_000_000n }))).rejects.toThrow('size below the market minimum of 5 shares');
    // a fractional minimum is stated exactly
    await expect(client.placeOrder(intent({ market: { ...plain, minOrderSize: 2_500_000n }, size: 1_000_000n }))).rejects.toThrow('size below the market minimum of 2.5 shares');
    expect(mock.server.requestsTo('/order')).toHaveLength(0);
  });

  it('reads the recorded trades: 6-decimal size, TRADE_STATUS_ prefix, final at CONFIRMED', async () => {
    await setup();
    const fills = await client.fills({ sinceMs: 0, market: plain });
    expect(fills).toEqual([
      expect.objectContaining({ tradeId: 'trade-123', marketId: plain.id, outcome: 'yes', action: 'buy', price: 500_000n, size: 100_000_000n, final: true, failed: false, isTaker: true, time: 1_700_000_000_000 }),
    ]);
  });
});

describe('size units', () => {
  it('reads decimal shares and 6-decimal fixed math', () => {
    expect(readShares('200.0000')).toBe(200_000_000n);
    expect(readShares('100000000')).toBe(100_000_000n);
    expect(readShares('100')).toBe(100_000_000n);
    expect(readShares('0')).toBe(0n);
  });

  it("an order's matched size is read in its original size's unit (half a share in fixed math is not 500,000 shares)", () => {
    expect(readOrderSizes('100000000', '500000')).toEqual({ original: 100_000_000n, matched: 500_000n });
    expect(readOrderSizes('100', '50')).toEqual({ original: 100_000_000n, matched: 50_000_000n });
    expect(readOrderSizes('200.0000', '0.5000')).toEqual({ original: 200_000_000n, matched: 500_000n });
  });

  it("a trade's size beyond its order's size read as shares is fixed math; amounts above the order's raw amount can still be decimal (a sale matched above its limit)", () => {
    expect(readTradeShares('500000', 10_000_000n)).toBe(500_000n);
    expect(readTradeShares('5', 10_000_000n)).toBe(5_000_000n);
    expect(readTradeShares('500000', null)).toBe(500_000_000_000n); // unknown order: the magnitude rule
    // sell 10 shares at a 0.50 limit (raw cash 5000000), matched at 0.60: "6" is $6
    expect(readAmount('6', 5_000_000n, 10_000_000n)).toBe(6_000_000n);
    expect(readAmount('6000000', 5_000_000n, 10_000_000n)).toBe(6_000_000n);
    expect(readAmount('5.5', 5_000_000n, 10_000_000n)).toBe(5_500_000n);
  });

  it("after a restart, a trade of half a share in fixed math is read against the order's size the caller gives (the client that built the order knows it)", async () => {
    await setup();
    const placed = await client.placeOrder(intent({ size: 10_000_000n }));
    mock.tradeStatuses = ['CONFIRMED'];
    mock.tradeSize = '500000';
    // the client that built the order reads the size in its unit
    expect((await client.fills({ sinceMs: 0, market: plain })).map((f) => f.size)).toEqual([500_000n]);
    const restarted = await connectAgain();
    try {
      const id = placed.venueOrderId.toLowerCase();
      const sizes = new Map([[id, 10_000_000n]]);
      expect((await restarted.fills({ sinceMs: 0, market: plain, orderSizes: sizes })).map((f) => ({ id: f.venueOrderId.toLowerCase(), size: f.size }))).toEqual([{ id, size: 500_000n }]);
      // without the order's size the unit is a guess (the magnitude rule): why the executor passes it
      expect((await restarted.fills({ sinceMs: 0, market: plain })).map((f) => f.size)).toEqual([500_000_000_000n]);
    } finally {
      await restarted.close();
    }
  });

  it('POST /order answers as the venue sends them: empty amounts and a null errorMsg parse; success:false is a refusal; "matched" without amounts is unknown (polled)', async () => {
    await setup();
    mock.orderMode = { status: 200, body: { success: false, orderID: '', status: '', makingAmount: '', takingAmount: '', errorMsg: 'not enough balance / allowance' } };
    const refused = await client.placeOrder(intent()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RejectedVenueError);
    expect((refused as Error).message).toContain('not enough balance');
    mock.orderMode = { status: 200, body: { success: true, orderID: '0xabc1', status: 'matched', makingAmount: '', takingAmount: '', errorMsg: null } };
    expect(await client.placeOrder(intent())).toMatchObject({ status: 'unknown', filledSize: 0n, remainingSize: null });
    mock.orderMode = { status: 200, body: { success: true, orderID: '0xabc2', status: 'live', makingAmount: '', takingAmount: '', errorMsg: null } };
    expect(await client.placeOrder(intent({ timeInForce: 'gtc' }))).toMatchObject({ status: 'open', filledSize: 0n, remainingSize: 10_000_000n });
  });
});

describe('Polymarket staged orders (signed while the intent is flushed)', () => {
  it('the hash is known synchronously, nothing is sent before send(); the verifying mock recovers the signer and the same hash', async () => {
    await setup();
    const i = intent({ timeInForce: 'ioc' });
    const staged = client.stageOrder(i);
    expect(staged.venueOrderId).toMatch(/^0x[0-9a-f]{64}$/);
    await staged.ready();
    await staged.ready(); // idempotent
    expect(mock.verifiedOrders).toHaveLength(0);
    const st = await staged.send();
    expect(mock.verifiedOrders).toHaveLength(1);
    expect(mock.verifiedOrders[0]).toMatchObject({ hash: staged.venueOrderId, domainVersion: '2', verifyingContract: POLYMARKET_EXCHANGES.ctfV2 });
    expect(st).toMatchObject({ venueOrderId: staged.venueOrderId, clientOrderId: i.clientOrderId, status: 'filled' });
    // the same order as the unstaged path would have built (same salt from the client id)
    expect(mock.verifiedOrders[0]?.order).toMatchObject({ salt: expect.any(Number), side: 'BUY', signatureType: 0 });
  });

  it('send() without ready() signs first; per-market data follows a market whose exchange changes', async () => {
    await setup();
    const first = client.stageOrder(intent({ market: plain }));
    await first.send();
    // same market id, now flagged neg-risk: the cached exchange data must not be reused
    const moved: Market = { ...plain, ref: { ...(plain.ref as Extract<Market['ref'], { venue: 'polymarket' }>), negRisk: true } };
    const st = client.stageOrder(intent({ market: moved }));
    const hashSync = st.venueOrderId;
    // The mock knows this token on the plain CTF exchange: an order signed for the neg-risk
    // exchange does not recover to the wallet there, which shows the cache was not reused.
    await expect(st.send()).rejects.toThrow();
    expect(mock.verifiedOrders.map((o) => o.verifyingContract)).toEqual([POLYMARKET_EXCHANGES.ctfV2]);
    expect(mock.refused.map((r) => r.reason)).toEqual(['invalid signature']);
    expect(hashSync).not.toBe(first.venueOrderId);
    // and back on the plain market the cached data is right again
    await client.stageOrder(intent({ market: plain })).send();
    expect(mock.verifiedOrders).toHaveLength(2);
  });

  it('an intent the venue cannot express is refused synchronously by stageOrder', async () => {
    await setup();
    expect(() => client.stageOrder(intent({ limitPrice: 555_000n }))).toThrow(/tick grid/);
    expect(() => client.stageOrder(intent({ size: 1_000_000n }))).toThrow(/minimum/);
  });

  it('warmUp is an authenticated read the mock verifies (HMAC), and never throws', async () => {
    await setup();
    const before = mock.refused.length;
    await client.warmUp();
    expect(mock.refused.length).toBe(before);
    await mock.stop();
    await expect(client.warmUp()).resolves.toBeUndefined();
  });
});
