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

/**
 * Hash of the fields whose change must revoke an approval: title, rules,
 * close time and status (plus the event title and subtitle, which carry the
 * outcome on multi-outcome events). Stable across runs and processes; not a
 * security hash (it detects edits, it does not resist forgery).
 */
export function marketFingerprint(m: Market): string {
  const fields = {
    title: m.title,
    subtitle: m.subtitle,
    eventTitle: m.eventTitle,
    rules: m.rules,
    closeTime: m.closeTime,
    status: m.status,
  };
  const cached = FINGERPRINTS.get(m);
  if (cached !== undefined) return cached;
  const text = JSON.stringify(fields);
  const value = `${hash53(text, 0x9e3779b1)}${hash53(text, 0x85ebca6b)}`;
  FINGERPRINTS.set(m, value);
  return value;
}

const FINGERPRINTS = new WeakMap<Market, string>();

/** cyrb53: a fast, well-mixed 53-bit string hash (not cryptographic), as 14 hex digits. */
function hash53(text: string, seed: number): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** True when a candidate may be traded once a person approves it. */
export function isProposed(c: MatchCandidate, minConfidence: number): boolean {
  return c.relation !== 'different' && c.confidence >= minConfidence;
}
