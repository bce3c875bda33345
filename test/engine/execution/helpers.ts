/** Shared scaffolding for the execution tests: markets, books, a real detector opportunity, a database on disk. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Market } from '../../../source/domain/market.js';
import { uniformGrid } from '../../../source/domain/market.js';
import { ONE, parseDecimal, type Price, type Size } from '../../../source/domain/money.js';
import { normaliseAsks, type Level, type OrderBook } from '../../../source/domain/order-book.js';
import { detectPair, type AccountLimits, type DetectorPair, type Opportunity } from '../../../source/engine/detector.js';
import { createExecution, type CreateExecutionOptions, type Execution } from '../../../source/engine/execution/create-execution.js';
import { openDatabase, type ArbDatabase } from '../../../source/persistence/database.js';
import { PaperVenue, type PaperVenueOptions } from '../../../source/venues/paper/paper-venue.js';
import type { TradingVenue } from '../../../source/venues/trading.js';

export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
export const C = 1_000_000n; // one contract / one dollar

export const KALSHI_TICKER = 'KXTEST-26JUN-T4.00';
export const POLY_CONDITION = '0x00000000000000000000000000000000000000000000000000000000000000aa';
export const POLY_YES_TOKEN = '71321045679252212594626385532706912750332728571942532289631379312455583992563';
export const POLY_NO_TOKEN = '52114319501245915516055106046884209969926127482827954674443846427813813222426';

export const kalshiMarket: Market = {
  venue: 'kalshi',
  id: KALSHI_TICKER,
  ref: { venue: 'kalshi', ticker: KALSHI_TICKER, eventTicker: 'KXTEST-26JUN', seriesTicker: 'KXTEST', exchangeIndex: null },
  eventId: 'KXTEST-26JUN',
  eventTitle: 'Test event',
  title: 'Rate above 4.00% in June?',
  subtitle: null,
  yesLabel: 'Yes',
  noLabel: 'No',
  closeTime: T0 + 30 * 86_400_000,
  rules: null,
  status: 'open',
  priceRanges: [{ start: 10_000n, end: 990_000n, step: 10_000n }],
  minOrderSize: 10_000n,
  sizeIncrement: 10_000n,
  fee: { kind: 'kalshi', feeType: 'quadratic', multiplier: 1_000_000n, source: 'series' },
};

export const polyMarket: Market = {
  venue: 'polymarket',
  id: POLY_CONDITION,
  ref: {
    venue: 'polymarket',
    conditionId: POLY_CONDITION,
    gammaId: null,
    eventId: null,
    slug: null,
    yesTokenId: POLY_YES_TOKEN,
    noTokenId: POLY_NO_TOKEN,
    negRisk: false,
    protocolVersion: 'v1',
  },
  eventId: 'ev-1',
  eventTitle: 'Test event',
  title: 'Will the rate be above 4% in June?',
  subtitle: null,
  yesLabel: 'Yes',
  noLabel: 'No',
  closeTime: T0 + 30 * 86_400_000,
  rules: null,
  status: 'open',
  priceRanges: uniformGrid(10_000n, ONE),
  minOrderSize: 5_000_000n,
  sizeIncrement: 10_000n,
  fee: { kind: 'polymarket', rate: 30_000n, exponent: 1, takerOnly: true, source: 'clob' },
};

export const PAIR_KEY = `${KALSHI_TICKER}|${POLY_CONDITION}`;

export const pair: DetectorPair = {
  key: PAIR_KEY,
  kalshi: kalshiMarket,
  polymarket: polyMarket,
  relation: 'same',
  approved: true,
  confidence: 950_000n,
  warnings: [],
};

export function lv(price: string, size: number): Level {
  return { price: parseDecimal(price), size: BigInt(size) * C };
}

export function book(market: Market, yesAsks: Level[], noAsks: Level[], receivedAt = T0): OrderBook {
  return { venue: market.venue, marketId: market.id, yesAsks: normaliseAsks(yesAsks), noAsks: normaliseAsks(noAsks), venueTime: null, receivedAt };
}

/**
 * Default books: YES on Kalshi at 0.40 (10) then 0.41 (10); NO on Polymarket at 0.50 (20).
 * Kalshi NO asks at 0.62 (= YES bids at 0.38, for unwinding YES); Polymarket YES asks at
 * 0.48 (= NO bids at 0.52, for unwinding NO).
 */
export function defaultBooks(at = T0): { kalshi: OrderBook; polymarket: OrderBook } {
  return {
    kalshi: book(kalshiMarket, [lv('0.40', 10), lv('0.41', 10)], [lv('0.62', 50)], at),
    polymarket: book(polyMarket, [lv('0.48', 50)], [lv('0.50', 20)], at),
  };
}

/** A real detector opportunity (YES kalshi + NO polymarket) capped at `maxSize` contracts. */
export function opportunity(books = defaultBooks(), maxSize: Size = 10n * C, now = T0): Opportunity {
  const { opportunities } = detectPair(pair, books, now, {
    thresholds: {
      minNetProfit: 0n,
      minRoi: 0n,
      minAnnualizedReturn: 0n,
      maxSizePerTrade: maxSize,
      maxCapitalPerPair: 10_000n * C,
      staleQuoteMs: 60_000,
    },
    kalshiFeeRounding: 'centicent',
  });
  const o = opportunities.find((x) => x.legs[0].side === 'yes');
  if (!o) throw new Error('test books give no opportunity');
  return o;
}

/** The test Kalshi market under another ticker (several pairs of the same shape). */
export function kalshiMarketAs(ticker: string): Market {
  return { ...kalshiMarket, id: ticker, ref: { ...kalshiMarket.ref, ticker } as Market['ref'] };
}

/** The test Polymarket market under another condition id. */
export function polyMarketAs(conditionId: string): Market {
  return { ...polyMarket, id: conditionId, ref: { ...polyMarket.ref, conditionId } as Market['ref'] };
}

/**
 * The YES-Kalshi / NO-Polymarket opportunity of an approved pair of two markets, on the
 * books of `books` (by market id), at most 10 contracts; `account` sizes it to the account.
 */
export function opportunityOn(k: Market, p: Market, books: ReadonlyMap<string, OrderBook>, account?: AccountLimits): Opportunity {
  const of: DetectorPair = { key: `${k.id}|${p.id}`, kalshi: k, polymarket: p, relation: 'same', approved: true, confidence: 950_000n, warnings: [] };
  const found = detectPair(
    of,
    { kalshi: books.get(k.id), polymarket: books.get(p.id) },
    T0,
    {
      thresholds: { minNetProfit: 0n, minRoi: 0n, minAnnualizedReturn: 0n, maxSizePerTrade: 10n * C, maxCapitalPerPair: 10_000n * C, staleQuoteMs: 60_000 },
      kalshiFeeRounding: 'centicent',
    },
    account,
  ).opportunities.find((o) => o.legs[0].side === 'yes');
  if (!found) throw new Error('test books give no opportunity');
  return found;
}

export interface TestDb {
  readonly db: ArbDatabase;
  readonly sessionId: number;
  readonly pairId: number;
  readonly path: string;
  readonly dir: string;
  cleanup(): Promise<void>;
}

export async function openTestDb(clock: () => number = () => T0, existingPath?: string): Promise<TestDb> {
  const dir = existingPath ? join(existingPath, '..') : mkdtempSync(join(tmpdir(), 'arb-exec-'));
  const path = existingPath ?? join(dir, 'arb.sqlite');
  const db = await openDatabase({ path, flushMode: 'main-thread', flushIntervalMs: 60_000, now: clock });
  const { sessionId, pairId } = db.write((r) => {
    const s = r.sessions.start({ mode: 'paper', demo: false, appVersion: 'test', configDigest: 'sha256:test', startedAt: clock() });
    const p = r.pairs.ensureCandidate({ kalshiMarketId: KALSHI_TICKER, polymarketMarketId: POLY_CONDITION, relation: 'same', at: clock() });
    if (p.verdict !== 'approved') r.pairs.setVerdict(p.id, { verdict: 'approved', decidedBy: 'user', at: clock() });
    return { sessionId: s.id, pairId: p.id };
  });
  await db.flushNow();
  return {
    db,
    sessionId,
    pairId,
    path,
    dir,
    cleanup: async () => {
      await db.close().catch(() => undefined);
      if (!existingPath) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function resolveMarket(venue: 'kalshi' | 'polymarket', id: string): Market | undefined {
  if (venue === 'kalshi' && id === kalshiMarket.id) return kalshiMarket;
  if (venue === 'polymarket' && id === polyMarket.id) return polyMarket;
  return undefined;
}

export function price(text: string): Price {
  return parseDecimal(text);
}

/** A fake clock whose sleep advances time (polling without real waiting). */
export function fakeClock(start = T0): { now: () => number; sleep: (ms: number) => Promise<void>; advance: (ms: number) => void } {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** Forwards to a paper venue, overriding some members. */
export function forwardTo(v: PaperVenue, over: Partial<TradingVenue>): TradingVenue {
  return {
    id: v.id,
    newClientOrderId: () => v.newClientOrderId(),
    placeOrder: (i) => v.placeOrder(i),
    getOrder: (ref) => v.getOrder(ref),
    findOrder: (m, id) => v.findOrder(m, id),
    cancelOrder: (ref) => v.cancelOrder(ref),
    fills: (q) => v.fills(q),
    positions: (m) => v.positions(m),
    balance: () => v.balance(),
    close: () => v.close(),
    ...(v.buyFeeMayBeInShares ? { buyFeeMayBeInShares: true } : {}),
    ...over,
  };
}

/**
 * A test's paper world: a fake clock, a fresh database (its cleanup pushed on
 * `cleanups`), the default books and a paper venue on each of them; `polymarket`
 * adds options to the Polymarket paper venue (fees in shares, …).
 */
export async function paperWorld(cleanups: Array<() => Promise<void>>, polymarket: Partial<PaperVenueOptions> = {}) {
  const clock = fakeClock();
  const t = await openTestDb(clock.now);
  cleanups.push(t.cleanup);
  const books = defaultBooks();
  const kalshi = new PaperVenue({ id: 'kalshi', bookSource: () => books.kalshi, now: clock.now });
  const poly = new PaperVenue({ id: 'polymarket', bookSource: () => books.polymarket, now: clock.now, ...polymarket });
  return { clock, t, books, kalshi, poly };
}

/**
 * An execution in paper mode on a paper world: its database, clock and venues (`venues`
 * replaces either), markets resolved by `resolveMarket`, and the test's own settings and hooks.
 */
export function paperExecution(
  world: Awaited<ReturnType<typeof paperWorld>>,
  options: Pick<CreateExecutionOptions, 'settings' | 'onAlert' | 'books'> & { readonly venues?: Partial<Record<'kalshi' | 'polymarket', TradingVenue>> },
): Execution {
  const { venues, ...rest } = options;
  return createExecution({
    db: world.t.db,
    sessionId: world.t.sessionId,
    venues: { kalshi: world.kalshi, polymarket: world.poly, ...venues },
    now: world.clock.now,
    sleep: world.clock.sleep,
    resolveMarket,
    paper: true,
    ...rest,
  });
}
