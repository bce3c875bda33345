/**
 * Engine events as JSON for headless NDJSON output: every money figure a
 * decimal string rendered from its integer (never a float), times ISO-8601
 * UTC, ratios as decimal strings too.
 */
import { formatDecimal } from '../domain/money.js';
import type { Market } from '../domain/market.js';
import type { PairView, VenueStatus } from '../store/store.js';
import { describeNotTradable, type Opportunity, type OpportunityLeg } from './detector.js';
import type { EngineEvent } from './engine.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const money = (v: bigint): string => formatDecimal(v, { minDp: 2 });
const price = (v: bigint): string => formatDecimal(v, { minDp: 2 });
const size = (v: bigint): string => formatDecimal(v, { minDp: 2 });
const ratio = (v: bigint | null): string | null => (v === null ? null : formatDecimal(v, { dp: 6 }));
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function marketJson(m: Market): { [key: string]: Json } {
  return { venue: m.venue, id: m.id, title: m.title, event: m.eventTitle, close_time: iso(m.closeTime), status: m.status };
}

function legJson(l: OpportunityLeg): { [key: string]: Json } {
  return {
    venue: l.venue,
    market: l.market.id,
    title: l.market.title,
    side: l.side,
    size: size(l.size),
    vwap: price(l.vwap),
    worst_price: price(l.worstPrice),
    cost: money(l.cost),
    fee: money(l.fee),
    quote_age_ms: l.quoteAgeMs,
    venue_time: iso(l.venueTime),
    received_at: iso(l.receivedAt),
  };
}

export function opportunityJson(o: Opportunity): { [key: string]: Json } {
  return {
    id: o.id,
    pair: o.pairKey,
    direction: o.direction,
    size: size(o.size),
    legs: [legJson(o.legs[0]), legJson(o.legs[1])],
    total_fees: money(o.totalFees),
    total_cost: money(o.totalCost),
    payout: money(o.payout),
    net_profit: money(o.netProfit),
    roi: ratio(o.roi),
    annualized_return: ratio(o.annualizedReturn),
    locked_until: iso(o.lockedUntil),
    confidence: ratio(o.confidence),
    warnings: [...o.warnings],
    tradable: o.tradable,
    not_tradable: o.notTradable.map(describeNotTradable),
    computed_at: iso(o.computedAt),
  };
}

export function pairJson(p: PairView): { [key: string]: Json } {
  return {
    key: p.key,
    kalshi_ticker: p.kalshi.id,
    polymarket_condition_id: p.polymarket.id,
    polymarket_outcome: p.polymarketOutcome,
    relation: p.relation,
    status: p.status,
    confidence: ratio(p.confidence),
    reasons: [...p.reasons],
    warnings: [...p.warnings],
    kalshi: marketJson(p.kalshi),
    polymarket: marketJson(p.polymarket),
  };
}

function venueJson(s: VenueStatus): { [key: string]: Json } {
  return {
    venue: s.venue,
    state: s.state,
    detail: s.detail,
    last_update: iso(s.lastUpdate),
    next_retry_at: iso(s.nextRetryAt),
    markets: s.marketCount,
    requests: s.traffic?.requests ?? null,
    retries: s.traffic?.retries ?? null,
    rate_limited: s.traffic?.rateLimited ?? null,
  };
}

/** One NDJSON object per engine event, `type` first, `at` the emission time. */
export function eventJson(event: EngineEvent, at: number): { [key: string]: Json } {
  const base = { type: event.type, at: iso(at) };
  switch (event.type) {
    case 'venue-status':
      return { ...base, ...venueJson(event.status) };
    case 'pair-proposed':
      return { ...base, pair: pairJson(event.pair) };
    case 'pair-status':
      return { ...base, pair: pairJson(event.pair), previous: event.previous, decided_by: event.decidedBy, reason: event.reason };
    case 'opportunity-opened':
    case 'opportunity-updated':
      return { ...base, opportunity: opportunityJson(event.opportunity) };
    case 'opportunity-closed':
      return { ...base, reason: event.reason, opportunity: opportunityJson(event.opportunity) };
    case 'log':
      return { ...base, level: event.entry.level, message: event.entry.message };
  }
}
