/** Orders (newest first, with the cursor) above fills (newest first). */
import { Box } from 'ink';
import type { FillView, OrderView } from '../../store/store.js';
import { Table, type Column } from '../components/table.js';
import { formatAmount, formatPrice, formatSize } from '../format/money.js';
import { shortenId } from '../format/text.js';
import { formatClock } from '../format/time.js';
import type { Theme, Tone } from '../theme.js';

function statusTone(status: string): Tone {
  if (status === 'filled') return 'good';
  if (status === 'rejected' || status === 'unknown' || status === 'failed') return 'danger';
  if (status === 'cancelled') return 'muted';
  return 'warn';
}

const SHORT_STATUS: Record<string, string> = { 'partially-filled': 'partial', cancelled: 'cancel' };

export function orderColumns(): Column<OrderView>[] {
  return [
    { id: 'time', header: 'Time', width: 8, cell: (o) => formatClock(o.createdAt) },
    { id: 'venue', header: 'V', width: 1, cell: (o) => (o.venue === 'kalshi' ? 'K' : 'P') },
    { id: 'market', header: 'Market', width: 'flex', cell: (o) => o.marketId },
    { id: 'side', header: 'Side', width: 4, cell: (o) => o.side.toUpperCase() },
    { id: 'size', header: 'Size', width: 6, align: 'right', cell: (o) => formatSize(o.size) },
    { id: 'limit', header: 'Limit', width: 6, align: 'right', cell: (o) => formatPrice(o.limitPrice) },
    { id: 'filled', header: 'Filled', width: 6, align: 'right', cell: (o) => formatSize(o.filled) },
    { id: 'avg', header: 'Avg', width: 6, align: 'right', cell: (o) => (o.avgFillPrice === null ? '' : formatPrice(o.avgFillPrice)) },
    { id: 'status', header: 'Status', width: 10, cell: (o) => `${SHORT_STATUS[o.status] ?? o.status}${o.paper ? '*' : ''}`, tone: (o) => statusTone(o.status) },
  ];
}

export function fillColumns(): Column<FillView>[] {
  return [
    { id: 'time', header: 'Fill time', width: 9, cell: (f) => formatClock(f.at) },
    { id: 'venue', header: 'V', width: 1, cell: (f) => (f.venue === 'kalshi' ? 'K' : 'P') },
    { id: 'market', header: 'Market', width: 'flex', cell: (f) => f.marketId },
    { id: 'side', header: 'Side', width: 4, cell: (f) => f.side.toUpperCase() },
    { id: 'size', header: 'Size', width: 6, align: 'right', cell: (f) => formatSize(f.size) },
    { id: 'price', header: 'Price', width: 6, align: 'right', cell: (f) => formatPrice(f.price) },
    { id: 'fee', header: 'Fee$', width: 6, align: 'right', cell: (f) => formatAmount(f.fee) },
    // a fill the venue voided after matching did not happen: said in place of its order
    { id: 'order', header: 'Order', width: 10, cell: (f) => (f.voided ? 'VOIDED' : shortenId(f.orderId, 10)), tone: (f) => (f.voided ? 'danger' : 'plain') },
  ];
}

export interface OrdersProps {
  readonly orders: readonly OrderView[];
  readonly fills: readonly FillView[];
  readonly top: number;
  readonly orderHeight: number;
  readonly fillHeight: number;
  readonly selectedKey: string | null;
  readonly theme: Theme;
  readonly filtered: boolean;
  readonly width: number;
}

export function OrdersScreen({ orders, fills, top, orderHeight, fillHeight, selectedKey, theme, filtered, width }: OrdersProps) {
  return (
    <Box flexDirection="column">
      <Table
        columns={orderColumns()}
        rows={orders.slice(top, top + orderHeight)}
        rowKey={(o) => o.id}
        selectedKey={selectedKey}
        height={orderHeight}
        theme={theme}
        width={width}
        empty={filtered ? 'No order matches the filter.' : 'No orders this session. * = paper.'}
      />
      <Table
        columns={fillColumns()}
        rows={fills.slice(0, fillHeight)}
        rowKey={(f) => `${f.venue}:${f.id}`}
        selectedKey={null}
        height={fillHeight}
        theme={theme}
        width={width}
        empty="No fills this session."
      />
    </Box>
  );
}
