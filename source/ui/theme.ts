/**
 * Colour, decided once per run from the environment and the terminal:
 * NO_COLOR (any non-empty value, no-color.org), TERM=dumb, a stream that is
 * not a TTY or reports no colours turn every colour off. Without colour the
 * views still mark state with words, bold, dim and inverse (attributes, not
 * colours), so nothing depends on colour alone.
 */
import type { Tone } from './format/venue.js';

export type { Tone };

export interface Theme {
  readonly color: boolean;
  /** Props to spread on a <Text>: a foreground colour for the tone, nothing without colour. */
  fg(tone: Tone): { color?: string };
}

const PALETTE: Record<Tone, string | null> = {
  good: 'green',
  warn: 'yellow',
  danger: 'red',
  muted: 'gray',
  accent: 'cyan',
  plain: null,
};

export interface ColorProbe {
  readonly isTTY?: boolean | undefined;
  hasColors?: ((count?: number) => boolean) | undefined;
}

export function colorSupported(env: NodeJS.ProcessEnv, stream: ColorProbe): boolean {
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (stream.isTTY !== true) return false;
  if (typeof stream.hasColors === 'function') return stream.hasColors(8);
  return true;
}

const none = {};

export function makeTheme(color: boolean): Theme {
  const cache = new Map<Tone, { color?: string }>();
  for (const tone of Object.keys(PALETTE) as Tone[]) {
    const c = PALETTE[tone];
    cache.set(tone, color && c !== null ? { color: c } : none);
  }
  return { color, fg: (tone) => cache.get(tone) ?? none };
}

export const MONO_THEME: Theme = makeTheme(false);
