/** One venue's state in words for the status bar. Pure. */
import type { VenueStatus } from '../../store/store.js';
import { formatCount } from './text.js';
import { formatDuration, formatIn } from './time.js';

export type Tone = 'good' | 'warn' | 'danger' | 'muted' | 'accent' | 'plain';

export interface VenueLine {
  /** "kalshi" */
  readonly name: string;
  /** "live", "stale 14s", "unreachable" … */
  readonly state: string;
  readonly tone: Tone;
  /** Reason, retry, age, markets: "ECONNREFUSED · retry in 4.0s". */
  readonly detail: string;
}

export function describeVenue(v: VenueStatus, now: number): VenueLine {
  const age = v.lastUpdate === null ? null : formatDuration(now - v.lastUpdate);
  const retry = formatIn(v.nextRetryAt, now);
  const parts: string[] = [];
  let state: string = v.state;
  let tone: Tone;
  switch (v.state) {
    case 'live':
      tone = 'good';
      if (age !== null) parts.push(age);
      break;
    case 'stale':
      tone = 'warn';
      state = age === null ? 'stale' : `stale ${age}`;
      break;
    case 'rate-limited':
      tone = 'warn';
      break;
    case 'unreachable':
    case 'error':
      tone = 'danger';
      break;
    case 'connecting':
      tone = 'muted';
      break;
    case 'paused':
      tone = 'warn';
      break;
  }
  if (v.state !== 'live' && v.detail !== null && v.detail !== '') parts.push(v.detail);
  if (retry !== null && v.state !== 'live') parts.push(`retry ${retry}`);
  if (v.state === 'live' && v.marketCount > 0) parts.push(`${formatCount(v.marketCount)} mkts`);
  return { name: v.venue, state, tone, detail: parts.join(' · ') };
}
