/** Log: engine events and errors, newest first. */
import { Box } from 'ink';
import { Table, type Column } from '../components/table.js';
import { formatClock } from '../format/time.js';
import type { LogRow } from '../rows.js';
import type { Theme } from '../theme.js';

export function logColumns(): Column<LogRow>[] {
  return [
    { id: 'time', header: 'Time UTC', width: 8, cell: (r) => formatClock(r.entry.at) },
    {
      id: 'level',
      header: 'Level',
      width: 5,
      cell: (r) => r.entry.level,
      tone: (r) => (r.entry.level === 'error' ? 'danger' : r.entry.level === 'warn' ? 'warn' : 'muted'),
    },
    { id: 'message', header: 'Message (newest first)', width: 'flex', cell: (r) => r.entry.message },
  ];
}

export interface LogProps {
  readonly rows: readonly LogRow[];
  readonly top: number;
  readonly height: number;
  readonly selectedKey: string | null;
  readonly theme: Theme;
  readonly filtered: boolean;
  readonly width: number;
}

export function LogScreen({ rows, top, height, selectedKey, theme, filtered, width }: LogProps) {
  return (
    <Box flexDirection="column">
      <Table
        columns={logColumns()}
        rows={rows.slice(top, top + height)}
        rowKey={(r) => r.key}
        selectedKey={selectedKey}
        height={height}
        theme={theme}
        width={width}
        empty={filtered ? 'No log line matches the filter.' : 'Nothing logged yet.'}
      />
    </Box>
  );
}
