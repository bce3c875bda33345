/**
 * A synthetic catalog as the app receives it: written out as the venues' responses
 * (Kalshi `GET /events?with_nested_markets=true` pages, Gamma `GET /events` pages),
 * sent through JSON text page by page, and read back by the venues' parsers
 * (the saved-body readers of `arb-tui match`, which accept responses without close
 * times; the Gamma one is the live parser's own code).
 *
 * Why: the generator builds every text by concatenation, and V8 keeps a concatenated
 * string as a tree of its parts until something hashes or scans it; the first Map
 * lookup or regular expression then copies it into one flat string, a copy that
 * lives as long as the market. A venue response holds flat strings from
 * `JSON.parse`, and an event's markets share its one title string. Matching the
 * generator's markets as made measured the matcher plus a copy of every text the
 * app never makes (about a tenth of a full match on 300,000 markets).
 *
 * The markets read back are checked against the generator's on every field the
 * matcher reads: a difference is an error, so the generator's truth still holds.
 */
import type { Market } from '../domain/market.js';
import { MATCHED_FIELDS } from '../matching/matcher.js';
import { parseSavedKalshi } from '../venues/kalshi/saved.js';
import { parseSavedPolymarket } from '../venues/polymarket/saved.js';
import type { SyntheticCatalog } from './matching.js';

/** Events per response page: Kalshi's `limit` maximum for events, a Gamma page of events. */
const KALSHI_EVENTS_PER_PAGE = 200;
const GAMMA_EVENTS_PER_PAGE = 100;

/** A market's identity and the fields the matcher reads. */
const COMPARED = ['venue', 'id', ...MATCHED_FIELDS] as const;

type Json = Record<string, unknown>;

function isoTime(ms: number | null): string | undefined {
  return ms === null ? undefined : new Date(ms).toISOString();
}

/** The markets of each event, in first-seen order of events and markets. */
function byEvent(markets: readonly Market[]): Market[][] {
  const events = new Map<string, Market[]>();
  for (const m of markets) {
    const list = events.get(m.eventId);
    if (list === undefined) events.set(m.eventId, [m]);
    else list.push(m);
  }
  return [...events.values()];
}

function kalshiEvent(markets: readonly Market[]): Json {
  const first = markets[0] as Market;
  return {
    event_ticker: first.eventId,
    title: first.eventTitle,
    markets: markets.map((m) => ({
      ticker: m.id,
      event_ticker: m.eventId,
      title: m.title,
      yes_sub_title: m.subtitle ?? undefined,
      close_time: isoTime(m.closeTime),
      rules_primary: m.rules ?? undefined,
      status: 'active',
    })),
  };
}

/** Token ids for the Gamma markets written (decimal, as the CLOB's are): the next one. */
let nextTokenId = 10n ** 20n;

function gammaEvent(markets: readonly Market[]): Json {
  const first = markets[0] as Market;
  return {
    id: first.eventId,
    title: first.eventTitle,
    markets: markets.map((m) => {
      const yes = String(nextTokenId++);
      const no = String(nextTokenId++);
      return {
        conditionId: m.id,
        question: m.title,
        groupItemTitle: m.subtitle ?? undefined,
        description: m.rules ?? undefined,
        endDate: isoTime(m.closeTime),
        outcomes: JSON.stringify([m.yesLabel, m.noLabel]),
        clobTokenIds: JSON.stringify([yes, no]),
      };
    }),
  };
}

/** `events` in pages of `perPage`, each written as JSON text and read back by `parse`. */
function throughPages(events: readonly Market[][], perPage: number, page: (events: Market[][]) => unknown, parse: (body: unknown) => Market[]): Market[] {
  const out: Market[] = [];
  for (let i = 0; i < events.length; i += perPage) {
    const body: unknown = JSON.parse(JSON.stringify(page(events.slice(i, i + perPage))));
    for (const m of parse(body)) out.push(m);
  }
  return out;
}

/** Throw unless `received` holds `made`'s markets, in order, equal on every field the matcher reads. */
function checkSame(made: readonly Market[], received: readonly Market[], venue: string): void {
  if (received.length !== made.length) throw new Error(`${venue}: ${made.length} markets written, ${received.length} read back`);
  for (let i = 0; i < made.length; i += 1) {
    const a = made[i] as Market;
    const b = received[i] as Market;
    for (const field of COMPARED) {
      if (!Object.is(a[field], b[field])) {
        throw new Error(`${venue} market ${a.id}: ${field} written ${JSON.stringify(a[field])}, read back ${JSON.stringify(b[field])}`);
      }
    }
  }
}

/** The catalog's markets as the venues' responses hold them once parsed (see the module comment). */
export function asReceived(catalog: SyntheticCatalog): SyntheticCatalog {
  const kalshiEvents = byEvent(catalog.kalshi);
  const polymarketEvents = byEvent(catalog.polymarket);
  const kalshi = throughPages(kalshiEvents, KALSHI_EVENTS_PER_PAGE, (events) => ({ events: events.map(kalshiEvent), cursor: '' }), parseSavedKalshi);
  const polymarket = throughPages(polymarketEvents, GAMMA_EVENTS_PER_PAGE, (events) => events.map(gammaEvent), parseSavedPolymarket);
  checkSame(kalshiEvents.flat(), kalshi, 'Kalshi');
  checkSame(polymarketEvents.flat(), polymarket, 'Polymarket');
  return { kalshi, polymarket, truth: catalog.truth };
}
