/** Pairs: candidates (awaiting a decision), approved and rejected, with a preview of the selected pair's reasons and warnings. */
import { Box, Text } from 'ink';
import { distinctLabels, marketLabel } from '../../domain/market.js';
import type { PairView } from '../../store/store.js';
import { Table, type Column } from '../components/table.js';
import { formatConfidence } from '../format/money.js';
import { PAIR_PREVIEW_LINES } from '../layout.js';
import type { Theme } from '../theme.js';

const STATUS: Record<PairView['status'], string> = { candidate: 'cand', approved: 'OK', rejected: 'rej' };

/** `labels`: the list's names of its markets (`distinctLabels`); each market's full name otherwise. */
export function pairColumns(labels?: ReadonlyMap<string, string>): Column<PairView>[] {
  const name = (m: PairView['kalshi']): string => labels?.get(`${m.venue}|${m.id}`) ?? marketLabel(m);
  return [
    {
      id: 'status',
      header: 'St',
      width: 4,
      cell: (p) => STATUS[p.status],
      tone: (p) => (p.status === 'approved' ? 'good' : p.status === 'rejected' ? 'muted' : 'warn'),
    },
    { id: 'conf', header: 'Conf', width: 4, align: 'right', cell: (p) => formatConfidence(p.confidence) },
    { id: 'rel', header: 'Rel', width: 4, cell: (p) => (p.relation === 'same' ? 'same' : 'inv') },
    { id: 'kalshi', header: 'Kalshi', width: 'flex', cell: (p) => name(p.kalshi) },
    { id: 'poly', header: 'Polymarket', width: 'flex', cell: (p) => name(p.polymarket) },
    { id: 'warn', header: '!', width: 2, align: 'right', cell: (p) => (p.warnings.length === 0 ? '' : String(p.warnings.length)), tone: () => 'warn' },
  ];
}

export interface PairsProps {
  readonly rows: readonly PairView[];
  readonly top: number;
  readonly height: number;
  readonly selected: PairView | null;
  readonly theme: Theme;
  readonly filtered: boolean;
  readonly width: number;
}

/** The list's names of its markets, by the rows listed (the same rows while the pairs and the filter stay). */
const LABELS = new WeakMap<readonly PairView[], ReadonlyMap<string, string>>();

function labelsOf(rows: readonly PairView[]): ReadonlyMap<string, string> {
  let labels = LABELS.get(rows);
  if (labels === undefined) {
    labels = new Map([...distinctLabels(rows.map((p) => p.kalshi)), ...distinctLabels(rows.map((p) => p.polymarket))]);
    LABELS.set(rows, labels);
  }
  return labels;
}

export function PairsScreen({ rows, top, height, selected, theme, filtered, width }: PairsProps) {
  const lines = PAIR_PREVIEW_LINES - 1;
  const items: Array<{ key: string; label: string; text: string; tone: 'warn' | 'plain' }> = [];
  if (selected) {
    for (const [i, w] of selected.warnings.entries()) items.push({ key: `w${i}`, label: 'warning', text: w, tone: 'warn' });
    for (const [i, r] of selected.reasons.entries()) items.push({ key: `r${i}`, label: 'reason', text: r, tone: 'plain' });
    if (items.length === 0) items.push({ key: 'none', label: 'reason', text: 'none given', tone: 'plain' });
  }
  const shown = items.slice(0, lines);
  const more = items.length - shown.length;
  return (
    <Box flexDirection="column">
      <Table
        columns={pairColumns(labelsOf(rows))}
        rows={rows.slice(top, top + height)}
        rowKey={(p) => p.key}
        selectedKey={selected?.key ?? null}
        faded={(p) => p.status === 'rejected'}
        height={height}
        theme={theme}
        width={width}
        empty={filtered ? 'No pair matches the filter.' : 'No pairs yet: the matcher has not proposed any.'}
      />
      <Box height={1} flexShrink={0} overflow="hidden">
        <Text wrap="truncate-end" {...theme.fg('muted')}>
          {selected
            ? `── ${selected.polymarketOutcome} on Polymarket pays when Kalshi YES does · Enter details · a approve · r reject ${'─'.repeat(80)}`
            : '─'.repeat(200)}
        </Text>
      </Box>
      <Box flexDirection="column" height={lines} flexShrink={0} overflow="hidden">
        {shown.map((it, i) => (
          <Text key={it.key} wrap="truncate-end">
            <Text {...theme.fg(it.tone)} bold={it.tone === 'warn'}>
              {it.label.padEnd(8)}
            </Text>
            {i === shown.length - 1 && more > 0 ? `${it.text} (+${more} more: Enter)` : it.text}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
