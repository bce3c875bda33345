/**
 * The UI's own state (which view, cursor, filter, sort, open modal, notice)
 * and the pure transitions on it. The snapshot is not here: it comes from the
 * store. The cursor follows a row's key, so it stays on the same row while
 * rows reorder; when that row goes, it keeps the position.
 */
import type { TicketQuote } from '../app/actions.js';
import type { Size } from '../domain/money.js';
import type { SortKey } from './rows.js';

export type ViewId = 'opportunities' | 'pairs' | 'positions' | 'orders' | 'log';

export const VIEWS: readonly ViewId[] = ['opportunities', 'pairs', 'positions', 'orders', 'log'];

export const VIEW_TITLES: Record<ViewId, string> = {
  opportunities: 'Opportunities',
  pairs: 'Pairs',
  positions: 'Positions & P&L',
  orders: 'Orders & fills',
  log: 'Log',
};

export interface ListPosition {
  /** Key of the selected row, null before any. */
  readonly key: string | null;
  /** Its index when last seen (fallback when the row is gone). */
  readonly index: number;
  /** First visible row. */
  readonly top: number;
}

export type TicketPhase = 'review' | 'submitting' | 'requote' | 'refused' | 'error';

export interface TicketState {
  /** Distinguishes tickets, so a late answer for a closed one is not applied to a new one. */
  readonly token: number;
  readonly opportunityId: string;
  /** Size asked for, null = the detector's best size. */
  readonly size: Size | null;
  /** Digits being typed. */
  readonly sizeText: string;
  readonly quote: TicketQuote | null;
  /** Why no quote could be made at this size. */
  readonly unavailable: string | null;
  readonly phase: TicketPhase;
  /** The quote the user confirmed before a requote, to show what moved. */
  readonly previous: TicketQuote | null;
  /** Requote / refusal / error reason. */
  readonly message: string | null;
}

export type Modal =
  | { readonly kind: 'help'; readonly scroll: number }
  | { readonly kind: 'detail'; readonly pairKey: string; readonly scroll: number }
  | { readonly kind: 'ticket'; readonly ticket: TicketState }
  | { readonly kind: 'confirm-halt'; readonly halt: boolean; readonly busy: boolean; readonly error: string | null }
  | {
      readonly kind: 'message';
      readonly title: string;
      readonly lines: readonly string[];
      readonly tone: 'info' | 'warn' | 'error';
      readonly busy: boolean;
    };

export interface Notice {
  readonly text: string;
  readonly tone: 'info' | 'warn' | 'error';
}

export interface UiState {
  readonly view: ViewId;
  readonly sort: SortKey;
  readonly positions: Readonly<Record<ViewId, ListPosition>>;
  readonly filters: Readonly<Record<ViewId, string>>;
  readonly filterEditing: boolean;
  readonly modal: Modal | null;
  /** One line under the status bar; cleared by the next key. */
  readonly notice: Notice | null;
  readonly quitting: boolean;
  readonly nextToken: number;
}

const START: ListPosition = { key: null, index: 0, top: 0 };

export function initialUiState(): UiState {
  return {
    view: 'opportunities',
    sort: 'net',
    positions: { opportunities: START, pairs: START, positions: START, orders: START, log: START },
    filters: { opportunities: '', pairs: '', positions: '', orders: '', log: '' },
    filterEditing: false,
    modal: null,
    notice: null,
    quitting: false,
    nextToken: 1,
  };
}

/** Index of the selected row among `keys` now (key first, then the remembered index), -1 when empty. */
export function selectedIndex(pos: ListPosition, keys: readonly string[]): number {
  if (keys.length === 0) return -1;
  if (pos.key !== null) {
    const i = keys.indexOf(pos.key);
    if (i >= 0) return i;
  }
  return Math.min(Math.max(pos.index, 0), keys.length - 1);
}

/** The first visible row so that `selected` is in a window of `height` rows, moving as little as possible. */
export function windowTop(top: number, selected: number, height: number, count: number): number {
  if (height <= 0 || count <= height) return 0;
  let t = Math.min(Math.max(top, 0), count - height);
  if (selected >= 0) {
    if (selected < t) t = selected;
    if (selected >= t + height) t = selected - height + 1;
  }
  return t;
}

export type Move = { readonly kind: 'by'; readonly delta: number } | { readonly kind: 'top' } | { readonly kind: 'bottom' };

/** Move the cursor of the active view among `keys` (the rows as listed now), keeping it visible in `height` rows. */
export function moveCursor(state: UiState, keys: readonly string[], move: Move, height: number): UiState {
  const pos = state.positions[state.view];
  if (keys.length === 0) return state;
  const current = selectedIndex(pos, keys);
  let next: number;
  switch (move.kind) {
    case 'by':
      next = Math.min(Math.max(current + move.delta, 0), keys.length - 1);
      break;
    case 'top':
      next = 0;
      break;
    case 'bottom':
      next = keys.length - 1;
      break;
  }
  const top = windowTop(pos.top, next, height, keys.length);
  return {
    ...state,
    positions: { ...state.positions, [state.view]: { key: keys[next] ?? null, index: next, top } },
  };
}

export function switchView(state: UiState, view: ViewId): UiState {
  return state.view === view ? state : { ...state, view, filterEditing: false };
}

export function cycleView(state: UiState, delta: number): UiState {
  const i = VIEWS.indexOf(state.view);
  const next = VIEWS[(i + delta + VIEWS.length) % VIEWS.length] ?? 'opportunities';
  return switchView(state, next);
}

export function setFilter(state: UiState, text: string): UiState {
  return {
    ...state,
    filters: { ...state.filters, [state.view]: text },
    // A new filter starts at the first match.
    positions: { ...state.positions, [state.view]: START },
  };
}

export function openModal(state: UiState, modal: Modal): UiState {
  return { ...state, modal };
}

export function closeModal(state: UiState): UiState {
  return { ...state, modal: null };
}

/** Replace the open ticket if it is still the one with `token`; otherwise leave the state alone. */
export function updateTicket(state: UiState, token: number, change: (t: TicketState) => TicketState): UiState {
  const m = state.modal;
  if (m?.kind !== 'ticket' || m.ticket.token !== token) return state;
  return { ...state, modal: { kind: 'ticket', ticket: change(m.ticket) } };
}
