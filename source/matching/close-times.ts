/**
 * The close-time veto as numbers: whether two markets' game dates, close times
 * and deadlines are too far apart to be one contract (`compare.ts` says why in
 * words; this is the same decision, on four numbers per market, so that the
 * index can pass such candidates over without touching their documents).
 */

export const DAY_MS = 86_400_000;
/** A game date and the other venue's close time, or two close times: further apart than this is another contract (days). */
export const GAME_CLOSE_DAYS = 2;
export const CLOSE_VETO_DAYS = 14;

/** A market's dates as the veto reads them; NaN where the market does not say. */
export interface CloseFacts {
  /** the game's day (days since 1970-01-01) */
  readonly gameDay: number;
  /** close time (ms) */
  readonly close: number;
  /** whether the market states a deadline (with or without its year) */
  readonly hasDeadline: boolean;
  /** the end (ms, UTC) of the deadline's day, when the deadline states its year */
  readonly deadlineEnd: number;
}

/** The end (ms, UTC) of a day of `year`-`month`-`day`. */
export function endOfDayMs(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) + DAY_MS;
}

/**
 * Does the close-time veto reject the pair (Kalshi `k`, Polymarket `p`)? A game:
 * when both sides date it, the game dates decide (not here); one side's game date
 * against the other's close time (a Polymarket close more than 2 days before or 3
 * after a Kalshi game, a Kalshi close more than 2 days before a Polymarket game).
 * Otherwise: two close times more than 14 days apart when either states a
 * deadline; a deadline (with its year, on a market with no close time) more than
 * 14 days from the other side's close time when that side states none.
 */
export function closeVeto(k: CloseFacts, p: CloseFacts): boolean {
  const kGame = !Number.isNaN(k.gameDay);
  const pGame = !Number.isNaN(p.gameDay);
  const kClose = !Number.isNaN(k.close);
  const pClose = !Number.isNaN(p.close);
  if (kGame || pGame) {
    if (kGame && !pGame && pClose) {
      const days = (p.close - k.gameDay * DAY_MS) / DAY_MS;
      if (days < -GAME_CLOSE_DAYS || days > 1 + GAME_CLOSE_DAYS) return true;
    }
    if (pGame && !kGame && kClose) {
      const days = (k.close - p.gameDay * DAY_MS) / DAY_MS;
      if (days < -GAME_CLOSE_DAYS) return true;
    }
    return false;
  }
  if (kClose && pClose && Math.abs(k.close - p.close) / DAY_MS > CLOSE_VETO_DAYS && (k.hasDeadline || p.hasDeadline)) return true;
  if (!Number.isNaN(k.deadlineEnd) && !kClose && !p.hasDeadline && pClose && Math.abs((p.close - k.deadlineEnd) / DAY_MS) > CLOSE_VETO_DAYS) return true;
  if (!Number.isNaN(p.deadlineEnd) && !pClose && !k.hasDeadline && kClose && Math.abs((k.close - p.deadlineEnd) / DAY_MS) > CLOSE_VETO_DAYS) return true;
  return false;
}
