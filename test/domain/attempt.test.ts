import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEvent,
  AttemptTransitionError,
  classifyFills,
  initialAttempt,
  isLegDone,
  LEG_TABLE,
  PHASE_TABLE,
  transition,
  type AttemptEvent,
  type AttemptState,
  type LegIndex,
  type LegState,
  type LegStatus,
} from '../../source/domain/attempt.js';

const Q = 10_000_000n; // 10 contracts

function run(state: AttemptState, events: readonly AttemptEvent[]): AttemptState {
  return events.reduce(applyEvent, state);
}

describe('attempt FSM: simultaneous', () => {
  const start = initialAttempt({ quotedSize: Q, mode: 'simultaneous', policy: 'unwind' });

  it('both legs filled → complete', () => {
    const s = run(start, [
      { type: 'legs-sent' },
      { type: 'leg-report', leg: 0, filled: Q, final: true },
      { type: 'leg-report', leg: 1, filled: Q, final: true },
      { type: 'settle' },
    ]);
    expect(s.phase).toBe('done');
    expect(s.outcome).toEqual({ classification: 'complete', hedged: Q, exposed: null });
  });

  it('equal partial fills → hedged-partial', () => {
    const s = run(start, [
      { type: 'legs-sent' },
      { type: 'leg-report', leg: 0, filled: 4_000_000n, final: true },
      { type: 'leg-report', leg: 1, filled: 4_000_000n, final: true },
      { type: 'settle' },
    ]);
    expect(s.outcome?.classification).toBe('hedged-partial');
    expect(s.outcome?.hedged).toBe(4_000_000n);
  });

  it('one leg rejected, the other filled → unequal → unwind the excess exactly → unwound', () => {
    let s = run(start, [
      { type: 'legs-sent' },
      { type: 'leg-rejected', leg: 1 },
      { type: 'leg-report', leg: 0, filled: Q, final: true },
      { type: 'settle' },
    ]);
    expect(s.phase).toBe('unequal');
    s = applyEvent(s, { type: 'unwind-sent' });
    expect(s.unwind).toEqual({ leg: 0, status: 'sent', requested: Q, filled: 0n, gone: 0n });
    // the unwind can never sell more than the excess
    expect(transition(s, { type: 'unwind-report', filled: Q + 1n, final: true }).ok).toBe(false);
    s = run(s, [{ type: 'unwind-report', filled: Q, final: true }, { type: 'finish' }]);
    expect(s.outcome).toEqual({ classification: 'unwound', hedged: 0n, exposed: null });
  });

  it('shares the venue withheld as its fee are not sold: the unwind sells the excess held, and the attempt is unwound, not exposed', () => {
    const unequal = run(start, [
      { type: 'legs-sent' },
      { type: 'leg-report', leg: 0, filled: 6_000_000n, final: true },
      { type: 'leg-report', leg: 1, filled: Q, final: true },
      { type: 'settle' },
    ]);
    // 4 matched in excess on the Polymarket leg, 0.15 of them withheld as the fee
    const s = applyEvent(unequal, { type: 'unwind-sent', size: 3_850_000n, gone: 150_000n });
    expect(s.unwind).toEqual({ leg: 1, status: 'sent', requested: 3_850_000n, filled: 0n, gone: 150_000n });
    expect(transition(s, { type: 'unwind-report', filled: 4_000_000n, final: true }).ok).toBe(false);
    const done = run(s, [{ type: 'unwind-report', filled: 3_850_000n, final: true }, { type: 'finish' }]);
    expect(done.outcome).toEqual({ classification: 'unwound', hedged: 6_000_000n, exposed: null });
    // more than the excess, or nothing, is refused
    expect(transition(unequal, { type: 'unwind-sent', size: 3_900_000n, gone: 150_000n }).ok).toBe(false);
    expect(transition(unequal, { type: 'unwind-sent', size: 0n }).ok).toBe(false);
    // withheld shares that are the whole excess: nothing to sell, nothing exposed
    const evened = applyEvent(run(start, [
      { type: 'legs-sent' },
      { type: 'leg-report', leg: 0, filled: 9_900_000n, final: true },
      { type: 'leg-report', leg: 1, filled: Q, final: true },
      { type: 'settle' },
    ]), { type: 'alert', gone: 100_000n });
    expect(evened.outcome).toEqual({ classification: 'hedged-partial', hedged: 9_900_000n, exposed: null });
  });

  it('a partly filled unwind leaves one leg exposed', () => {
    const s = run(start, [
      { type: 'legs-sent' },
      { type: 'leg-report', leg: 0, filled: Q, final: true },
      { type: 'leg-report', leg: 1, filled: 6_000_000n, final: true },
      { type: 'settle' },
      { type: 'unwind-sent' },
      { type: 'unwind-unknown' },
      { type: 'unwind-report', filled: 1_000_000n, final: true },
      { type: 'finish' },
    ]);
    expect(s.outcome).toEqual({ classification: 'one-leg-exposed', hedged: 6_000_000n, exposed: { leg: 0, size: 3_000_000n } });
  });

  it('timeout then filled: unknown → resolving → filled; never a second send', () => {
    let s = run(start, [{ type: 'legs-sent' }, { type: 'leg-unknown', leg: 0 }]);
    expect(s.legs[0].status).toBe('resolving');
    expect(transition(s, { type: 'legs-sent' }).ok).toBe(false);
    expect(transition(s, { type: 'settle' }).ok).toBe(false);
    s = run(s, [
      { type: 'leg-report', leg: 0, filled: 2_000_000n, final: false },
      { type: 'leg-report', leg: 0, filled: Q, final: true },
      { type: 'leg-report', leg: 1, filled: Q, final: true },
      { type: 'settle' },
    ]);
    expect(s.outcome?.classification).toBe('complete');
  });

  it('alert policy: unwind-sent refused, alert → one-leg-exposed', () => {
    const alert = initialAttempt({ quotedSize: Q, mode: 'simultaneous', policy: 'alert' });
    const s = run(alert, [
      { type: 'legs-sent' },
      { type: 'leg-report', leg: 0, filled: 0n, final: true },
      { type: 'leg-report', leg: 1, filled: 3_000_000n, final: true },
      { type: 'settle' },
    ]);
    expect(transition(s, { type: 'unwind-sent' })).toEqual({ ok: false, error: expect.stringContaining('alert') });
    const d = applyEvent(s, { type: 'alert' });
    expect(d.outcome).toEqual({ classification: 'one-leg-exposed', hedged: 0n, exposed: { leg: 1, size: 3_000_000n } });
  });

  it('both rejected → failed; abort from intent → failed; applyEvent throws on illegal events', () => {
    const s = run(start, [{ type: 'legs-sent' }, { type: 'leg-rejected', leg: 0 }, { type: 'leg-rejected', leg: 1 }, { type: 'settle' }]);
    expect(s.outcome?.classification).toBe('failed');
    expect(applyEvent(start, { type: 'abort' }).outcome?.classification).toBe('failed');
    expect(() => applyEvent(start, { type: 'settle' })).toThrow(AttemptTransitionError);
    expect(() => applyEvent(s, { type: 'legs-sent' })).toThrow(/not allowed in phase done/);
  });

  it('refuses fills that go down or exceed the request, and a rejection after a fill', () => {
    const s = run(start, [{ type: 'legs-sent' }, { type: 'leg-report', leg: 0, filled: 5_000_000n, final: false }]);
    expect(transition(s, { type: 'leg-report', leg: 0, filled: 4_000_000n, final: true }).ok).toBe(false);
    expect(transition(s, { type: 'leg-report', leg: 0, filled: Q + 1n, final: true }).ok).toBe(false);
    expect(transition(s, { type: 'leg-rejected', leg: 0 }).ok).toBe(false);
  });
});

describe('attempt FSM: sequential', () => {
  const start = initialAttempt({ quotedSize: Q, mode: 'sequential', policy: 'unwind', firstLeg: 1 });

  it('the hedge asks exactly what the first leg filled', () => {
    let s = run(start, [{ type: 'first-leg-sent' }]);
    expect(s.legs[1].status).toBe('sent');
    expect(s.legs[0].status).toBe('planned');
    expect(transition(s, { type: 'leg-report', leg: 0, filled: 0n, final: true }).ok).toBe(false);
    expect(transition(s, { type: 'hedge-sent' }).ok).toBe(false);
    s = run(s, [{ type: 'leg-report', leg: 1, filled: 7_000_000n, final: true }, { type: 'hedge-sent' }]);
    expect(s.legs[0]).toEqual({ status: 'sent', requested: 7_000_000n, filled: 0n });
    s = run(s, [{ type: 'leg-report', leg: 0, filled: 7_000_000n, final: true }, { type: 'settle' }]);
    expect(s.outcome).toEqual({ classification: 'hedged-partial', hedged: 7_000_000n, exposed: null });
  });

  it('first leg filled nothing → the hedge is skipped, failed', () => {
    const s = run(start, [{ type: 'first-leg-sent' }, { type: 'leg-report', leg: 1, filled: 0n, final: true }, { type: 'settle' }]);
    expect(s.legs[0].status).toBe('skipped');
    expect(s.outcome?.classification).toBe('failed');
  });

  it('mode mismatches are refused', () => {
    expect(transition(start, { type: 'legs-sent' }).ok).toBe(false);
    expect(transition(initialAttempt({ quotedSize: Q, mode: 'simultaneous', policy: 'alert' }), { type: 'first-leg-sent' }).ok).toBe(false);
  });
});

describe('classifyFills', () => {
  it('classifies every combination consistently', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 100n }), fc.bigInt({ min: 0n, max: 100n }), fc.bigInt({ min: 0n, max: 100n }), (q, a, b) => {
        fc.pre(a <= q && b <= q);
        const o = classifyFills(q, a, b, null);
        expect(o.hedged).toBe(a < b ? a : b);
        expect(o.hedged + (o.exposed?.size ?? 0n)).toBe(a > b ? a : b);
        if (a === b) expect(o.classification).toBe(a === 0n ? 'failed' : a === q ? 'complete' : 'hedged-partial');
        else expect(o.classification).toBe('one-leg-exposed');
      }),
    );
  });
});

// ---------------------------------------------------------------- properties

const legArb = fc.constantFrom<LegIndex>(0, 1);
const sizeArb = fc.bigInt({ min: 0n, max: 12n }).map((n) => n * 1_000_000n);
const eventArb: fc.Arbitrary<AttemptEvent> = fc.oneof(
  fc.constant<AttemptEvent>({ type: 'legs-sent' }),
  fc.constant<AttemptEvent>({ type: 'first-leg-sent' }),
  fc.constant<AttemptEvent>({ type: 'hedge-sent' }),
  fc.record({ type: fc.constant('leg-report' as const), leg: legArb, filled: sizeArb, final: fc.boolean() }),
  fc.record({ type: fc.constant('leg-unknown' as const), leg: legArb }),
  fc.record({ type: fc.constant('leg-rejected' as const), leg: legArb }),
  fc.constant<AttemptEvent>({ type: 'settle' }),
  // shares the venue voided when the fills were read (settle) or of the unwind's sale (finish)
  fc.record({ type: fc.constant('settle' as const), voided: fc.tuple(sizeArb, sizeArb) }),
  fc.constant<AttemptEvent>({ type: 'unwind-sent' }),
  fc.record({ type: fc.constant('unwind-sent' as const), size: sizeArb, gone: fc.bigInt({ min: 0n, max: 2_000_000n }) }),
  fc.record({ type: fc.constant('unwind-report' as const), filled: sizeArb, final: fc.boolean() }),
  fc.constant<AttemptEvent>({ type: 'unwind-unknown' }),
  fc.constant<AttemptEvent>({ type: 'unwind-rejected' }),
  fc.constant<AttemptEvent>({ type: 'alert' }),
  fc.constant<AttemptEvent>({ type: 'finish' }),
  fc.record({ type: fc.constant('finish' as const), voided: sizeArb }),
  fc.constant<AttemptEvent>({ type: 'abort' }),
);

function legChangeAllowed(from: LegState, to: LegState): boolean {
  if (from.status === to.status) return from.status === 'resolving' || from.status === 'sent' ? true : from.filled === to.filled;
  const moves = LEG_TABLE[from.status] as Record<string, LegStatus | '*'>;
  const targets = Object.values(moves);
  const reportTargets: LegStatus[] = ['filled', 'partial', 'unfilled', 'resolving'];
  return targets.includes(to.status) || (targets.includes('*') && reportTargets.includes(to.status));
}

/**
 * `voided`: shares were voided at settle, so from then on a leg's `filled` is what it
 * delivered: a `filled` leg may hold less than it asked, and a sequential hedge was sized
 * on the first leg's fill before its voided shares were taken off.
 */
function checkInvariants(s: AttemptState, voided = false): void {
  for (const leg of s.legs) {
    expect(leg.filled).toBeGreaterThanOrEqual(0n);
    expect(leg.filled).toBeLessThanOrEqual(leg.requested);
    expect(leg.requested).toBeLessThanOrEqual(s.quotedSize); // never more than the quoted size
    if (leg.status === 'filled' && !voided) expect(leg.filled).toBe(leg.requested);
    if (leg.status === 'rejected' || leg.status === 'unfilled' || leg.status === 'skipped') expect(leg.filled).toBe(0n);
  }
  if (s.mode === 'sequential' && !voided) {
    const first = s.legs[s.firstLeg];
    const hedge = s.legs[s.firstLeg === 0 ? 1 : 0];
    // the hedge never exceeds what the first leg filled
    if (hedge.status !== 'planned' && hedge.status !== 'skipped') expect(hedge.requested).toBe(first.filled);
    expect(hedge.filled).toBeLessThanOrEqual(first.filled);
  }
  if (s.unwind) {
    const u = s.unwind;
    const other = s.legs[u.leg === 0 ? 1 : 0];
    // the excess, less what the venue withheld as its fee: never more
    expect(u.requested + u.gone).toBeLessThanOrEqual(s.legs[u.leg].filled - other.filled);
    expect(u.requested).toBeGreaterThan(0n);
    expect(u.filled).toBeLessThanOrEqual(u.requested);
  }
  if (s.phase === 'done') {
    expect(s.outcome).not.toBeNull();
    expect(isLegDone(s.legs[0]) || s.legs[0].status === 'planned').toBe(true);
  } else expect(s.outcome).toBeNull();
}

/** A done attempt's outcome counts what each leg holds: delivered, less what the unwind sold (a voided sale is not sold). */
function checkOutcome(s: AttemptState, saleVoided: bigint): void {
  if (s.phase !== 'done' || s.outcome === null) return;
  const o = s.outcome;
  const sold = (s.unwind?.filled ?? 0n) - saleVoided + (s.unwind?.gone ?? 0n);
  const held0 = s.legs[0].filled - (s.unwind?.leg === 0 ? sold : 0n);
  const held1 = s.legs[1].filled - (s.unwind?.leg === 1 ? sold : 0n);
  expect(o.hedged).toBe(held0 < held1 ? held0 : held1);
  expect(o.exposed?.size ?? 0n).toBe(held0 > held1 ? held0 - held1 : held1 - held0);
  if (o.classification === 'complete') expect(o.hedged).toBe(s.quotedSize);
}

describe('attempt FSM properties', () => {
  it('over random event sequences: only table transitions are accepted and the invariants hold', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('simultaneous' as const, 'sequential' as const),
        fc.constantFrom('unwind' as const, 'alert' as const),
        legArb,
        fc.bigInt({ min: 1n, max: 10n }).map((n) => n * 1_000_000n),
        fc.array(eventArb, { maxLength: 40 }),
        (mode, policy, firstLeg, quoted, events) => {
          let s = initialAttempt({ quotedSize: quoted, mode, policy, firstLeg });
          let voidedAtSettle = false;
          let saleVoided = 0n;
          for (const e of events) {
            const r = transition(s, e);
            if (!r.ok) {
              expect(r.error.length).toBeGreaterThan(0);
              continue;
            }
            const next = r.state;
            // the phase table allows it
            const target = PHASE_TABLE[s.phase][e.type];
            expect(target).toBeDefined();
            if (target !== '*') expect(next.phase).toBe(target);
            const voided = e.type === 'settle' ? (e.voided ?? [0n, 0n]) : ([0n, 0n] as const);
            // every leg change is in the leg table, apart from the shares voided at settle (taken
            // off exactly: below); nothing changes once done
            for (const i of [0, 1] as const) {
              expect(legChangeAllowed(s.legs[i], { ...next.legs[i], filled: next.legs[i].filled + voided[i] })).toBe(true);
            }
            expect(s.phase).not.toBe('done');
            if (voided[0] > 0n || voided[1] > 0n) voidedAtSettle = true;
            if (e.type === 'finish') saleVoided = e.voided ?? 0n;
            // fills never go down, except by the shares voided at settle, exactly
            for (const i of [0, 1] as const) {
              if (voided[i] > 0n) expect(next.legs[i].filled).toBe(s.legs[i].filled - voided[i]);
              else expect(next.legs[i].filled).toBeGreaterThanOrEqual(s.legs[i].filled);
            }
            // a voided sale is not sold: the unwind's own record is left as reported
            if (e.type === 'finish') expect(next.unwind).toEqual(s.unwind);
            checkInvariants(next, voidedAtSettle);
            s = next;
          }
          checkOutcome(s, saleVoided);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a sequential first leg whose whole fill is voided at settle: the hedge is skipped, nothing held (found by the property above)', () => {
    let s = initialAttempt({ quotedSize: 3_000_000n, mode: 'sequential', policy: 'unwind', firstLeg: 0 });
    for (const e of [
      { type: 'first-leg-sent' },
      { type: 'leg-report', leg: 0, filled: 3_000_000n, final: true },
      { type: 'settle', voided: [3_000_000n, 0n] },
    ] as const) {
      const r = transition(s, e);
      expect(r.ok, e.type).toBe(true);
      if (r.ok) s = r.state;
    }
    expect(s.phase).toBe('done');
    expect(s.legs[0]).toMatchObject({ status: 'filled', requested: 3_000_000n, filled: 0n });
    expect(s.legs[1]).toMatchObject({ status: 'skipped', filled: 0n });
    expect(s.outcome).toEqual({ classification: 'failed', hedged: 0n, exposed: null });
  });

  it('every reachable done state has a classification matching the fills (directed generator)', () => {
    // A generator that only plays legal moves, so long runs reach done often.
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 30, maxLength: 30 }), fc.boolean(), fc.boolean(), (choices, seq, unwind) => {
        let s = initialAttempt({ quotedSize: Q, mode: seq ? 'sequential' : 'simultaneous', policy: unwind ? 'unwind' : 'alert' });
        let k = 0;
        const pick = (): number => choices[k++ % choices.length] as number;
        let voidedAtSettle = false;
        let saleVoided = 0n;
        for (let step = 0; step < 30 && s.phase !== 'done'; step += 1) {
          const candidates: AttemptEvent[] = [];
          for (const leg of [0, 1] as const) {
            const l = s.legs[leg];
            const room = l.requested - l.filled;
            const f = l.filled + (room * BigInt(pick() % 11)) / 10n;
            candidates.push({ type: 'leg-report', leg, filled: f, final: pick() % 3 !== 0 }, { type: 'leg-unknown', leg }, { type: 'leg-rejected', leg });
          }
          const u = s.unwind;
          const uf = u ? u.filled + ((u.requested - u.filled) * BigInt(pick() % 11)) / 10n : 0n;
          candidates.push(
            { type: 'legs-sent' },
            { type: 'first-leg-sent' },
            { type: 'hedge-sent' },
            { type: 'settle' },
            // some of each leg's matched shares voided by the venue when the fills were read
            { type: 'settle', voided: [(s.legs[0].filled * BigInt(pick() % 11)) / 10n, (s.legs[1].filled * BigInt(pick() % 11)) / 10n] },
            { type: 'unwind-sent' },
            { type: 'alert' },
            { type: 'finish' },
            { type: 'finish', voided: ((u?.filled ?? 0n) * BigInt(pick() % 11)) / 10n },
            { type: 'unwind-report', filled: uf, final: pick() % 2 === 0 },
            { type: 'unwind-rejected' },
          );
          const legal = candidates
            .map((e) => ({ e, r: transition(s, e) }))
            .filter((x): x is { e: AttemptEvent; r: { ok: true; state: AttemptState } } => x.r.ok);
          if (legal.length === 0) break;
          const { e, r } = legal[pick() % legal.length] as { e: AttemptEvent; r: { ok: true; state: AttemptState } };
          if (e.type === 'settle' && e.voided !== undefined && (e.voided[0] > 0n || e.voided[1] > 0n)) {
            voidedAtSettle = true;
            // each leg delivered what it matched less what the venue voided
            for (const i of [0, 1] as const) expect(r.state.legs[i].filled).toBe(s.legs[i].filled - e.voided[i]);
          }
          if (e.type === 'finish') saleVoided = e.voided ?? 0n;
          s = r.state;
          checkInvariants(s, voidedAtSettle);
        }
        checkOutcome(s, saleVoided);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('attempt FSM: shares voided by the venue when the fills were read', () => {
  const simultaneous = initialAttempt({ quotedSize: Q, mode: 'simultaneous', policy: 'unwind' });
  const filled = (a: bigint, b: bigint): AttemptEvent[] => [
    { type: 'legs-sent' },
    { type: 'leg-report', leg: 0, filled: a, final: true },
    { type: 'leg-report', leg: 1, filled: b, final: true },
  ];

  it('are not held: equal matched fills with some voided on one leg are unequal, and the excess is the other leg', () => {
    const s = run(simultaneous, [...filled(Q, Q), { type: 'settle', voided: [0n, 4_000_000n] }]);
    expect(s.phase).toBe('unequal');
    const u = applyEvent(s, { type: 'unwind-sent' });
    expect(u.unwind).toMatchObject({ leg: 0, requested: 4_000_000n });
    const done = run(u, [{ type: 'unwind-report', filled: 4_000_000n, final: true }, { type: 'finish' }]);
    expect(done.outcome).toEqual({ classification: 'unwound', hedged: 6_000_000n, exposed: null });
  });

  it('make unequal matched fills equal when the voided shares are the excess', () => {
    const s = run(simultaneous, [...filled(5_000_000n, Q), { type: 'settle', voided: [0n, 5_000_000n] }]);
    expect(s.outcome).toEqual({ classification: 'hedged-partial', hedged: 5_000_000n, exposed: null });
  });

  it("an unwind's sale the venue voided is not sold: the excess stays exposed", () => {
    const s = run(simultaneous, [...filled(Q, 6_000_000n), { type: 'settle' }, { type: 'unwind-sent' }, { type: 'unwind-report', filled: 4_000_000n, final: true }]);
    expect(applyEvent(s, { type: 'finish', voided: 4_000_000n }).outcome).toEqual({ classification: 'one-leg-exposed', hedged: 6_000_000n, exposed: { leg: 0, size: 4_000_000n } });
    expect(applyEvent(s, { type: 'finish', voided: 1_000_000n }).outcome).toEqual({ classification: 'one-leg-exposed', hedged: 6_000_000n, exposed: { leg: 0, size: 1_000_000n } });
    expect(transition(s, { type: 'finish', voided: 5_000_000n }).ok).toBe(false);
  });

  it('cannot be more than a leg matched, nor negative', () => {
    const s = run(simultaneous, filled(Q, 2_000_000n));
    expect(transition(s, { type: 'settle', voided: [0n, 3_000_000n] }).ok).toBe(false);
    expect(transition(s, { type: 'settle', voided: [-1n, 0n] }).ok).toBe(false);
    expect(transition(s, { type: 'settle', voided: [0n, 0n] })).toMatchObject({ ok: true });
  });

  it('sequential: a first leg wholly voided leaves nothing to hedge: the hedge is skipped, failed', () => {
    const sequential = initialAttempt({ quotedSize: Q, mode: 'sequential', policy: 'unwind', firstLeg: 1 });
    const s = run(sequential, [
      { type: 'first-leg-sent' },
      { type: 'leg-report', leg: 1, filled: Q, final: true },
      { type: 'settle', voided: [0n, Q] },
    ]);
    expect(s.legs[0].status).toBe('skipped');
    expect(s.outcome).toEqual({ classification: 'failed', hedged: 0n, exposed: null });
    // without the voided shares the hedge must be sent first
    expect(transition(run(sequential, [{ type: 'first-leg-sent' }, { type: 'leg-report', leg: 1, filled: Q, final: true }]), { type: 'settle' }).ok).toBe(false);
  });
});

describe('attempt FSM: voided shares, property', () => {
  it('settled with voided shares, legs count what they delivered; the unwind sells the delivered excess; a voided sale is not sold', () => {
    const M = 1_000_000n;
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n }),
        fc.bigInt({ min: 0n, max: 10n }),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 10 }),
        fc.boolean(),
        (f0, f1, a, b, tenths, saleVoided) => {
          const [F0, F1] = [f0 * M, f1 * M];
          const v0 = (BigInt(a) * M) % (F0 + M);
          const v1 = (BigInt(b) * M) % (F1 + M);
          let s = run(initialAttempt({ quotedSize: 10n * M, mode: 'simultaneous', policy: 'unwind' }), [
            { type: 'legs-sent' },
            { type: 'leg-report', leg: 0, filled: F0, final: true },
            { type: 'leg-report', leg: 1, filled: F1, final: true },
          ]);
          s = applyEvent(s, { type: 'settle', voided: [v0, v1] });
          const [d0, d1] = [F0 - v0, F1 - v1];
          expect([s.legs[0].filled, s.legs[1].filled]).toEqual([d0, d1]);
          if (d0 === d1) {
            expect(s.outcome).toEqual(classifyFills(10n * M, d0, d1, null));
            return;
          }
          expect(s.phase).toBe('unequal');
          s = applyEvent(s, { type: 'unwind-sent' });
          const longer: LegIndex = d0 > d1 ? 0 : 1;
          const excess = longer === 0 ? d0 - d1 : d1 - d0;
          expect(s.unwind).toMatchObject({ leg: longer, requested: excess });
          const sold = (excess * BigInt(tenths)) / 10n;
          s = applyEvent(s, { type: 'unwind-report', filled: sold, final: true });
          s = applyEvent(s, { type: 'finish', voided: saleVoided ? sold : 0n });
          const held: [bigint, bigint] = [d0, d1];
          held[longer] -= saleVoided ? 0n : sold;
          const [h0, h1] = held;
          expect(s.outcome?.hedged).toBe(h0 < h1 ? h0 : h1);
          expect(s.outcome?.exposed?.size ?? 0n).toBe(h0 > h1 ? h0 - h1 : h1 - h0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
