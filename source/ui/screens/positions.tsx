/** Positions & P&L: each holding with cost, mark and P&L, and the totals. */
import { Box, Text } from 'ink';
import type { PositionView } from '../../store/store.js';
import { Table, type Column } from '../components/table.js';
import { formatAmount, formatAvgPrice, formatPnl, formatSize } from '../format/money.js';
import { positionKey, type PnlTotals } from '../rows.js';
import type { Theme } from '../theme.js';

function unrealised(p: PositionView): bigint | null {
  return p.markValue === null ? null : p.markValue - p.cost;
}

const pnlTone = (v: bigint | null) => (v === null ? 'muted' : v > 0n ? 'good' : v < 0n ? 'danger' : 'plain') as 'muted' | 'good' | 'danger' | 'plain';

/**
 * Each position's name in the list: its short name (outcome, title) where no other position
 * of its venue reads the same, else its full name with the event (two games' "Will over 1.5
 * goals be scored?"): in a narrow column the part that tells them apart stays in view.
 */
export function positionNames(rows: readonly PositionView[]): (p: PositionView) => string {
  const count = new Map<string, Set<string>>();
  for (const p of rows) {
    const key = `${p.venue}|${p.shortTitle}`;
    let ids = count.get(key);
    if (ids === undefined) count.set(key, (ids = new Set()));
    ids.add(p.marketId);
  }
  return (p) => ((count.get(`${p.venue}|${p.shortTitle}`)?.size ?? 0) > 1 ? p.title : p.shortTitle);
}

export function positionColumns(name: (p: PositionView) => string = (p) => p.title): Column<PositionView>[] {
  return [
    { id: 'venue', header: 'Venue', width: 5, cell: (p) => (p.venue === 'kalshi' ? 'K' : 'P') + (p.pairKey === null ? '' : ' ⇄') },
    { id: 'market', header: 'Market', width: 'flex', cell: name },
    { id: 'side', header: 'Side', width: 4, cell: (p) => p.side.toUpperCase() },
    { id: 'size', header: 'Size', width: 6, align: 'right', cell: (p) => formatSize(p.size) },
    { id: 'avg', header: 'Avg', width: 6, align: 'right', cell: (p) => formatAvgPrice(p.avgPrice) },
    { id: 'cost', header: 'Cost$', width: 8, align: 'right', cell: (p) => formatAmount(p.cost) },
    { id: 'mark', header: 'Mark$', width: 8, align: 'right', cell: (p) => (p.markValue === null ? 'n/a' : formatAmount(p.markValue)) },
    {
      id: 'upnl',
      header: 'Unreal.',
      width: 8,
      align: 'right',
      cell: (p) => {
        const u = unrealised(p);
        return u === null ? 'n/a' : formatPnl(u).replace('$', '');
      },
      tone: (p) => pnlTone(unrealised(p)),
    },
    { id: 'rpnl', header: 'Real.', width: 7, align: 'right', cell: (p) => formatPnl(p.realisedPnl).replace('$', ''), tone: (p) => pnlTone(p.realisedPnl) },
  ];
}

export interface PositionsProps {
  readonly rows: readonly PositionView[];
  readonly top: number;
  readonly height: number;
  readonly selectedKey: string | null;
  readonly totals: PnlTotals;
  readonly theme: Theme;
  readonly filtered: boolean;
  readonly width: number;
}

export function PositionsScreen({ rows, top, height, selectedKey, totals, theme, filtered, width }: PositionsProps) {
  return (
    <Box flexDirection="column">
      <Table
        columns={positionColumns(positionNames(rows))}
        rows={rows.slice(top, top + height)}
        rowKey={positionKey}
        selectedKey={selectedKey}
        height={height}
        theme={theme}
        width={width}
        empty={filtered ? 'No position matches the filter.' : 'No positions. ⇄ marks a leg of an arbitrage pair.'}
      />
      <Box height={1} flexShrink={0} overflow="hidden">
        <Text {...theme.fg('muted')}>{'─'.repeat(300)}</Text>
      </Box>
      <Box height={1} flexShrink={0} overflow="hidden">
        <Text wrap="truncate-end">
          <Text bold>Total </Text>
          {`cost ${formatAmount(totals.cost)} · mark ${formatAmount(totals.markValue)} · `}
          <Text {...theme.fg(pnlTone(totals.unrealised))}>{`unrealised ${formatPnl(totals.unrealised)}`}</Text>
          {' · '}
          <Text {...theme.fg(pnlTone(totals.realised))}>{`realised ${formatPnl(totals.realised)}`}</Text>
          {totals.unmarked > 0 ? ` · ${totals.unmarked} unmarked` : ''}
        </Text>
      </Box>
    </Box>
  );
}
