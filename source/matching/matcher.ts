/**
 * The matcher: keeps both venues' markets in inverted indexes, and for every
 * new or changed market queries the other venue's index (blocking), drops the
 * candidates a cheap veto rejects, evaluates the rest in full, and keeps the
 * pairs that survive. Adding or changing markets re-reads only their events
 * and re-queries only those markets: no full rebuild.
 *
 * `proposals()` turns the surviving candidates into one-to-one proposed pairs
 * (a Kalshi market pairs with at most one Polymarket outcome token and back).
 */
import type { Market, VenueId } from '../domain/market.js';
import { isProposed, type MatchCandidate } from './candidate.js';
import { evaluatePair, quickReject } from './compare.js';
import { VenueIndex, Vocabulary } from './inverted-index.js';
import { docKey, finalizeEvent, type MarketDoc } from './market-doc.js';

export interface MatcherOptions {
  /** candidates kept per query after blocking (default 10) */
  readonly candidatesPerQuery?: number;
  /** posting lists longer than this are not walked for blocking (default 100) */
  readonly postingCap?: number;
}

export interface UpsertResult {
  readonly added: number;
  readonly changed: number;
  readonly unchanged: number;
  /** pairs evaluated in full (after blocking and the cheap vetoes) */
  readonly evaluated: number;
}

interface Entry {
  readonly doc: MarketDoc;
  readonly slot: number;
  readonly tokens: Int32Array;
}

function signature(m: Market): string {
  return JSON.stringify([m.eventId, m.eventTitle, m.title, m.subtitle, m.yesLabel, m.noLabel, m.rules, m.closeTime, m.status]);
}

export const DEFAULT_MIN_CONFIDENCE = 0.6;

export class Matcher {
  private readonly vocab = new Vocabulary();
  private readonly indexes: Record<VenueId, VenueIndex<string>>;
  private readonly markets = new Map<string, Market>();
  private readonly signatures = new Map<string, string>();
  private readonly events = new Map<string, Set<string>>();
  private readonly entries = new Map<string, Entry>();
  private readonly pairs = new Map<string, MatchCandidate>();
  private readonly pairsOf = new Map<string, Set<string>>();
  private readonly k: number;

  constructor(options: MatcherOptions = {}) {
    this.k = options.candidatesPerQuery ?? 10;
    const cap = options.postingCap ?? 100;
    this.indexes = { kalshi: new VenueIndex<string>(this.vocab, cap), polymarket: new VenueIndex<string>(this.vocab, cap) };
  }

  get size(): { kalshi: number; polymarket: number } {
    return { kalshi: this.indexes.kalshi.size, polymarket: this.indexes.polymarket.size };
  }

  /** Add new markets and re-read changed ones (same venue and id, other text). */
  upsert(markets: Iterable<Market>): UpsertResult {
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    const dirtyEvents = new Set<string>();
    for (const m of markets) {
      const key = docKey(m.venue, m.id);
      const sig = signature(m);
      const before = this.markets.get(key);
      if (before !== undefined && this.signatures.get(key) === sig) {
        unchanged += 1;
        continue;
      }
      if (before === undefined) added += 1;
      else {
        changed += 1;
        const oldEvent = `${before.venue}:${before.eventId}`;
        this.events.get(oldEvent)?.delete(key);
        dirtyEvents.add(oldEvent);
      }
      this.markets.set(key, m);
      this.signatures.set(key, sig);
      const eventKey = `${m.venue}:${m.eventId}`;
      let members = this.events.get(eventKey);
      if (members === undefined) {
        members = new Set();
        this.events.set(eventKey, members);
      }
      members.add(key);
      dirtyEvents.add(eventKey);
    }
    return { added, changed, unchanged, evaluated: this.refresh(dirtyEvents) };
  }

  /** Forget a market (delisted); its event is re-read. */
  remove(venue: VenueId, id: string): boolean {
    const key = docKey(venue, id);
    const m = this.markets.get(key);
    if (m === undefined) return false;
    this.markets.delete(key);
    this.signatures.delete(key);
    const eventKey = `${m.venue}:${m.eventId}`;
    this.events.get(eventKey)?.delete(key);
    this.dropEntry(key);
    this.refresh(new Set([eventKey]));
    return true;
  }

  private dropEntry(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.indexes[entry.doc.venue].remove(entry.slot);
    this.vocab.removeDoc(entry.tokens);
    this.entries.delete(key);
    for (const pk of this.pairsOf.get(key) ?? []) {
      const c = this.pairs.get(pk);
      this.pairs.delete(pk);
      if (c) {
        this.pairsOf.get(docKey('kalshi', c.kalshiTicker))?.delete(pk);
        this.pairsOf.get(docKey('polymarket', c.polymarketConditionId))?.delete(pk);
      }
    }
    this.pairsOf.delete(key);
  }

  private refresh(dirtyEvents: ReadonlySet<string>): number {
    const dirty: Entry[] = [];
    for (const eventKey of dirtyEvents) {
      const members = [...(this.events.get(eventKey) ?? [])];
      if (members.length === 0) {
        this.events.delete(eventKey);
        continue;
      }
      const markets = members.map((k) => this.markets.get(k)).filter((m): m is Market => m !== undefined);
      for (const doc of finalizeEvent(markets)) {
        this.dropEntry(doc.key);
        const tokens = Int32Array.from(doc.ctx, (t) => this.vocab.id(t));
        this.vocab.addDoc(tokens);
        const slot = this.indexes[doc.venue].add(doc.key, tokens);
        const entry: Entry = { doc, slot, tokens };
        this.entries.set(doc.key, entry);
        dirty.push(entry);
      }
    }
    let evaluated = 0;
    const idf = (t: string): number => this.vocab.idf(t);
    const dirtyKeys = new Set(dirty.map((e) => e.doc.key));
    const dirtyKalshi = dirty.filter((e) => e.doc.venue === 'kalshi').length;
    const cleanKalshi = this.indexes.kalshi.size - dirtyKalshi;
    for (const entry of dirty) {
      const other: VenueId = entry.doc.venue === 'kalshi' ? 'polymarket' : 'kalshi';
      // A pair of two dirty markets is found from its Kalshi side; a Polymarket
      // market queries only for the Kalshi markets that are not being re-read.
      if (other === 'kalshi' && cleanKalshi === 0) continue;
      for (const hit of this.indexes[other].query(entry.tokens, this.k)) {
        const otherKey = this.indexes[other].item(hit.slot);
        if (otherKey === null || (other === 'kalshi' && dirtyKeys.has(otherKey))) continue;
        const otherEntry = this.entries.get(otherKey);
        if (otherEntry === undefined) continue;
        const [kd, pd] = entry.doc.venue === 'kalshi' ? [entry.doc, otherEntry.doc] : [otherEntry.doc, entry.doc];
        if (quickReject(kd, pd)) continue;
        const c = evaluatePair(kd, pd, idf);
        evaluated += 1;
        if (c.relation === 'different') continue;
        this.pairs.set(c.key, c);
        for (const key of [kd.key, pd.key]) {
          let set = this.pairsOf.get(key);
          if (set === undefined) {
            set = new Set();
            this.pairsOf.set(key, set);
          }
          set.add(c.key);
        }
      }
    }
    return evaluated;
  }

  /** Every candidate that passed the vetoes (relation same or inverse), any confidence. */
  candidates(): MatchCandidate[] {
    return [...this.pairs.values()];
  }

  candidatesFor(venue: VenueId, id: string): MatchCandidate[] {
    const keys = this.pairsOf.get(docKey(venue, id)) ?? new Set<string>();
    return [...keys]
      .map((k) => this.pairs.get(k))
      .filter((c): c is MatchCandidate => c !== undefined)
      .sort((a, b) => b.confidence - a.confidence);
  }

  /**
   * Proposed pairs: candidates at or above `minConfidence`, one-to-one, best
   * first (a Kalshi market with one Polymarket outcome token, and back).
   */
  proposals(minConfidence = DEFAULT_MIN_CONFIDENCE): MatchCandidate[] {
    const sorted = this.candidates()
      .filter((c) => isProposed(c, minConfidence))
      .sort((a, b) => b.confidence - a.confidence || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const usedK = new Set<string>();
    const usedP = new Set<string>();
    const out: MatchCandidate[] = [];
    for (const c of sorted) {
      const pSide = `${c.polymarketConditionId}:${c.polymarketSide ?? ''}`;
      if (usedK.has(c.kalshiTicker) || usedP.has(pSide)) continue;
      usedK.add(c.kalshiTicker);
      usedP.add(pSide);
      out.push(c);
    }
    return out;
  }

  /** Full evaluation of one pair, with every veto spelled out (for "why not?"). */
  explain(kalshiTicker: string, polymarketConditionId: string): MatchCandidate | null {
    const k = this.entries.get(docKey('kalshi', kalshiTicker));
    const p = this.entries.get(docKey('polymarket', polymarketConditionId));
    if (k === undefined || p === undefined) return null;
    return evaluatePair(k.doc, p.doc, (t) => this.vocab.idf(t));
  }

  /** The features read from one market (for display and debugging). */
  doc(venue: VenueId, id: string): MarketDoc | null {
    return this.entries.get(docKey(venue, id))?.doc ?? null;
  }
}

/** One-shot: index both catalogs and return the proposals and all candidates. */
export function matchMarkets(
  kalshi: readonly Market[],
  polymarket: readonly Market[],
  options: MatcherOptions & { readonly minConfidence?: number } = {},
): { matcher: Matcher; proposals: MatchCandidate[] } {
  const matcher = new Matcher(options);
  matcher.upsert([...polymarket, ...kalshi]);
  return { matcher, proposals: matcher.proposals(options.minConfidence ?? DEFAULT_MIN_CONFIDENCE) };
}
