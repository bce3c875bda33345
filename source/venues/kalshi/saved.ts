/**
 * Kalshi markets from a *saved* sample (e.g. `arb-tui match` input), not the live API.
 *
 * Accepts:
 * - a `GET /events?with_nested_markets=true` body: `{events:[{event_ticker,title,markets:[…]}],cursor}`;
 * - a `GET /markets` body: `{markets:[…],cursor}` (the event title is then the market's
 *   non-standard `event_title` when present, else its `event_ticker`);
 * - a bare array of market objects (flat saved catalogs, which may carry `event_title`).
 *
 * Saved samples may lack fields the live API always sends. Defaults, applied only when
 * a field is absent (or null):
 * - `close_time`, `rules_primary`, `yes_sub_title` -> `closeTime`, `rules`, `subtitle` null;
 * - `status` -> 'open';
 * - `price_ranges` -> [] (nothing may be ordered on an unknown grid);
 * - sizes: Kalshi sends no size fields; `minOrderSize` = `sizeIncrement` = 0.01 contract
 *   (the documented granularity since 2026-04-17) unless `fractional_trading_enabled:false`
 *   says whole contracts;
 * - fee: always `{kind:'unknown', reason:'saved sample: no series fee data'}`.
 * A field that is present but malformed is a MalformedVenueError naming it.
 * Combos (`KXMVE…`, `mve_collection_ticker`) are excluded.
 */
import { z } from 'zod';
import type { FeeModel } from '../../domain/fees.js';
import type { Market } from '../../domain/market.js';
import {
  isKalshiCombo,
  KALSHI_FRACTIONAL_STEP,
  KALSHI_WHOLE_STEP,
  malformed,
  mapKalshiStatus,
  parseWire,
  toPriceRanges,
} from './parser.js';
import {
  savedKalshiEventsBodySchema,
  savedKalshiMarketSchema,
  savedKalshiMarketsBodySchema,
  type SavedKalshiMarketWire,
} from './schemas.js';

const ENDPOINT = 'saved sample';

export const SAVED_KALSHI_FEE: FeeModel = { kind: 'unknown', reason: 'saved sample: no series fee data' };

function nonEmpty(s: string | null | undefined): string | null {
  return s === undefined || s === null || s.trim() === '' ? null : s;
}

function savedMarket(
  m: SavedKalshiMarketWire,
  event: { ticker: string | null; title: string | null; seriesTicker: string | null },
  field: string,
): Market {
  const eventTicker = nonEmpty(m.event_ticker) ?? event.ticker;
  if (eventTicker === null) throw malformed(ENDPOINT, `${field}.event_ticker`, 'missing event ticker');
  if (event.ticker !== null && m.event_ticker && m.event_ticker !== event.ticker) {
    throw malformed(ENDPOINT, `${field}.event_ticker`, `market of event ${m.event_ticker} nested in event ${event.ticker}`);
  }
  const eventTitle = event.title ?? nonEmpty(m.event_title) ?? eventTicker;
  const subtitle = nonEmpty(m.yes_sub_title) ?? nonEmpty(m.subtitle);
  const title = nonEmpty(m.title) ?? (subtitle !== null ? `${eventTitle}: ${subtitle}` : eventTitle);
  const primary = nonEmpty(m.rules_primary);
  const secondary = nonEmpty(m.rules_secondary);
  const step = m.fractional_trading_enabled === false ? KALSHI_WHOLE_STEP : KALSHI_FRACTIONAL_STEP;
  return {
    venue: 'kalshi',
    id: m.ticker,
    ref: {
      venue: 'kalshi',
      ticker: m.ticker,
      eventTicker,
      seriesTicker: event.seriesTicker,
      exchangeIndex: m.exchange_index ?? null,
    },
    eventId: eventTicker,
    eventTitle,
    title,
    subtitle,
    yesLabel: 'Yes',
    noLabel: 'No',
    closeTime: m.close_time ? Date.parse(m.close_time) : null,
    rules: primary === null ? secondary : secondary === null ? primary : `${primary}\n\n${secondary}`,
    status: m.status ? mapKalshiStatus(m.status) : 'open',
    priceRanges: m.price_ranges ? toPriceRanges(m.price_ranges, ENDPOINT, `${field}.price_ranges`) : [],
    minOrderSize: step,
    sizeIncrement: step,
    fee: SAVED_KALSHI_FEE,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse a saved Kalshi sample into domain markets (combos excluded, order kept). */
export function parseSavedKalshi(body: unknown): Market[] {
  const out: Market[] = [];
  const seen = new Set<string>();
  const push = (m: Market, field: string): void => {
    if (seen.has(m.id)) throw malformed(ENDPOINT, `${field}.ticker`, `duplicate market ticker ${m.id}`);
    seen.add(m.id);
    out.push(m);
  };
  if (isObject(body) && 'events' in body) {
    const wire = parseWire(savedKalshiEventsBodySchema, body, ENDPOINT);
    wire.events.forEach((e, i) => {
      if (e.event_ticker.startsWith('KXMVE')) return;
      (e.markets ?? []).forEach((m, j) => {
        if (isKalshiCombo(m)) return;
        const field = `events[${i}].markets[${j}]`;
        push(savedMarket(m, { ticker: e.event_ticker, title: e.title, seriesTicker: nonEmpty(e.series_ticker) }, field), field);
      });
    });
    return out;
  }
  let markets: SavedKalshiMarketWire[];
  let prefix: string;
  if (isObject(body) && 'markets' in body) {
    markets = parseWire(savedKalshiMarketsBodySchema, body, ENDPOINT).markets;
    prefix = 'markets';
  } else if (Array.isArray(body)) {
    markets = parseWire(z.array(savedKalshiMarketSchema), body, ENDPOINT);
    prefix = '';
  } else {
    throw malformed(ENDPOINT, '', 'expected a GET /events body ({events:[…]}), a GET /markets body ({markets:[…]}) or an array of markets');
  }
  markets.forEach((m, j) => {
    if (isKalshiCombo(m)) return;
    const field = `${prefix}[${j}]`;
    push(savedMarket(m, { ticker: null, title: null, seriesTicker: null }, field), field);
  });
  return out;
}
