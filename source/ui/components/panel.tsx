/** A bordered panel filling the content area: modals draw inside it. */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Theme, Tone } from '../theme.js';

export interface PanelProps {
  readonly title: string;
  readonly height: number;
  readonly tone?: Tone;
  readonly theme: Theme;
  readonly children: ReactNode;
}

export function Panel({ title, height, tone, theme, children }: PanelProps) {
  const fg = theme.fg(tone ?? 'accent');
  return (
    <Box flexDirection="column" height={height} flexShrink={0} borderStyle="round" {...(fg.color !== undefined ? { borderColor: fg.color } : {})} paddingX={1} overflow="hidden">
      <Box height={1} flexShrink={0} overflow="hidden">
        <Text bold wrap="truncate-end" {...fg}>
          {title}
        </Text>
      </Box>
      {children}
    </Box>
  );
}
