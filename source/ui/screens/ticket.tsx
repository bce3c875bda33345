/**
 * The trade ticket: the exact quote being confirmed, both legs in full, and
 * what the engine said (requote: what moved; refusal: why).
 */
import { Box, Text } from 'ink';
import type { TicketQuote } from '../../app/actions.js';
import { describeNotTradable, type OpportunityLeg } from '../../engine/detector.js';
import type { SessionInfo } from '../../store/store.js';
import { Panel } from '../components/panel.js';
import { formatConfidence, formatMoney, formatPercent, formatPnl, formatPrice, formatSize } from '../format/money.js';
import { shortenId, wrapText } from '../format/text.js';
import { formatClock, formatDateTime, formatDuration } from '../format/time.js';
import { pairLabel } from '../rows.js';
import type { TicketState } from '../state.js';
import type { Theme, Tone } from '../theme.js';

export interface TicketLine {
  readonly key: string;
  readonly text: string;
  readonly tone: Tone;
  readonly bold?: boolean;
}

/** What changed between the quote confirmed and the new one. */
export function quoteChanges(before: TicketQuote, after: TicketQuote): string[] {
  const a = before.opportunity;
  const b = after.opportunity;
  const out: string[] = [];
  if (before.size !== after.size) out.push(`size ${formatSize(before.size)} → ${formatSize(after.size)}`);
  for (const i of [0, 1] as const) {
    const x = a.legs[i];
    const y = b.legs[i];
    if (x.vwap !== y.vwap) out.push(`${x.venue} VWAP ${formatPrice(x.vwap)} → ${formatPrice(y.vwap)}`);
    if (x.worstPrice !== y.worstPrice) out.push(`${x.venue} worst ${formatPrice(x.worstPrice)} → ${formatPrice(y.worstPrice)}`);
  }
  if (a.totalFees !== b.totalFees) out.push(`fees ${formatMoney(a.totalFees)} → ${formatMoney(b.totalFees)}`);
  if (a.netProfit !== b.netProfit) out.push(`net ${formatPnl(a.netProfit)} → ${formatPnl(b.netProfit)}`);
  if (out.length === 0) out.push('figures unchanged, books refreshed');
  return out;
}

const LEG_WIDTHS = [3, 11, 22, 4, 6, 6, 6, 8] as const;

function row(cells: readonly string[]): string {
  return cells
    .map((c, i) => {
      const w = LEG_WIDTHS[i] ?? 8;
      const text = c.length > w ? `${c.slice(0, w - 1)}…` : c;
      return i >= 4 ? text.padStart(w) : text.padEnd(w);
    })
    .join(' ');
}

function legRow(n: number, leg: OpportunityLeg): string {
  return row([
    String(n),
    leg.venue,
    shortenId(leg.market.id, 22),
    leg.side.toUpperCase(),
    formatSize(leg.size),
    formatPrice(leg.vwap),
    formatPrice(leg.worstPrice),
    formatMoney(leg.fee),
  ]);
}

/** The ticket's lines, for the quote shown at `now` (the snapshot's time). */
export function ticketLines(ticket: TicketState, now: number, session: SessionInfo, width = 76): TicketLine[] {
  const lines: TicketLine[] = [];
  // what the person must read before pressing y is wrapped, never cut at the panel's edge
  const wrapped = (key: string, text: string, tone: Tone, bold = false): void => {
    for (const [i, part] of wrapText(text, width).entries()) lines.push({ key: i === 0 ? key : `${key}.${i}`, text: part, tone, bold });
  };
  const q = ticket.quote;
  if (q === null) {
    lines.push({ key: 'none', text: `No quote at this size: ${ticket.unavailable ?? 'unavailable'}`, tone: 'warn', bold: true });
  } else {
    const o = q.opportunity;
    lines.push({ key: 'title', text: `${pairLabel(o)}  ·  confidence ${formatConfidence(o.confidence)}`, tone: 'plain', bold: true });
    // both venues' own words: the trader checks both legs are the same question
    const k = o.legs[0].market;
    if (k.eventTitle !== '' && k.eventTitle !== k.title) lines.push({ key: 'k-event', text: `Kalshi event: ${k.eventTitle}`, tone: 'muted' });
    lines.push({ key: 'pm-title', text: `Polymarket: ${o.legs[1].market.title}`, tone: 'muted' });
    lines.push({ key: 'head', text: row(['Leg', 'Venue', 'Market', 'Side', 'Size', 'VWAP', 'Worst', 'Fees']), tone: 'muted', bold: true });
    lines.push({ key: 'leg1', text: legRow(1, o.legs[0]), tone: 'plain' });
    lines.push({ key: 'leg2', text: legRow(2, o.legs[1]), tone: 'plain' });
    lines.push({
      key: 'cost',
      text: `Total cost ${formatMoney(o.totalCost)} (fees ${formatMoney(o.totalFees)}) · guaranteed payout ${formatMoney(o.payout)}`,
      tone: 'plain',
    });
    lines.push({
      key: 'net',
      text: `Net profit ${formatPnl(o.netProfit)} · ROI ${formatPercent(o.roi)} · annualised ${formatPercent(o.annualizedReturn)} to ${formatDateTime(o.lockedUntil)}`,
      tone: o.netProfit > 0n ? 'good' : 'danger',
      bold: true,
    });
    const since = Math.max(0, now - q.quotedAt);
    lines.push({
      key: 'ages',
      text: `Quote ${shortenId(q.quoteId, 16)} at ${formatClock(q.quotedAt)} (${formatDuration(since)} ago) · book ages kalshi ${formatDuration(o.legs[0].quoteAgeMs + since)} · polymarket ${formatDuration(o.legs[1].quoteAgeMs + since)}`,
      tone: 'muted',
    });
    if (ticket.size !== null && o.size < ticket.size) {
      // the engine quotes the most profitable size up to the one asked for: say so, y trades what is shown
      wrapped(
        'asked',
        `y trades ${formatSize(o.size)}: you asked for ${formatSize(ticket.size)}, and ${formatSize(o.size)} is the best this quote offers (books' depth, fees, per-trade limit)`,
        'warn',
        true,
      );
    }
    for (const [i, w] of o.warnings.entries()) wrapped(`w${i}`, `⚠ ${w}`, 'warn', true);
    if (o.notTradable.length > 0) wrapped('nt', `Not tradable now: ${o.notTradable.map(describeNotTradable).join('; ')}`, 'danger', true);
  }
  if (session.halted) lines.push({ key: 'halted', text: 'Kill switch is ON: a confirmation will be refused (K to resume).', tone: 'danger', bold: true });
  switch (ticket.phase) {
    case 'submitting':
      lines.push({ key: 'phase', text: 'Submitting… (Esc closes; progress shows in Orders & fills)', tone: 'accent', bold: true });
      break;
    case 'requote':
      wrapped('phase', `The quote moved: ${ticket.message ?? ''}. Nothing was sent. Check the new figures.`, 'warn', true);
      if (ticket.previous !== null && q !== null) {
        for (const [i, text] of wrapText(`Changed: ${quoteChanges(ticket.previous, q).join(' · ')}`, width).entries()) {
          lines.push({ key: `diff${i}`, text, tone: 'warn' });
        }
      }
      break;
    case 'refused':
      wrapped('phase', `Refused: ${ticket.message ?? ''}`, 'danger', true);
      break;
    case 'error':
      wrapped('phase', `Error: ${ticket.message ?? ''}`, 'danger', true);
      break;
    case 'review':
      break;
  }
  return lines;
}

/** Lines the person must see before pressing y, most important first: what happened (requote, refusal), the kill switch, why not tradable, what y trades, which market. */
const MUST_SEE = ['phase', 'halted', 'diff', 'nt', 'asked', 'title'] as const;

function mustSeeRank(l: TicketLine): number {
  return MUST_SEE.findIndex((k) => l.key === k || l.key.startsWith(`${k}.`) || (k === 'diff' && /^diff\d/.test(l.key)));
}

/**
 * The ticket's lines in `rows`, in order: when they do not all fit (a small terminal, long
 * warnings wrapped), the others give way before those that must be seen (found in review:
 * a requote's "Nothing was sent" and a refusal fell off the bottom while y stayed offered).
 */
export function fitTicketLines(lines: readonly TicketLine[], rows: number): TicketLine[] {
  if (lines.length <= rows) return [...lines];
  const must = lines
    .filter((l) => mustSeeRank(l) >= 0)
    .sort((a, b) => mustSeeRank(a) - mustSeeRank(b))
    .slice(0, rows);
  let room = rows - must.length;
  const keep = new Set(must);
  for (const l of lines) {
    if (room <= 0) break;
    if (!keep.has(l)) {
      keep.add(l);
      room -= 1;
    }
  }
  return lines.filter((l) => keep.has(l));
}

/** A pair nobody approved is never traded, whatever the books say. */
function isUnapproved(ticket: TicketState): boolean {
  return ticket.quote?.opportunity.notTradable.includes('not-approved') === true;
}

/** Whether y is offered (the ticket's key line, and the footer). */
export function ticketCanConfirm(ticket: TicketState): boolean {
  return ticket.quote !== null && !isUnapproved(ticket) && (ticket.phase === 'review' || ticket.phase === 'requote');
}

export interface TicketProps {
  readonly ticket: TicketState;
  readonly now: number;
  readonly session: SessionInfo;
  readonly height: number;
  readonly columns: number;
  readonly theme: Theme;
}

export function TicketScreen({ ticket, now, session, height, columns, theme }: TicketProps) {
  const lines = ticketLines(ticket, now, session, Math.max(20, columns - 4));
  const body = Math.max(1, height - 5); // border 2, title 1, size 1, keys 1
  const shown = fitTicketLines(lines, body);
  const unapproved = isUnapproved(ticket);
  const canConfirm = ticketCanConfirm(ticket);
  // y re-reads both books before anything is sent; a quote shown as not tradable (too old, below a
  // threshold) is traded only if the books read then make it tradable with the same figures
  const confirmLabel = ticket.quote !== null && !ticket.quote.opportunity.tradable
    ? 'y recheck & confirm if tradable'
    : ticket.phase === 'requote' ? 'y confirm the NEW quote' : 'y confirm this quote';
  const size = ticket.size ?? ticket.quote?.size ?? null;
  const mode = session.mode.toUpperCase();
  return (
    <Panel title={`Trade ticket · ${mode}${session.mode === 'execute' ? ' · REAL ORDERS' : ''}`} height={height} tone={session.mode === 'execute' ? 'danger' : 'accent'} theme={theme}>
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {shown.map((l) => (
          <Text key={l.key} wrap="truncate-end" bold={l.bold ?? false} {...theme.fg(l.tone)}>
            {l.text}
          </Text>
        ))}
      </Box>
      <Text wrap="truncate-end">
        <Text bold>Size </Text>
        {ticket.sizeText !== '' ? <Text inverse>{ticket.sizeText}</Text> : size === null ? 'n/a' : formatSize(size)}
        {' contracts   + / − step · digits type · Bksp'}
      </Text>
      <Text wrap="truncate-end" bold>
        {canConfirm
          ? <Text {...theme.fg(session.mode === 'execute' ? 'danger' : 'good')}>{confirmLabel}</Text>
          : <Text {...theme.fg('muted')}>{ticket.phase === 'submitting' ? 'waiting for the engine…' : unapproved ? 'approve the pair to trade it (2, a)' : 'r quote again'}</Text>}
        {canConfirm ? '   n / Esc cancel   r requote' : '   n / Esc cancel'}
      </Text>
    </Panel>
  );
}
