/**
 * What each command does: UI state changes (pure, through `setState`) and the
 * calls to AppActions (the only thing the UI may ask of the engine). Async
 * answers are applied to the state as it is when they arrive, and only to the
 * modal they belong to. No React here.
 */
import type { AppActions, ConfirmResult, TicketQuote, TicketResult } from '../app/actions.js';
import { formatDecimal, ONE, parseDecimal, type Size } from '../domain/money.js';
import type { Snapshot } from '../store/store.js';
import type { Command, Layer } from './input/dispatcher.js';
import { formatClock } from './format/time.js';
import { wrapText } from './format/text.js';
import { listRows, type Layout } from './layout.js';
import { logRows, opportunityRows, orderRows, pairLabel, pairRows, positionKey, positionRows } from './rows.js';
import {
  closeModal,
  cycleView,
  moveCursor,
  openModal,
  selectedIndex,
  setFilter,
  switchView,
  updateTicket,
  type TicketState,
  type UiState,
  type ViewId,
} from './state.js';

export interface ControllerContext {
  getState(): UiState;
  setState(change: (s: UiState) => UiState): void;
  getSnapshot(): Snapshot;
  readonly actions: AppActions;
  getLayout(): Layout;
  /** Leave Ink (after quit); an error makes waitUntilExit reject. */
  exit(error?: Error): void;
}

/** The layers that get a key, top first. */
export function layersFor(state: UiState, tooSmall: boolean): Layer[] {
  if (state.quitting) return [];
  if (tooSmall) return [{ scope: 'too-small', exclusive: true }];
  const m = state.modal;
  if (m) {
    switch (m.kind) {
      case 'ticket':
        return [{ scope: 'ticket', exclusive: true }];
      case 'detail':
        return [{ scope: 'detail', exclusive: true }];
      case 'confirm-halt':
        return [{ scope: 'confirm', exclusive: true }];
      case 'message':
        return [{ scope: 'message', exclusive: true }];
      case 'help':
        return [{ scope: 'help', exclusive: true }];
    }
  }
  if (state.filterEditing) return [{ scope: 'filter', exclusive: true }];
  const layers: Layer[] = [];
  if (state.view === 'opportunities') layers.push({ scope: 'opportunities', exclusive: false });
  if (state.view === 'pairs') layers.push({ scope: 'pairs', exclusive: false });
  if (state.view === 'log') layers.push({ scope: 'log', exclusive: false });
  layers.push({ scope: 'list', exclusive: false }, { scope: 'app', exclusive: false });
  return layers;
}

/** The keys of the rows the view lists now, in order. */
export function rowKeys(view: ViewId, snapshot: Snapshot, state: UiState): string[] {
  const filter = state.filters[view];
  switch (view) {
    case 'opportunities':
      return opportunityRows(snapshot, state.sort, filter).map((r) => r.key);
    case 'pairs':
      return pairRows(snapshot, filter).map((p) => p.key);
    case 'positions':
      return positionRows(snapshot, filter).map(positionKey);
    case 'orders':
      return orderRows(snapshot, filter).map((o) => o.id);
    case 'log':
      return logRows(snapshot, filter).map((r) => r.key);
  }
}

/** Key of the selected row of the active view, null when the list is empty. */
export function selectedKey(state: UiState, snapshot: Snapshot): string | null {
  const keys = rowKeys(state.view, snapshot, state);
  const i = selectedIndex(state.positions[state.view], keys);
  return i < 0 ? null : (keys[i] ?? null);
}

function message(ctx: ControllerContext, title: string, lines: readonly string[], tone: 'info' | 'warn' | 'error', busy = false): void {
  ctx.setState((s) => openModal(s, { kind: 'message', title, lines, tone, busy }));
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A size as the text one would type for it ("299", "2.5"). */
function sizeText(size: Size): string {
  return size % ONE === 0n ? formatDecimal(size) : formatDecimal(size, { dp: 2, rounding: 'floor' }).replace(/0$/, '');
}

/** What the size field may hold: digits with at most one '.'. */
const SIZE_TEXT = /^\d*\.?\d*$/;

function sizeFromText(text: string): Size | null {
  if (!SIZE_TEXT.test(text) || text === '' || text === '.') return null;
  try {
    const v = parseDecimal(text, 'floor');
    return v > 0n ? v : null;
  } catch {
    return null;
  }
}

/** Quote again at `size` and put the answer on the ticket (phase back to review). */
function requote(ctx: ControllerContext, ticket: TicketState, size: Size | null, sizeText: string): void {
  let result: TicketResult;
  try {
    result = size === null ? ctx.actions.quote(ticket.opportunityId) : ctx.actions.quote(ticket.opportunityId, size);
  } catch (error) {
    result = { kind: 'unavailable', reason: describeError(error) };
  }
  ctx.setState((s) =>
    updateTicket(s, ticket.token, (t) => ({
      ...t,
      size,
      sizeText,
      quote: result.kind === 'quote' ? result.quote : null,
      unavailable: result.kind === 'unavailable' ? result.reason : null,
      phase: 'review',
      previous: null,
      message: null,
    })),
  );
}

function openTicket(ctx: ControllerContext, opportunityId: string): void {
  const snapshot = ctx.getSnapshot();
  if (snapshot.session.mode === 'monitor') {
    message(ctx, 'Trading is off in monitor mode', [
      'This session only watches and records. To trade, start arb-tui with',
      '--mode paper (simulated fills) or --mode execute (real orders).',
    ], 'info');
    return;
  }
  if (!snapshot.opportunities.some((o) => o.id === opportunityId)) {
    ctx.setState((s) => ({ ...s, notice: { text: 'That opportunity has closed.', tone: 'warn' } }));
    return;
  }
  let result: TicketResult;
  try {
    result = ctx.actions.quote(opportunityId);
  } catch (error) {
    result = { kind: 'unavailable', reason: describeError(error) };
  }
  ctx.setState((s) => ({
    ...s,
    nextToken: s.nextToken + 1,
    modal: {
      kind: 'ticket',
      ticket: {
        token: s.nextToken,
        opportunityId,
        size: result.kind === 'quote' ? result.quote.size : null,
        sizeText: '',
        quote: result.kind === 'quote' ? result.quote : null,
        unavailable: result.kind === 'unavailable' ? result.reason : null,
        phase: 'review',
        previous: null,
        message: null,
      },
    },
  }));
}

function applyConfirm(ctx: ControllerContext, token: number, shown: TicketQuote, result: ConfirmResult): void {
  const state = ctx.getState();
  const stillOpen = state.modal?.kind === 'ticket' && state.modal.ticket.token === token;
  if (!stillOpen) {
    // The ticket was closed meanwhile: say what happened anyway.
    const text =
      result.kind === 'submitted'
        ? `Submitted ${result.attemptId}: see Orders & fills (4).`
        : result.kind === 'refused'
          ? `Trade refused: ${result.reason}`
          : `Not submitted, the quote moved: ${result.reason}`;
    ctx.setState((s) => ({ ...s, notice: { text, tone: result.kind === 'submitted' ? 'info' : 'warn' } }));
    return;
  }
  switch (result.kind) {
    case 'submitted':
      ctx.setState((s) => ({
        ...closeModal(s),
        notice: { text: `Submitted ${result.attemptId}: see Orders & fills (4).`, tone: 'info' },
      }));
      return;
    case 'requote':
      ctx.setState((s) =>
        updateTicket(s, token, (t) => ({
          ...t,
          phase: 'requote',
          previous: shown,
          quote: result.quote,
          unavailable: result.quote === null ? result.reason : null,
          size: result.quote?.size ?? t.size,
          message: result.reason,
        })),
      );
      return;
    case 'refused':
      ctx.setState((s) => updateTicket(s, token, (t) => ({ ...t, phase: 'refused', message: result.reason })));
      return;
  }
}

function confirmTicket(ctx: ControllerContext, ticket: TicketState): void {
  const quote = ticket.quote;
  if (quote === null || (ticket.phase !== 'review' && ticket.phase !== 'requote')) return;
  ctx.setState((s) => updateTicket(s, ticket.token, (t) => ({ ...t, phase: 'submitting', message: null })));
  ctx.actions.confirm(quote).then(
    (result) => applyConfirm(ctx, ticket.token, quote, result),
    (error: unknown) => {
      const state = ctx.getState();
      if (state.modal?.kind === 'ticket' && state.modal.ticket.token === ticket.token) {
        ctx.setState((s) => updateTicket(s, ticket.token, (t) => ({ ...t, phase: 'error', message: describeError(error) })));
      } else {
        ctx.setState((s) => ({ ...s, notice: { text: `Trade failed: ${describeError(error)}`, tone: 'error' } }));
      }
    },
  );
}

function ticketSize(ticket: TicketState): Size {
  return ticket.size ?? ticket.quote?.size ?? ONE;
}

function decidePair(ctx: ControllerContext, pairKey: string | null, decision: 'approve' | 'reject'): void {
  if (pairKey === null) return;
  const pair = ctx.getSnapshot().pairs.find((p) => p.key === pairKey);
  if (!pair) return;
  const target = decision === 'approve' ? 'approved' : 'rejected';
  if (pair.status === target) {
    ctx.setState((s) => ({ ...s, notice: { text: `Already ${target}: ${pair.kalshi.title}`, tone: 'info' } }));
    return;
  }
  const call = decision === 'approve' ? ctx.actions.approvePair(pairKey) : ctx.actions.rejectPair(pairKey);
  ctx.setState((s) => ({ ...s, notice: { text: `${decision === 'approve' ? 'Approving' : 'Rejecting'} ${pair.kalshi.title}…`, tone: 'info' } }));
  call.then(
    () => ctx.setState((s) => ({ ...s, notice: { text: `${target[0]?.toUpperCase()}${target.slice(1)}: ${pair.kalshi.title}`, tone: 'info' } })),
    (error: unknown) => ctx.setState((s) => ({ ...s, notice: { text: `Could not ${decision} the pair: ${describeError(error)}`, tone: 'error' } })),
  );
}

function startExport(ctx: ControllerContext): void {
  message(ctx, 'Export', ['Writing the session to CSV…'], 'info', true);
  ctx.actions.exportSession().then(
    (result) => {
      const lines = result.files.length === 0 ? ['Nothing to export yet.'] : [`Wrote ${result.files.length} file${result.files.length === 1 ? '' : 's'}:`, ...result.files];
      message(ctx, 'Export', lines, 'info');
    },
    (error: unknown) => message(ctx, 'Export failed', [describeError(error)], 'error'),
  );
}

function quit(ctx: ControllerContext, force: boolean): void {
  const state = ctx.getState();
  if (state.quitting) {
    if (force) ctx.exit();
    return;
  }
  ctx.setState((s) => ({ ...s, quitting: true, modal: null, filterEditing: false, notice: { text: 'Saving and quitting…', tone: 'info' } }));
  ctx.actions.quit().then(
    () => ctx.exit(),
    (error: unknown) => ctx.exit(error instanceof Error ? error : new Error(String(error))),
  );
}

export function runCommand(command: Command, ctx: ControllerContext): void {
  const state = ctx.getState();
  // Any key clears the last notice (no timers in the UI).
  if (state.notice !== null && !state.quitting) ctx.setState((s) => ({ ...s, notice: null }));
  const snapshot = ctx.getSnapshot();
  const layout = ctx.getLayout();
  const page = listRows(state.view, layout.contentRows);
  const move = (m: Parameters<typeof moveCursor>[2]) =>
    ctx.setState((s) => moveCursor(s, rowKeys(s.view, snapshot, s), m, listRows(s.view, layout.contentRows)));

  switch (command.id) {
    case 'app.quit':
      return quit(ctx, false);
    case 'app.force-quit':
      return quit(ctx, true);
    case 'app.help':
      return ctx.setState((s) => openModal(s, { kind: 'help', scroll: 0 }));
    case 'app.pause':
      ctx.actions.setPaused(!snapshot.paused);
      return;
    case 'app.export':
      return startExport(ctx);
    case 'app.kill-switch':
      return ctx.setState((s) => openModal(s, { kind: 'confirm-halt', halt: !snapshot.session.halted, busy: false, error: null }));
    case 'view.next':
      return ctx.setState((s) => cycleView(s, 1));
    case 'view.prev':
      return ctx.setState((s) => cycleView(s, -1));
    case 'view.opportunities':
    case 'view.pairs':
    case 'view.positions':
    case 'view.orders':
    case 'view.log': {
      const view = command.id.slice('view.'.length) as ViewId;
      return ctx.setState((s) => switchView(s, view));
    }
    case 'list.up':
      return move({ kind: 'by', delta: -1 });
    case 'list.down':
      return move({ kind: 'by', delta: 1 });
    case 'list.page-up':
      return move({ kind: 'by', delta: -page });
    case 'list.page-down':
      return move({ kind: 'by', delta: page });
    case 'list.top':
      return move({ kind: 'top' });
    case 'list.bottom':
      return move({ kind: 'bottom' });
    case 'list.filter':
      return ctx.setState((s) => ({ ...s, filterEditing: true }));
    case 'opportunities.open': {
      const key = selectedKey(state, snapshot);
      if (key === null) return;
      const chosen = state.positions.opportunities.key;
      if (chosen !== null && chosen !== key) {
        // The row the person picked is gone and the cursor now sits on another one, which
        // they may not have read: it becomes the selection, and a second Enter opens it.
        const label = snapshot.opportunities.find((o) => o.id === key);
        return ctx.setState((s) => ({
          ...s,
          positions: { ...s.positions, opportunities: { ...s.positions.opportunities, key } },
          notice: { text: `The opportunity you had selected is gone; now on ${label ? pairLabel(label) : 'another row'}: Enter again to open it.`, tone: 'warn' },
        }));
      }
      return openTicket(ctx, key);
    }
    case 'pairs.open': {
      const key = selectedKey(state, snapshot);
      return key === null ? undefined : ctx.setState((s) => openModal(s, { kind: 'detail', pairKey: key, scroll: 0 }));
    }
    case 'log.open': {
      const key = selectedKey(state, snapshot);
      const row = key === null ? undefined : logRows(snapshot, state.filters.log).find((r) => r.key === key);
      if (row === undefined) return;
      const { at, level, message: text } = row.entry;
      const width = Math.max(20, ctx.getLayout().columns - 4);
      return message(ctx, `Log · ${formatClock(at)} UTC · ${level}`, wrapText(text, width), level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info');
    }
    case 'opportunities.sort': {
      // The cursor stays on the row it is on, wherever the new order puts it.
      const key = selectedKey(state, snapshot);
      return ctx.setState((s) => {
        const sorted: UiState = { ...s, sort: s.sort === 'net' ? 'annualised' : 'net' };
        if (key === null) return sorted;
        const keys = rowKeys('opportunities', snapshot, sorted);
        const index = Math.max(0, keys.indexOf(key));
        const pos = s.positions.opportunities;
        return { ...sorted, positions: { ...s.positions, opportunities: { ...pos, key, index } } };
      });
    }
    case 'pairs.approve':
      return decidePair(ctx, selectedKey(state, snapshot), 'approve');
    case 'pairs.reject':
      return decidePair(ctx, selectedKey(state, snapshot), 'reject');

    case 'filter.type':
      return ctx.setState((s) => setFilter(s, s.filters[s.view] + (command.text ?? '')));
    case 'filter.backspace':
      return ctx.setState((s) => setFilter(s, s.filters[s.view].slice(0, -1)));
    case 'filter.accept':
      return ctx.setState((s) => ({ ...s, filterEditing: false }));
    case 'filter.clear':
      return ctx.setState((s) => ({ ...setFilter(s, ''), filterEditing: false }));

    case 'ticket.confirm':
    case 'ticket.cancel':
    case 'ticket.more':
    case 'ticket.less':
    case 'ticket.digit':
    case 'ticket.backspace':
    case 'ticket.requote': {
      const m = state.modal;
      if (m?.kind !== 'ticket') return;
      const t = m.ticket;
      if (command.id === 'ticket.cancel') return ctx.setState(closeModal);
      if (t.phase === 'submitting') return; // one confirmation at a time
      switch (command.id) {
        case 'ticket.confirm':
          return confirmTicket(ctx, t);
        case 'ticket.requote':
          return requote(ctx, t, t.size, t.sizeText);
        case 'ticket.more':
          return requote(ctx, t, ticketSize(t) + ONE, '');
        case 'ticket.less': {
          const next = ticketSize(t) - ONE;
          return requote(ctx, t, next > 0n ? next : ticketSize(t), '');
        }
        case 'ticket.digit': {
          // a leading zero is dropped as the next digit comes ("0" then "9" is "9", not "09"; "0." stays)
          const text = (t.sizeText + (command.text ?? '')).replace(/^0+(?=\d)/, '').slice(0, 9);
          if (!SIZE_TEXT.test(text)) return; // a second '.': the typed text stays a number
          const size = sizeFromText(text);
          if (size === null) return ctx.setState((s) => updateTicket(s, t.token, (x) => ({ ...x, sizeText: text })));
          return requote(ctx, t, size, text);
        }
        case 'ticket.backspace': {
          // With nothing typed yet, Backspace edits the size shown (after + / − or the quote's own).
          const shown = t.sizeText !== '' ? t.sizeText : sizeText(ticketSize(t));
          const text = shown.slice(0, -1);
          const size = sizeFromText(text);
          if (size === null) return ctx.setState((s) => updateTicket(s, t.token, (x) => ({ ...x, sizeText: text })));
          return requote(ctx, t, size, text);
        }
      }
      return;
    }

    case 'detail.close':
      return ctx.setState(closeModal);
    case 'detail.up':
    case 'detail.down': {
      const delta = command.id === 'detail.up' ? -1 : 1;
      return ctx.setState((s) =>
        s.modal?.kind === 'detail' ? { ...s, modal: { ...s.modal, scroll: Math.max(0, s.modal.scroll + delta) } } : s,
      );
    }
    case 'detail.approve':
    case 'detail.reject': {
      const key = state.modal?.kind === 'detail' ? state.modal.pairKey : null;
      return decidePair(ctx, key, command.id === 'detail.approve' ? 'approve' : 'reject');
    }

    case 'confirm.yes': {
      const m = state.modal;
      if (m?.kind !== 'confirm-halt' || m.busy) return;
      ctx.setState((s) => (s.modal?.kind === 'confirm-halt' ? { ...s, modal: { ...s.modal, busy: true } } : s));
      ctx.actions.setHalted(m.halt).then(
        () =>
          ctx.setState((s) => ({
            ...(s.modal?.kind === 'confirm-halt' ? closeModal(s) : s),
            notice: m.halt
              ? { text: 'Kill switch ON: no new trade attempts until you resume (K).', tone: 'warn' }
              : { text: 'Kill switch off: trading resumed.', tone: 'info' },
          })),
        (error: unknown) =>
          ctx.setState((s) =>
            s.modal?.kind === 'confirm-halt' ? { ...s, modal: { ...s.modal, busy: false, error: describeError(error) } } : s,
          ),
      );
      return;
    }
    case 'confirm.no':
      if (state.modal?.kind === 'confirm-halt' && state.modal.busy) return;
      return ctx.setState(closeModal);

    case 'message.close':
      if (state.modal?.kind === 'message' && state.modal.busy) return;
      return ctx.setState(closeModal);

    case 'help.close':
      return ctx.setState(closeModal);
    case 'help.up':
    case 'help.down': {
      const delta = command.id === 'help.up' ? -1 : 1;
      return ctx.setState((s) => (s.modal?.kind === 'help' ? { ...s, modal: { ...s.modal, scroll: Math.max(0, s.modal.scroll + delta) } } : s));
    }
  }
}

