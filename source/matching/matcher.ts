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
  slot: number;
  readonly tokens: readonly number[];
  /** the refresh that last re-read this market */
  epoch: number;
}

/** Same fields the matcher reads (a change of any of them re-reads the market). */
function sameText(a: Market, b: Market): boolean {
  return (
    a.eventId === b.eventId &&
    a.eventTitle === b.eventTitle &&
    a.title === b.title &&
    a.subtitle === b.subtitle &&
    a.yesLabel === b.yesLabel &&
    a.noLabel === b.noLabel &&
    a.rules === b.rules &&
    a.closeTime === b.closeTime &&
    a.status === b.status
  );
}

export const DEFAULT_MIN_CONFIDENCE = 0.6;

export class Matcher {
  private readonly vocab = new Vocabulary();
  private readonly indexes: Record<VenueId, VenueIndex<Entry>>;
  private readonly markets = new Map<string, Market>();
  private epoch = 0;
  private readonly events = new Map<string, Set<string>>();
  private readonly entries = new Map<string, Entry>();
  private readonly pairs = new Map<string, MatchCandidate>();
  /** pair keys by market key (a short list each) */
  private readonly pairsOf = new Map<string, string[]>();
  private readonly k: number;

  constructor(options: MatcherOptions = {}) {
    this.k = options.candidatesPerQuery ?? 10;
    const cap = options.postingCap ?? 100;
    this.indexes = { kalshi: new VenueIndex<Entry>(this.vocab, cap), polymarket: new VenueIndex<Entry>(this.vocab, cap) };
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
      const before = this.markets.get(key);
      if (before !== undefined && sameText(before, m)) {
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
        this.unlink(docKey('kalshi', c.kalshiTicker), pk);
        this.unlink(docKey('polymarket', c.polymarketConditionId), pk);
      }
    }
    this.pairsOf.delete(key);
  }

  private link(marketKey: string, pk: string): void {
    const list = this.pairsOf.get(marketKey);
    if (list === undefined) this.pairsOf.set(marketKey, [pk]);
    else if (!list.includes(pk)) list.push(pk);
  }

  private unlink(marketKey: string, pk: string): void {
    const list = this.pairsOf.get(marketKey);
    if (list === undefined) return;
    const i = list.indexOf(pk);
    if (i >= 0) list.splice(i, 1);
  }

  private refresh(dirtyEvents: ReadonlySet<string>): number {
    this.epoch += 1;
    const epoch = this.epoch;
    const dirty: Entry[] = [];
    for (const eventKey of dirtyEvents) {
      const members = [...(this.events.get(eventKey) ?? [])];
      if (members.length === 0) {
        this.events.delete(eventKey);
        continue;
      }
      const keys: string[] = [];
      const markets: Market[] = [];
      for (const k of members) {
        const m = this.markets.get(k);
        if (m === undefined) continue;
        keys.push(k);
        markets.push(m);
      }
      const docs = finalizeEvent(markets, this.vocab);
      for (let i = 0; i < docs.length; i += 1) {
        const doc = docs[i] as MarketDoc;
        // the key string the market is filed under (one copy per market)
        const key = keys[i] ?? docKey(doc.venue, doc.id);
        this.dropEntry(key);
        const tokens = doc.ctx;
        this.vocab.addDoc(tokens);
        const entry: Entry = { doc, slot: -1, tokens, epoch };
        entry.slot = this.indexes[doc.venue].add(entry, tokens);
        this.entries.set(key, entry);
        dirty.push(entry);
      }
    }
    let evaluated = 0;
    let dirtyKalshi = 0;
    for (const e of dirty) if (e.doc.venue === 'kalshi') dirtyKalshi += 1;
    const cleanKalshi = this.indexes.kalshi.size - dirtyKalshi;
    for (const entry of dirty) {
      const mine = entry.doc;
      const isKalshi = mine.venue === 'kalshi';
      // A pair of two dirty markets is found from its Kalshi side; a Polymarket
      // market queries only for the Kalshi markets that are not being re-read.
      if (!isKalshi && cleanKalshi === 0) continue;
      // the cheap veto rejects every pair of a placeholder or an unread Kalshi outcome
      if (mine.placeholder || mine.unresolved) continue;
      // Blocking keeps the best K that pass the cheap vetoes, so siblings
      // (the other outcomes, lines and halves of an event) cannot crowd out the twin.
      const accept = isKalshi
        ? (other: Entry): boolean => !quickReject(mine, other.doc)
        : (other: Entry): boolean => other.epoch !== epoch && !quickReject(other.doc, mine);
      const index = this.indexes[isKalshi ? 'polymarket' : 'kalshi'];
      // a Polymarket market must name every outcome word of a Kalshi market (a cheap veto)
      const required = isKalshi && mine.outcome.length > 0 ? mine.outcome : undefined;
      for (const hit of index.query(entry.tokens, this.k, accept, required)) {
        const otherEntry = index.item(hit.slot);
        if (otherEntry === null) continue;
        const [kd, pd] = isKalshi ? [mine, otherEntry.doc] : [otherEntry.doc, mine];
        const c = evaluatePair(kd, pd, this.vocab);
        evaluated += 1;
        if (c.relation === 'different') continue;
        this.pairs.set(c.key, c);
        this.link(docKey('kalshi', kd.id), c.key);
        this.link(docKey('polymarket', pd.id), c.key);
      }
    }
    return evaluated;
  }

  /** Every candidate that passed the vetoes (relation same or inverse), any confidence. */
  candidates(): MatchCandidate[] {
    return [...this.pairs.values()];
  }

  candidatesFor(venue: VenueId, id: string): MatchCandidate[] {
    const keys = this.pairsOf.get(docKey(venue, id)) ?? [];
    return keys
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
    return evaluatePair(k.doc, p.doc, this.vocab);
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
