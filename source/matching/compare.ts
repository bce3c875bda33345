/**
 * Judge one Kalshi market against one Polymarket market: structured checks
 * that veto (outcome, statistic, office, party, place, district, group, date,
 * numbers and comparators, resolution source), then relation and polarity
 * (which Polymarket outcome pays when Kalshi YES pays), then a confidence
 * with human-readable reasons and warnings.
 */
import type { DayDate, Quantity, Stance } from './extract.js';
import { formatDay, opposedAxes, poleName, poleWord, STANCE_AXES } from './extract.js';
import { fingerprintOfMarket, pairKey, type MatchCandidate, type Relation } from './candidate.js';
import { siblingNames, type MarketDoc } from './market-doc.js';
import { normaliseToTokens } from './normalize.js';
import { CLOSE_VETO_DAYS, closeVeto, DAY_MS, endOfDayMs, GAME_CLOSE_DAYS, type CloseFacts } from './close-times.js';

/** The matcher's vocabulary as the evaluation reads it: token ids, their text, their IDF. */
export interface Lexicon {
  token(id: number): string;
  lookup(token: string): number | undefined;
  idfOf(id: number): number;
}

type Polarity = 'same' | 'inverse';

interface QuantityVerdict {
  readonly veto: string | null;
  readonly polarity: Polarity;
  readonly warnings: string[];
  readonly matched: number;
}

const ONE_CENT_AT_SCALE = 10_000n;

const COMPARATOR_WORDS: Readonly<Record<string, string>> = {
  gt: 'above', ge: 'at least', lt: 'below', le: 'at most', eq: '', between: 'between', line: 'line', unknown: 'strike',
};

function describe(q: Quantity): string {
  const unit = q.unit === null ? '' : q.unit === 'usd' ? ' $' : ` ${q.unit}`;
  const value = q.cmp === 'between' ? `${q.text}–${q.hiText ?? '?'}` : q.text;
  return `${COMPARATOR_WORDS[q.cmp] ?? q.cmp} ${value}${unit}${q.from === 'ticker' ? ' (ticker)' : ''}`.trim();
}

function sameHi(a: Quantity, b: Quantity): 'equal' | 'edge' | false {
  if (a.hi === null || b.hi === null) return a.hi === b.hi ? 'equal' : false;
  if (a.hi === b.hi) return 'equal';
  // "between 100 and 104.99" is the bucket "between 100 and 105" written with a closed edge
  const [low, high] = a.hi < b.hi ? [a, b] : [b, a];
  if ((high.hi ?? 0n) - (low.hi ?? 0n) === ONE_CENT_AT_SCALE && (low.hiText ?? '').endsWith('.99')) return 'edge';
  return false;
}

function comparatorRelation(k: Quantity['cmp'], p: Quantity['cmp']): Polarity | null {
  if (k === 'unknown' || p === 'unknown') return null;
  if (k === p) return 'same';
  const pair = `${k}/${p}`;
  if (pair === 'gt/le' || pair === 'le/gt' || pair === 'ge/lt' || pair === 'lt/ge') return 'inverse';
  if (pair === 'gt/line' || pair === 'line/gt') return 'same';
  if (pair === 'lt/line' || pair === 'line/lt') return 'inverse';
  return null;
}

const significant = (q: Quantity): boolean => q.cmp !== 'eq' || q.unit !== null;

export function compareQuantities(kq: readonly Quantity[], pq: readonly Quantity[]): QuantityVerdict {
  const warnings: string[] = [];
  if (kq.length === 0 && pq.length === 0) return { veto: null, polarity: 'same', warnings, matched: 0 };
  const used = new Set<number>();
  const pairs: Array<[Quantity, Quantity]> = [];
  const unmatchedK: Quantity[] = [];
  for (const k of kq) {
    const idx = pq.findIndex((p, i) => !used.has(i) && p.value === k.value && sameHi(k, p) !== false);
    if (idx < 0) unmatchedK.push(k);
    else {
      used.add(idx);
      pairs.push([k, pq[idx] as Quantity]);
    }
  }
  const unmatchedP = pq.filter((_, i) => !used.has(i));
  const list = (qs: readonly Quantity[]): string => qs.map(describe).join(', ');
  if (unmatchedK.some(significant) || unmatchedP.some(significant) || (unmatchedK.length > 0 && unmatchedP.length > 0)) {
    return {
      veto: `numbers differ: Kalshi [${list(kq)}] vs Polymarket [${list(pq)}]`,
      polarity: 'same',
      warnings,
      matched: 0,
    };
  }
  if (unmatchedK.length > 0) warnings.push(`number ${list(unmatchedK)} only on Kalshi`);
  if (unmatchedP.length > 0) warnings.push(`number ${list(unmatchedP)} only on Polymarket`);
  let polarity: Polarity | null = null;
  for (const [k, p] of pairs) {
    const rel = comparatorRelation(k.cmp, p.cmp);
    if (rel === null) {
      return { veto: `comparator differs: Kalshi ${describe(k)} vs Polymarket ${describe(p)}`, polarity: 'same', warnings, matched: 0 };
    }
    if (k.unit !== null && p.unit !== null && k.unit !== p.unit) {
      return { veto: `unit differs: Kalshi ${describe(k)} vs Polymarket ${describe(p)}`, polarity: 'same', warnings, matched: 0 };
    }
    if (polarity !== null && polarity !== rel) {
      return { veto: 'numbers agree in part and disagree in part', polarity: 'same', warnings, matched: 0 };
    }
    polarity = rel;
    if (sameHi(k, p) === 'edge') warnings.push(`bucket edge written differently: ${describe(k)} vs ${describe(p)}`);
    if (k.from === 'ticker') warnings.push(`Kalshi strike read from the ticker (${describe(k)})`);
  }
  return { veto: null, polarity: polarity ?? 'same', warnings, matched: pairs.length };
}

function sameDay(a: DayDate, b: DayDate): boolean {
  return a.m === b.m && a.d === b.d && (a.y === null || b.y === null || a.y === b.y);
}

function setsEqual(a: readonly string[], b: readonly string[]): boolean {
  // feature lists are shared between markets with equal ones (interned): most pairs compare one list with itself
  return a === b || (a.length === b.length && a.every((x) => b.includes(x)));
}

function cosine(k: MarketDoc, p: MarketDoc, lex: Lexicon): number {
  let dot = 0;
  let nk = 0;
  let np = 0;
  for (const t of k.ctx) {
    const w = lex.idfOf(t);
    nk += w * w;
    if (p.ctx.includes(t)) dot += w * w;
  }
  for (const t of p.ctx) {
    const w = lex.idfOf(t);
    np += w * w;
  }
  return nk === 0 || np === 0 ? 0 : dot / Math.sqrt(nk * np);
}

/** IDF-weighted share of `a`'s own words that `b` mentions (anywhere in its context). */
function coverage(a: MarketDoc, b: MarketDoc, lex: Lexicon): { share: number; missing: string[] } {
  let total = 0;
  let covered = 0;
  const missing: string[] = [];
  for (const t of a.own) {
    const w = lex.idfOf(t);
    total += w;
    if (b.ctx.includes(t)) covered += w;
    else missing.push(lex.token(t));
  }
  return { share: total === 0 ? 1 : covered / total, missing };
}

const intersect = (a: readonly number[], has: (t: number) => boolean): number[] => a.filter(has);

/** The words of token ids, joined by spaces. */
function words(ids: readonly number[], lex: Lexicon): string {
  return ids.map((t) => lex.token(t)).join(' ');
}

/** Does the text of an outcome name share a word with `mine`? */
function sideMeets(side: string, mine: readonly number[], lex: Lexicon): boolean {
  for (const t of new Set(normaliseToTokens(side))) {
    const id = lex.lookup(t);
    if (id !== undefined && mine.includes(id)) return true;
  }
  return false;
}

/** The market's fingerprint, computed (or `known`: computed ahead) once per doc (a doc is rebuilt when its market changes). */
function docFingerprint(d: MarketDoc, known: string | undefined): string {
  const cached = d.fingerprint;
  if (cached !== null) return cached;
  const value = flat(known ?? fingerprintOfMarket(d.market));
  (d as { fingerprint: string | null }).fingerprint = value;
  return value;
}

/**
 * Negation, opposite words and finishing position: the vetoes of a pair whose
 * texts ask opposite or other questions with the same words ("Will the Fed
 * not cut" vs "Will the Fed cut", "lose" vs "win", "place second" vs "win").
 * With `vetoes` null, only says whether there is one (the cheap veto).
 */
function stanceVetoes(k: Stance, p: Stance, vetoes: string[] | null): boolean {
  if (k === p) return false;
  let found = false;
  if ((k.negation === null) !== (p.negation === null)) {
    if (vetoes === null) return true;
    found = true;
    vetoes.push(
      k.negation !== null
        ? `negation on one side only: Kalshi says "${k.negation}", Polymarket does not (the opposite question)`
        : `negation on one side only: Polymarket says "${p.negation ?? ''}", Kalshi does not (the opposite question)`,
    );
  }
  const opposed = opposedAxes(k.poles, p.poles);
  if (opposed !== 0) {
    if (vetoes === null) return true;
    found = true;
    for (let axis = 0; axis < STANCE_AXES.length; axis += 1) {
      if ((opposed & (1 << axis)) === 0) continue;
      vetoes.push(
        `opposite ${STANCE_AXES[axis] ?? ''}: Kalshi "${poleWord(k, axis)}" (${poleName(k.poles, axis)}) vs Polymarket "${poleWord(p, axis)}" (${poleName(p.poles, axis)})`,
      );
    }
  }
  if (k.position !== p.position) {
    if (vetoes === null) return true;
    found = true;
    const name = (x: string | null): string => (x === null ? 'win (first)' : x.replace(/^ord(\d+)$/, 'place $1'));
    vetoes.push(`finishing position differs: Kalshi ${name(k.position)} vs Polymarket ${name(p.position)}`);
  }
  return found;
}

const CLOSE_WARN_DAYS = 2;
/** Kalshi closes a game's markets days after the game (its latest close: a postponed game): warn beyond this. */
const KALSHI_LATE_CLOSE_DAYS = 17;

interface DateNotes {
  readonly vetoes: string[];
  readonly warnings: string[];
  readonly reasons: string[];
}

function closeTimeOf(d: MarketDoc): number | null {
  const t = d.market.closeTime;
  return t !== null && Number.isFinite(t) ? t : null;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ms at the end (UTC) of a deadline day that states its year */
function endOfDay(day: DayDate): number {
  return endOfDayMs(day.y ?? 1970, day.m, day.d);
}

/** A market's dates as the close-time veto reads them (`close-times.ts`). */
export function closeFactsOf(d: MarketDoc): CloseFacts {
  const day = d.deadline;
  return {
    gameDay: d.gameDay ?? Number.NaN,
    close: closeTimeOf(d) ?? Number.NaN,
    hasDeadline: day !== null,
    deadlineEnd: day !== null && day.y !== null ? endOfDay(day) : Number.NaN,
  };
}

/**
 * Close times against game dates, deadlines and each other. Venues' close
 * times for one contract can differ by hours or a day or two (Polymarket's
 * endDate is often approximate; Kalshi closes a game's markets days after the
 * game), so only clear disagreements veto; smaller gaps warn. With `notes`
 * null, only says whether one vetoes (the cheap veto).
 */
export function closeTimeChecks(k: MarketDoc, p: MarketDoc, notes: DateNotes | null): boolean {
  // the decision alone: on numbers (the index makes the same one before asking the cheap veto)
  if (notes === null) return closeVeto(closeFactsOf(k), closeFactsOf(p));
  const kc = closeTimeOf(k);
  const pc = closeTimeOf(p);
  if (k.gameDay !== null || p.gameDay !== null) {
    // a game: when both sides date it, the game dates decide
    if (k.gameDay !== null && p.gameDay === null) {
      if (pc !== null) {
        const days = (pc - k.gameDay * DAY_MS) / DAY_MS;
        if (days < -GAME_CLOSE_DAYS || days > 1 + GAME_CLOSE_DAYS) {
          notes?.vetoes.push(`game date differs: Kalshi game on ${k.gameDate ?? ''}, Polymarket closes ${isoDay(pc)}`);
          return true;
        }
        notes?.reasons.push(`Polymarket closes ${isoDay(pc)}, by the Kalshi game date ${k.gameDate ?? ''}`);
      } else {
        notes?.warnings.push(`Polymarket states no game date (not in its text, event or close time): check it is the game of ${k.gameDate ?? ''}`);
      }
    }
    if (p.gameDay !== null && k.gameDay === null && kc !== null) {
      const days = (kc - p.gameDay * DAY_MS) / DAY_MS;
      if (days < -GAME_CLOSE_DAYS) {
        notes?.vetoes.push(`game date differs: Kalshi closes ${isoDay(kc)}, before the Polymarket game on ${p.gameDate ?? ''}`);
        return true;
      }
      if (days > KALSHI_LATE_CLOSE_DAYS) notes?.warnings.push(`Kalshi closes ${isoDay(kc)}, ${Math.round(days)} days after the Polymarket game on ${p.gameDate ?? ''}`);
    }
    return false;
  }
  if (kc !== null && pc !== null) {
    const gap = Math.abs(kc - pc) / DAY_MS;
    if (gap > CLOSE_VETO_DAYS && (k.deadline !== null || p.deadline !== null)) {
      notes?.vetoes.push(`close dates differ: Kalshi ${isoDay(kc)} vs Polymarket ${isoDay(pc)} (${Math.round(gap)} days apart)`);
      return true;
    }
    if (gap > CLOSE_WARN_DAYS) notes?.warnings.push(`close dates ${Math.round(gap)} days apart: Kalshi ${isoDay(kc)} vs Polymarket ${isoDay(pc)}`);
  }
  // a deadline on one side only (whose market has no close time), the other side's close time
  const one = (dated: MarketDoc, other: MarketDoc, otherClose: number | null, names: readonly [string, string]): boolean => {
    const day = dated.deadline;
    if (day === null || day.y === null || other.deadline !== null || otherClose === null || closeTimeOf(dated) !== null) return false;
    const gap = (otherClose - endOfDay(day)) / DAY_MS;
    if (Math.abs(gap) > CLOSE_VETO_DAYS) {
      notes?.vetoes.push(`close date differs: ${names[1]} closes ${isoDay(otherClose)}, ${Math.round(Math.abs(gap))} days ${gap < 0 ? 'before' : 'after'} the ${names[0]} deadline ${formatDay(day)}`);
      return true;
    }
    if (Math.abs(gap) > CLOSE_WARN_DAYS) notes?.warnings.push(`${names[1]} closes ${isoDay(otherClose)}, ${Math.round(Math.abs(gap))} days from the ${names[0]} deadline ${formatDay(day)}`);
    return false;
  };
  return one(k, p, pc, ['Kalshi', 'Polymarket']) || one(p, k, kc, ['Polymarket', 'Kalshi']);
}

/**
 * Evaluate the pair (Kalshi market, Polymarket market). `kFingerprint`,
 * `pFingerprint`: the markets' fingerprints when they were computed ahead (the
 * reader thread's, `ReadAhead.fingerprint`), for docs that hold none yet.
 */
export function evaluatePair(k: MarketDoc, p: MarketDoc, lex: Lexicon, kFingerprint?: string, pFingerprint?: string): MatchCandidate {
  const vetoes: string[] = [];
  const warnings: string[] = [];
  const reasons: string[] = [];
  let evidence = 0;

  if (k.placeholder) vetoes.push('Kalshi outcome is a placeholder name, not a named contract');
  if (p.placeholder) vetoes.push(`Polymarket outcome is a placeholder ("${p.market.title}"), not a named contract`);
  if (k.unresolved) vetoes.push('Kalshi title is the same for every outcome and the ticker suffix could not be read');

  // outcome: what tells a market apart from its siblings must be named on the other side
  const pNames = k.outcome.length > 0 ? intersect(k.outcome, (t) => !p.own.includes(t)) : [];
  if (k.outcome.length > 0) {
    if (pNames.length > 0) vetoes.push(`Kalshi outcome "${words(k.outcome, lex)}" is not named by the Polymarket market`);
    else {
      reasons.push(`same outcome: ${words(k.outcome, lex)}`);
      evidence += 0.1;
    }
  }
  if (p.outcome.length > 0) {
    const shared = intersect(p.outcome, (t) => k.ctx.includes(t));
    if (shared.length === 0) vetoes.push(`Polymarket outcome "${words(p.outcome, lex)}" is not named by the Kalshi market`);
    else if (k.outcome.length === 0) {
      reasons.push(`Polymarket outcome named on Kalshi: ${words(shared, lex)}`);
      evidence += 0.05;
    }
  }
  const kMarks = k.outcome.length > 0 ? k.outcome : k.own;
  const pMarks = p.outcome.length > 0 ? p.outcome : p.own;
  if (p.shape !== 'two-team') {
    const conflict = intersect(pMarks, (t) => siblingNames(k, t) && !kMarks.includes(t) && !k.eventWords.has(lex.token(t)));
    if (conflict.length > 0) vetoes.push(`Polymarket names "${words(conflict, lex)}", another Kalshi outcome of the event`);
  }
  const conflictP = intersect(kMarks, (t) => siblingNames(p, t) && !pMarks.includes(t) && !p.eventWords.has(lex.token(t)));
  if (k.teams && p.teams) {
    const kt = k.teams;
    const pt = p.teams;
    if (!meetsEither(kt[0], pt) || !meetsEither(kt[1], pt) || !meetsEither(pt[0], kt) || !meetsEither(pt[1], kt)) {
      vetoes.push(`teams differ: Kalshi "${k.teamNames?.join(' vs ') ?? ''}" vs Polymarket "${p.teamNames?.join(' vs ') ?? ''}"`);
    } else {
      reasons.push(`same game: ${k.teamNames?.join(' vs ') ?? ''}`);
      evidence += 0.05;
    }
  }
  if (conflictP.length > 0) vetoes.push(`Kalshi names "${words(conflictP, lex)}", another Polymarket outcome of the event`);

  // statistic and market kind
  if (!setsEqual(k.tags, p.tags)) {
    vetoes.push(`statistic differs: Kalshi [${k.tags.join(', ') || 'none'}] vs Polymarket [${p.tags.join(', ') || 'none'}]`);
  } else if (k.tags.length > 0) {
    reasons.push(`same statistic: ${k.tags.join(', ')}`);
    evidence += 0.05;
  }
  // a group vetoes only when both sides name it: Kalshi's groups, in their order
  for (const group in k.paired) {
    const a = k.paired[group];
    const b = p.paired[group];
    if (a && b && !setsEqual(a, b)) vetoes.push(`${group} differs: Kalshi ${a.join('/')} vs Polymarket ${b.join('/')}`);
  }
  if (k.places.length > 0 && p.places.length > 0) {
    if (!k.places.some((x) => p.places.includes(x))) vetoes.push(`place differs: Kalshi ${k.places.join('/')} vs Polymarket ${p.places.join('/')}`);
    else if (!setsEqual(k.places, p.places)) warnings.push(`places differ in part: ${k.places.join('/')} vs ${p.places.join('/')}`);
  }
  if (!setsEqual(k.districts, p.districts)) {
    vetoes.push(`district differs: Kalshi ${k.districts.join('/') || 'none'} vs Polymarket ${p.districts.join('/') || 'none'}`);
  } else if (k.districts.length > 0) reasons.push(`same district ${k.districts.join('/').replace(/dist_/g, '').toUpperCase()}`);
  if (!setsEqual(k.groups, p.groups)) {
    vetoes.push(`group differs: Kalshi ${k.groups.join('/') || 'none'} vs Polymarket ${p.groups.join('/') || 'none'}`);
  }
  // negation, opposite words, finishing position
  stanceVetoes(k.stance, p.stance, vetoes);

  // dates
  if (k.deadline && p.deadline) {
    if (sameDay(k.deadline, p.deadline)) {
      reasons.push(`same deadline ${formatDay(k.deadline.y === null ? p.deadline : k.deadline)}`);
      evidence += 0.05;
      if (k.deadline.y === null || p.deadline.y === null) warnings.push('one market states no year for its deadline');
    } else vetoes.push(`deadline differs: Kalshi ${formatDay(k.deadline)} vs Polymarket ${formatDay(p.deadline)}`);
  } else if (k.deadline || p.deadline) {
    warnings.push(`only ${k.deadline ? 'Kalshi' : 'Polymarket'} states a deadline`);
  }
  if (k.deadline !== null && k.deadlineYearFrom !== null) {
    warnings.push(`Kalshi deadline gives no year: ${k.deadline.y ?? '?'} read from ${k.deadlineYearFrom}`);
  }
  if (p.deadline !== null && p.deadlineYearFrom !== null) {
    warnings.push(`Polymarket deadline gives no year: ${p.deadline.y ?? '?'} read from ${p.deadlineYearFrom}`);
  }
  if (k.gameDate && p.gameDate) {
    if (k.gameDate === p.gameDate) {
      const from = k.gameDateFrom ?? p.gameDateFrom;
      reasons.push(`same game date ${k.gameDate}${from === null ? '' : ` (${k.gameDateFrom === null ? 'Polymarket' : 'Kalshi'}: from ${from})`}`);
      evidence += 0.05;
    } else {
      const from = p.gameDateFrom === null ? '' : ` (Polymarket: from ${p.gameDateFrom})`;
      vetoes.push(`game date differs: Kalshi ${k.gameDate} vs Polymarket ${p.gameDate}${from}`);
    }
  }
  closeTimeChecks(k, p, { vetoes, warnings, reasons });
  if (k.deadline && p.deadline) {
    // the deadlines decide ("before 2027" names 2027 and ends in 2026)
  } else if (k.years.length > 0 && p.years.length > 0) {
    if (!k.years.some((y) => p.years.includes(y))) vetoes.push(`year differs: Kalshi ${k.years.join('/')} vs Polymarket ${p.years.join('/')}`);
  } else if (k.years.length > 0 || p.years.length > 0) {
    warnings.push(`only ${k.years.length > 0 ? 'Kalshi' : 'Polymarket'} states the year`);
  }

  // numbers
  const q = compareQuantities(k.quantities, p.quantities);
  if (q.veto !== null) vetoes.push(q.veto);
  else if (q.matched > 0) {
    reasons.push(`same numbers: ${k.quantities.map(describe).join(', ')}`);
    evidence += 0.05;
  }
  warnings.push(...q.warnings);

  // resolution source, when both rules name one
  if (k.sources.length > 0 && p.sources.length > 0) {
    if (!k.sources.some((s) => p.sources.includes(s))) vetoes.push(`resolution source differs: ${k.sources.join('/')} vs ${p.sources.join('/')}`);
    else reasons.push(`same resolution source: ${k.sources.join('/')}`);
  } else if (k.sources.length > 0 || p.sources.length > 0) {
    warnings.push('resolution source stated on one side only');
  }
  if (k.market.rules === null || p.market.rules === null) warnings.push('rules not available: read both venues\' rules before approving');

  // polarity: which Polymarket outcome pays when Kalshi YES pays
  let relation: Relation = q.polarity;
  let outcome: string | null = null;
  if (p.shape === 'two-team' && p.sides) {
    const mine = k.outcome.length > 0 ? k.outcome : k.own;
    const hits = p.sides.map((s) => sideMeets(s, mine, lex));
    if (hits[0] === hits[1]) vetoes.push(`cannot tell which Polymarket outcome (${p.sides.join(' / ')}) is Kalshi YES`);
    else {
      evidence += 0.1;
      relation = hits[0] ? 'same' : 'inverse';
      outcome = hits[0] ? p.sides[0] : p.sides[1];
    }
  } else if (p.sides) {
    outcome = relation === 'same' ? p.sides[0] : p.sides[1];
  } else {
    const yes = p.market.yesLabel.trim() === '' ? 'Yes' : p.market.yesLabel;
    const no = p.market.noLabel.trim() === '' ? 'No' : p.market.noLabel;
    if (p.market.yesLabel.trim() === '') warnings.push('Polymarket outcome names not in the data: assumed Yes / No');
    outcome = relation === 'same' ? yes : no;
  }
  const labelsGiven = p.market.yesLabel.trim() !== '' && p.market.yesLabel.trim().toLowerCase() !== 'yes';
  if (p.sides && !labelsGiven) {
    warnings.push(`Polymarket outcome names not in the data: "${p.sides[0]}" / "${p.sides[1]}" inferred from the question`);
  }

  const textScore = cosine(k, p, lex);
  const covK = coverage(k, p, lex);
  const covP = coverage(p, k, lex);
  const cov = Math.min(covK.share, covP.share);
  if (cov < 0.999) {
    const missing = [...covK.missing.map((t) => `Kalshi "${t}"`), ...covP.missing.map((t) => `Polymarket "${t}"`)];
    warnings.push(`words on one side only: ${missing.slice(0, 6).join(', ')}`);
  }

  const different = vetoes.length > 0;
  let confidence = 0;
  if (!different) {
    const hardWarnings = warnings.filter((w) => !w.startsWith('rules not available') && !w.startsWith('words on one side')).length;
    confidence = 0.2 + 0.25 * textScore + 0.35 * cov + evidence - 0.04 * hardWarnings;
    confidence = Math.max(0.01, Math.min(0.99, confidence));
    reasons.unshift(`text ${(textScore * 100).toFixed(0)}%, coverage ${(cov * 100).toFixed(0)}%`);
    if (relation === 'inverse') reasons.push(`inverse: Kalshi YES = Polymarket "${outcome ?? 'NO'}" (the NO token)`);
  }
  const side = different ? null : relation === 'same' ? 'yes' : 'no';
  return {
    key: flat(pairKey(k.id, p.id)),
    kalshiTicker: k.id,
    polymarketConditionId: p.id,
    kalshiTitle: k.market.title,
    polymarketTitle: p.market.title,
    relation: different ? 'different' : relation,
    polymarketOutcome: different ? null : outcome,
    polymarketSide: side,
    confidence: Math.round(confidence * 1000) / 1000,
    textScore: Math.round(textScore * 1000) / 1000,
    reasons: kept(reasons),
    warnings: kept(warnings),
    vetoes: kept(vetoes),
    fingerprint: { kalshi: docFingerprint(k, kFingerprint), polymarket: docFingerprint(p, pFingerprint) },
  };
}

/**
 * `text` as one flat string. A string built by `+` or a template is a tree of
 * its parts (V8 "cons strings"): several times its length in memory, and a
 * candidate is kept for as long as the matcher lives (80,000 of them on a
 * full catalog). Reading a string as a number makes V8 flatten it in place;
 * the value is unchanged.
 */
function flat(text: string): string {
  void Number(text);
  return text;
}

const NO_TEXT: readonly string[] = [];

/**
 * One copy of each reason, warning and veto text kept with a candidate: a full
 * catalog's 80,000 candidates carry about 450,000 of them, most repeated
 * ("same game: A vs B" for every market of a game). Bounded: replaced by a new
 * table when full (texts already kept stay as they are).
 */
let keptTexts = new Map<string, string>();
const KEPT_TEXTS_LIMIT = 200_000;

/** A list of texts kept with a candidate: flat strings, one copy of each text, at its exact length. */
function kept(list: string[]): readonly string[] {
  if (list.length === 0) return NO_TEXT;
  const out = list.slice();
  for (let i = 0; i < out.length; i += 1) {
    const text = flat(out[i] as string);
    const known = keptTexts.get(text);
    if (known !== undefined) out[i] = known;
    else {
      if (keptTexts.size >= KEPT_TEXTS_LIMIT) keptTexts = new Map();
      keptTexts.set(text, text);
    }
  }
  return out;
}

/**
 * The statistic, district and group sets of a market as one text. Each list is
 * sorted with each value once, so two markets have the same text exactly when
 * the three sets are equal: `quickReject` rejects every pair of two different
 * kinds, which lets blocking pass them over without asking.
 */
export function vetoKind(d: MarketDoc): string {
  return `${d.tags.join(',')}|${d.districts.join(',')}|${d.groups.join(',')}`;
}

/**
 * The cheap vetoes only, without building any text: used to discard most
 * blocked candidates (siblings) before the full evaluation.
 */
export function quickReject(k: MarketDoc, p: MarketDoc): boolean {
  if (k.placeholder || p.placeholder || k.unresolved) return true;
  if (k.gameDate !== null && p.gameDate !== null && k.gameDate !== p.gameDate) return true;
  if (!setsEqual(k.tags, p.tags)) return true;
  if (!setsEqual(k.districts, p.districts) || !setsEqual(k.groups, p.groups)) return true;
  if (k.deadline && p.deadline && !sameDay(k.deadline, p.deadline)) return true;
  if (stanceVetoes(k.stance, p.stance, null)) return true;
  if ((k.market.closeTime !== null || p.market.closeTime !== null) && closeTimeChecks(k, p, null)) return true;
  for (const t of k.outcome) if (!p.own.includes(t)) return true;
  if (p.outcome.length > 0 && !meetsAny(p.outcome, k.ctx)) return true;
  for (const group in k.paired) {
    const a = k.paired[group];
    const b = p.paired[group];
    if (a && b && !setsEqual(a, b)) return true;
  }
  if (k.places.length > 0 && p.places.length > 0 && !k.places.some((x) => p.places.includes(x))) return true;
  for (const q of k.quantities) if (significant(q) && !hasValue(p.quantities, q.value)) return true;
  for (const q of p.quantities) if (significant(q) && !hasValue(k.quantities, q.value)) return true;
  if (k.teams && p.teams) {
    const kt = k.teams;
    const pt = p.teams;
    if (!meetsEither(kt[0], pt) || !meetsEither(kt[1], pt) || !meetsEither(pt[0], kt) || !meetsEither(pt[1], kt)) return true;
  }
  return false;
}

function meetsAny(a: readonly number[], b: readonly number[]): boolean {
  for (const t of a) if (b.includes(t)) return true;
  return false;
}

function meetsSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const t of a) if (b.has(t)) return true;
  return false;
}

function meetsEither(a: ReadonlySet<string>, sets: readonly [ReadonlySet<string>, ReadonlySet<string>]): boolean {
  return meetsSet(a, sets[0]) || meetsSet(a, sets[1]);
}

function hasValue(qs: readonly Quantity[], value: bigint): boolean {
  for (const q of qs) if (q.value === value) return true;
  return false;
}
