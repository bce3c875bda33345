/**
 * One arbitrage attempt as an explicit state machine (pure: no I/O, no clock).
 *
 * Two legs buy opposite outcomes in EQUAL contract counts: leg 0 on Kalshi, leg 1
 * on Polymarket (the detector's order). The attempt moves through phases
 *
 *   intent ──legs-sent──────▶ legs-sent ─────────────────┐          (simultaneous)
 *   intent ──first-leg-sent─▶ first-leg-sent ─hedge-sent─▶ hedge-sent   (sequential)
 *                                   │                      │
 *                                   └──────settle──────────┴─▶ done | unequal
 *   unequal ──unwind-sent──▶ unwinding ──finish──▶ done
 *   unequal ──alert────────▶ done (one-leg-exposed)
 *
 * and every leg through its own statuses
 *
 *   planned ─sent─▶ sent ─report(final)─▶ filled | partial | unfilled
 *                    │  └─rejected─▶ rejected
 *                    └─unknown─▶ resolving ─report(final)─▶ filled | partial | unfilled
 *   planned ─skip─▶ skipped   (sequential hedge never sent: the first leg filled nothing)
 *
 * A timeout / 5xx makes a leg `resolving`: it is resolved by polling the venue, never
 * by sending again, so there is no `resent` event at all. Anything not in the tables
 * is refused with a reason (`transition` returns an error value, the state is kept).
 *
 * Invariants (checked by property tests): a leg never asks for more than the quoted
 * size; fills never exceed what was asked and never go down; the sequential hedge asks
 * exactly what the first leg filled; an unwind sells the excess and never more.
 *
 * Shares a venue withheld as its fee (Polymarket may take a buy's fee in shares) are
 * matched but never held: an unwind sells only the excess actually held, and the excess
 * leg's withheld shares (`gone`) count as no longer held when the attempt is classified.
 *
 * Shares a venue voided (matched, then failed on chain) by the time the fills are read
 * never happened: `settle` takes a buy leg's voided shares off its fills and `finish` takes
 * the unwind's off what it sold. From `settle` on, a leg's `filled` is what it delivered,
 * which may be less than a `filled` leg asked (the invariants above hold up to `settle`).
 */
import type { Size } from './money.js';

export type LegMode = 'simultaneous' | 'sequential';
export type UnequalFillPolicy = 'unwind' | 'alert';
export type LegIndex = 0 | 1;

export type AttemptPhase = 'intent' | 'legs-sent' | 'first-leg-sent' | 'hedge-sent' | 'unequal' | 'unwinding' | 'done';

export type LegStatus = 'planned' | 'sent' | 'resolving' | 'filled' | 'partial' | 'unfilled' | 'rejected' | 'skipped';

/** How an attempt ended. */
export type AttemptClassification =
  /** Both legs filled the whole quoted size. */
  | 'complete'
  /** Both legs filled the same size, less than quoted (and more than zero). */
  | 'hedged-partial'
  /** Fills were unequal and the excess was sold back completely. */
  | 'unwound'
  /** Contracts on one leg are not hedged (alert raised, or the unwind did not fully fill). */
  | 'one-leg-exposed'
  /** Nothing filled on either leg (rejected, or nothing at the limit price). */
  | 'failed';

export interface LegState {
  readonly status: LegStatus;
  /** Contracts asked of the venue (0 while planned). */
  readonly requested: Size;
  readonly filled: Size;
}

export interface UnwindState extends LegState {
  /** The leg whose excess is sold. */
  readonly leg: LegIndex;
  /** Excess shares of that leg not sold: withheld by the venue as its fee (matched, never held), or below its size step. */
  readonly gone: Size;
}

export interface AttemptOutcome {
  readonly classification: AttemptClassification;
  /** Contracts held on both legs. */
  readonly hedged: Size;
  /** Unhedged contracts left, and on which leg; null when none. */
  readonly exposed: { readonly leg: LegIndex; readonly size: Size } | null;
}

export interface AttemptState {
  readonly phase: AttemptPhase;
  readonly mode: LegMode;
  readonly policy: UnequalFillPolicy;
  readonly quotedSize: Size;
  /** Sequential mode: the leg sent first (the less liquid one). */
  readonly firstLeg: LegIndex;
  readonly legs: readonly [LegState, LegState];
  readonly unwind: UnwindState | null;
  readonly outcome: AttemptOutcome | null;
}

export type AttemptEvent =
  /** Simultaneous: both legs were handed to the venues for the quoted size. */
  | { readonly type: 'legs-sent' }
  /** Sequential: the first (less liquid) leg was sent for the quoted size. */
  | { readonly type: 'first-leg-sent' }
  /** Sequential: the other leg was sent for exactly what the first leg filled. */
  | { readonly type: 'hedge-sent' }
  /** A venue answer for a leg: cumulative filled size; `final` when the order is done (filled, IOC remainder canceled). */
  | { readonly type: 'leg-report'; readonly leg: LegIndex; readonly filled: Size; readonly final: boolean }
  /** The send timed out / 5xx / connection dropped: outcome unknown, poll it. */
  | { readonly type: 'leg-unknown'; readonly leg: LegIndex }
  /** The venue refused the order (nothing filled). */
  | { readonly type: 'leg-rejected'; readonly leg: LegIndex }
  /**
   * Both legs are done: compare fills. `voided`: per leg, matched shares the venue already
   * voided (failed on chain) when the fills were read; they were never held, so each leg
   * counts its matched size less these from here on (what is compared, unwound and classified).
   */
  | { readonly type: 'settle'; readonly voided?: readonly [Size, Size] }
  /**
   * Unequal fills: an order selling the excess was sent. `size`: what it sells, when less
   * than the excess (default: the excess); `gone`: excess shares not held or not sellable
   * (withheld by the venue as its fee, or a remainder below its size step); size + gone ≤ the excess.
   */
  | { readonly type: 'unwind-sent'; readonly size?: Size; readonly gone?: Size }
  | { readonly type: 'unwind-report'; readonly filled: Size; readonly final: boolean }
  | { readonly type: 'unwind-unknown' }
  | { readonly type: 'unwind-rejected' }
  /** Unequal fills left as they are, an alert raised (`gone`: excess shares withheld as a fee, not held). */
  | { readonly type: 'alert'; readonly gone?: Size }
  /** The unwind is done (or given up): classify. */
  /** The unwind is done. `voided`: shares of its sale the venue already voided (not sold: still held). */
  | { readonly type: 'finish'; readonly voided?: Size }
  /** Nothing was sent (the intent could not be written, risk changed): the attempt ends failed. */
  | { readonly type: 'abort' };

export type AttemptEventType = AttemptEvent['type'];

export type TransitionResult =
  | { readonly ok: true; readonly state: AttemptState }
  | { readonly ok: false; readonly error: string };

export class AttemptTransitionError extends Error {
  override readonly name = 'AttemptTransitionError';
}

/**
 * The phase table: which events each phase accepts and the phase they lead to
 * ('*' = computed by the guard: settle and finish decide between several phases).
 */
export const PHASE_TABLE: Readonly<Record<AttemptPhase, Partial<Record<AttemptEventType, AttemptPhase | '*'>>>> = {
  intent: { 'legs-sent': 'legs-sent', 'first-leg-sent': 'first-leg-sent', abort: 'done' },
  'legs-sent': { 'leg-report': 'legs-sent', 'leg-unknown': 'legs-sent', 'leg-rejected': 'legs-sent', settle: '*' },
  'first-leg-sent': { 'leg-report': 'first-leg-sent', 'leg-unknown': 'first-leg-sent', 'leg-rejected': 'first-leg-sent', 'hedge-sent': 'hedge-sent', settle: '*' },
  'hedge-sent': { 'leg-report': 'hedge-sent', 'leg-unknown': 'hedge-sent', 'leg-rejected': 'hedge-sent', settle: '*' },
  unequal: { 'unwind-sent': 'unwinding', alert: 'done' },
  unwinding: { 'unwind-report': 'unwinding', 'unwind-unknown': 'unwinding', 'unwind-rejected': 'unwinding', finish: '*' },
  done: {},
};

/** The leg table: (leg status, leg event) → status ('*' = decided by the report's figures). */
export const LEG_TABLE: Readonly<Record<LegStatus, Partial<Record<'sent' | 'report' | 'unknown' | 'rejected' | 'skip', LegStatus | '*'>>>> = {
  planned: { sent: 'sent', skip: 'skipped' },
  sent: { report: '*', unknown: 'resolving', rejected: 'rejected' },
  resolving: { report: '*', rejected: 'rejected' },
  filled: {},
  partial: {},
  unfilled: {},
  rejected: {},
  skipped: {},
};

const TERMINAL_LEG: ReadonlySet<LegStatus> = new Set(['filled', 'partial', 'unfilled', 'rejected', 'skipped']);

export function isLegDone(leg: LegState): boolean {
  return TERMINAL_LEG.has(leg.status);
}

export function isAttemptDone(state: AttemptState): boolean {
  return state.phase === 'done';
}

const PLANNED: LegState = { status: 'planned', requested: 0n, filled: 0n };

export function initialAttempt(input: {
  readonly quotedSize: Size;
  readonly mode: LegMode;
  readonly policy: UnequalFillPolicy;
  readonly firstLeg?: LegIndex;
}): AttemptState {
  if (input.quotedSize <= 0n) throw new AttemptTransitionError('the quoted size must be positive');
  return {
    phase: 'intent',
    mode: input.mode,
    policy: input.policy,
    quotedSize: input.quotedSize,
    firstLeg: input.firstLeg ?? 0,
    legs: [PLANNED, PLANNED],
    unwind: null,
    outcome: null,
  };
}

export function otherLeg(leg: LegIndex): LegIndex {
  return leg === 0 ? 1 : 0;
}

/** Classify equal-or-not fills once nothing more will change. */
export function classifyFills(
  quoted: Size,
  filled0: Size,
  filled1: Size,
  /** Sold back from one leg, and shares of it the venue withheld as its fee (held by neither). */
  unwound: { leg: LegIndex; sold: Size; gone?: Size } | null,
): AttemptOutcome {
  const off = unwound === null ? 0n : unwound.sold + (unwound.gone ?? 0n);
  const f0 = filled0 - (unwound?.leg === 0 ? off : 0n);
  const f1 = filled1 - (unwound?.leg === 1 ? off : 0n);
  const hedged = f0 < f1 ? f0 : f1;
  const excess = f0 - f1;
  const exposed = excess === 0n ? null : excess > 0n ? { leg: 0 as const, size: excess } : { leg: 1 as const, size: -excess };
  let classification: AttemptClassification;
  if (exposed !== null) classification = 'one-leg-exposed';
  else if (unwound !== null && unwound.sold > 0n) classification = 'unwound';
  else if (hedged === 0n) classification = 'failed';
  else if (hedged === quoted) classification = 'complete';
  else classification = 'hedged-partial';
  return { classification, hedged, exposed };
}

/** The unhedged excess now: which leg holds more, and by how much (null when equal). */
export function excessOf(state: AttemptState): { leg: LegIndex; size: Size } | null {
  const [a, b] = state.legs;
  if (a.filled === b.filled) return null;
  return a.filled > b.filled ? { leg: 0, size: a.filled - b.filled } : { leg: 1, size: b.filled - a.filled };
}

function fail(error: string): TransitionResult {
  return { ok: false, error };
}

function ok(state: AttemptState): TransitionResult {
  return { ok: true, state };
}

function setLeg(state: AttemptState, index: LegIndex, leg: LegState): AttemptState {
  const legs: [LegState, LegState] = index === 0 ? [leg, state.legs[1]] : [state.legs[0], leg];
  return { ...state, legs };
}

function legMove(leg: LegState, move: 'sent' | 'report' | 'unknown' | 'rejected' | 'skip'): LegStatus | '*' | undefined {
  return LEG_TABLE[leg.status][move];
}

/** Apply a report (cumulative filled size) to a leg that accepts reports. */
function reportLeg(leg: LegState, filled: Size, final: boolean, what: string): LegState | string {
  if (legMove(leg, 'report') === undefined) return `${what} is ${leg.status}: no report expected`;
  if (filled < 0n) return `${what}: negative filled size`;
  if (filled < leg.filled) return `${what}: filled size went down (${leg.filled} → ${filled})`;
  if (filled > leg.requested) return `${what}: filled ${filled} exceeds the ${leg.requested} asked`;
  if (!final) return { ...leg, status: 'resolving', filled };
  const status: LegStatus = filled === leg.requested ? 'filled' : filled > 0n ? 'partial' : 'unfilled';
  return { ...leg, status, filled };
}

/** Which legs may receive leg events in this phase. */
function activeLegs(state: AttemptState): readonly LegIndex[] {
  if (state.phase === 'first-leg-sent') return [state.firstLeg];
  return [0, 1];
}

/** The transition function. Never throws; an illegal event is an error value. */
export function transition(state: AttemptState, event: AttemptEvent): TransitionResult {
  const target = PHASE_TABLE[state.phase][event.type];
  if (target === undefined) return fail(`event ${event.type} is not allowed in phase ${state.phase}`);
  switch (event.type) {
    case 'legs-sent': {
      if (state.mode !== 'simultaneous') return fail('legs-sent is for simultaneous mode');
      const sent: LegState = { status: 'sent', requested: state.quotedSize, filled: 0n };
      return ok({ ...state, phase: 'legs-sent', legs: [sent, sent] });
    }
    case 'first-leg-sent': {
      if (state.mode !== 'sequential') return fail('first-leg-sent is for sequential mode');
      return ok({ ...setLeg(state, state.firstLeg, { status: 'sent', requested: state.quotedSize, filled: 0n }), phase: 'first-leg-sent' });
    }
    case 'hedge-sent': {
      const first = state.legs[state.firstLeg];
      if (!isLegDone(first)) return fail('the first leg is not done yet');
      if (first.filled === 0n) return fail('the first leg filled nothing: there is nothing to hedge');
      const hedgeIndex = otherLeg(state.firstLeg);
      const hedge = state.legs[hedgeIndex];
      if (legMove(hedge, 'sent') === undefined) return fail(`the hedge leg is ${hedge.status}`);
      return ok({ ...setLeg(state, hedgeIndex, { status: 'sent', requested: first.filled, filled: 0n }), phase: 'hedge-sent' });
    }
    case 'leg-report':
    case 'leg-unknown':
    case 'leg-rejected': {
      if (!activeLegs(state).includes(event.leg)) return fail(`leg ${event.leg} is not in play in phase ${state.phase}`);
      const leg = state.legs[event.leg];
      const what = `leg ${event.leg}`;
      if (event.type === 'leg-report') {
        const next = reportLeg(leg, event.filled, event.final, what);
        return typeof next === 'string' ? fail(next) : ok(setLeg(state, event.leg, next));
      }
      if (event.type === 'leg-unknown') {
        const to = legMove(leg, 'unknown');
        if (to === undefined || to === '*') return fail(`${what} is ${leg.status}: cannot become unknown`);
        return ok(setLeg(state, event.leg, { ...leg, status: to }));
      }
      const to = legMove(leg, 'rejected');
      if (to === undefined || to === '*') return fail(`${what} is ${leg.status}: cannot be rejected`);
      if (leg.filled > 0n) return fail(`${what} already filled ${leg.filled}: not a rejection`);
      return ok(setLeg(state, event.leg, { ...leg, status: to }));
    }
    case 'settle':
      return settle(state, event.voided);
    case 'unwind-sent': {
      if (state.policy !== 'unwind') return fail('the policy for unequal fills is alert, not unwind');
      const excess = excessOf(state);
      if (excess === null) return fail('no excess to unwind');
      const size = event.size ?? excess.size;
      const gone = event.gone ?? 0n;
      if (size <= 0n || gone < 0n || size + gone > excess.size) return fail(`an unwind of ${size} (${gone} withheld) does not fit the excess of ${excess.size}`);
      return ok({ ...state, phase: 'unwinding', unwind: { leg: excess.leg, status: 'sent', requested: size, filled: 0n, gone } });
    }
    case 'unwind-report':
    case 'unwind-unknown':
    case 'unwind-rejected': {
      const u = state.unwind;
      if (u === null) return fail('no unwind in progress');
      if (event.type === 'unwind-report') {
        const next = reportLeg(u, event.filled, event.final, 'the unwind');
        return typeof next === 'string' ? fail(next) : ok({ ...state, unwind: { ...next, leg: u.leg, gone: u.gone } });
      }
      const to = legMove(u, event.type === 'unwind-unknown' ? 'unknown' : 'rejected');
      if (to === undefined || to === '*') return fail(`the unwind is ${u.status}: ${event.type} not allowed`);
      if (event.type === 'unwind-rejected' && u.filled > 0n) return fail('the unwind already filled: not a rejection');
      return ok({ ...state, unwind: { ...u, status: to } });
    }
    case 'finish': {
      const u = state.unwind;
      if (u === null) return fail('no unwind to finish');
      if (!isLegDone(u)) return fail(`the unwind is ${u.status}: resolve it first`);
      const voided = event.voided ?? 0n;
      if (voided < 0n || voided > u.filled) return fail(`voided shares (${voided}) do not fit the unwind's fill of ${u.filled}`);
      return done(state, classifyFills(state.quotedSize, state.legs[0].filled, state.legs[1].filled, { leg: u.leg, sold: u.filled - voided, gone: u.gone }));
    }
    case 'alert': {
      const excess = excessOf(state);
      if (excess === null) return fail('no excess to alert about');
      const gone = event.gone ?? 0n;
      if (gone < 0n || gone > excess.size) return fail(`${gone} withheld shares do not fit the excess of ${excess.size}`);
      return done(state, classifyFills(state.quotedSize, state.legs[0].filled, state.legs[1].filled, gone > 0n ? { leg: excess.leg, sold: 0n, gone } : null));
    }
    case 'abort':
      return done(state, { classification: 'failed', hedged: 0n, exposed: null });
  }
}

function done(state: AttemptState, outcome: AttemptOutcome): TransitionResult {
  return ok({ ...state, phase: 'done', outcome });
}

function settle(state: AttemptState, voided?: readonly [Size, Size]): TransitionResult {
  let s = state;
  if (voided !== undefined && (voided[0] !== 0n || voided[1] !== 0n)) {
    const [v0, v1] = voided;
    if (v0 < 0n || v1 < 0n || v0 > s.legs[0].filled || v1 > s.legs[1].filled) return fail(`voided shares (${v0}, ${v1}) do not fit the fills`);
    s = setLeg(setLeg(s, 0, { ...s.legs[0], filled: s.legs[0].filled - v0 }), 1, { ...s.legs[1], filled: s.legs[1].filled - v1 });
  }
  if (s.phase === 'first-leg-sent') {
    const first = s.legs[s.firstLeg];
    if (!isLegDone(first)) return fail('the first leg is not done yet');
    if (first.filled > 0n) return fail('the first leg filled: send the hedge before settling');
    s = setLeg(s, otherLeg(s.firstLeg), { status: 'skipped', requested: 0n, filled: 0n });
  }
  if (!isLegDone(s.legs[0]) || !isLegDone(s.legs[1])) return fail('a leg is still in flight or unresolved');
  const excess = excessOf(s);
  if (excess !== null) return ok({ ...s, phase: 'unequal' });
  return done(s, classifyFills(s.quotedSize, s.legs[0].filled, s.legs[1].filled, null));
}

/** Apply or throw (for callers that consider an illegal transition a bug). */
export function applyEvent(state: AttemptState, event: AttemptEvent): AttemptState {
  const r = transition(state, event);
  if (!r.ok) throw new AttemptTransitionError(r.error);
  return r.state;
}

/** A one-word status for the trade row: the phase, or the classification once done. */
export function attemptStatusWord(state: AttemptState): string {
  return state.phase === 'done' && state.outcome ? state.outcome.classification : state.phase;
}

export const FINAL_STATUS_WORDS: ReadonlySet<string> = new Set<AttemptClassification>([
  'complete',
  'hedged-partial',
  'unwound',
  'one-leg-exposed',
  'failed',
]);
