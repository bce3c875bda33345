/**
 * Hand-built store content for the UI tests: markets, pairs, and
 * opportunities computed by the real detector from hand-made books, in a real
 * Store driven by a manual clock.
 */
import type { AppActions, ConfirmResult, ExportResult, TicketQuote, TicketResult } from '../../../source/app/actions.js';
import type { FeeModel } from '../../../source/domain/fees.js';
import { uniformGrid, type Market } from '../../../source/domain/market.js';
import { ONE, parseDecimal, type Size } from '../../../source/domain/money.js';
import { normaliseAsks, type OrderBook } from '../../../source/domain/order-book.js';
import { detectPair, type DetectorPair, type DetectorSettings, type Opportunity } from '../../../source/engine/detector.js';
import { Store, type PairView, type SessionInfo } from '../../../source/store/store.js';
import { manualClock as sharedManualClock, type ManualClock } from '../../helpers/manual-clock.js';

export const d = (s: string): bigint => parseDecimal(s);
export const DAY = 24 * 60 * 60 * 1000;
/** 2026-05-12 14:00:00 UTC */
export const T0 = Date.UTC(2026, 4, 12, 14, 0, 0);

/** The shared manual clock, starting at T0 unless told. */
export function manualClock(start = T0): ManualClock {
  return sharedManualClock(start);
}

export function market(venue: 'kalshi' | 'polymarket', id: string, title: string, overrides: Partial<Market> = {}): Market {
  const fee: FeeModel =
    venue === 'kalshi'
      ? { kind: 'kalshi', feeType: 'quadratic', multiplier: ONE, source: 'series' }
      : { kind: 'polymarket', rate: d('0.03'), exponent: 1, takerOnly: true, source: 'clob' };
  return {
    venue,
    id,
    ref:
      venue === 'kalshi'
        ? { venue, ticker: id, eventTicker: id.split('-')[0] ?? id, seriesTicker: null, exchangeIndex: 0 }
        : { venue, conditionId: id, gammaId: '1', eventId: '1', slug: null, yesTokenId: `${id}-y`, noTokenId: `${id}-n`, negRisk: false, protocolVersion: 'v1' },
    eventId: 'E',
    eventTitle: title,
    title,
    subtitle: null,
    yesLabel: 'Yes',
    noLabel: 'No',
    closeTime: T0 + 60 * DAY,
    rules: null,
    status: 'open',
    priceRanges: uniformGrid(d('0.01'), ONE),
    minOrderSize: d('1'),
    sizeIncrement: d('0.01'),
    fee,
    ...overrides,
  };
}

function book(m: Market, yes: Array<[string, string]>, no: Array<[string, string]>, receivedAt: number): OrderBook {
  const lv = (l: Array<[string, string]>) => normaliseAsks(l.map(([p, s]) => ({ price: d(p), size: d(s) })));
  return { venue: m.venue, marketId: m.id, yesAsks: lv(yes), noAsks: lv(no), venueTime: null, receivedAt };
}

export const SETTINGS: DetectorSettings = {
  thresholds: {
    minNetProfit: d('1'),
    minRoi: d('0.01'),
    minAnnualizedReturn: d('0.05'),
    maxSizePerTrade: d('1000'),
    maxCapitalPerPair: d('5000'),
    staleQuoteMs: 5_000,
  },
  kalshiFeeRounding: 'centicent',
};

export interface PairSpec {
  readonly key: string;
  readonly kalshi: Market;
  readonly polymarket: Market;
  readonly status: PairView['status'];
  readonly confidence: string;
  readonly reasons: readonly string[];
  readonly warnings: readonly string[];
  /** Best asks: kalshi YES, kalshi NO, polymarket YES, polymarket NO, and the depth. */
  readonly asks: readonly [string, string, string, string, string];
}

export function pairView(p: PairSpec): PairView {
  return {
    key: p.key,
    kalshi: p.kalshi,
    polymarket: p.polymarket,
    relation: 'same',
    polymarketOutcome: 'Yes',
    status: p.status,
    confidence: d(p.confidence),
    reasons: p.reasons,
    warnings: p.warnings,
  };
}

/** The real detector's opportunities for a pair spec at `now`. */
export function opportunitiesFor(p: PairSpec, now: number, bookAgeMs = 400): Opportunity[] {
  const pair: DetectorPair = {
    key: p.key,
    kalshi: p.kalshi,
    polymarket: p.polymarket,
    relation: 'same',
    approved: p.status === 'approved',
    confidence: d(p.confidence),
    warnings: p.warnings,
  };
  const [ky, kn, py, pn, depth] = p.asks;
  const kBook = book(p.kalshi, [[ky, depth]], [[kn, depth]], now - bookAgeMs);
  const pBook = book(p.polymarket, [[py, depth]], [[pn, depth]], now - bookAgeMs - 250);
  return detectPair(pair, { kalshi: kBook, polymarket: pBook }, now, SETTINGS).opportunities;
}

export const PAIRS: readonly PairSpec[] = [
  {
    key: 'KXFEDDECISION-26JUN-C25|0xfed1',
    kalshi: market('kalshi', 'KXFEDDECISION-26JUN-C25', 'Fed cuts rates by 25bps in June 2026?', {
      closeTime: T0 + 36 * DAY,
      rules: 'If the Federal Reserve announces a cut of 25 basis points to the federal funds target range at its June 2026 meeting, the market resolves to Yes.',
    }),
    polymarket: market('polymarket', '0xfed1000000000000000000000000000000000000000000000000000000000001', 'Fed decreases interest rates by 25 bps after June 2026 meeting?', {
      closeTime: T0 + 37 * DAY,
      rules: 'This market will resolve to "Yes" if the Fed decreases the upper bound of the target federal funds rate by 25 bps at the June 2026 meeting. Otherwise "No".',
    }),
    status: 'approved',
    confidence: '0.97',
    reasons: ['same entity: Federal Reserve', 'same threshold: 25 bps cut', 'same meeting: June 2026'],
    warnings: [],
    asks: ['0.41', '0.60', '0.55', '0.52', '300'],
  },
  {
    key: 'KXNBA-26-OKC|0xnba2',
    kalshi: market('kalshi', 'KXNBA-26-OKC', 'Oklahoma City Thunder win the 2026 NBA Finals?', { closeTime: T0 + 30 * DAY }),
    polymarket: market('polymarket', '0xnba2000000000000000000000000000000000000000000000000000000000002', 'NBA Champion 2026: Oklahoma City Thunder', { closeTime: T0 + 31 * DAY }),
    status: 'approved',
    confidence: '0.93',
    reasons: ['same team', 'same season'],
    warnings: ['Polymarket closes one day later than Kalshi'],
    asks: ['0.30', '0.72', '0.33', '0.66', '120'],
  },
  {
    key: 'KXBTCMAX-26DEC31-150K|0xbtc3',
    kalshi: market('kalshi', 'KXBTCMAX-26DEC31-150K', 'Bitcoin above $150k before 2027?', { closeTime: T0 + 233 * DAY }),
    polymarket: market('polymarket', '0xbtc3000000000000000000000000000000000000000000000000000000000003', 'Will Bitcoin reach $150,000 in 2026?', { closeTime: T0 + 233 * DAY }),
    status: 'candidate',
    confidence: '0.81',
    reasons: ['same asset: BTC', 'same threshold: 150000'],
    warnings: ['Kalshi settles on a trimmed mean, Polymarket on a touch of the Binance price', 'check the resolution source'],
    asks: ['0.20', '0.82', '0.22', '0.74', '500'],
  },
  {
    key: 'KXSENATEKS-26|0xks4',
    kalshi: market('kalshi', 'KXSENATEKS-26', 'Republicans win the Kansas Senate race in 2026?', { closeTime: T0 + 180 * DAY }),
    polymarket: market('polymarket', '0xks40000000000000000000000000000000000000000000000000000000000004', 'Kansas Senate race 2026: Republican wins?', { closeTime: null }),
    status: 'rejected',
    confidence: '0.62',
    reasons: ['same state', 'same office'],
    warnings: ['Polymarket close time unknown'],
    asks: ['0.80', '0.21', '0.83', '0.16', '50'],
  },
];

export const SESSION: SessionInfo = {
  mode: 'paper',
  demo: true,
  dbPath: '/home/trader/.local/share/arb-tui/sessions/2026-05-12.sqlite',
  startedAt: T0 - 3_600_000,
  version: '0.1.0',
  banner: null,
  halted: false,
};

/** A store filled with the hand-built pairs, their opportunities, positions, orders, fills and log. */
export function filledStore(options: { session?: Partial<SessionInfo>; clock?: ReturnType<typeof manualClock> } = {}) {
  const clock = options.clock ?? manualClock();
  const store = new Store({ now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, session: { ...SESSION, ...options.session } });
  const now = clock.now();
  store.update((draft) => {
    draft.venues.kalshi = { venue: 'kalshi', state: 'live', lastUpdate: now - 300, detail: null, nextRetryAt: null, marketCount: 1240, traffic: null };
    draft.venues.polymarket = {
      venue: 'polymarket',
      state: 'rate-limited',
      lastUpdate: now - 2_500,
      detail: 'HTTP 429',
      nextRetryAt: now + 4_000,
      marketCount: 3310,
      traffic: null,
    };
    for (const p of PAIRS) {
      draft.pairs.set(p.key, pairView(p));
      for (const o of opportunitiesFor(p, now)) draft.opportunities.set(o.id, o);
    }
    const fed = PAIRS[0]!;
    draft.positions.push(
      {
        venue: 'kalshi',
        marketId: fed.kalshi.id,
        title: fed.kalshi.title,
        shortTitle: fed.kalshi.title,
        side: 'yes',
        size: d('100'),
        avgPrice: d('0.41'),
        cost: d('42.68'),
        markValue: d('43'),
        realisedPnl: 0n,
        pairKey: fed.key,
      },
      {
        venue: 'polymarket',
        marketId: fed.polymarket.id,
        title: fed.polymarket.title,
        shortTitle: fed.polymarket.title,
        side: 'no',
        size: d('100'),
        avgPrice: d('0.52'),
        cost: d('52.75'),
        markValue: d('50'),
        realisedPnl: d('1.25'),
        pairKey: fed.key,
      },
    );
    draft.orders.push(
      { id: 'ord-0001', venue: 'kalshi', marketId: fed.kalshi.id, side: 'yes', size: d('100'), limitPrice: d('0.41'), filled: d('100'), avgFillPrice: d('0.41'), status: 'filled', createdAt: now - 60_000, pairKey: fed.key, paper: true },
      { id: 'ord-0002', venue: 'polymarket', marketId: fed.polymarket.id, side: 'no', size: d('100'), limitPrice: d('0.52'), filled: d('40'), avgFillPrice: d('0.52'), status: 'partially-filled', createdAt: now - 59_000, pairKey: fed.key, paper: true },
    );
    draft.fills.push(
      { id: 'fill-1', orderId: 'ord-0001', venue: 'kalshi', marketId: fed.kalshi.id, side: 'yes', price: d('0.41'), size: d('100'), fee: d('1.68'), at: now - 59_500, voided: false },
      { id: 'fill-2', orderId: 'ord-0002', venue: 'polymarket', marketId: fed.polymarket.id, side: 'no', price: d('0.52'), size: d('40'), fee: d('0.3'), at: now - 58_000, voided: false },
      // matched, then failed on chain: the venue voided it
      { id: 'fill-3', orderId: 'ord-0002', venue: 'polymarket', marketId: fed.polymarket.id, side: 'no', price: d('0.52'), size: d('10'), fee: d('0.08'), at: now - 57_000, voided: true },
    );
    draft.log.push(
      { at: now - 120_000, level: 'info', message: 'session started (paper, demo)' },
      { at: now - 90_000, level: 'warn', message: 'polymarket: HTTP 429, backing off 4s' },
      { at: now - 30_000, level: 'error', message: 'kalshi: order book for KXBTCMAX-26DEC31-150K malformed: yes_dollars[3] not a decimal' },
    );
  });
  return { store, clock };
}

export interface RecordedCall {
  readonly name: keyof AppActions;
  readonly args: readonly unknown[];
}

/** AppActions that records every call; quote answers from the store's opportunities at the asked size. */
export class FakeActions implements AppActions {
  readonly calls: RecordedCall[] = [];
  confirmResults: Array<ConfirmResult | Error> = [];
  exportResult: ExportResult | Error = { files: ['/tmp/arb/session-orders.csv', '/tmp/arb/session-fills.csv'] };
  quoteCount = 0;
  /** Resolvers of confirm calls held back (when `holdConfirm` is set). */
  holdConfirm = false;
  private held: Array<() => void> = [];

  constructor(private readonly store: Store, private readonly now: () => number) {}

  async approvePair(pairKey: string, note?: string): Promise<void> {
    this.calls.push({ name: 'approvePair', args: note === undefined ? [pairKey] : [pairKey, note] });
    this.store.update((d) => {
      const p = d.pairs.get(pairKey);
      if (p) d.pairs.set(pairKey, { ...p, status: 'approved' });
    });
  }

  async rejectPair(pairKey: string, note?: string): Promise<void> {
    this.calls.push({ name: 'rejectPair', args: note === undefined ? [pairKey] : [pairKey, note] });
    this.store.update((d) => {
      const p = d.pairs.get(pairKey);
      if (p) d.pairs.set(pairKey, { ...p, status: 'rejected' });
    });
  }

  quote(opportunityId: string, size?: Size): TicketResult {
    this.calls.push({ name: 'quote', args: size === undefined ? [opportunityId] : [opportunityId, size] });
    const o = this.store.getSnapshot().opportunities.find((x) => x.id === opportunityId);
    if (!o) return { kind: 'unavailable', reason: 'the opportunity closed' };
    this.quoteCount += 1;
    // as the engine: the best size up to the one asked for (here: no more than the opportunity's)
    const at = size === undefined || size > o.size ? o.size : size;
    // Scale the figures to the size (the real engine re-walks the books; these are for display).
    const scale = (v: bigint) => (v * at) / o.size;
    const opportunity: Opportunity = {
      ...o,
      size: at,
      legs: [
        { ...o.legs[0], size: at, cost: scale(o.legs[0].cost), fee: scale(o.legs[0].fee) },
        { ...o.legs[1], size: at, cost: scale(o.legs[1].cost), fee: scale(o.legs[1].fee) },
      ],
      totalFees: scale(o.totalFees),
      totalCost: scale(o.totalCost),
      payout: scale(o.payout),
      netProfit: scale(o.netProfit),
    };
    const quote: TicketQuote = { opportunityId, opportunity, size: at, quoteId: `q-${this.quoteCount}`, quotedAt: this.now() };
    return { kind: 'quote', quote };
  }

  async confirm(quote: TicketQuote): Promise<ConfirmResult> {
    this.calls.push({ name: 'confirm', args: [quote] });
    if (this.holdConfirm) await new Promise<void>((resolve) => this.held.push(resolve));
    const next = this.confirmResults.shift() ?? { kind: 'submitted', attemptId: 'att-1' };
    if (next instanceof Error) throw next;
    return next;
  }

  releaseConfirm(): void {
    for (const r of this.held.splice(0)) r();
  }

  async exportSession(): Promise<ExportResult> {
    this.calls.push({ name: 'exportSession', args: [] });
    if (this.exportResult instanceof Error) throw this.exportResult;
    return this.exportResult;
  }

  setPaused(paused: boolean): void {
    this.calls.push({ name: 'setPaused', args: [paused] });
    this.store.setPaused(paused);
  }

  async setHalted(halted: boolean): Promise<void> {
    this.calls.push({ name: 'setHalted', args: [halted] });
    this.store.update((d) => {
      d.session = { ...d.session, halted };
    });
  }

  quitError: Error | null = null;
  async quit(): Promise<void> {
    this.calls.push({ name: 'quit', args: [] });
    if (this.quitError) throw this.quitError;
  }

  names(): string[] {
    return this.calls.map((c) => c.name);
  }
}
