/** Domain markets for matcher tests, with only the fields matching reads set meaningfully. */
import type { Market } from '../../source/domain/market.js';

const FEE = { kind: 'unknown', reason: 'test' } as const;

export interface KalshiSpec {
  readonly ticker: string;
  readonly event: string;
  readonly eventTitle: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly rules?: string;
  /** ISO time, e.g. "2026-05-14T03:00:00Z" */
  readonly closeTime?: string;
}

export function kalshiMarket(s: KalshiSpec): Market {
  return {
    venue: 'kalshi',
    id: s.ticker,
    ref: { venue: 'kalshi', ticker: s.ticker, eventTicker: s.event, seriesTicker: null, exchangeIndex: null },
    eventId: s.event,
    eventTitle: s.eventTitle,
    title: s.title,
    subtitle: s.subtitle ?? null,
    yesLabel: 'Yes',
    noLabel: 'No',
    closeTime: s.closeTime === undefined ? null : Date.parse(s.closeTime),
    rules: s.rules ?? null,
    status: 'open',
    priceRanges: [],
    minOrderSize: 10_000n,
    sizeIncrement: 10_000n,
    fee: FEE,
  };
}

export interface PolySpec {
  readonly id: string;
  readonly event: string;
  readonly eventTitle: string;
  readonly question: string;
  readonly outcomes?: readonly [string, string];
  readonly rules?: string;
  /** ISO time (Gamma `endDate`), e.g. "2026-05-14T03:00:00Z" */
  readonly closeTime?: string;
}

export function polyMarket(s: PolySpec): Market {
  return {
    venue: 'polymarket',
    id: s.id,
    ref: {
      venue: 'polymarket',
      conditionId: s.id,
      gammaId: null,
      eventId: s.event,
      slug: null,
      yesTokenId: `${s.id}-yes`,
      noTokenId: `${s.id}-no`,
      negRisk: false,
      protocolVersion: 'v1',
    },
    eventId: s.event,
    eventTitle: s.eventTitle,
    title: s.question,
    subtitle: null,
    yesLabel: s.outcomes?.[0] ?? 'Yes',
    noLabel: s.outcomes?.[1] ?? 'No',
    closeTime: s.closeTime === undefined ? null : Date.parse(s.closeTime),
    rules: s.rules ?? null,
    status: 'open',
    priceRanges: [],
    minOrderSize: 0n,
    sizeIncrement: 10_000n,
    fee: FEE,
  };
}
