/** Opportunities: open ones sorted by net profit or annualised return, closed ones fading in place. */
import { Box } from 'ink';
import { Table, type Column } from '../components/table.js';
import { formatAmount, formatPercent, formatPrice, formatSize } from '../format/money.js';
import { formatDuration } from '../format/time.js';
import { pairLabel, type OpportunityRow } from '../rows.js';
import { distinctLabels } from '../../domain/market.js';
import type { Snapshot } from '../../store/store.js';
import { formatCount } from '../format/text.js';
import type { Theme } from '../theme.js';

/** "Y/N": the side bought on Kalshi / on Polymarket. */
export function directionLabel(row: OpportunityRow): string {
  const [k, p] = row.opportunity.legs;
  return `${k.side === 'yes' ? 'Y' : 'N'}/${p.side === 'yes' ? 'Y' : 'N'}`;
}

/** Age of the older leg's quote at `now` (the snapshot's time). */
export function quoteAge(row: OpportunityRow, now: number): string {
  if (row.closedAt !== null) return 'gone';
  const o = row.opportunity;
  const age = Math.max(o.legs[0].quoteAgeMs, o.legs[1].quoteAgeMs) + Math.max(0, now - o.computedAt);
  return formatDuration(age);
}

/** `labels`: the list's names of its Kalshi markets (`distinctLabels`); each row's own full name otherwise. */
export function opportunityColumns(now: number, labels?: ReadonlyMap<string, string>): Column<OpportunityRow>[] {
  const name = (r: OpportunityRow): string => {
    const k = r.opportunity.legs[0].market;
    return labels?.get(`${k.venue}|${k.id}`) ?? pairLabel(r.opportunity);
  };
  return [
    { id: 'pair', header: 'Pair', width: 'flex', cell: name, tone: (r) => (r.opportunity.tradable ? 'plain' : 'muted') },
    { id: 'dir', header: 'K/P', width: 3, cell: directionLabel },
    { id: 'size', header: 'Size', width: 6, align: 'right', cell: (r) => formatSize(r.opportunity.size) },
    { id: 'kpx', header: 'K px', width: 6, align: 'right', cell: (r) => formatPrice(r.opportunity.legs[0].vwap) },
    { id: 'ppx', header: 'P px', width: 6, align: 'right', cell: (r) => formatPrice(r.opportunity.legs[1].vwap) },
    { id: 'fees', header: 'Fees$', width: 6, align: 'right', cell: (r) => formatAmount(r.opportunity.totalFees) },
    {
      id: 'net',
      header: 'Net$',
      width: 7,
      align: 'right',
      cell: (r) => formatAmount(r.opportunity.netProfit),
      tone: (r) => (r.opportunity.tradable ? 'good' : 'plain'),
    },
    { id: 'roi', header: 'ROI', width: 5, align: 'right', cell: (r) => formatPercent(r.opportunity.roi) },
    { id: 'ann', header: 'Ann.', width: 6, align: 'right', cell: (r) => formatPercent(r.opportunity.annualizedReturn) },
    {
      id: 'age',
      header: 'Age',
      width: 4,
      align: 'right',
      cell: (r) => quoteAge(r, now),
      tone: (r) => (r.opportunity.notTradable.includes('stale-quote') ? 'warn' : 'plain'),
    },
  ];
}

export interface OpportunitiesProps {
  readonly rows: readonly OpportunityRow[];
  readonly top: number;
  readonly height: number;
  readonly selectedKey: string | null;
  readonly now: number;
  readonly theme: Theme;
  readonly filtered: boolean;
  readonly width: number;
  /** What the list waits on when it is empty (see `emptyOpportunities`). */
  readonly empty?: string;
}

/**
 * Why there is no opportunity to show: the venues not answering yet, no pair found yet, or
 * none of the pairs watched crossing now (found in review: "pairs are being watched" was
 * said with no pair and both venues unreachable).
 */
export function emptyOpportunities(snapshot: Pick<Snapshot, 'venues' | 'pairs'>): string {
  const silent = (Object.entries(snapshot.venues) as Array<[string, { state: string }]>).filter(([, v]) => v.state !== 'live' && v.state !== 'stale').map(([name]) => name);
  if (silent.length > 0 && snapshot.pairs.length === 0) return `No prices yet: ${silent.join(' and ')} not answering (second line).`;
  if (snapshot.pairs.length === 0) return 'No pairs yet: nothing matched across the venues so far (2 Pairs).';
  const approved = snapshot.pairs.filter((p) => p.status === 'approved').length;
  return `No opportunities right now. ${formatCount(snapshot.pairs.length)} pair${snapshot.pairs.length === 1 ? '' : 's'} watched, ${formatCount(approved)} approved.`;
}

export function OpportunitiesScreen({ rows, top, height, selectedKey, now, theme, filtered, width, empty }: OpportunitiesProps) {
  return (
    <Box flexDirection="column">
      <Table
        columns={opportunityColumns(now, distinctLabels(rows.map((r) => r.opportunity.legs[0].market)))}
        rows={rows.slice(top, top + height)}
        rowKey={(r) => r.key}
        selectedKey={selectedKey}
        faded={(r) => r.closedAt !== null}
        height={height}
        theme={theme}
        width={width}
        empty={filtered ? 'No opportunity matches the filter.' : (empty ?? 'No opportunities right now.')}
      />
    </Box>
  );
}
