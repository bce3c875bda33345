/**
 * A proposed pair of markets, serialisable as is (no bigint, no class), so a
 * registry can store it: a stable key, the relation and polarity, confidence,
 * reasons, warnings, vetoes, and the fingerprints of the fields whose change
 * must revoke an approval (title, rules, close time, status).
 */
import type { Market } from '../domain/market.js';

/** same: YES on Kalshi = the named Polymarket outcome, which is Polymarket's first (YES) token.
 *  inverse: Kalshi YES = Polymarket's second (NO) token. different: not the same contract. */
export type Relation = 'same' | 'inverse' | 'different';

export interface MatchCandidate {
  /** stable: `${kalshi ticker}|${polymarket condition id}` */
  readonly key: string;
  readonly kalshiTicker: string;
  readonly polymarketConditionId: string;
  readonly kalshiTitle: string;
  readonly polymarketTitle: string;
  readonly relation: Relation;
  /** Label of the Polymarket outcome that pays when Kalshi YES pays (null when different). */
  readonly polymarketOutcome: string | null;
  /** Which Polymarket token that outcome is: 'yes' (first) or 'no' (second). */
  readonly polymarketSide: 'yes' | 'no' | null;
  /** 0..1, a display ratio, not money. 0 when vetoed. */
  readonly confidence: number;
  /** IDF-weighted text similarity 0..1. */
  readonly textScore: number;
  readonly reasons: readonly string[];
  readonly warnings: readonly string[];
  /** Why the pair is not the same contract (non-empty exactly when relation = different). */
  readonly vetoes: readonly string[];
  readonly fingerprint: { readonly kalshi: string; readonly polymarket: string };
}

export function pairKey(kalshiTicker: string, polymarketConditionId: string): string {
  return `${kalshiTicker}|${polymarketConditionId}`;
}

/** The markets of a pair key (`pairKey`), or null when it is not one. */
export function splitPairKey(key: string): { kalshi: string; polymarket: string } | null {
  const i = key.indexOf('|');
  return i > 0 && i < key.length - 1 ? { kalshi: key.slice(0, i), polymarket: key.slice(i + 1) } : null;
}

/** A pair key short enough for a log line: the Kalshi ticker and the condition id's ends ("KX…|0x1a2b…9f0e"). */
export function shortPairKey(key: string): string {
  const ids = splitPairKey(key);
  if (ids === null) return key;
  const c = ids.polymarket;
  return `${ids.kalshi}|${c.length > 14 ? `${c.slice(0, 6)}…${c.slice(-4)}` : c}`;
}

/**
 * Hash of the fields whose change must revoke an approval: title, rules,
 * close time and status (plus the event title and subtitle, which carry the
 * outcome on multi-outcome events). Stable across runs and processes; not a
 * security hash (it detects edits, it does not resist forgery).
 */
export function marketFingerprint(m: Market): string {
  const cached = FINGERPRINTS.get(m);
  if (cached !== undefined) return cached;
  const value = fingerprintOfText(fingerprintText(m));
  FINGERPRINTS.set(m, value);
  return value;
}

/** The fingerprint of a `fingerprintText`. */
export function fingerprintOfText(text: string): string {
  return hash53Twice(text, 0x9e3779b1, 0x85ebca6b);
}

/**
 * The text hashed: exactly `JSON.stringify({ title, subtitle, eventTitle,
 * rules, closeTime, status })` (fingerprints stored by a registry must not
 * move), written out field by field, which is cheaper.
 */
export function fingerprintText(m: Market): string {
  const text = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));
  const close = m.closeTime === null || !Number.isFinite(m.closeTime) ? 'null' : String(m.closeTime);
  return `{"title":${text(m.title)},"subtitle":${text(m.subtitle)},"eventTitle":${text(m.eventTitle)},"rules":${text(m.rules)},"closeTime":${close},"status":${JSON.stringify(m.status)}}`;
}

const FINGERPRINTS = new WeakMap<Market, string>();

/**
 * cyrb53 (a fast, well-mixed 53-bit string hash, not cryptographic) of `text`
 * with two seeds, as 14 + 14 hex digits, in one pass over the text.
 */
function hash53Twice(text: string, seedA: number, seedB: number): string {
  let a1 = 0xdeadbeef ^ seedA;
  let a2 = 0x41c6ce57 ^ seedA;
  let b1 = 0xdeadbeef ^ seedB;
  let b2 = 0x41c6ce57 ^ seedB;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    a1 = Math.imul(a1 ^ ch, 2654435761);
    a2 = Math.imul(a2 ^ ch, 1597334677);
    b1 = Math.imul(b1 ^ ch, 2654435761);
    b2 = Math.imul(b2 ^ ch, 1597334677);
  }
  return finish53(a1, a2) + finish53(b1, b2);
}

function finish53(h1In: number, h2In: number): string {
  let h1 = h1In;
  let h2 = h2In;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  // the 53-bit value 2^32 * (h2 & 0x1fffff) + (h1 >>> 0) in 14 hex digits: 6 for the high part, 8 for the low
  return hex(2097151 & h2, 6) + hex(h1 >>> 0, 8);
}

const HEX = '0123456789abcdef';

/** `value` (an unsigned integer below 16^digits) as exactly `digits` lower-case hex digits. */
function hex(value: number, digits: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < digits; i += 1) {
    out = HEX.charAt(v & 15) + out;
    v = Math.floor(v / 16);
  }
  return out;
}

/** True when a candidate may be traded once a person approves it. */
export function isProposed(c: MatchCandidate, minConfidence: number): boolean {
  return c.relation !== 'different' && c.confidence >= minConfidence;
}
