/** The view tabs with their number keys, and the sort / filter in effect. */
import { Box, Text } from 'ink';
import { VIEWS, VIEW_TITLES, type ViewId } from '../state.js';
import type { Theme } from '../theme.js';

const SHORT: Record<ViewId, string> = {
  opportunities: 'Opps',
  pairs: 'Pairs',
  positions: 'Positions',
  orders: 'Orders',
  log: 'Log',
};

export interface TabsProps {
  readonly view: ViewId;
  readonly counts: Readonly<Record<ViewId, number>>;
  readonly right: string;
  readonly theme: Theme;
  readonly columns: number;
}

export function Tabs({ view, counts, right, theme, columns }: TabsProps) {
  const long = columns >= 110;
  return (
    <Box height={1} flexShrink={0} overflow="hidden">
      <Box flexGrow={1} flexShrink={1} overflow="hidden">
        <Text wrap="truncate-end">
          {VIEWS.map((v, i) => {
            const active = v === view;
            const label = `${i + 1} ${long ? VIEW_TITLES[v] : SHORT[v]} ${counts[v]}`;
            return (
              <Text key={v}>
                {i > 0 ? ' ' : ''}
                <Text bold={active} inverse={active} {...(active ? theme.fg('accent') : theme.fg('muted'))}>
                  {` ${label} `}
                </Text>
              </Text>
            );
          })}
        </Text>
      </Box>
      {right === '' ? null : (
        <Box flexShrink={0} marginLeft={1}>
          <Text {...theme.fg('muted')}>{right}</Text>
        </Box>
      )}
    </Box>
  );
}
