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
  const value = fingerprintOfMarket(m);
  FINGERPRINTS.set(m, value);
  return value;
}

/**
 * The fingerprint of a `fingerprintText`: the definition `fingerprintOfMarket` computes
 * without building the text (the tests hold it to this; the app calls `marketFingerprint`).
 */
export function fingerprintOfText(text: string): string {
  hashStart(0x9e3779b1, 0x85ebca6b);
  hashFeed(text);
  hashWords(WORDS, 0);
  return fingerprintFromWords(WORDS, 0);
}

/** The fields of a market its fingerprint reads (a `Market` has them). */
export type FingerprintFields = Pick<Market, 'title' | 'subtitle' | 'eventTitle' | 'rules' | 'closeTime' | 'status'>;

/**
 * `fingerprintOfText(fingerprintText(m))`, hashed field by field as the text
 * would be read: the text itself is never built (one fingerprint per market
 * evaluated, 200,000 on a full catalog).
 */
export function fingerprintOfMarket(m: FingerprintFields): string {
  fingerprintWords(m, WORDS, 0);
  return fingerprintFromWords(WORDS, 0);
}

/**
 * The fingerprint of `m` as four numbers, written to `out` from `at` (the reader
 * thread computes them, and `fingerprintFromWords` writes them as the text
 * `fingerprintOfMarket` gives).
 */
export function fingerprintWords(m: FingerprintFields, out: Int32Array, at: number): void {
  hashStart(0x9e3779b1, 0x85ebca6b);
  hashFeed('{"title":');
  hashJson(m.title);
  hashFeed(',"subtitle":');
  hashJson(m.subtitle);
  hashFeed(',"eventTitle":');
  hashJson(m.eventTitle);
  hashFeed(',"rules":');
  hashJson(m.rules);
  hashFeed(',"closeTime":');
  hashFeed(m.closeTime === null || !Number.isFinite(m.closeTime) ? 'null' : String(m.closeTime));
  hashFeed(',"status":');
  hashJson(m.status);
  hashFeed('}');
  hashWords(out, at);
}

/** The fingerprint whose four numbers `fingerprintWords` wrote to `words` from `at`. */
export function fingerprintFromWords(words: Int32Array, at: number): string {
  return (
    hex(words[at] as number, 6) + hex((words[at + 1] as number) >>> 0, 8) + hex(words[at + 2] as number, 6) + hex((words[at + 3] as number) >>> 0, 8)
  );
}

const WORDS = new Int32Array(4);

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

/*
 * cyrb53 (a fast, well-mixed 53-bit string hash, not cryptographic) with two
 * seeds at once, as 14 + 14 hex digits. The state lives in an Int32Array so a
 * text can be fed in pieces (`fingerprintOfMarket`) without allocating (int32
 * values kept in module variables would be boxed on every store); each loop
 * works on locals.
 */
const STATE = new Int32Array(4);

function hashStart(seedA: number, seedB: number): void {
  STATE[0] = 0xdeadbeef ^ seedA;
  STATE[1] = 0x41c6ce57 ^ seedA;
  STATE[2] = 0xdeadbeef ^ seedB;
  STATE[3] = 0x41c6ce57 ^ seedB;
}

/** Feed the characters of `text`. */
function hashFeed(text: string): void {
  let a1 = STATE[0] as number;
  let a2 = STATE[1] as number;
  let b1 = STATE[2] as number;
  let b2 = STATE[3] as number;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    a1 = Math.imul(a1 ^ ch, 2654435761);
    a2 = Math.imul(a2 ^ ch, 1597334677);
    b1 = Math.imul(b1 ^ ch, 2654435761);
    b2 = Math.imul(b2 ^ ch, 1597334677);
  }
  STATE[0] = a1;
  STATE[1] = a2;
  STATE[2] = b1;
  STATE[3] = b2;
}

/** Feed `JSON.stringify(v)` ("null" for null), without building the quoted copy unless JSON would write a \u escape. */
function hashJson(v: string | null): void {
  if (v === null) {
    hashFeed('null');
    return;
  }
  // one pass: the state is stored only when no character needed JSON's escaping
  let a1 = Math.imul((STATE[0] as number) ^ 34, 2654435761);
  let a2 = Math.imul((STATE[1] as number) ^ 34, 1597334677);
  let b1 = Math.imul((STATE[2] as number) ^ 34, 2654435761);
  let b2 = Math.imul((STATE[3] as number) ^ 34, 1597334677);
  for (let i = 0; i < v.length; i += 1) {
    let ch = v.charCodeAt(i);
    if (ch < 0x20 || ch === 34 || ch === 92 || (ch >= 0xd800 && ch <= 0xdfff)) {
      // JSON writes a quote, a backslash and the common control characters as a backslash and one
      // character ('"' -> '\"', newline -> '\n'): fed here as JSON writes them (rules texts quote
      // "Yes" and run over lines); for the others (\u00XX, surrogates) hash JSON's own text
      const escaped = ch === 34 || ch === 92 ? ch : ch === 10 ? 110 : ch === 13 ? 114 : ch === 9 ? 116 : ch === 8 ? 98 : ch === 12 ? 102 : -1;
      if (escaped < 0) {
        hashFeed(JSON.stringify(v));
        return;
      }
      a1 = Math.imul(a1 ^ 92, 2654435761);
      a2 = Math.imul(a2 ^ 92, 1597334677);
      b1 = Math.imul(b1 ^ 92, 2654435761);
      b2 = Math.imul(b2 ^ 92, 1597334677);
      ch = escaped;
    }
    a1 = Math.imul(a1 ^ ch, 2654435761);
    a2 = Math.imul(a2 ^ ch, 1597334677);
    b1 = Math.imul(b1 ^ ch, 2654435761);
    b2 = Math.imul(b2 ^ ch, 1597334677);
  }
  STATE[0] = Math.imul(a1 ^ 34, 2654435761);
  STATE[1] = Math.imul(a2 ^ 34, 1597334677);
  STATE[2] = Math.imul(b1 ^ 34, 2654435761);
  STATE[3] = Math.imul(b2 ^ 34, 1597334677);
}

/**
 * The two 53-bit values of the state, as four numbers from `at`: the high 21
 * bits and the low 32 of each (written as 6 and 8 hex digits).
 */
function hashWords(out: Int32Array, at: number): void {
  finish53(STATE[0] as number, STATE[1] as number, out, at);
  finish53(STATE[2] as number, STATE[3] as number, out, at + 2);
}

function finish53(h1In: number, h2In: number, out: Int32Array, at: number): void {
  let h1 = h1In;
  let h2 = h2In;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  // the 53-bit value 2^32 * (h2 & 0x1fffff) + (h1 >>> 0)
  out[at] = 2097151 & h2;
  out[at + 1] = h1;
}

/** Two lower-case hex digits of each byte. */
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** `value` (an unsigned integer below 16^digits, digits 6 or 8) as exactly `digits` lower-case hex digits. */
function hex(value: number, digits: 6 | 8): string {
  const low = (BYTE_HEX[(value >>> 16) & 255] as string) + (BYTE_HEX[(value >>> 8) & 255] as string) + (BYTE_HEX[value & 255] as string);
  return digits === 6 ? low : (BYTE_HEX[value >>> 24] as string) + low;
}

/** True when a candidate may be traded once a person approves it. */
export function isProposed(c: MatchCandidate, minConfidence: number): boolean {
  return c.relation !== 'different' && c.confidence >= minConfidence;
}
