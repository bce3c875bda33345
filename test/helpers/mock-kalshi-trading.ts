/**
 * A mock Kalshi portfolio/V2-order server that VERIFIES what it receives: every request
 * must carry KALSHI-ACCESS-KEY / -TIMESTAMP / -SIGNATURE, the key id must be the one it
 * knows, the timestamp must be within `skewToleranceMs` of the server clock, and the
 * RSA-PSS signature over `timestamp + METHOD + /trade-api/v2/...` (no query) must verify
 * with the public key. Failures answer the recorded demo error bodies verbatim.
 *
 * It serves the recorded fixtures (test/fixtures/kalshi/demo-recorded/) for balance,
 * positions, fills, the recorded order and its cancel, and can replay a recorded create
 * answer; otherwise it keeps a small order book of its own: IOC/FOK orders fill against
 * `liquidity` (YES-book price levels), GTC orders rest. Client order ids are permanent:
 * a reused one answers the recorded 409.
 */
import { constants, verify, type KeyObject } from 'node:crypto';
import { MockHttpServer, type RecordedRequest, type RouteAnswer } from './mock-http-server.js';
import { kalshiFixture, kalshiFixtureText } from './mock-kalshi.js';

const P = '/trade-api/v2';
const RECORDED_ORDER_ID = '2597b999-f887-4195-8bac-c3f97a1f2021';

export interface MockKalshiTradingOptions {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  readonly now?: () => number;
  readonly skewToleranceMs?: number;
}

interface StoredOrder {
  order_id: string;
  client_order_id: string;
  ticker: string;
  side: 'bid' | 'ask';
  yesPrice: number; // in 1e-4 dollars
  count: number; // in 0.01 contracts
  filled: number;
  status: 'resting' | 'canceled' | 'executed';
  cost: number; // 1e-6 dollars
  created: string;
}

const fmt = (units: number, dp: number): string => (units / 10 ** dp).toFixed(dp);

export class MockKalshiTrading {
  readonly server = new MockHttpServer();
  readonly verified: RecordedRequest[] = [];
  readonly refused: { request: RecordedRequest; reason: string }[] = [];
  readonly orders = new Map<string, StoredOrder>();
  readonly clientIds = new Set<string>();
  /** YES-book asks available to bids (price in 1e-4 $, size in 0.01 contracts), and bids available to asks. */
  liquidity: { asks: { price: number; size: number }[]; bids: { price: number; size: number }[] } = { asks: [], bids: [] };
  /** Recorded create answers to replay (verbatim) before simulating. */
  readonly createReplies: { status: number; file: string }[] = [];
  /** Delay (ms) after an order is recorded and before it is answered (timeout → order exists). */
  createDelayMs = 0;
  private readonly options: MockKalshiTradingOptions;
  private seq = 0;

  constructor(options: MockKalshiTradingOptions) {
    this.options = options;
  }

  /** `GET /portfolio/fills` answers a new cursor on every page (a list that never ends). */
  endlessFills = false;
  fillPages = 0;

  async start(): Promise<this> {
    await this.server.start();
    const s = this.server;
    s.route('POST', `${P}/portfolio/events/orders`, (r) => this.guard(r, () => this.create(r)));
    s.route('GET', `${P}/portfolio/balance`, (r) => this.guard(r, () => ({ body: kalshiFixtureText('demo-recorded/balance.json') })));
    s.route('GET', `${P}/portfolio/positions`, (r) => this.guard(r, () => ({ body: kalshiFixtureText('demo-recorded/positions.json') })));
    s.route('GET', `${P}/portfolio/fills`, (r) =>
      this.guard(r, () => {
        const text = kalshiFixtureText('demo-recorded/fills.json');
        if (!this.endlessFills) return { body: text };
        // a cursor that never ends (a new one on every page)
        this.fillPages += 1;
        return { body: { ...(JSON.parse(text) as Record<string, unknown>), cursor: `page-${this.fillPages}` } };
      }),
    );
    s.route('GET', `${P}/portfolio/orders`, (r) => this.guard(r, () => this.list(r)));
    s.route('GET', `${P}/portfolio/orders/${RECORDED_ORDER_ID}`, (r) => this.guard(r, () => ({ body: kalshiFixtureText('demo-recorded/order.json') })));
    s.route('DELETE', `${P}/portfolio/events/orders/${RECORDED_ORDER_ID}`, (r) =>
      this.guard(r, () => ({ body: kalshiFixtureText('demo-recorded/order-canceled.json') })),
    );
    s.route('DELETE', `${P}/portfolio/events/orders/00000000-0000-0000-0000-000000000000`, (r) =>
      this.guard(r, () => ({ status: 404, body: kalshiFixtureText('demo-recorded/error-404-not-found.json') })),
    );
    return this;
  }

  get restUrl(): string {
    return `${this.server.url}${P}`;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private refuse(request: RecordedRequest, reason: string, file: string): RouteAnswer {
    this.refused.push({ request, reason });
    return { status: 401, body: kalshiFixtureText(file) };
  }

  /** Verify the signature headers, then run the handler. */
  private async guard(request: RecordedRequest, handler: () => RouteAnswer | Promise<RouteAnswer>): Promise<RouteAnswer> {
    const key = request.headers['kalshi-access-key'];
    const ts = request.headers['kalshi-access-timestamp'];
    const sig = request.headers['kalshi-access-signature'];
    if (typeof key !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') {
      return this.refuse(request, 'missing header', 'demo-recorded/error-401-missing-signature.json');
    }
    if (key !== this.options.keyId) return this.refuse(request, 'unknown key id', 'demo-recorded/error-401-unknown-key-id.json');
    const t = Number(ts);
    if (!/^\d+$/.test(ts) || Math.abs(this.now() - t) > (this.options.skewToleranceMs ?? 5_000)) {
      return this.refuse(request, 'stale timestamp', 'demo-recorded/error-401-timestamp-expired.json');
    }
    const ok = verify(
      'sha256',
      Buffer.from(`${ts}${request.method}${request.path}`, 'utf8'),
      { key: this.options.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
      Buffer.from(sig, 'base64'),
    );
    if (!ok) return this.refuse(request, 'bad signature', 'demo-recorded/error-401-bad-signature.json');
    this.verified.push(request);
    return handler();
  }

  private async create(request: RecordedRequest): Promise<RouteAnswer> {
    const body = JSON.parse(request.body) as Record<string, unknown>;
    if (typeof body['count'] !== 'string' || typeof body['price'] !== 'string') {
      return { status: 400, body: kalshiFixtureText('demo-recorded/error-400-bad-request-flat-shape.json') };
    }
    const replay = this.createReplies.shift();
    if (replay) return { status: replay.status, body: kalshiFixtureText(replay.file) };
    const clientId = String(body['client_order_id']);
    if (this.clientIds.has(clientId)) return { status: 409, body: kalshiFixtureText('demo-recorded/error-409-order-already-exists.json') };
    this.clientIds.add(clientId);
    const side = body['side'] as 'bid' | 'ask';
    const yesPrice = Math.round(Number(body['price']) * 10_000);
    const count = Math.round(Number(body['count']) * 100);
    const tif = String(body['time_in_force']);
    // match against the opposite side of the YES book
    const levels = side === 'bid' ? this.liquidity.asks.filter((l) => l.price <= yesPrice) : this.liquidity.bids.filter((l) => l.price >= yesPrice);
    levels.sort((a, b) => (side === 'bid' ? a.price - b.price : b.price - a.price));
    const available = levels.reduce((n, l) => n + l.size, 0);
    let filled = 0;
    let cost = 0; // of the outcome bought, 1e-6 $
    if (!(tif === 'fill_or_kill' && available < count)) {
      for (const l of levels) {
        const take = Math.min(l.size, count - filled);
        if (take <= 0) break;
        l.size -= take;
        filled += take;
        const outcomePrice = side === 'bid' ? l.price : 10_000 - l.price;
        cost += take * outcomePrice; // 0.01 contracts × 1e-4 $ = 1e-6 $
      }
    }
    const resting = tif === 'good_till_canceled' ? count - filled : 0;
    this.seq += 1;
    const orderId = `00000000-0000-4000-8000-${String(this.seq).padStart(12, '0')}`;
    const order: StoredOrder = {
      order_id: orderId,
      client_order_id: clientId,
      ticker: String(body['ticker']),
      side,
      yesPrice,
      count,
      filled,
      status: resting > 0 ? 'resting' : filled === count ? 'executed' : 'canceled',
      cost,
      created: new Date(this.now()).toISOString(),
    };
    this.orders.set(orderId, order);
    this.server.route('GET', `${P}/portfolio/orders/${orderId}`, (r) => this.guard(r, () => ({ body: { order: this.orderWire(order) } })));
    this.server.route('DELETE', `${P}/portfolio/events/orders/${orderId}`, (r) => this.guard(r, () => this.cancel(order)));
    if (this.createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.createDelayMs));
    const answer: Record<string, unknown> = {
      client_order_id: clientId,
      fill_count: fmt(filled, 2),
      order_id: orderId,
      remaining_count: fmt(resting, 2),
      ts_ms: this.now(),
    };
    if (filled > 0) {
      const avgOutcome = Math.round(cost / filled); // 1e-4 $
      answer['average_fill_price'] = fmt(side === 'bid' ? avgOutcome : 10_000 - avgOutcome, 4);
      answer['average_fee_paid'] = '0.0175';
    }
    return { status: 201, body: answer };
  }

  orderWire(o: StoredOrder): Record<string, unknown> {
    const outcome = o.side === 'bid' ? 'yes' : 'no';
    return {
      action: o.side === 'bid' ? 'buy' : 'sell',
      book_side: o.side,
      client_order_id: o.client_order_id,
      created_time: o.created,
      fill_count_fp: fmt(o.filled, 2),
      initial_count_fp: fmt(o.count, 2),
      maker_fees_dollars: '0.000000',
      maker_fill_cost_dollars: '0.000000',
      no_price_dollars: fmt(10_000 - o.yesPrice, 4),
      order_id: o.order_id,
      outcome_side: outcome,
      remaining_count_fp: fmt(o.status === 'resting' ? o.count - o.filled : 0, 2),
      status: o.status,
      taker_fees_dollars: o.filled > 0 ? '0.017500' : '0.000000',
      taker_fill_cost_dollars: fmt(o.cost, 6),
      ticker: o.ticker,
      type: 'limit',
      yes_price_dollars: fmt(o.yesPrice, 4),
    };
  }

  private cancel(o: StoredOrder): RouteAnswer {
    if (o.status !== 'resting') return { status: 404, body: kalshiFixtureText('demo-recorded/error-404-not-found.json') };
    o.status = 'canceled';
    return { body: { order_id: o.order_id, client_order_id: o.client_order_id, reduced_by: fmt(o.count - o.filled, 2), ts_ms: this.now() } };
  }

  private list(request: RecordedRequest): RouteAnswer {
    if (this.orders.size === 0) return { body: kalshiFixtureText('demo-recorded/orders-list.json') };
    const ticker = request.url.searchParams.get('ticker');
    const orders = [...this.orders.values()].filter((o) => ticker === null || o.ticker === ticker).map((o) => this.orderWire(o));
    return { body: { cursor: '', orders } };
  }
}

export { kalshiFixture };
