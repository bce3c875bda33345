/**
 * A plain-text table for command output (not the TUI): fixed column widths,
 * cells truncated with an ellipsis, numbers right-aligned.
 */
export interface Column {
  readonly header: string;
  readonly width: number;
  readonly align?: 'left' | 'right';
}

export function truncate(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join('');
  return `${chars.slice(0, width - 1).join('')}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const t = truncate(text, width);
  const len = Array.from(t).length;
  const space = ' '.repeat(Math.max(0, width - len));
  return align === 'right' ? space + t : t + space;
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => pad(cells[i] ?? '', c.width, c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const out = [line(columns.map((c) => c.header)), line(columns.map((c) => '─'.repeat(c.width)))];
  for (const r of rows) out.push(line(r));
  return out.join('\n');
}
