import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, SCALE } from '../../../source/domain/money.js';
import type { VenueStatus } from '../../../source/store/store.js';
import {
  formatAmount,
  formatConfidence,
  formatMoney,
  formatPercent,
  formatPnl,
  formatAvgPrice,
  formatPrice,
  formatSize,
} from '../../../source/ui/format/money.js';
import { formatCount, matchesFilter, shortenId, shortenPath, wrapText } from '../../../source/ui/format/text.js';
import { formatAgo, formatClock, formatDateTime, formatDuration, formatIn } from '../../../source/ui/format/time.js';
import { describeVenue } from '../../../source/ui/format/venue.js';

const d = (s: string) => parseDecimal(s);

describe('money formatting', () => {
  it('prices keep at least 2 and at most the 6 decimals they carry', () => {
    expect(formatPrice(d('0.41'))).toBe('0.41');
    expect(formatPrice(d('0.4'))).toBe('0.40');
    expect(formatPrice(d('0.415'))).toBe('0.415');
    expect(formatPrice(d('0.000001'))).toBe('0.000001');
  });

  it('an average price fits its column: at most 4 decimals, at least 2 (found in review: 0.200833 showed as "0.200…")', () => {
    expect(formatAvgPrice(d('0.200833'))).toBe('0.2008');
    expect(formatAvgPrice(d('0.755'))).toBe('0.755');
    expect(formatAvgPrice(d('0.5'))).toBe('0.50');
    expect(formatAvgPrice(d('0.99995'))).toBe('1.00');
    expect(formatAvgPrice(d('0.00005'))).toBe('0.00');
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: SCALE }), (p) => formatAvgPrice(p).length <= 6));
  });

  it('prices round-trip exactly through parseDecimal', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: SCALE }), (p) => {
        expect(parseDecimal(formatPrice(p))).toBe(p);
      }),
    );
  });

  it('sizes: whole contracts grouped, fractions at 2 dp rounded down', () => {
    expect(formatSize(d('1250'))).toBe('1,250');
    expect(formatSize(d('12.5'))).toBe('12.50');
    expect(formatSize(d('0.019'))).toBe('0.01');
    expect(formatSize(d('1234567.25'))).toBe('1,234,567.25');
  });

  it('sizes never show more than was asked for', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (s) => {
        const shown = parseDecimal(formatSize(s).replaceAll(',', ''));
        expect(shown <= s).toBe(true);
        expect(s - shown < SCALE / 100n).toBe(true);
      }),
    );
  });

  it('money with and without the sign, grouped, 2 dp half-even', () => {
    expect(formatMoney(d('1234.565'))).toBe('$1,234.56');
    expect(formatMoney(d('-0.125'))).toBe('-$0.12');
    expect(formatMoney(d('7.5'), 4)).toBe('$7.5000');
    expect(formatAmount(d('-1234.5'))).toBe('-1,234.50');
    expect(formatPnl(d('7.57'))).toBe('+$7.57');
    expect(formatPnl(d('-1.2'))).toBe('-$1.20');
    expect(formatPnl(d('0.001'))).toBe('$0.00');
    expect(formatPnl(0n)).toBe('$0.00');
  });

  it('percentages: one decimal below 100 %, none above, k above 1000 %, n/a when unknown', () => {
    expect(formatPercent(d('0.0321'))).toBe('3.2%');
    expect(formatPercent(d('0.045'))).toBe('4.5%');
    expect(formatPercent(d('1.456'))).toBe('146%');
    expect(formatPercent(d('14.6'))).toBe('1.5k%');
    expect(formatPercent(d('14.5'))).toBe('1.4k%'); // half-even
    expect(formatPercent(d('456.7'))).toBe('46k%');
    expect(formatPercent(d('123456'))).toBe('>999k%');
    expect(formatPercent(d('-0.05'))).toBe('-5.0%');
    expect(formatPercent(null)).toBe('n/a');
  });

  it('percentages fit a 6-character column for any ratio', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (r) => {
        expect(formatPercent(r).length).toBeLessThanOrEqual(6);
      }),
    );
  });

  it('confidence as a whole percentage rounded down', () => {
    expect(formatConfidence(d('0.979999'))).toBe('97%');
    expect(formatConfidence(d('1'))).toBe('100%');
    expect(formatConfidence(0n)).toBe('0%');
  });
});

describe('time formatting', () => {
  it('durations step from tenths of seconds to days', () => {
    expect(formatDuration(0)).toBe('0.0s');
    expect(formatDuration(449)).toBe('0.4s');
    expect(formatDuration(9_999)).toBe('9.9s');
    expect(formatDuration(12_300)).toBe('12s');
    expect(formatDuration(4 * 60_000 + 5)).toBe('4m');
    expect(formatDuration(3 * 3_600_000)).toBe('3h');
    expect(formatDuration(2 * 86_400_000)).toBe('2d');
    expect(formatDuration(-5)).toBe('0.0s');
  });

  it('ago and countdowns are relative to the time passed in', () => {
    expect(formatAgo(null, 1_000)).toBe('never');
    expect(formatAgo(500, 1_000)).toBe('0.5s ago');
    expect(formatIn(null, 0)).toBeNull();
    expect(formatIn(5_000, 1_000)).toBe('in 4.0s');
    expect(formatIn(1_000, 1_000)).toBe('now');
  });

  it('clock times and dates are UTC', () => {
    const at = Date.UTC(2026, 5, 17, 8, 4, 9);
    expect(formatClock(at)).toBe('08:04:09');
    expect(formatDateTime(at)).toBe('2026-06-17 08:04 UTC');
    expect(formatDateTime(null)).toBe('unknown');
  });
});

describe('text helpers', () => {
  it('shortens paths from the left, keeping whole trailing parts', () => {
    expect(shortenPath('/a/b/c.db', 20)).toBe('/a/b/c.db');
    expect(shortenPath('/home/me/.local/share/arb/session.sqlite', 24)).toBe('…/share/arb/session.sqlite'.length <= 24 ? '…/share/arb/session.sqlite' : '…/arb/session.sqlite');
    expect(shortenPath('/x/a-very-long-file-name.sqlite', 12)).toHaveLength(12);
  });

  it('shortened paths and ids never exceed the width', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.integer({ min: 1, max: 40 }), (s, w) => {
        expect(shortenPath(s, w).length).toBeLessThanOrEqual(Math.max(w, 0));
        expect(shortenId(s, w).length).toBeLessThanOrEqual(w);
      }),
    );
  });

  it('ids are shortened in the middle', () => {
    expect(shortenId('0x3f2a000000000091bc', 11)).toBe('0x3f2…091bc');
    expect(shortenId('short', 11)).toBe('short');
  });

  it('counts are grouped', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12)).toBe('12');
  });

  it('filters match every word in any order, ignoring case', () => {
    expect(matchesFilter('Fed cuts rates in June', 'june FED')).toBe(true);
    expect(matchesFilter('Fed cuts rates in June', 'july')).toBe(false);
    expect(matchesFilter('anything', '  ')).toBe(true);
  });

  it('wraps at spaces and breaks words longer than the width', () => {
    expect(wrapText('the quick brown fox', 9)).toEqual(['the quick', 'brown fox']);
    expect(wrapText('0x0123456789abcdef', 8)).toEqual(['0x012345', '6789abcd', 'ef']);
    expect(wrapText('a\nb', 10)).toEqual(['a', 'b']);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 1, max: 30 }), (s, w) => {
        for (const line of wrapText(s, w)) expect(line.length).toBeLessThanOrEqual(w);
      }),
    );
  });
});

describe('venue status', () => {
  const base: VenueStatus = { venue: 'kalshi', state: 'live', lastUpdate: 9_700, detail: null, nextRetryAt: null, marketCount: 1240, traffic: null };

  it('live shows the age and market count', () => {
    expect(describeVenue(base, 10_000)).toEqual({ name: 'kalshi', state: 'live', tone: 'good', detail: '0.3s · 1,240 mkts' });
  });

  it('unreachable shows the reason and the next retry', () => {
    const v = describeVenue({ ...base, state: 'unreachable', detail: 'ECONNREFUSED', nextRetryAt: 14_000 }, 10_000);
    expect(v).toEqual({ name: 'kalshi', state: 'unreachable', tone: 'danger', detail: 'ECONNREFUSED · retry in 4.0s' });
    const bad = describeVenue({ ...base, state: 'error', detail: 'kalshi GET /events: events[0].ticker: required', nextRetryAt: 14_000 }, 10_000);
    expect(bad).toEqual({ name: 'kalshi', state: 'error', tone: 'danger', detail: 'kalshi GET /events: events[0].ticker: required · retry in 4.0s' });
  });

  it('stale shows how stale; rate-limited warns with its retry', () => {
    expect(describeVenue({ ...base, state: 'stale', lastUpdate: 0 }, 14_000).state).toBe('stale 14s');
    const r = describeVenue({ ...base, state: 'rate-limited', detail: 'HTTP 429', nextRetryAt: 12_000 }, 10_000);
    expect(r.tone).toBe('warn');
    expect(r.detail).toBe('HTTP 429 · retry in 2.0s');
  });

  it('connecting before any data is muted', () => {
    expect(describeVenue({ ...base, state: 'connecting', lastUpdate: null, marketCount: 0 }, 0)).toEqual({
      name: 'kalshi',
      state: 'connecting',
      tone: 'muted',
      detail: '',
    });
  });
});
