/**
 * Saved Polymarket samples -> Markets, for offline matching (`arb-tui match`).
 *
 * Accepts the body of a saved Gamma `GET /events` (array of events with nested
 * `markets`) or `GET /markets` (array of markets). Saved samples may keep only a few
 * fields (the May 2026 catalog keeps event `id`, `title` and market `conditionId`,
 * `question`). What an absent field becomes:
 * - `endDate`, `description`, `groupItemTitle`, `slug`, `id` -> closeTime, rules,
 *   subtitle, slug, gammaId are null;
 * - `outcomes` -> yesLabel "Yes" / noLabel "No" when the question is a yes/no question
 *   (rule in `isYesNoQuestion`: starts with an auxiliary verb such as "Will", or ends with
 *   "?" with no wh-word and no "or"/"vs." alternative in its last clause); otherwise both
 *   labels are "" (the outcome names are unknown);
 * - `clobTokenIds` / `positionIds` -> token ids "" : such a market CANNOT be booked or
 *   traded (`isBookable` is false; the venue never asks the CLOB for it);
 * - no fee fields -> fee `{kind: 'unknown', reason: 'saved sample: no fee data'}`; when the
 *   sample does carry Gamma `feeSchedule` / `feesEnabled` they are used as in live parsing;
 * - `orderPriceMinTickSize` -> no valid price (empty priceRanges); `orderMinSize` -> 0;
 * - `active` / `closed` / `acceptingOrders` -> status "open" (saved catalogs list markets
 *   that were open when saved).
 * A field that is present but malformed is a MalformedVenueError naming it
 * (e.g. `[3].markets[0].outcomes`), endpoint "saved sample".
 */
import type { Market } from '../../domain/market.js';
import { z } from 'zod';
import { gammaEventsPageSchema, gammaMarketsPageSchema } from './schemas.js';
import { isOpenEndedOther, malformed, marketsOfEvents, parseGammaMarket, parseWith, type ParseContext } from './parser.js';

export const SAVED_ENDPOINT = 'saved sample';
export const SAVED_NO_FEE_REASON = 'saved sample: no fee data';

function looksLikeEvent(item: unknown): boolean {
  return typeof item === 'object' && item !== null && 'markets' in item && !('conditionId' in item);
}

/** Parse a saved Gamma `/events` or `/markets` body. */
export function parseSavedPolymarket(body: unknown): Market[] {
  const ctx: ParseContext = { endpoint: SAVED_ENDPOINT, path: '' };
  const items = parseWith(z.array(z.unknown()), body, ctx);
  if (items.length === 0) return [];
  const eventShaped = looksLikeEvent(items[0]);
  items.forEach((item, i) => {
    if (looksLikeEvent(item) !== eventShaped) {
      throw malformed(ctx, `[${i}]`, eventShaped ? 'expected an event (with markets)' : 'expected a market (with conditionId)');
    }
  });
  if (eventShaped) {
    const events = parseWith(gammaEventsPageSchema, items, ctx);
    return marketsOfEvents(events, SAVED_ENDPOINT, undefined, SAVED_NO_FEE_REASON);
  }
  const markets = parseWith(gammaMarketsPageSchema, items, ctx);
  return markets.flatMap((m, i) =>
    isOpenEndedOther(m)
      ? []
      : [
          parseGammaMarket(m, {
            ctx: { endpoint: SAVED_ENDPOINT, path: `[${i}]` },
            event: null,
            fees: undefined,
            noFeeDataReason: SAVED_NO_FEE_REASON,
          }),
        ],
  );
}
