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
import { scavengingAlone } from '../lib/v8-tuning.js';
import { isProposed, type MatchCandidate } from './candidate.js';
import { closeFactsOf, evaluatePair, quickReject, vetoKind } from './compare.js';
import { ANY_YEAR, dayKey, VenueIndex, Vocabulary, type NamedRule } from './inverted-index.js';
import { finalizeEvent, type MarketDoc } from './market-doc.js';
import { ReadAhead, READ_AHEAD_MIN, type ReadAheadCounts, type ReadAheadOptions } from './read-ahead.js';

export interface MatcherOptions {
  /** candidates kept per query after blocking (default 10) */
  readonly candidatesPerQuery?: number;
  /** posting lists longer than this are not walked for blocking (default 100) */
  readonly postingCap?: number;
  /**
   * Read the markets of a large refresh ahead on a worker thread (`read-ahead.ts`;
   * default true, used on machines with two cores or more). The results are the
   * same either way.
   */
  readonly readAhead?: boolean | ReadAheadOptions;
}

export interface UpsertResult {
  readonly added: number;
  readonly changed: number;
  readonly unchanged: number;
  /** pairs evaluated in full (after blocking and the cheap vetoes) */
  readonly evaluated: number;
}

/**
 * One market the matcher holds: the latest version, what was read of it and
 * where it is filed, its pairs. One object per market (what was read of it is
 * kept on it, not in an object of its own): the matcher holds 300,000 of them
 * on a full catalog, and every byte kept per market is copied by the
 * young-generation collections while a refresh builds them.
 */
interface MarketRecord {
  market: Market;
  event: EventRecord;
  /** what was read of the market, null until it is read and filed (and once it is dropped) */
  doc: MarketDoc | null;
  /** its slot in its venue's index, while `doc` is not null */
  slot: number;
  /** the refresh that last re-read this market */
  epoch: number;
  /** id of the market's `vetoKind` */
  kind: number;
  /** the market's index in the reader's numbering, when its refresh was read ahead (its fingerprint may be there), else -1 */
  ahead: number;
  /** keys of the candidate pairs this market is part of (a short list), null when none */
  pairs: string[] | null;
}

/** A market that is read and filed. */
type Filed = MarketRecord & { doc: MarketDoc };

/**
 * The deadline of a market as the index holds it (`dayKey`, 0 for none), and
 * its year (or ANY_YEAR). The cheap veto rejects every pair whose deadlines
 * are not the same day (`quickReject`), so blocking passes those over before
 * scoring them: 70% of what a full synthetic catalog's queries asked about.
 * Months and days have at most two digits (the date patterns read no more).
 */
function deadlineDay(doc: MarketDoc): number {
  const d = doc.deadline;
  return d === null ? 0 : dayKey(d.m, d.d);
}

function deadlineYear(doc: MarketDoc): number {
  const d = doc.deadline;
  return d === null || d.y === null ? ANY_YEAR : d.y;
}

interface EventRecord {
  readonly venue: VenueId;
  readonly id: string;
  /** the event's markets, in the order they were (re-)filed */
  readonly members: MarketRecord[];
}

/**
 * The fields of a market the matcher reads, besides its venue and id: a change of
 * any of them re-reads the market (`sameText` compares exactly these; a test holds
 * the two together).
 */
export const MATCHED_FIELDS = ['eventId', 'eventTitle', 'title', 'subtitle', 'yesLabel', 'noLabel', 'rules', 'closeTime', 'status'] as const;

/** Same fields the matcher reads (`MATCHED_FIELDS`; written out: this runs for every market of every refresh). */
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

/**
 * Per venue, markets by id and events by id: keyed by the venue's own id
 * strings (no key strings built per market, which a 300,000-market catalog
 * would pay for in hashing on every lookup).
 */
interface VenueState {
  readonly index: VenueIndex<Filed>;
  readonly markets: Map<string, MarketRecord>;
  readonly events: Map<string, EventRecord>;
}

export class Matcher {
  private readonly vocab = new Vocabulary();
  private readonly venues: Record<VenueId, VenueState>;
  private epoch = 0;
  private readonly pairs = new Map<string, MatchCandidate>();
  private readonly k: number;
  /** ids of the vetoing feature sets (`vetoKind`), shared by both venues */
  private readonly kinds = new Map<string, number>();

  private readonly reader: ReadAhead | null;

  constructor(options: MatcherOptions = {}) {
    this.k = options.candidatesPerQuery ?? 10;
    const readAhead = options.readAhead ?? true;
    this.reader = readAhead === false ? null : new ReadAhead(this.vocab, readAhead === true ? {} : readAhead);
    const cap = options.postingCap ?? 100;
    // The cheap veto's outcome rules, read by the index before it asks `accept`: a Polymarket
    // market names every outcome word of a Kalshi market, and a Kalshi market mentions one of
    // a Polymarket market's. Without them, a Polymarket market with no Kalshi twin asked the
    // veto of every Kalshi market it shares a common word with.
    // The close-time veto, too: read on numbers kept in the index.
    const venue = (id: VenueId, rule: NamedRule): VenueState => ({
      index: new VenueIndex<Filed>(this.vocab, cap, rule, id),
      markets: new Map(),
      events: new Map(),
    });
    this.venues = { kalshi: venue('kalshi', 'owned-all'), polymarket: venue('polymarket', 'asked-any') };
  }

  /** Why reading ahead on a worker thread stopped (the matcher reads on its own thread since), else null. */
  get readAheadFailure(): string | null {
    return this.reader?.failure ?? null;
  }

  /** How the markets of large refreshes were read (on the reader thread or this one), or null without a reader. */
  get readAheadCounts(): ReadAheadCounts | null {
    return this.reader?.counts ?? null;
  }

  /** Stop the reader thread now, if one runs (it stops by itself when idle, and never keeps the process alive). */
  close(): void {
    this.reader?.close();
  }

  get size(): { kalshi: number; polymarket: number } {
    return { kalshi: this.venues.kalshi.index.size, polymarket: this.venues.polymarket.index.size };
  }

  private eventOf(venue: VenueState, venueId: VenueId, eventId: string): EventRecord {
    let event = venue.events.get(eventId);
    if (event === undefined) {
      event = { venue: venueId, id: eventId, members: [] };
      venue.events.set(eventId, event);
    }
    return event;
  }

  /** Add new markets and re-read changed ones (same venue and id, other text). */
  upsert(markets: Iterable<Market>): UpsertResult {
    let added = 0;
    let changed = 0;
    let unchanged = 0;
    const dirtyEvents = new Set<EventRecord>();
    for (const m of markets) {
      const venue = this.venues[m.venue];
      const record = venue.markets.get(m.id);
      if (record === undefined) {
        added += 1;
        const event = this.eventOf(venue, m.venue, m.eventId);
        const fresh: MarketRecord = { market: m, event, doc: null, slot: -1, epoch: 0, kind: 0, ahead: -1, pairs: null };
        venue.markets.set(m.id, fresh);
        event.members.push(fresh);
        dirtyEvents.add(event);
        continue;
      }
      if (sameText(record.market, m)) {
        unchanged += 1;
        continue;
      }
      changed += 1;
      leave(record);
      dirtyEvents.add(record.event);
      const event = record.event.id === m.eventId ? record.event : this.eventOf(venue, m.venue, m.eventId);
      record.market = m;
      record.event = event;
      event.members.push(record);
      dirtyEvents.add(event);
    }
    return { added, changed, unchanged, evaluated: this.refresh(dirtyEvents) };
  }

  /** Forget a market (delisted); its event is re-read. */
  remove(venue: VenueId, id: string): boolean {
    const state = this.venues[venue];
    const record = state.markets.get(id);
    if (record === undefined) return false;
    state.markets.delete(id);
    leave(record);
    this.unfile(record);
    this.refresh(new Set([record.event]));
    return true;
  }

  private unfile(record: MarketRecord): void {
    const doc = record.doc;
    if (doc === null) return;
    this.venues[doc.venue].index.remove(record.slot);
    this.vocab.removeDoc(doc.ctx);
    record.doc = null;
    const keys = record.pairs;
    record.pairs = null;
    for (const pk of keys ?? []) {
      const c = this.pairs.get(pk);
      this.pairs.delete(pk);
      if (c) {
        unlink(this.venues.kalshi.markets.get(c.kalshiTicker), pk);
        unlink(this.venues.polymarket.markets.get(c.polymarketConditionId), pk);
      }
    }
  }

  /**
   * The kind ids by the tag, district and group lists themselves: a doc's lists
   * are shared between docs with equal ones (interned) and never change, so
   * the same three lists always have the same kind and most docs skip
   * building the `vetoKind` text.
   */
  private readonly kindsByLists = new WeakMap<readonly string[], WeakMap<readonly string[], WeakMap<readonly string[], number>>>();

  /** A small id for the market's `vetoKind`: a query passes over the items of other kinds. */
  private kindOf(doc: MarketDoc): number {
    let byDistricts = this.kindsByLists.get(doc.tags);
    if (byDistricts === undefined) {
      byDistricts = new WeakMap();
      this.kindsByLists.set(doc.tags, byDistricts);
    }
    let byGroups = byDistricts.get(doc.districts);
    if (byGroups === undefined) {
      byGroups = new WeakMap();
      byDistricts.set(doc.districts, byGroups);
    }
    const known = byGroups.get(doc.groups);
    if (known !== undefined) return known;
    const key = vetoKind(doc);
    let id = this.kinds.get(key);
    if (id === undefined) {
      id = this.kinds.size;
      this.kinds.set(key, id);
    }
    byGroups.set(doc.groups, id);
    return id;
  }

  private refresh(dirtyEvents: ReadonlySet<EventRecord>): number {
    this.epoch += 1;
    const epoch = this.epoch;
    const dirty: Filed[] = [];
    const toRead: MarketRecord[][] = [];
    let count = 0;
    for (const event of dirtyEvents) {
      if (event.members.length === 0) {
        this.venues[event.venue].events.delete(event.id);
        continue;
      }
      const records = event.members.slice();
      toRead.push(records);
      count += records.length;
    }
    // a large refresh's markets are read ahead on a worker thread, in the order they are built below,
    // with the young-generation collections on this thread alone meanwhile (see `scavengingAlone`)
    const reader = this.reader;
    if (reader !== null && count >= READ_AHEAD_MIN && reader.available) {
      return scavengingAlone(() => {
        const next = reader.send(toRead.flatMap((records) => records.map((r) => r.market)));
        this.readAll(toRead, epoch, dirty, next);
        return this.query(dirty, epoch);
      });
    }
    this.readAll(toRead, epoch, dirty, null);
    return this.query(dirty, epoch);
  }

  /** Read and file the markets of `toRead` (each an event's), from the reader's index `next` when they were sent ahead. */
  private readAll(toRead: readonly MarketRecord[][], epoch: number, dirty: Filed[], first: number | null): void {
    let next = first;
    try {
      for (const records of toRead) next = this.reread(records, epoch, dirty, next);
    } finally {
      if (first !== null) this.reader?.release();
    }
  }

  /** Query the other venue's index for each market just filed, and keep the pairs that survive; how many pairs were evaluated. */
  private query(dirty: readonly Filed[], epoch: number): number {
    let evaluated = 0;
    let dirtyKalshi = 0;
    for (const e of dirty) if (e.doc.venue === 'kalshi') dirtyKalshi += 1;
    const cleanKalshi = this.venues.kalshi.index.size - dirtyKalshi;
    for (const filed of dirty) {
      const mine = filed.doc;
      const isKalshi = mine.venue === 'kalshi';
      // A pair of two dirty markets is found from its Kalshi side; a Polymarket
      // market queries only for the Kalshi markets that are not being re-read.
      if (!isKalshi && cleanKalshi === 0) continue;
      // the cheap veto rejects every pair of a placeholder or an unread Kalshi outcome
      if (mine.placeholder || mine.unresolved) continue;
      // Blocking keeps the best K that pass the cheap vetoes, so siblings
      // (the other outcomes, lines and halves of an event) cannot crowd out the twin.
      const accept = isKalshi
        ? (item: Filed): boolean => !quickReject(mine, item.doc)
        : (item: Filed): boolean => item.epoch !== epoch && !quickReject(item.doc, mine);
      const index = this.venues[isKalshi ? 'polymarket' : 'kalshi'].index;
      // a Polymarket market must name every outcome word of a Kalshi market (a cheap veto)
      const required = isKalshi && mine.outcome.length > 0 ? mine.outcome : undefined;
      // and a Kalshi market must mention one of a Polymarket market's
      const close = closeFactsOf(mine);
      const filters = isKalshi ? { close } : { anyOf: mine.outcome, owned: mine.own, close };
      for (const hit of index.query(mine.ctx, this.k, accept, required, filed.kind, deadlineDay(mine), deadlineYear(mine), filters)) {
        const other = index.item(hit.slot);
        if (other === null) continue;
        const [ke, pe] = isKalshi ? [filed, other] : [other, filed];
        const c = evaluatePair(ke.doc, pe.doc, this.vocab, this.fingerprintAhead(ke), this.fingerprintAhead(pe));
        evaluated += 1;
        if (c.relation === 'different') continue;
        this.pairs.set(c.key, c);
        link(filed, c.key);
        link(other, c.key);
      }
    }
    return evaluated;
  }

  /**
   * Read one event's markets again (`records`: its members) and file them in
   * the index. `next`: the read-ahead index of its first market, or null when
   * they were not sent ahead; returns the next event's.
   */
  private reread(records: readonly MarketRecord[], epoch: number, dirty: Filed[], next: number | null): number | null {
    const reader = this.reader;
    const docs = finalizeEvent(
      records.map((r) => r.market),
      this.vocab,
      next === null || reader === null ? undefined : (i) => reader.take(next + i),
    );
    for (let i = 0; i < docs.length; i += 1) {
      const doc = docs[i] as MarketDoc;
      const record = records[i] as MarketRecord;
      this.unfile(record);
      const tokens = doc.ctx;
      this.vocab.addDoc(tokens);
      const filed = record as Filed;
      filed.doc = doc;
      filed.epoch = epoch;
      filed.kind = this.kindOf(doc);
      filed.ahead = next === null ? -1 : next + i;
      filed.slot = this.venues[doc.venue].index.add(filed, tokens, filed.kind, deadlineDay(doc), deadlineYear(doc), doc.outcome, closeFactsOf(doc));
      dirty.push(filed);
    }
    if (next === null) return null;
    reader?.forget(next + records.length);
    return next + records.length;
  }

  /** The fingerprint of a market as the reader thread computed it, when its doc holds none yet and the reader has it. */
  private fingerprintAhead(filed: Filed): string | undefined {
    return filed.doc.fingerprint === null && filed.ahead >= 0 ? this.reader?.fingerprint(filed.ahead) : undefined;
  }

  /** Every candidate that passed the vetoes (relation same or inverse), any confidence. */
  candidates(): MatchCandidate[] {
    return [...this.pairs.values()];
  }

  candidatesFor(venue: VenueId, id: string): MatchCandidate[] {
    const keys = this.venues[venue].markets.get(id)?.pairs ?? [];
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
    // the sides of each Polymarket market already used, as bits (no "id:side" text built per candidate)
    const usedP = new Map<string, number>();
    const out: MatchCandidate[] = [];
    for (const c of sorted) {
      const bit = c.polymarketSide === 'yes' ? 1 : c.polymarketSide === 'no' ? 2 : 4;
      const used = usedP.get(c.polymarketConditionId) ?? 0;
      if (usedK.has(c.kalshiTicker) || (used & bit) !== 0) continue;
      usedK.add(c.kalshiTicker);
      usedP.set(c.polymarketConditionId, used | bit);
      out.push(c);
    }
    return out;
  }

  /** Full evaluation of one pair, with every veto spelled out (for "why not?"). */
  explain(kalshiTicker: string, polymarketConditionId: string): MatchCandidate | null {
    const k = this.venues.kalshi.markets.get(kalshiTicker)?.doc;
    const p = this.venues.polymarket.markets.get(polymarketConditionId)?.doc;
    if (k === undefined || k === null || p === undefined || p === null) return null;
    return evaluatePair(k, p, this.vocab);
  }

  /** The features read from one market (for display and debugging). */
  doc(venue: VenueId, id: string): MarketDoc | null {
    return this.venues[venue].markets.get(id)?.doc ?? null;
  }
}

/** Take a market out of its event's members (which keep their order). */
function leave(record: MarketRecord): void {
  const members = record.event.members;
  const i = members.indexOf(record);
  if (i >= 0) members.splice(i, 1);
}

function link(record: MarketRecord, pk: string): void {
  const list = record.pairs;
  if (list === null) record.pairs = [pk];
  else if (!list.includes(pk)) list.push(pk);
}

function unlink(record: MarketRecord | undefined, pk: string): void {
  const list = record?.pairs;
  if (list === null || list === undefined) return;
  const i = list.indexOf(pk);
  if (i >= 0) list.splice(i, 1);
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
