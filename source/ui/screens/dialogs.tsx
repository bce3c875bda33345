/** Small modals: the kill-switch confirmation, messages (export, monitor mode), and the too-small screen. */
import { Box, Text } from 'ink';
import { Panel } from '../components/panel.js';
import { MIN_COLUMNS, MIN_ROWS } from '../layout.js';
import type { Theme } from '../theme.js';

export function HaltConfirm({ halt, busy, error, height, theme }: { halt: boolean; busy: boolean; error: string | null; height: number; theme: Theme }) {
  return (
    <Panel title={halt ? 'Kill switch: halt trading?' : 'Kill switch: resume trading?'} height={height} tone="danger" theme={theme}>
      <Text wrap="wrap">
        {halt
          ? 'No new trade attempts will start until you resume. Orders already sent are not cancelled. The switch survives a restart.'
          : 'New trade attempts will be allowed again, within the risk limits.'}
      </Text>
      <Text> </Text>
      {error !== null ? <Text {...theme.fg('danger')} bold>{`Failed: ${error}`}</Text> : null}
      <Text bold>{busy ? 'Working…' : halt ? 'y halt   n / Esc keep trading' : 'y resume   n / Esc stay halted'}</Text>
    </Panel>
  );
}

export function MessageDialog({ title, lines, tone, busy, height, theme }: { title: string; lines: readonly string[]; tone: 'info' | 'warn' | 'error'; busy: boolean; height: number; theme: Theme }) {
  const body = Math.max(1, height - 4);
  // more lines than fit: the last row says how many are not shown, rather than cutting them silently
  const hidden = lines.length - (body - 1);
  const shown = lines.length > body ? [...lines.slice(0, body - 1), `… ${hidden} more line${hidden === 1 ? '' : 's'} not shown`] : lines;
  return (
    <Panel title={title} height={height} tone={tone === 'error' ? 'danger' : tone === 'warn' ? 'warn' : 'accent'} theme={theme}>
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {shown.map((l, i) => (
          <Text key={i} wrap="truncate-middle">
            {l}
          </Text>
        ))}
      </Box>
      <Text {...theme.fg('muted')}>{busy ? 'Working…' : 'Enter / Esc closes'}</Text>
    </Panel>
  );
}

export function TooSmall({ columns, rows, theme }: { columns: number; rows: number; theme: Theme }) {
  const frameRows = Math.max(1, rows - 1);
  return (
    <Box flexDirection="column" width={columns} height={frameRows} justifyContent="center" alignItems="center" overflow="hidden">
      <Text bold {...theme.fg('warn')} wrap="wrap">
        {`terminal too small (need ${MIN_COLUMNS}x${MIN_ROWS}, have ${columns}x${rows})`}
      </Text>
      {frameRows >= 3 ? <Text wrap="truncate-end">enlarge the window, or q to quit</Text> : null}
    </Box>
  );
}
