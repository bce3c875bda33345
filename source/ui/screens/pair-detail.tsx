/** A pair in full: both markets side by side (title, close time, rules), then reasons and warnings. */
import { Box, Text } from 'ink';
import type { Market } from '../../domain/market.js';
import type { PairView } from '../../store/store.js';
import { Panel } from '../components/panel.js';
import { formatConfidence } from '../format/money.js';
import { shortenId, wrapText } from '../format/text.js';
import { formatDateTime } from '../format/time.js';
import type { Theme, Tone } from '../theme.js';

export interface DetailLine {
  readonly left: string;
  /** null: a full-width line. */
  readonly right: string | null;
  readonly tone: Tone;
  readonly bold: boolean;
}

function marketLines(m: Market, width: number): string[] {
  const out: string[] = [];
  out.push(...wrapText(m.title, width));
  if (m.subtitle !== null && m.subtitle !== '') out.push(...wrapText(`(${m.subtitle})`, width));
  out.push(`id ${shortenId(m.id, Math.max(5, width - 3))}`);
  out.push(...wrapText(`event ${m.eventTitle}`, width));
  out.push(`closes ${formatDateTime(m.closeTime)}`);
  out.push(`status ${m.status} · YES=${m.yesLabel} NO=${m.noLabel}`.slice(0, Math.max(0, width)));
  out.push('');
  out.push('Rules:');
  out.push(...wrapText(m.rules ?? '(the venue gave no rules text)', width));
  return out;
}

/** Every line of the detail view at a content width; the view scrolls through these. */
export function detailLines(pair: PairView, width: number): DetailLine[] {
  const half = Math.max(10, Math.floor((width - 3) / 2));
  const lines: DetailLine[] = [];
  lines.push({
    left: `${pair.status.toUpperCase()} · confidence ${formatConfidence(pair.confidence)} · ${pair.relation} · Polymarket "${pair.polymarketOutcome}" pays when Kalshi YES does`,
    right: null,
    tone: pair.status === 'approved' ? 'good' : pair.status === 'rejected' ? 'muted' : 'warn',
    bold: true,
  });
  for (const w of pair.warnings) for (const l of wrapText(`⚠ ${w}`, width)) lines.push({ left: l, right: null, tone: 'warn', bold: true });
  lines.push({ left: 'KALSHI', right: 'POLYMARKET', tone: 'accent', bold: true });
  const k = marketLines(pair.kalshi, half);
  const p = marketLines(pair.polymarket, half);
  for (let i = 0; i < Math.max(k.length, p.length); i += 1) {
    lines.push({ left: k[i] ?? '', right: p[i] ?? '', tone: 'plain', bold: false });
  }
  lines.push({ left: '', right: null, tone: 'plain', bold: false });
  lines.push({ left: 'Why the matcher paired them:', right: null, tone: 'accent', bold: true });
  if (pair.reasons.length === 0) lines.push({ left: '(no reasons recorded)', right: null, tone: 'muted', bold: false });
  for (const r of pair.reasons) for (const l of wrapText(`• ${r}`, width)) lines.push({ left: l, right: null, tone: 'plain', bold: false });
  return lines;
}

export interface PairDetailProps {
  readonly pair: PairView | null;
  readonly height: number;
  readonly columns: number;
  readonly scroll: number;
  readonly theme: Theme;
}

export function PairDetailScreen({ pair, height, columns, scroll, theme }: PairDetailProps) {
  const width = Math.max(20, columns - 4); // border + padding
  const body = Math.max(1, height - 3);
  if (pair === null) {
    return (
      <Panel title="Pair" height={height} theme={theme}>
        <Text>This pair is no longer listed. Esc closes.</Text>
      </Panel>
    );
  }
  const lines = detailLines(pair, width);
  const maxScroll = Math.max(0, lines.length - body);
  const start = Math.min(scroll, maxScroll);
  const half = Math.max(10, Math.floor((width - 3) / 2));
  return (
    <Panel
      title={`Pair ${pair.key}${maxScroll > 0 ? `  (j/k ${start + 1}-${Math.min(lines.length, start + body)}/${lines.length})` : ''} · a approve · r reject · Esc`}
      height={height}
      theme={theme}
    >
      {lines.slice(start, start + body).map((l, i) =>
        l.right === null ? (
          <Text key={start + i} wrap="truncate-end" bold={l.bold} {...theme.fg(l.tone)}>
            {l.left === '' ? ' ' : l.left}
          </Text>
        ) : (
          <Box key={start + i} columnGap={3}>
            <Box width={half} flexShrink={0} overflow="hidden">
              <Text wrap="truncate-end" bold={l.bold} {...theme.fg(l.tone)}>
                {l.left === '' ? ' ' : l.left}
              </Text>
            </Box>
            <Box width={half} flexShrink={0} overflow="hidden">
              <Text wrap="truncate-end" bold={l.bold} {...theme.fg(l.tone)}>
                {l.right === '' ? ' ' : l.right}
              </Text>
            </Box>
          </Box>
        ),
      )}
    </Panel>
  );
}
