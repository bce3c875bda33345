/**
 * Display of ages, countdowns and times. Pure: the reference time is passed in.
 * Clock times are UTC so that what a server shows does not depend on its zone.
 */

/** An age or duration in ms: "0.4s", "12s", "4m", "3h", "2d". */
export function formatDuration(ms: number): string {
  const v = Math.max(0, ms);
  if (v < 10_000) return `${(Math.floor(v / 100) / 10).toFixed(1)}s`;
  if (v < 60_000) return `${Math.floor(v / 1000)}s`;
  if (v < 3_600_000) return `${Math.floor(v / 60_000)}m`;
  if (v < 86_400_000) return `${Math.floor(v / 3_600_000)}h`;
  return `${Math.floor(v / 86_400_000)}d`;
}

/** How long ago `at` was, seen from `now`; "never" when unknown. */
export function formatAgo(at: number | null, now: number): string {
  return at === null ? 'never' : `${formatDuration(now - at)} ago`;
}

/** A countdown to `at`: "in 4.0s", "now" once due; null when nothing is scheduled. */
export function formatIn(at: number | null, now: number): string | null {
  if (at === null) return null;
  return at <= now ? 'now' : `in ${formatDuration(at - now)}`;
}

function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}

/** "14:03:22" (UTC). */
export function formatClock(at: number): string {
  const d = new Date(at);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** "2026-06-17 18:00 UTC"; "unknown" when the venue did not say. */
export function formatDateTime(at: number | null): string {
  if (at === null) return 'unknown';
  const d = new Date(at);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} UTC`;
}
