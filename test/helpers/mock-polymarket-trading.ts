/**
 * A mock Polymarket CLOB (trading part) that VERIFIES what it receives:
 * - L1 (`/auth/derive-api-key`, `/auth/api-key`): recovers the `ClobAuth` EIP-712 signer
 *   and requires it to be POLY_ADDRESS, with a fresh POLY_TIMESTAMP;
 * - L2 (everything else): POLY_API_KEY / POLY_PASSPHRASE must be the issued ones,
 *   POLY_ADDRESS the wallet, and POLY_SIGNATURE the HMAC of ts + METHOD + path + body;
 * - `POST /order`: recovers the EIP-712 order signer with the domain of the token's
 *   exchange (V2 / Neg Risk V2 / ExchangeV3 by market), checks maker / signer /
 *   signatureType against the account's setup, and that `orderID` = the typed-data hash.
 * Recorded fixtures (test/fixtures/polymarket/) are served verbatim where they fit:
 * the `POST /order` answer and the 503 cancel-only body on request, `GET /data/trades`.
 */
import { createHmac } from 'node:crypto';
import { hashTypedData, recoverTypedDataAddress, type Hex } from 'viem';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MockHttpServer, type RecordedRequest, type RouteAnswer } from './mock-http-server.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/polymarket/', import.meta.url));
export const polymarketFixtureText = (name: string): string => readFileSync(`${FIXTURES}${name}`, 'utf8');

export interface MockMarketSpec {
  readonly yesTokenId: string;
  readonly noTokenId: string;
  readonly negRisk: boolean;
  readonly version: 'v1' | 'v2';
}

export interface MockPolymarketTradingOptions {
  /** The signing EOA. */
  readonly wallet: Hex;
  readonly funder: Hex | null;
  readonly signatureType: 0 | 1 | 2 | 3;
  readonly markets: readonly MockMarketSpec[];
  readonly chainId?: number;
  readonly exchanges: { readonly ctfV2: Hex; readonly negRiskV2: Hex; readonly v3: Hex };
  readonly api: { readonly apiKey: string; readonly secret: string; readonly passphrase: string };
  /** Whether credentials already exist (derive works) or must be created first. */
  readonly apiKeyExists?: boolean;
}

const ORDER_TYPES = {
  Order: [
    { name: 'salt', type: 'uint256' },
    { name: 'maker', type: 'address' },
    { name: 'signer', type: 'address' },
    { name: 'tokenId', type: 'uint256' },
    { name: 'makerAmount', type: 'uint256' },
    { name: 'takerAmount', type: 'uint256' },
    { name: 'side', type: 'uint8' },
    { name: 'signatureType', type: 'uint8' },
    { name: 'timestamp', type: 'uint256' },
    { name: 'metadata', type: 'bytes32' },
    { name: 'builder', type: 'bytes32' },
  ],
} as const;

interface StoredOrder {
  id: Hex;
  tokenId: string;
  side: 'BUY' | 'SELL';
  size: bigint; // raw 1e-6 shares
  matched: bigint;
  price: string;
  status: string;
}

const hmac = (secret: string, message: string): string =>
  createHmac('sha256', Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64'))
    .update(message)
    .digest('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');

export class MockPolymarketTrading {
  readonly server = new MockHttpServer();
  readonly refused: { path: string; reason: string }[] = [];
  readonly verifiedOrders: { hash: Hex; recovered: Hex; domainVersion: string; verifyingContract: Hex; order: Record<string, unknown> }[] = [];
  readonly orders = new Map<string, StoredOrder>();
  /**
   * What `POST /order` answers: 'match' fills the order fully, 'rest' leaves it resting,
   * 'partial' matches half of it and rests the rest (answered "live" with empty amounts, as
   * the venue does), 'delayed', or a recorded file.
   */
  orderMode: 'match' | 'rest' | 'partial' | 'delayed' | { status: number; file: string } | { status: number; body: unknown } = 'match';
  /** Record the order, then answer this status (e.g. 500) instead. */
  failAfterRecording: number | null = null;
  /**
   * When set, `GET /data/trades` lists one trade per matched order of ours (shaped like
   * trades.json), its status the n-th of these on the n-th read ("MATCHED", then "FAILED":
   * a ghost fill), the last one from then on. Null: the recorded trades.json.
   */
  tradeStatuses: readonly string[] | null = null;
  /** When set, the size text of every listed trade of ours (e.g. "500000": half a share in fixed math). */
  tradeSize: string | null = null;
  /** `GET /data/trades` requests answered from `tradeStatuses`. */
  tradeReads = 0;
  apiKeyExists: boolean;
  collateral = '125500000';
  private readonly options: MockPolymarketTradingOptions;

  constructor(options: MockPolymarketTradingOptions) {
    this.options = options;
    this.apiKeyExists = options.apiKeyExists ?? true;
  }

  async start(): Promise<this> {
    await this.server.start();
    const s = this.server;
    s.route('GET', '/auth/derive-api-key', (r) => this.l1(r, () => (this.apiKeyExists ? { body: this.apiBody() } : { status: 400, body: { error: 'Could not derive api key!' } })));
    s.route('POST', '/auth/api-key', (r) =>
      this.l1(r, () => {
        this.apiKeyExists = true;
        return { body: this.apiBody() };
      }),
    );
    s.route('POST', '/order', (r) => this.l2(r, () => this.postOrder(r)));
    s.route('DELETE', '/order', (r) => this.l2(r, () => this.cancel(r)));
    s.route('GET', '/data/trades', (r) => this.l2(r, () => ({ body: this.tradesBody(r.url.searchParams.get('market')) })));
    s.route('GET', '/balance-allowance', (r) =>
      this.l2(r, () => {
        const type = r.url.searchParams.get('asset_type');
        if (r.url.searchParams.get('signature_type') !== String(this.options.signatureType)) return { status: 400, body: { error: 'bad signature_type' } };
        if (type === 'COLLATERAL') return { body: { balance: this.collateral, allowances: {} } };
        const token = r.url.searchParams.get('token_id') ?? '';
        const held = [...this.orders.values()].filter((o) => o.tokenId === token && o.side === 'BUY').reduce((n, o) => n + o.matched, 0n);
        return { body: { balance: held.toString(), allowances: {} } };
      }),
    );
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private apiBody(): Record<string, string> {
    return { apiKey: this.options.api.apiKey, secret: this.options.api.secret, passphrase: this.options.api.passphrase };
  }

  private refuse(r: RecordedRequest, reason: string, status = 401): RouteAnswer {
    this.refused.push({ path: r.path, reason });
    return { status, body: { error: status === 401 ? 'Unauthorized/Invalid api key' : reason } };
  }

  private header(r: RecordedRequest, name: string): string | undefined {
    const v = r.headers[name.toLowerCase()];
    return typeof v === 'string' ? v : undefined;
  }

  private async l1(r: RecordedRequest, handler: () => RouteAnswer): Promise<RouteAnswer> {
    const address = this.header(r, 'POLY_ADDRESS');
    const signature = this.header(r, 'POLY_SIGNATURE');
    const ts = this.header(r, 'POLY_TIMESTAMP');
    const nonce = this.header(r, 'POLY_NONCE');
    if (!address || !signature || !ts || nonce === undefined) return this.refuse(r, 'Invalid L1 Request headers');
    if (Math.abs(Date.now() / 1000 - Number(ts)) > 30) return this.refuse(r, 'stale L1 timestamp');
    const recovered = await recoverTypedDataAddress({
      domain: { name: 'ClobAuthDomain', version: '1', chainId: this.options.chainId ?? 137 },
      types: {
        ClobAuth: [
          { name: 'address', type: 'address' },
          { name: 'timestamp', type: 'string' },
          { name: 'nonce', type: 'uint256' },
          { name: 'message', type: 'string' },
        ],
      },
      primaryType: 'ClobAuth',
      message: { address: address as Hex, timestamp: ts, nonce: BigInt(nonce), message: 'This message attests that I control the given wallet' },
      signature: signature as Hex,
    });
    if (recovered.toLowerCase() !== address.toLowerCase() || recovered.toLowerCase() !== this.options.wallet.toLowerCase()) {
      return this.refuse(r, 'L1 signer mismatch');
    }
    return handler();
  }

  private async l2(r: RecordedRequest, handler: () => RouteAnswer | Promise<RouteAnswer>): Promise<RouteAnswer> {
    const api = this.options.api;
    if (!this.apiKeyExists || this.header(r, 'POLY_API_KEY') !== api.apiKey || this.header(r, 'POLY_PASSPHRASE') !== api.passphrase) {
      return this.refuse(r, 'unknown api key or passphrase');
    }
    if ((this.header(r, 'POLY_ADDRESS') ?? '').toLowerCase() !== this.options.wallet.toLowerCase()) return this.refuse(r, 'address mismatch');
    const ts = this.header(r, 'POLY_TIMESTAMP') ?? '';
    if (Math.abs(Date.now() / 1000 - Number(ts)) > 30) return this.refuse(r, 'stale L2 timestamp');
    const expected = hmac(api.secret, `${ts}${r.method}${r.path}${r.body}`);
    if (this.header(r, 'POLY_SIGNATURE') !== expected) return this.refuse(r, 'bad HMAC');
    return handler();
  }

  private marketOf(tokenId: string): MockMarketSpec | undefined {
    return this.options.markets.find((m) => m.yesTokenId === tokenId || m.noTokenId === tokenId);
  }

  private async postOrder(r: RecordedRequest): Promise<RouteAnswer> {
    const body = JSON.parse(r.body) as { order: Record<string, unknown>; owner: string; orderType: string };
    const o = body.order;
    if (body.owner !== this.options.api.apiKey) return this.refuse(r, 'owner is not the api key', 400);
    const market = this.marketOf(String(o['tokenId']));
    if (!market) return this.refuse(r, 'unknown token', 400);
    const ex = this.options.exchanges;
    const domain = {
      name: 'Polymarket CTF Exchange',
      version: market.version === 'v2' ? '3' : '2',
      chainId: this.options.chainId ?? 137,
      verifyingContract: market.version === 'v2' ? ex.v3 : market.negRisk ? ex.negRiskV2 : ex.ctfV2,
    } as const;
    const message = {
      salt: BigInt(o['salt'] as number),
      maker: o['maker'] as Hex,
      signer: o['signer'] as Hex,
      tokenId: BigInt(o['tokenId'] as string),
      makerAmount: BigInt(o['makerAmount'] as string),
      takerAmount: BigInt(o['takerAmount'] as string),
      side: o['side'] === 'BUY' ? 0 : 1,
      signatureType: Number(o['signatureType']),
      timestamp: BigInt(o['timestamp'] as string),
      metadata: o['metadata'] as Hex,
      builder: o['builder'] as Hex,
    };
    const typed = { domain, types: ORDER_TYPES, primaryType: 'Order' as const, message };
    const recovered = await recoverTypedDataAddress({ ...typed, signature: o['signature'] as Hex });
    const wallet = this.options.wallet.toLowerCase();
    const expectedMaker = (this.options.funder ?? this.options.wallet).toLowerCase();
    const expectedSigner = this.options.signatureType === 3 ? expectedMaker : wallet;
    if (recovered.toLowerCase() !== wallet) return this.refuse(r, 'invalid signature', 400);
    if (message.maker.toLowerCase() !== expectedMaker || message.signer.toLowerCase() !== expectedSigner) return this.refuse(r, 'maker/signer mismatch', 400);
    if (message.signatureType !== this.options.signatureType) return this.refuse(r, 'signature type mismatch', 400);
    const hash = hashTypedData(typed);
    this.verifiedOrders.push({ hash, recovered, domainVersion: domain.version, verifyingContract: domain.verifyingContract, order: o });
    const size = message.side === 0 ? message.takerAmount : message.makerAmount;
    const cash = message.side === 0 ? message.makerAmount : message.takerAmount;
    // FAK/FOK are market orders: the venue caps the maker amount at 2 decimals and the taker
    // amount at 4 (py-clob-client-v2 #99, rs-clob-client #114: this exact answer)
    if ((body.orderType === 'FAK' || body.orderType === 'FOK') && (message.makerAmount % 10_000n !== 0n || message.takerAmount % 100n !== 0n)) {
      const side = message.side === 0 ? 'buy' : 'sell';
      return this.refuse(r, `invalid amounts, the market ${side} orders maker amount supports a max accuracy of 2 decimals, taker amount a max of 4 decimals`, 400);
    }
    const mode = this.orderMode;
    if (typeof mode === 'object') return { status: mode.status, body: 'file' in mode ? polymarketFixtureText(mode.file) : mode.body };
    const matched = mode === 'match' ? size : mode === 'partial' ? (size / 20_000n) * 10_000n : 0n;
    const stored: StoredOrder = {
      id: hash,
      tokenId: String(o['tokenId']),
      side: o['side'] === 'BUY' ? 'BUY' : 'SELL',
      size,
      matched,
      price: ((Number(cash) / Number(size)) || 0).toString(),
      status: mode === 'match' ? 'MATCHED' : mode === 'delayed' ? 'DELAYED' : 'LIVE',
    };
    this.orders.set(hash, stored);
    this.server.route('GET', `/data/order/${hash}`, (rr) => this.l2(rr, () => ({ body: this.openOrder(stored) })));
    if (this.failAfterRecording !== null) return { status: this.failAfterRecording, body: { error: 'internal error' } };
    return {
      body: {
        success: true,
        orderID: hash,
        status: mode === 'match' ? 'matched' : mode === 'delayed' ? 'delayed' : 'live',
        makingAmount: mode === 'match' ? (message.side === 0 ? cash : size).toString() : '',
        takingAmount: mode === 'match' ? (message.side === 0 ? size : cash).toString() : '',
        errorMsg: '',
      },
    };
  }

  /** `market`: the condition id asked for (the mock knows tokens only: its trades are of that market, as the venue's filter makes them). */
  private tradesBody(market: string | null): unknown {
    const statuses = this.tradeStatuses;
    if (statuses === null) return polymarketFixtureText('trades.json');
    const status = statuses[Math.min(this.tradeReads, statuses.length - 1)] ?? 'MATCHED';
    this.tradeReads += 1;
    const data = [...this.orders.values()]
      .filter((o) => o.matched > 0n)
      .map((o) => ({
        id: `trade-${o.id.slice(2, 14)}`,
        taker_order_id: o.id,
        market: market ?? '0x0000000000000000000000000000000000000000000000000000000000000001',
        asset_id: o.tokenId,
        side: o.side,
        size: this.tradeSize ?? o.matched.toString(),
        fee_rate_bps: '0',
        price: o.price,
        status: `TRADE_STATUS_${status}`,
        match_time: String(Math.floor(Date.now() / 1000)),
        last_update: String(Math.floor(Date.now() / 1000)),
        outcome: 'YES',
        bucket_index: 0,
        owner: this.options.api.apiKey,
        maker_address: (this.options.funder ?? this.options.wallet).toLowerCase(),
        transaction_hash: status === 'CONFIRMED' ? `0x${'ab'.repeat(32)}` : '',
        trader_side: 'TAKER',
        maker_orders: [],
      }));
    return JSON.stringify({ limit: 100, next_cursor: 'LTE=', count: data.length, data });
  }

  /** Shaped like test/fixtures/polymarket/open-orders.json items (6-decimal fixed-math sizes). */
  openOrder(o: StoredOrder): Record<string, unknown> {
    return {
      id: o.id,
      status: `ORDER_STATUS_${o.status}`,
      owner: this.options.api.apiKey,
      maker_address: this.options.funder ?? this.options.wallet,
      market: '0x01',
      asset_id: o.tokenId,
      side: o.side,
      original_size: o.size.toString(),
      size_matched: o.matched.toString(),
      price: o.price,
      outcome: 'YES',
      expiration: '0',
      order_type: 'GTC',
      associate_trades: [],
      created_at: 1700000000,
    };
  }

  private cancel(r: RecordedRequest): RouteAnswer {
    const id = (JSON.parse(r.body) as { orderID: string }).orderID;
    const o = this.orders.get(id);
    if (!o || o.status !== 'LIVE') return { body: { canceled: [], not_canceled: { [id]: o ? 'order already matched' : 'order not found' } } };
    o.status = 'CANCELED';
    return { body: { canceled: [id], not_canceled: {} } };
  }
}
