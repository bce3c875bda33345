/**
 * Screen geometry: how many lines each part gets at a terminal size. Pure.
 *
 * The frame is one line shorter than the terminal: an Ink frame as tall as the
 * terminal makes Ink clear the whole screen on every update (flicker), one
 * line less lets it rewrite in place.
 */
import type { ViewId } from './state.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

/** Status bar (2) + message line (1) + tabs (1) + footer (1). */
export const CHROME_LINES = 5;
/** Pairs view: divider + reasons/warnings preview under the table. */
export const PAIR_PREVIEW_LINES = 5;

export interface Layout {
  readonly columns: number;
  readonly rows: number;
  readonly tooSmall: boolean;
  /** Lines of the whole frame (rows − 1). */
  readonly frameRows: number;
  /** Lines between the tabs and the footer. */
  readonly contentRows: number;
}

export function layoutFor(columns: number, rows: number): Layout {
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const frameRows = Math.max(1, rows - 1);
  return { columns, rows, tooSmall, frameRows, contentRows: Math.max(0, frameRows - CHROME_LINES) };
}

/** Orders & fills split the content: each gets a header line. */
export function ordersSplit(contentRows: number): { orders: number; fills: number } {
  const body = Math.max(0, contentRows - 2);
  const orders = Math.ceil(body / 2);
  return { orders, fills: body - orders };
}

/** Table body rows of a view (what one page is). */
export function listRows(view: ViewId, contentRows: number): number {
  switch (view) {
    case 'opportunities':
      return Math.max(1, contentRows - 1);
    case 'pairs':
      return Math.max(1, contentRows - 1 - PAIR_PREVIEW_LINES);
    case 'positions':
      return Math.max(1, contentRows - 3);
    case 'orders':
      return Math.max(1, ordersSplit(contentRows).orders);
    case 'log':
      return Math.max(1, contentRows - 1);
  }
}
