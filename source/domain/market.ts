/**
 * A market as arb-tui sees it, whatever the venue: one binary question with a
 * YES and a NO side, normalised from the venue's wire format by its parser.
 */
import type { Price, Size } from './money.js';
import type { FeeModel } from './fees.js';

export type VenueId = 'kalshi' | 'polymarket';

export const VENUE_IDS: readonly VenueId[] = ['kalshi', 'polymarket'];

export type MarketStatus = 'open' | 'paused' | 'closed' | 'settled' | 'unopened';

/** One band of valid prices: start ≤ price ≤ end, on multiples of step from start. */
export interface PriceRange {
  readonly start: Price;
  readonly end: Price;
  readonly step: Price;
}

export interface KalshiMarketRef {
  readonly venue: 'kalshi';
  readonly ticker: string;
  readonly eventTicker: string;
  readonly seriesTicker: string | null;
  readonly exchangeIndex: number | null;
}

export interface PolymarketMarketRef {
  readonly venue: 'polymarket';
  readonly conditionId: string;
  readonly gammaId: string | null;
  readonly eventId: string | null;
  readonly slug: string | null;
  /** token bought to hold the first outcome (what arb-tui calls YES) */
  readonly yesTokenId: string;
  /** token bought to hold the second outcome (NO) */
  readonly noTokenId: string;
  readonly negRisk: boolean;
  /** Gamma `version`: "v1" markets trade on CTF Exchange V2, "v2" on ExchangeV3. */
  readonly protocolVersion: 'v1' | 'v2';
}

export interface Market {
  readonly venue: VenueId;
  /** Kalshi ticker or Polymarket condition id: unique within the venue. */
  readonly id: string;
  readonly ref: KalshiMarketRef | PolymarketMarketRef;
  readonly eventId: string;
  readonly eventTitle: string;
  /** Kalshi market title / Polymarket question. */
  readonly title: string;
  /** Kalshi `yes_sub_title` / Polymarket `groupItemTitle`, when the venue gives one. */
  readonly subtitle: string | null;
  /** Label of the outcome YES pays on (Kalshi "Yes"/yes_sub_title, Polymarket outcomes[0]). */
  readonly yesLabel: string;
  readonly noLabel: string;
  /** ms since epoch, null when the venue did not say. */
  readonly closeTime: number | null;
  readonly rules: string | null;
  readonly status: MarketStatus;
  /** Valid limit prices. Empty when unknown (then nothing may be ordered). */
  readonly priceRanges: readonly PriceRange[];
  /** Smallest order size the venue accepts, in contracts. */
  readonly minOrderSize: Size;
  /** Size granularity, in contracts (Kalshi 0.01; Polymarket 0.01 shares). */
  readonly sizeIncrement: Size;
  readonly fee: FeeModel;
}

/** Is `price` a valid limit price for the grid? */
export function isOnPriceGrid(price: Price, ranges: readonly PriceRange[]): boolean {
  for (const r of ranges) {
    if (price >= r.start && price <= r.end && (price - r.start) % r.step === 0n) return true;
  }
  return false;
}

/**
 * Snap `price` onto the grid: `floor` gives the nearest valid price at or below,
 * `ceil` at or above. Returns null when no valid price lies in that direction.
 */
export function snapToPriceGrid(
  price: Price,
  ranges: readonly PriceRange[],
  direction: 'floor' | 'ceil',
): Price | null {
  let best: Price | null = null;
  for (const r of ranges) {
    let candidate: Price | null = null;
    if (direction === 'floor') {
      if (price < r.start) continue;
      const capped = price > r.end ? r.end : price;
      candidate = r.start + ((capped - r.start) / r.step) * r.step;
      if (best === null || candidate > best) best = candidate;
    } else {
      if (price > r.end) continue;
      if (price <= r.start) candidate = r.start;
      else {
        const k = (price - r.start + r.step - 1n) / r.step;
        candidate = r.start + k * r.step;
        if (candidate > r.end) continue;
      }
      if (best === null || candidate < best) best = candidate;
    }
  }
  return best;
}

/** The uniform grid of a Polymarket tick size: tick ≤ price ≤ 1 − tick. */
export function uniformGrid(tick: Price, one: Price): PriceRange[] {
  return [{ start: tick, end: one - tick, step: tick }];
}

/** A Kalshi ticker's part after its event ticker ("KXEPL1H-26MAY16NEWWHU-TIE" → "TIE"), else null. */
function tickerTail(m: Market): string | null {
  return m.venue === 'kalshi' && m.id.startsWith(`${m.eventId}-`) ? m.id.slice(m.eventId.length + 1) : null;
}

/**
 * The outcome a market is about when its title does not say it (a Kalshi title that is the
 * event's, the same for every outcome: "Newcastle vs West Ham: First Half Winner?"): its
 * subtitle ("Tie", "Newcastle"), else a Kalshi ticker's last part after the event ticker
 * ("…NEWWHU-TIE" → "TIE"); null when the title says it already.
 */
export function outcomeOf(m: Market): string | null {
  const sub = m.subtitle?.trim() ?? '';
  if (sub !== '') return m.title.includes(sub) ? null : sub;
  const suffix = tickerTail(m);
  if (suffix !== null) {
    return suffix !== '' && !m.title.toUpperCase().includes(suffix.toUpperCase()) ? suffix : null;
  }
  return null;
}

/**
 * A market's name for a list, most telling part first: the outcome when the title does not
 * say it, the event when the title does not contain it ("Palmeiras vs Cruzeiro" for "Will over
 * 1.5 goals be scored?", a title every game of a league shares), then the title. A column
 * too narrow cuts the end, so what tells rows apart stays in view.
 */
export function marketLabel(m: Market): string {
  const parts: string[] = [];
  const outcome = outcomeOf(m);
  if (outcome !== null) parts.push(outcome);
  const title = m.title.trim();
  const event = m.eventTitle.trim();
  const t = title.toLowerCase();
  const e = event.toLowerCase();
  if (e !== '' && e !== t && !t.includes(e)) parts.push(event);
  parts.push(title);
  return parts.join(' · ');
}

/**
 * A market's name where it stands alone (a position, a ticket's headline): `marketLabel`, and
 * the outcome said even when the title names it ("Lazio vs Inter Winner?" is the market of
 * Lazio and the market of Inter: "Lazio · Lazio vs Inter Winner?").
 */
export function explicitMarketLabel(m: Market): string {
  const label = marketLabel(m);
  if (outcomeOf(m) !== null) return label;
  const sub = m.subtitle?.trim() ?? '';
  // a ticker's last part names an outcome when it has letters ("LAZ", "TIE"), not a strike's index ("1")
  const suffix = tickerTail(m) ?? '';
  const which = sub !== '' ? sub : /[A-Za-z]/.test(suffix) ? suffix : '';
  return which === '' || label.startsWith(`${which} · `) ? label : `${which} · ${label}`;
}

/** A market's short name: its outcome when the title does not say it, then the title. */
export function shortMarketLabel(m: Market): string {
  const outcome = outcomeOf(m);
  const title = m.title.trim();
  return outcome === null ? title : `${outcome} · ${title}`;
}

/**
 * Names for the markets of one list: the short name where it tells the market apart from
 * the others listed, the full one (with its event, `marketLabel`) where two markets would
 * read the same ("Will over 1.5 goals be scored?" of two games). In a narrow column the
 * title then stays in view unless the event is what tells the rows apart.
 */
export function distinctLabels(markets: Iterable<Market>): Map<string, string> {
  const byShort = new Map<string, Set<string>>();
  const list = [...markets];
  for (const m of list) {
    const short = shortMarketLabel(m);
    let ids = byShort.get(short);
    if (ids === undefined) byShort.set(short, (ids = new Set()));
    ids.add(`${m.venue}|${m.id}`);
  }
  const out = new Map<string, string>();
  const byLabel = new Map<string, number>();
  for (const m of list) {
    const short = shortMarketLabel(m);
    const label = (byShort.get(short)?.size ?? 0) > 1 ? marketLabel(m) : short;
    out.set(`${m.venue}|${m.id}`, label);
    byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
  }
  // still the same (the outcome is in the title: "Lazio vs Inter Winner?" for Lazio and for
  // Inter): the outcome first, from the subtitle or the ticker
  for (const m of list) {
    const key = `${m.venue}|${m.id}`;
    const label = out.get(key) as string;
    if ((byLabel.get(label) ?? 0) < 2) continue;
    const which = m.subtitle?.trim() || (tickerTail(m) ?? m.id.slice(-6));
    out.set(key, `${which} · ${label}`);
  }
  return out;
}
