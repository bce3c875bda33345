/** The help overlay, generated from the keymap (so it cannot drift from what the keys do). */
import { Box, Text } from 'ink';
import { Panel } from '../components/panel.js';
import { keyLabel } from '../input/key-name.js';
import { KEYMAP, SCOPE_TITLES, type Binding, type Scope } from '../input/keymap.js';
import type { Theme } from '../theme.js';

export interface HelpLine {
  readonly key: string;
  readonly heading: boolean;
  readonly keys: string;
  readonly description: string;
}

const HIDDEN: readonly Scope[] = ['too-small'];

function keysOf(b: Binding): string {
  if (b.text === 'printable') return 'any key';
  if (b.text === 'size') return '0-9 .';
  return b.keys.map(keyLabel).join(' ');
}

/** Help content: a heading per scope, then one line per command. */
export function helpLines(keymap: readonly Binding[] = KEYMAP): HelpLine[] {
  const scopes: Scope[] = [];
  for (const b of keymap) if (!scopes.includes(b.scope) && !HIDDEN.includes(b.scope)) scopes.push(b.scope);
  const out: HelpLine[] = [];
  for (const scope of scopes) {
    out.push({ key: `h:${scope}`, heading: true, keys: SCOPE_TITLES[scope], description: '' });
    for (const b of keymap) {
      if (b.scope !== scope) continue;
      out.push({ key: `${scope}:${b.id}`, heading: false, keys: keysOf(b), description: b.description });
    }
  }
  return out;
}

export interface HelpProps {
  readonly height: number;
  readonly columns: number;
  readonly scroll: number;
  readonly theme: Theme;
}

/** Two columns of help when the terminal is wide enough; scrolls with j/k. */
export function HelpScreen({ height, columns, scroll, theme }: HelpProps) {
  const lines = helpLines();
  const body = Math.max(1, height - 3); // border (2) + title (1)
  const twoColumns = columns >= 80;
  const perColumn = twoColumns ? Math.ceil(lines.length / 2) : lines.length;
  const cols = twoColumns ? [lines.slice(0, perColumn), lines.slice(perColumn)] : [lines];
  const maxScroll = Math.max(0, perColumn - body);
  const start = Math.min(scroll, maxScroll);
  return (
    <Panel title={`Keys${maxScroll > 0 ? `  (j/k scroll ${start + 1}-${Math.min(perColumn, start + body)} of ${perColumn})` : ''}  · ? or Esc closes`} height={height} theme={theme}>
      <Box>
        {cols.map((col, ci) => (
          <Box key={ci} flexDirection="column" width={twoColumns ? '50%' : '100%'} paddingRight={1} overflow="hidden">
            {col.slice(start, start + body).map((l) =>
              l.heading ? (
                <Text key={l.key} bold underline wrap="truncate-end" {...theme.fg('accent')}>
                  {l.keys}
                </Text>
              ) : (
                <Text key={l.key} wrap="truncate-end">
                  {/* a key list longer than the column ("Esc Enter Space q") pushes its description along, never into it */}
                  <Text bold>{l.keys.length < 12 ? l.keys.padEnd(12) : `${l.keys} `}</Text>
                  {l.description}
                </Text>
              ),
            )}
          </Box>
        ))}
      </Box>
    </Panel>
  );
}
