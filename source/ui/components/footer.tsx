/**
 * The bottom line: the filter being typed, or the keys that matter here. Key
 * names come from the keymap, so a rebinding shows up here and in the help.
 */
import { Box, Text } from 'ink';
import { keyLabel } from '../input/key-name.js';
import { KEYMAP, type CommandId, type Scope } from '../input/keymap.js';
import type { Theme } from '../theme.js';

/** Footer hints in priority order (the line is cut at the terminal's width). */
const HINTS: ReadonlyArray<readonly [CommandId, string]> = [
  ['ticket.confirm', 'confirm'],
  ['ticket.cancel', 'cancel'],
  ['ticket.more', 'size+'],
  ['ticket.less', 'size−'],
  ['ticket.requote', 'requote'],
  ['confirm.yes', 'yes'],
  ['confirm.no', 'no'],
  ['message.close', 'close'],
  ['help.close', 'close'],
  ['help.down', 'scroll'],
  ['detail.close', 'close'],
  ['detail.down', 'scroll'],
  ['detail.approve', 'approve'],
  ['detail.reject', 'reject'],
  ['filter.accept', 'keep'],
  ['filter.clear', 'clear'],
  ['list.down', 'move'],
  ['opportunities.open', 'ticket'],
  ['pairs.open', 'details'],
  ['log.open', 'whole line'],
  ['opportunities.sort', 'sort'],
  ['pairs.approve', 'approve'],
  ['pairs.reject', 'reject'],
  ['app.help', 'help'],
  ['app.quit', 'quit'],
  // the kill switch before the conveniences: it must be in view at 80 columns (found in review)
  ['app.kill-switch', 'kill'],
  ['list.filter', 'filter'],
  ['app.pause', 'pause'],
  ['app.export', 'export'],
];

/** "↓/j move" style hints for the active scopes, most useful first. */
export function hintsFor(scopes: readonly Scope[], hidden: readonly CommandId[] = []): string[] {
  const out: string[] = [];
  for (const [id, hint] of HINTS) {
    if (hidden.includes(id)) continue;
    const b = KEYMAP.find((x) => x.id === id && scopes.includes(x.scope));
    if (!b || b.keys.length === 0) continue;
    out.push(`${b.keys.slice(0, 2).map(keyLabel).join('/')} ${hint}`);
  }
  return out;
}

export interface FooterProps {
  readonly scopes: readonly Scope[];
  /** Commands not offered now (e.g. y on a ticket that cannot be confirmed). */
  readonly hidden?: readonly CommandId[];
  readonly filter: { readonly text: string; readonly editing: boolean };
  readonly theme: Theme;
  /** The terminal's width: hints are shown whole while they fit, none cut in the middle. */
  readonly width?: number;
}

/** The hints that fit in `width` whole, in priority order, two spaces apart. */
export function fittingHints(hints: readonly string[], width: number): string {
  let line = '';
  for (const hint of hints) {
    const next = line === '' ? hint : `${line}  ${hint}`;
    if ([...next].length > width) break;
    line = next;
  }
  return line;
}

export function Footer({ scopes, hidden = [], filter, theme, width }: FooterProps) {
  if (filter.editing) {
    return (
      <Box height={1} flexShrink={0} overflow="hidden">
        <Text wrap="truncate-end">
          <Text bold {...theme.fg('accent')}>
            /
          </Text>
          {filter.text}
          <Text inverse> </Text>
          <Text {...theme.fg('muted')}>{'   Enter keep · Esc clear'}</Text>
        </Text>
      </Box>
    );
  }
  return (
    <Box height={1} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end" {...theme.fg('muted')}>
        {width === undefined ? hintsFor(scopes, hidden).join('  ') : fittingHints(hintsFor(scopes, hidden), width)}
      </Text>
    </Box>
  );
}
