/**
 * One `Market` builder for tests: a binary market on a cent grid, minimum 1 contract in
 * steps of 0.01, open, no close time or rules, each venue's usual fee model. Overrides
 * replace fields; given an `id` without a `ref`, the ref carries that id (Kalshi ticker /
 * Polymarket condition id).
 */
import type { FeeModel } from '../../source/domain/fees.js';
import { uniformGrid, type Market, type VenueId } from '../../source/domain/market.js';
import { ONE, parseDecimal } from '../../source/domain/money.js';

const d = (s: string): bigint => parseDecimal(s);

export const KALSHI_QUADRATIC_FEE: FeeModel = { kind: 'kalshi', feeType: 'quadratic', multiplier: ONE, source: 'series' };
export const POLYMARKET_3PCT_FEE: FeeModel = { kind: 'polymarket', rate: d('0.03'), exponent: 1, takerOnly: true, source: 'clob' };

export function testRef(venue: VenueId, id: string): Market['ref'] {
  return venue === 'kalshi'
    ? { venue: 'kalshi', ticker: id, eventTicker: 'K', seriesTicker: 'KS', exchangeIndex: null }
    : { venue: 'polymarket', conditionId: id, gammaId: null, eventId: null, slug: null, yesTokenId: '1', noTokenId: '2', negRisk: false, protocolVersion: 'v1' };
}

export function testMarket(venue: VenueId, overrides: Partial<Market> = {}): Market {
  const id = overrides.id ?? (venue === 'kalshi' ? 'K-1' : '0xabc');
  return {
    venue,
    id,
    ref: testRef(venue, id),
    eventId: 'E',
    eventTitle: 'Event',
    title: 'Question?',
    subtitle: null,
    yesLabel: 'Yes',
    noLabel: 'No',
    closeTime: null,
    rules: null,
    status: 'open',
    priceRanges: uniformGrid(d('0.01'), ONE),
    minOrderSize: d('1'),
    sizeIncrement: d('0.01'),
    fee: venue === 'kalshi' ? KALSHI_QUADRATIC_FEE : POLYMARKET_3PCT_FEE,
    ...overrides,
  };
}
