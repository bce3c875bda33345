/**
 * Two lines on top: mode (execute in the warning colour and inverse), update
 * age, counts and database file; then each venue's state with its reason and
 * next retry. A third line carries what must not be missed: the session
 * banner, the kill switch, pause, or the last notice.
 */
import { Box, Text } from 'ink';
import type { Snapshot } from '../../store/store.js';
import { describeVenue } from '../format/venue.js';
import { formatCount, shortenPath } from '../format/text.js';
import { formatClock, formatDuration } from '../format/time.js';
import type { Notice } from '../state.js';
import type { Theme } from '../theme.js';

export interface StatusBarProps {
  readonly snapshot: Snapshot;
  readonly theme: Theme;
  readonly columns: number;
}

function ModeBadge({ mode, theme }: { mode: Snapshot['session']['mode']; theme: Theme }) {
  if (mode === 'execute') {
    return (
      <Text bold inverse {...theme.fg('danger')}>
        {' EXECUTE '}
      </Text>
    );
  }
  return (
    <Text bold {...theme.fg(mode === 'paper' ? 'accent' : 'plain')}>
      {mode.toUpperCase()}
    </Text>
  );
}

function lastUpdate(s: Snapshot): number | null {
  let last: number | null = null;
  for (const v of Object.values(s.venues)) {
    if (v.lastUpdate !== null && (last === null || v.lastUpdate > last)) last = v.lastUpdate;
  }
  return last;
}

const VENUE_GAP = 3;

function venueText(v: { name: string; state: string; detail: string }): string {
  return `${v.name} ${v.state}${v.detail === '' ? '' : ` ${v.detail}`}`;
}

/**
 * Whole-character widths for items side by side: each gets what it needs when
 * all fit; otherwise the room is split evenly and what a short item does not
 * use goes to the long ones.
 */
export function shareWidth(needs: readonly number[], total: number, gap: number): number[] {
  const room = Math.max(0, total - gap * Math.max(0, needs.length - 1));
  const sum = needs.reduce((a, b) => a + b, 0);
  if (sum <= room) return [...needs];
  const widths = needs.map(() => 0);
  let left = room;
  let open = needs.map((_, i) => i);
  while (open.length > 0 && left > 0) {
    const share = Math.floor(left / open.length);
    const satisfied = open.filter((i) => (needs[i] ?? 0) - (widths[i] ?? 0) <= share);
    if (satisfied.length === 0) {
      let extra = left - share * open.length;
      for (const i of open) {
        widths[i] = (widths[i] ?? 0) + share + (extra > 0 ? 1 : 0);
        if (extra > 0) extra -= 1;
      }
      break;
    }
    for (const i of satisfied) {
      left -= (needs[i] ?? 0) - (widths[i] ?? 0);
      widths[i] = needs[i] ?? 0;
    }
    open = open.filter((i) => !satisfied.includes(i));
  }
  return widths;
}

export function StatusBar({ snapshot, theme, columns }: StatusBarProps) {
  const s = snapshot;
  const now = s.publishedAt;
  const last = lastUpdate(s);
  const approved = s.pairs.reduce((n, p) => n + (p.status === 'approved' ? 1 : 0), 0);
  const tradable = s.opportunities.reduce((n, o) => n + (o.tradable ? 1 : 0), 0);
  // The tabs carry the totals; the status bar says what is actionable.
  const counts = `${formatCount(approved)} approved · ${formatCount(tradable)} tradable`;
  const updated = last === null ? 'no data yet' : `upd ${formatDuration(now - last)} ago`;
  const wide = columns >= 100;
  const prefix = `${wide ? `arb-tui ${s.session.version} ` : ''}`;
  const fixed = prefix.length + s.session.mode.length + (s.session.mode === 'execute' ? 2 : 0) + (s.session.demo ? 5 : 0) + updated.length + counts.length + 12;
  const db = s.session.dbPath === null ? 'no database' : `db ${shortenPath(s.session.dbPath, Math.max(12, columns - fixed - 3))}`;
  const venues = (['kalshi', 'polymarket'] as const).map((id) => describeVenue(s.venues[id], now));
  const widths = shareWidth(
    venues.map((v) => venueText(v).length),
    columns,
    VENUE_GAP,
  );
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Box height={1} overflow="hidden">
        <Box flexShrink={0}>
          <Text>
            {prefix === '' ? null : <Text bold>{prefix}</Text>}
            <ModeBadge mode={s.session.mode} theme={theme} />
            {s.session.demo ? <Text bold {...theme.fg('accent')}> DEMO</Text> : null}
            <Text {...theme.fg('muted')}>{' │ '}</Text>
            <Text {...theme.fg(last === null ? 'muted' : 'plain')}>{updated}</Text>
            <Text {...theme.fg('muted')}>{' │ '}</Text>
            {counts}
            <Text {...theme.fg('muted')}>{' │ '}</Text>
          </Text>
        </Box>
        <Box flexShrink={1} flexGrow={1} overflow="hidden">
          <Text wrap="truncate-start">{db}</Text>
        </Box>
      </Box>
      <Box height={1} overflow="hidden" columnGap={VENUE_GAP}>
        {venues.map((v, i) => (
          <Box key={v.name} width={widths[i] ?? 1} flexShrink={0} overflow="hidden">
            <Text wrap="truncate-end">
              <Text bold>{v.name}</Text> <Text {...theme.fg(v.tone)} bold={v.tone === 'danger'} inverse={v.tone === 'danger' && !theme.color}>{v.state}</Text>
              {v.detail === '' ? '' : ` ${v.detail}`}
            </Text>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

export interface MessageLineProps {
  readonly snapshot: Snapshot;
  readonly notice: Notice | null;
  readonly theme: Theme;
}

/** Banner > kill switch > paused > notice; one line, always present so nothing below moves. */
export function MessageLine({ snapshot, notice, theme }: MessageLineProps) {
  const parts: Array<{ key: string; text: string; tone: 'danger' | 'warn' | 'plain' | 'muted'; strong: boolean }> = [];
  if (snapshot.session.banner !== null) parts.push({ key: 'banner', text: `! ${snapshot.session.banner}`, tone: 'danger', strong: true });
  if (snapshot.session.halted) parts.push({ key: 'halted', text: 'HALTED: no new trades (K)', tone: 'danger', strong: true });
  if (snapshot.paused) {
    const since = snapshot.pausedAt === null ? '' : ` at ${formatClock(snapshot.pausedAt)}`;
    parts.push({ key: 'paused', text: `PAUSED${since} (p)`, tone: 'warn', strong: true });
  }
  if (notice !== null) parts.push({ key: 'notice', text: notice.text, tone: notice.tone === 'error' ? 'danger' : notice.tone === 'warn' ? 'warn' : 'plain', strong: false });
  return (
    <Box height={1} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end">
        {parts.length === 0 ? ' ' : null}
        {parts.map((p, i) => (
          <Text key={p.key} {...theme.fg(p.tone)} bold={p.strong} inverse={p.strong && p.tone === 'danger'}>
            {i > 0 ? ' │ ' : ''}
            {p.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
