/**
 * A small table: one header line, then one line per visible row, fixed-width
 * columns and flexible ones that share what is left, cells truncated with "…".
 * No rules between rows (every line is content at 24 lines), stable React keys
 * from the rows' own keys, only the rows in the window rendered, and each row
 * one <Text> (coloured cells are nested spans), so Ink writes one string per
 * line instead of one clipped box per cell.
 */
import { Box, Text } from 'ink';
import { fit } from '../format/width.js';
import type { Theme, Tone } from '../theme.js';

export interface Column<R> {
  readonly id: string;
  readonly header: string;
  /** Characters, or 'flex' to share what is left. */
  readonly width: number | 'flex';
  readonly align?: 'left' | 'right';
  readonly cell: (row: R) => string;
  readonly tone?: (row: R) => Tone;
}

export interface TableProps<R> {
  readonly columns: readonly Column<R>[];
  /** The visible rows only. */
  readonly rows: readonly R[];
  readonly rowKey: (row: R) => string;
  readonly selectedKey: string | null;
  /** Rows drawn faded (e.g. an opportunity that just closed). */
  readonly faded?: (row: R) => boolean;
  /** Body lines: the table is always this tall so the layout below does not move. */
  readonly height: number;
  readonly theme: Theme;
  /** Shown in the first body line when there are no rows at all. */
  readonly empty?: string;
  /** Marker column shows the cursor. */
  readonly cursor?: boolean;
  /** Characters available: flexible columns share what the fixed ones leave, in whole characters. */
  readonly width: number;
}

/** Whole-character widths for every column, filling `width` exactly (with one space between columns). */
export function columnWidths(columns: readonly Column<unknown>[], width: number, cursor: boolean): number[] {
  const gaps = columns.length - 1 + (cursor ? 2 : 0);
  const fixed = columns.reduce((n, c) => n + (c.width === 'flex' ? 0 : c.width), 0);
  const flex = columns.filter((c) => c.width === 'flex').length;
  const left = Math.max(0, width - gaps - fixed);
  const each = flex === 0 ? 0 : Math.floor(left / flex);
  let extra = flex === 0 ? 0 : left - each * flex;
  return columns.map((c) => {
    if (c.width !== 'flex') return c.width;
    const w = each + (extra > 0 ? 1 : 0);
    if (extra > 0) extra -= 1;
    return Math.max(1, w);
  });
}

/** A row's text: plain cells as strings, coloured or highlighted cells as nested spans. */
function rowParts<R>(columns: readonly Column<R>[], widths: readonly number[], row: R, theme: Theme, selected: boolean, faded: boolean) {
  const parts: Array<string | ReturnType<typeof Text>> = [];
  let plain = '';
  columns.forEach((c, i) => {
    const text = fit(c.cell(row), widths[i] ?? 1, c.align ?? 'left');
    const tone: Tone = faded ? 'plain' : (c.tone?.(row) ?? 'plain');
    const highlight = selected && c.width === 'flex';
    const sep = i < columns.length - 1 ? ' ' : '';
    if (tone === 'plain' && !highlight) {
      plain += text + sep;
      return;
    }
    if (plain !== '') parts.push(plain);
    plain = sep;
    parts.push(
      <Text key={c.id} {...theme.fg(tone)} inverse={highlight}>
        {text}
      </Text>,
    );
  });
  if (plain !== '') parts.push(plain);
  return parts;
}

export function Table<R>(props: TableProps<R>) {
  const { columns, rows, rowKey, selectedKey, theme, height } = props;
  const cursor = props.cursor ?? true;
  const widths = columnWidths(columns as readonly Column<unknown>[], props.width, cursor);
  const filler = Math.max(0, height - Math.max(rows.length, 1));
  const header = columns.map((c, i) => fit(c.header, widths[i] ?? 1, c.align ?? 'left')).join(' ');
  return (
    <Box flexDirection="column" flexShrink={0}>
      <Text bold wrap="truncate-end">
        {cursor ? '  ' : ''}
        {header}
      </Text>
      {rows.length === 0 ? (
        <Text {...theme.fg('muted')} dimColor wrap="truncate-end">
          {`  ${props.empty ?? 'Nothing to show.'}`}
        </Text>
      ) : (
        rows.map((row) => {
          const key = rowKey(row);
          const selected = key === selectedKey;
          const faded = props.faded?.(row) ?? false;
          return (
            <Text key={key} wrap="truncate-end" bold={selected} dimColor={faded}>
              {cursor ? (selected ? '› ' : faded ? '× ' : '  ') : ''}
              {rowParts(columns, widths, row, theme, selected, faded)}
            </Text>
          );
        })
      )}
      {filler > 0 ? <Box height={filler} flexShrink={0} /> : null}
    </Box>
  );
}
