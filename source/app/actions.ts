/**
 * What the UI (and the headless runner) may ask of the engine. The UI holds
 * no engine, database or venue: it reads snapshots from the store and calls
 * these. Every call is safe to make at any time; refusals are values.
 */
import type { Size } from '../domain/money.js';
import type { Opportunity } from '../engine/detector.js';

/** A quote the user is looking at on the trade ticket, at the size they chose. */
export interface TicketQuote {
  /** The opportunity (pair + direction) the ticket is for. */
  readonly opportunityId: string;
  /** The figures shown, recomputed at `size` from the books of `quotedAt`. */
  readonly opportunity: Opportunity;
  readonly size: Size;
  /** Identity of the books used: confirming refers to exactly these. */
  readonly quoteId: string;
  readonly quotedAt: number;
}

export type TicketResult =
  | { readonly kind: 'quote'; readonly quote: TicketQuote }
  | { readonly kind: 'unavailable'; readonly reason: string };

export type ConfirmResult =
  /** The attempt was accepted and started; its progress shows in orders, fills and the log. */
  | { readonly kind: 'submitted'; readonly attemptId: string }
  /** The books moved or went stale since the ticket was shown: here is the new quote; ask again. */
  | { readonly kind: 'requote'; readonly reason: string; readonly quote: TicketQuote | null }
  /** Refused by mode, risk gate or kill switch, with the reason. */
  | { readonly kind: 'refused'; readonly reason: string };

export interface ExportResult {
  readonly files: readonly string[];
}

export interface AppActions {
  /** Approve a candidate pair (the only way a pair becomes tradable). */
  approvePair(pairKey: string, note?: string): Promise<void>;
  /** Reject a pair; rejected pairs stay blocked. */
  rejectPair(pairKey: string, note?: string): Promise<void>;
  /** Price an opportunity for the ticket at `size` (default: the detector's best size). */
  quote(opportunityId: string, size?: Size): TicketResult;
  /** Confirm the exact quote shown on the ticket. */
  confirm(quote: TicketQuote): Promise<ConfirmResult>;
  /** Write this session's history to CSV files; returns their paths. */
  exportSession(): Promise<ExportResult>;
  /** Freeze the screen (the engine keeps running). */
  setPaused(paused: boolean): void;
  /** The kill switch: halt new trade attempts (survives restart). */
  setHalted(halted: boolean): Promise<void>;
  /** Flush the database, stop the engine, close venues. */
  quit(): Promise<void>;
}
