/**
 * Blocking: an inverted index from token to the markets of one venue that
 * contain it, with document frequencies shared by both venues for IDF. A
 * query walks only the posting lists of the query's tokens (skipping the
 * very common ones), never all N×M pairs, and keeps the top K by an
 * IDF-weighted cosine. Removal is a tombstone, so updates are O(tokens).
 */
import { closeVeto, type CloseFacts } from './close-times.js';

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  /** the token of each id (one copy of each token string for the whole matcher) */
  private readonly names: string[] = [];
  private readonly df: number[] = [];
  private docs = 0;

  id(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.df.length;
      this.ids.set(token, id);
      this.names.push(token);
      this.df.push(0);
    }
    return id;
  }

  /** The token of an id handed out by `id`. */
  token(id: number): string {
    return this.names[id] ?? '';
  }

  /** Number of token ids handed out. */
  get size(): number {
    return this.df.length;
  }

  lookup(token: string): number | undefined {
    return this.ids.get(token);
  }

  addDoc(tokenIds: readonly number[]): void {
    this.docs += 1;
    for (const t of tokenIds) this.df[t] = (this.df[t] ?? 0) + 1;
  }

  removeDoc(tokenIds: readonly number[]): void {
    this.docs -= 1;
    for (const t of tokenIds) this.df[t] = Math.max(0, (this.df[t] ?? 0) - 1);
  }

  documentFrequency(id: number): number {
    return this.df[id] ?? 0;
  }

  /**
   * Smoothed inverse document frequency, ≥ a small positive floor. Never 0: a
   * query marks its tokens by their weight (`VenueIndex.query`, NamedRule 'asked-any').
   */
  idfOf(id: number): number {
    return Math.log(1 + (this.docs + 1) / ((this.df[id] ?? 0) + 0.5));
  }

  idf(token: string): number {
    const id = this.ids.get(token);
    return id === undefined ? Math.log(1 + (this.docs + 1) / 0.5) : this.idfOf(id);
  }
}

/** A copy of `a` with room for at least `needed` values (doubling). */
function grown<A extends Int32Array | Float64Array | Uint8Array>(a: A, needed: number): A {
  let size = a.length * 2;
  while (size < needed) size *= 2;
  const b = new (a.constructor as new (n: number) => A)(size);
  b.set(a);
  return b;
}

/** The year of an item's date that states none (it agrees with every year). */
export const ANY_YEAR = -0x80000000;

/**
 * An item's date for blocking, as `add` and `query` take it: a day key
 * (month * 100 + day of month + 1 for months and days of at most two digits;
 * 0: no date) and a year (or ANY_YEAR). Two dates agree when either is
 * missing, or the days are equal and so are the years (or either is ANY_YEAR).
 */
export function dayKey(month: number, dayOfMonth: number): number {
  return month * 100 + dayOfMonth + 1;
}

/** Order hits worst first: lower score, then the newer item. */
function worseFirst(a: Hit, b: Hit): number {
  return a.score - b.score || b.slot - a.slot;
}

export interface Hit {
  readonly slot: number;
  readonly score: number;
}

/**
 * What a query must say of an item's named tokens (`add`'s `named`) for `accept`
 * to let the item through, per index (the matcher's cheap veto, read here before
 * `accept` is asked):
 * - 'owned-all': the asking market names every one (`QueryFilters.owned`): the
 *   outcome words of a Kalshi market, which a Polymarket market must name;
 * - 'asked-any': the query's tokens hold at least one: the outcome words of a
 *   Polymarket market, one of which a Kalshi market must mention;
 * - 'none': nothing is checked.
 */
export type NamedRule = 'none' | 'owned-all' | 'asked-any';

/** More of what `accept` lets through, told to `query` so that it passes the others over unscored. */
export interface QueryFilters {
  /** tokens of which an accepted item holds at least one */
  readonly anyOf?: readonly number[] | undefined;
  /** the asking market's own tokens (for an index whose NamedRule is 'owned-all') */
  readonly owned?: readonly number[] | undefined;
  /** the asking market's dates: items the close-time veto rejects against them are passed over (see `closeVeto`) */
  readonly close?: CloseFacts | undefined;
}

const NO_TOKENS: readonly number[] = [];
/** Posting lists longer than this are walked by kind, and by dates (`VenueIndex.listOf`). */
const KIND_SPLIT = 256;
/** Slots the date-filtered walks (`VenueIndex.listOf`) keep at most by default, all lists together, and how many lists. */
const WALK_MEMO_LIMIT = 2_000_000;
const WALK_MEMO_KEYS = 20_000;
const NO_DATES: CloseFacts = { gameDay: Number.NaN, close: Number.NaN, hasDeadline: false, deadlineEnd: Number.NaN };

export class VenueIndex<T> {
  /**
   * Posting list of each token id, null where this venue has none. Kept dense
   * (`null` filled in up to the id): token ids are shared by both venues, and
   * writing far past the end of a JavaScript array turns it into a slow hash
   * table or copies it.
   */
  private readonly postings: Array<number[] | null> = [];
  /**
   * Long posting lists split by the kind of their items (slot order kept), built
   * when a query first walks one for a kind and kept up to date by `add`: a query
   * of one kind accepts no item of another (`admits`), so it walks only its own
   * kind's part. Dense like `postings`; undefined where a list is not split.
   */
  private readonly byKind: Array<Map<number, number[]> | undefined> = [];
  /**
   * Long lists' items that pass a query's date tests (`listOf`), by the list, kind
   * and dates; cleared when an item is added (a removed one is skipped as it is
   * walked), or when full (`walkMemoHeld`: the slots held; see `walkMemoBounds`).
   */
  private readonly walkMemo = new Map<string, number[]>();
  private walkMemoHeld = 0;
  private readonly items: Array<T | null> = [];
  /**
   * The tokens of every slot in one flat buffer (slot s: `tokenData[tokenStart[s]
   * .. tokenStart[s + 1])`) and the norms in another: a query scores hundreds of
   * slots, and contiguous integers outside the garbage-collected heap are read
   * far faster than one small array object per slot.
   */
  private tokenData = new Int32Array(4096);
  private tokenStart = new Int32Array(1024);
  private norms = new Float64Array(1024);
  /** each slot's kind (`add`'s `kind`): a query for one kind skips the others before scoring */
  private kinds = new Int32Array(1024);
  /** each slot's day and year (`add`'s `date`): a query for one day skips the items dated another before scoring */
  private days = new Int32Array(1024);
  private years = new Int32Array(1024);
  /** 1 while a slot is in the current query's touched list */
  private mark = new Uint8Array(1024);
  /** squared IDF of each query token during a query, 0 otherwise (indexed by token id) */
  private weights = new Float64Array(1024);
  private touched = new Int32Array(1024);
  /** 1 for a query token whose posting list is walked, during a query */
  private walkable = new Uint8Array(1024);
  /** 1 for a token every accepted item must hold, during a query */
  private requiredMark = new Uint8Array(1024);
  /** 1 for a token of which an accepted item holds at least one (`QueryFilters.anyOf`), during a query */
  private anyMark = new Uint8Array(1024);
  /** 1 for a token the query's market names (`QueryFilters.owned`), during a query */
  private ownedMark = new Uint8Array(1024);
  /**
   * Each slot's named tokens (`add`'s `named`), flat like the tokens: the words
   * that tell the item apart from its siblings, which the asking market must
   * name (see `NamedRule`).
   */
  private namedData = new Int32Array(1024);
  private namedStart = new Int32Array(1024);
  /** each slot's dates (`add`'s `close`), NaN where it states none: the close-time veto reads them here */
  private gameDays = new Float64Array(1024);
  private closes = new Float64Array(1024);
  private deadlineEnds = new Float64Array(1024);
  private hasDeadline = new Uint8Array(1024);
  /** one slot's dates, filled in per candidate (no object made per candidate) */
  private readonly scratch: { gameDay: number; close: number; hasDeadline: boolean; deadlineEnd: number } = {
    gameDay: Number.NaN,
    close: Number.NaN,
    hasDeadline: false,
    deadlineEnd: Number.NaN,
  };
  private touchedCount = 0;
  /**
   * The current query's tests of an item that read none of its tokens (kind, day,
   * named tokens, close times), set before its lists are walked: a walk files only
   * the items that pass them (`admits`), so a long list (the rarest, when every
   * list is longer than the cap) costs one pass, not a pass and a second look.
   */
  private qKind: number | undefined = undefined;
  private qDay = 0;
  private qYear = ANY_YEAR;
  private qNamed = false;
  private qOwned = false;
  private qAsked: CloseFacts | undefined = undefined;
  private live = 0;
  /** how many items were added with a close time */
  private closesHeld = 0;

  constructor(
    private readonly vocab: Vocabulary,
    /** tokens whose posting list is longer than this are not walked (they still count in the final score) */
    private readonly postingCap: number,
    /** what a query must say of an item's named tokens for `accept` to let it through */
    private readonly namedRule: NamedRule = 'none',
    /** the venue whose markets this index holds, as the close-time veto takes them (Kalshi first); null: not checked */
    private readonly itemsAre: 'kalshi' | 'polymarket' | null = null,
    /** bounds of the date-filtered walks kept (`listOf`): slots, and lists */
    private readonly walkMemoBounds: { readonly slots: number; readonly lists: number } = { slots: WALK_MEMO_LIMIT, lists: WALK_MEMO_KEYS },
  ) {}

  get size(): number {
    return this.live;
  }

  item(slot: number): T | null {
    return this.items[slot] ?? null;
  }

  /**
   * File `item` under `tokenIds`. `kind` (default 0) is a class of items no
   * query for another kind can accept (see `query`).
   */
  add(
    item: T,
    tokenIds: readonly number[],
    kind = 0,
    day = 0,
    year = ANY_YEAR,
    named: readonly number[] = NO_TOKENS,
    close: CloseFacts = NO_DATES,
  ): number {
    const slot = this.items.length;
    this.items.push(item);
    if (this.walkMemo.size > 0) {
      this.walkMemo.clear();
      this.walkMemoHeld = 0;
    }
    if (slot + 2 > this.tokenStart.length) {
      this.tokenStart = grown(this.tokenStart, slot + 2);
      this.namedStart = grown(this.namedStart, slot + 2);
      this.gameDays = grown(this.gameDays, slot + 2);
      this.closes = grown(this.closes, slot + 2);
      this.deadlineEnds = grown(this.deadlineEnds, slot + 2);
      this.hasDeadline = grown(this.hasDeadline, slot + 2);
      this.norms = grown(this.norms, slot + 2);
      this.kinds = grown(this.kinds, slot + 2);
      this.days = grown(this.days, slot + 2);
      this.years = grown(this.years, slot + 2);
    }
    this.kinds[slot] = kind;
    this.days[slot] = day;
    this.years[slot] = year;
    const namedAt = this.namedStart[slot] as number;
    if (namedAt + named.length > this.namedData.length) this.namedData = grown(this.namedData, namedAt + named.length);
    for (let i = 0; i < named.length; i += 1) this.namedData[namedAt + i] = named[i] as number;
    this.namedStart[slot + 1] = namedAt + named.length;
    this.gameDays[slot] = close.gameDay;
    this.closes[slot] = close.close;
    if (!Number.isNaN(close.close)) this.closesHeld += 1;
    this.deadlineEnds[slot] = close.deadlineEnd;
    this.hasDeadline[slot] = close.hasDeadline ? 1 : 0;
    const start = this.tokenStart[slot] as number;
    const end = start + tokenIds.length;
    if (end > this.tokenData.length) this.tokenData = grown(this.tokenData, end);
    const data = this.tokenData;
    let norm = 0;
    for (let i = 0; i < tokenIds.length; i += 1) {
      const t = tokenIds[i] as number;
      data[start + i] = t;
      let list = this.postings[t];
      if (list === undefined || list === null) {
        list = [];
        const postings = this.postings;
        while (postings.length < t) postings.push(null);
        if (postings.length === t) postings.push(list);
        else postings[t] = list;
      }
      list.push(slot);
      const split = t < this.byKind.length ? this.byKind[t] : undefined;
      if (split !== undefined) this.fileByKind(split, slot);
      const w = this.vocab.idfOf(t);
      norm += w * w;
    }
    this.tokenStart[slot + 1] = end;
    this.norms[slot] = Math.sqrt(norm);
    this.live += 1;
    return slot;
  }

  remove(slot: number): void {
    if (this.items[slot] === null || this.items[slot] === undefined) return;
    this.items[slot] = null;
    this.live -= 1;
  }

  /**
   * The top `k` live items by IDF-weighted cosine with the query tokens
   * (ties: the older item first), among those `accept` lets through. `accept`
   * is asked only of an item that would enter the current top `k`, so a cheap
   * veto keeps siblings from crowding out the one market that can match.
   *
   * Blocking walks only posting lists no longer than the cap (the rarest list
   * is walked anyway when every list is longer); the candidates found are then
   * scored exactly on all their tokens. `required` names tokens every item
   * `accept` lets through contains: the same candidates are then found by
   * walking the shortest of their lists, when that is shorter. With `kind`,
   * `accept` lets through only items of that kind (`add`), and the others are
   * passed over without being scored. With a `day` (see `dayKey`), `accept`
   * lets through no item dated another day: those are passed over the same way.
   * `filters` tell more of the same (items holding none of `anyOf`, items whose
   * named tokens the query does not meet: see `NamedRule`), and the candidates
   * are found by walking the lists of `anyOf` when those are shorter.
   */
  query(
    tokenIds: readonly number[],
    k: number,
    accept?: (item: T) => boolean,
    required?: readonly number[],
    kind?: number,
    day = 0,
    year = ANY_YEAR,
    filters?: QueryFilters,
  ): Hit[] {
    if (this.mark.length < this.items.length) {
      this.mark = new Uint8Array(Math.max(this.items.length, this.mark.length * 2));
    }
    const vocabSize = this.vocab.size;
    if (this.weights.length < vocabSize) {
      this.weights = new Float64Array(Math.max(vocabSize, this.weights.length * 2));
      this.walkable = new Uint8Array(this.weights.length);
      this.requiredMark = new Uint8Array(this.weights.length);
      this.anyMark = new Uint8Array(this.weights.length);
      this.ownedMark = new Uint8Array(this.weights.length);
    }
    // an item holding none of `anyOf` is never accepted: none holds any -> nothing to find
    const anyOf = filters?.anyOf !== undefined && filters.anyOf.length > 0 ? filters.anyOf : undefined;
    let anyLength = Number.POSITIVE_INFINITY;
    if (anyOf !== undefined) {
      anyLength = 0;
      for (const t of anyOf) anyLength += this.postings[t]?.length ?? 0;
      if (anyLength === 0) return [];
    }
    let drive = -1;
    let driveLength = Number.POSITIVE_INFINITY;
    if (required !== undefined) {
      for (const t of required) {
        const length = this.postings[t]?.length ?? 0;
        if (length === 0) return [];
        if (length < driveLength) {
          drive = t;
          driveLength = length;
        }
      }
    }
    const rule = this.namedRule;
    const owned = rule === 'owned-all' ? filters?.owned : undefined;
    try {
      const weights = this.weights;
      const walkable = this.walkable;
      this.touchedCount = 0;
      let queryNorm = 0;
      let rarest = -1;
      let rarestLength = Number.POSITIVE_INFINITY;
      let walkedLength = 0;
      for (const t of tokenIds) {
        const w = this.vocab.idfOf(t);
        queryNorm += w * w;
        weights[t] = w * w;
        const list = this.postings[t];
        if (list === undefined || list === null) continue;
        if (list.length < rarestLength) {
          rarest = t;
          rarestLength = list.length;
        }
        if (list.length > this.postingCap) continue;
        walkable[t] = 1;
        walkedLength += list.length;
      }
      // the tests that read no tokens, asked as the lists are walked
      const ownedMark = this.ownedMark;
      if (owned !== undefined) for (const t of owned) ownedMark[t] = 1;
      // no close time on either side: the close-time veto cannot reject (every rule needs one)
      const dates = this.itemsAre === null ? undefined : filters?.close;
      this.qKind = kind;
      this.qDay = day;
      this.qYear = year;
      this.qNamed = owned !== undefined || rule === 'asked-any';
      this.qOwned = owned !== undefined;
      this.qAsked = dates !== undefined && (this.closesHeld > 0 || !Number.isNaN(dates.close)) ? dates : undefined;
      const walkCost = walkedLength > 0 ? walkedLength : rarestLength;
      if (drive >= 0 && driveLength < walkCost && driveLength <= anyLength) {
        // the same candidates: items of the drive list that a walked list (or the rarest) holds
        this.walkFiltered(this.listOf(drive), walkedLength > 0 ? -1 : rarest);
      } else if (anyOf !== undefined && anyLength < walkCost) {
        // the same candidates that can be accepted: items of the `anyOf` lists that a walked list (or the rarest) holds
        for (const t of anyOf) this.walkFiltered(this.listOf(t), walkedLength > 0 ? -1 : rarest);
      } else if (walkedLength > 0) {
        for (const t of tokenIds) if (walkable[t] === 1) this.walk(this.listOf(t));
      } else if (rarest >= 0) this.walk(this.listOf(rarest));
      for (const t of tokenIds) walkable[t] = 0;
      queryNorm = Math.sqrt(queryNorm) || 1;
      // an item without every required token is never accepted: skip it before asking `accept`
      const requiredMark = this.requiredMark;
      let needed = 0;
      if (required !== undefined) {
        for (const t of required) {
          if (requiredMark[t] === 0) needed += 1;
          requiredMark[t] = 1;
        }
      }
      const anyMark = this.anyMark;
      if (anyOf !== undefined) for (const t of anyOf) anyMark[t] = 1;
      const best: Hit[] = [];
      const touched = this.touched;
      const mark = this.mark;
      const data = this.tokenData;
      const starts = this.tokenStart;
      const norms = this.norms;
      // every touched item passed `admits` as it was walked
      for (let n = 0; n < this.touchedCount; n += 1) {
        const slot = touched[n] as number;
        mark[slot] = 0;
        const end = starts[slot + 1] as number;
        if (anyOf !== undefined) {
          let holds = false;
          for (let i = starts[slot] as number; i < end && !holds; i += 1) holds = anyMark[data[i] as number] === 1;
          if (!holds) continue;
        }
        let dot = 0;
        let held = 0;
        for (let i = starts[slot] as number; i < end; i += 1) {
          const t = data[i] as number;
          dot += weights[t] as number;
          held += requiredMark[t] as number;
        }
        if (held < needed) continue;
        const score = dot / ((norms[slot] as number) * queryNorm || 1);
        if (best.length < k) {
          if (accept !== undefined && !accept(this.items[slot] as T)) continue;
          best.push({ slot, score });
          if (best.length === k) best.sort(worseFirst);
        } else {
          const worst = best[0] as Hit;
          if (score < worst.score || (score === worst.score && slot > worst.slot)) continue;
          if (accept !== undefined && !accept(this.items[slot] as T)) continue;
          best[0] = { slot, score };
          for (let i = 0; i + 1 < best.length && worseFirst(best[i] as Hit, best[i + 1] as Hit) > 0; i += 1) {
            const tmp = best[i] as Hit;
            best[i] = best[i + 1] as Hit;
            best[i + 1] = tmp;
          }
        }
      }
      return best.sort((a, b) => b.score - a.score || a.slot - b.slot);
    } finally {
      // whatever happened (an `accept` that throws), the next query finds no mark of this one
      for (const t of tokenIds) {
        this.weights[t] = 0;
        this.walkable[t] = 0;
      }
      if (required !== undefined) for (const t of required) this.requiredMark[t] = 0;
      if (anyOf !== undefined) for (const t of anyOf) this.anyMark[t] = 0;
      if (owned !== undefined) for (const t of owned) this.ownedMark[t] = 0;
      for (let n = 0; n < this.touchedCount; n += 1) this.mark[this.touched[n] as number] = 0;
      this.touchedCount = 0;
      this.qAsked = undefined;
    }
  }

  /** Does the close-time veto reject the slot's market against the asking market's dates? */
  private closeVetoes(slot: number, asked: CloseFacts): boolean {
    const item = this.scratch;
    item.gameDay = this.gameDays[slot] as number;
    item.close = this.closes[slot] as number;
    item.deadlineEnd = this.deadlineEnds[slot] as number;
    item.hasDeadline = this.hasDeadline[slot] === 1;
    return this.itemsAre === 'kalshi' ? closeVeto(item, asked) : closeVeto(asked, item);
  }

  /**
   * The posting list of `t` as the current query walks it: of a long list, only
   * the items `admits` can let through on their kind, day and close times (the
   * part of the query's kind, split once, then the items of that part whose dates
   * pass, remembered per kind and dates until an item is added), in list order.
   * Many queries share a long list and their dates (every market of an event
   * closes at one time): each such walk is then over the few items left.
   */
  private listOf(t: number): readonly number[] {
    const list = this.postings[t];
    if (list === undefined || list === null) return NO_TOKENS;
    if (list.length <= KIND_SPLIT) return list;
    const kind = this.qKind;
    const part = kind === undefined ? list : this.kindPart(t, list, kind);
    const asked = this.qAsked;
    if (part.length <= KIND_SPLIT || (this.qDay === 0 && asked === undefined)) return part;
    const key =
      asked === undefined
        ? `${t} ${kind ?? '-'} ${this.qDay} ${this.qYear}`
        : `${t} ${kind ?? '-'} ${this.qDay} ${this.qYear} ${asked.gameDay} ${asked.close} ${asked.deadlineEnd} ${asked.hasDeadline ? 1 : 0}`;
    let dated = this.walkMemo.get(key);
    if (dated === undefined) {
      dated = [];
      for (let i = 0; i < part.length; i += 1) {
        const slot = part[i] as number;
        if (this.admitsOnDates(slot)) dated.push(slot);
      }
      if (this.walkMemoHeld + dated.length + 1 > this.walkMemoBounds.slots || this.walkMemo.size >= this.walkMemoBounds.lists) {
        this.walkMemo.clear();
        this.walkMemoHeld = 0;
      }
      this.walkMemo.set(key, dated);
      this.walkMemoHeld += dated.length + 1;
    }
    return dated;
  }

  /** The part of the long list `list` (of token `t`) whose items are of `kind`: split by kind when first asked, kept up to date by `add`. */
  private kindPart(t: number, list: readonly number[], kind: number): readonly number[] {
    let split = t < this.byKind.length ? this.byKind[t] : undefined;
    if (split === undefined) {
      split = new Map();
      for (const slot of list) this.fileByKind(split, slot);
      while (this.byKind.length <= t) this.byKind.push(undefined);
      this.byKind[t] = split;
    }
    return split.get(kind) ?? NO_TOKENS;
  }

  /** File `slot` in the part of `split` of its kind as stored (the int32 a query compares). */
  private fileByKind(split: Map<number, number[]>, slot: number): void {
    const k = this.kinds[slot] as number;
    const part = split.get(k);
    if (part === undefined) split.set(k, [slot]);
    else part.push(slot);
  }

  /**
   * Does the current query's test of an item that reads none of its tokens let
   * the slot through: its kind, its day, its named tokens, its close times?
   * (`query` sets the test; `accept` would reject every slot it does not.)
   */
  private admits(slot: number): boolean {
    const kind = this.qKind;
    if (kind !== undefined && this.kinds[slot] !== kind) return false;
    if (this.qNamed && !this.namedMet(slot)) return false;
    return this.admitsOnDates(slot);
  }

  /** The part of `admits` that reads the slot's day and close times only (and the query's). */
  private admitsOnDates(slot: number): boolean {
    const day = this.qDay;
    if (day !== 0) {
      const d = this.days[slot] as number;
      if (d !== 0) {
        if (d !== day) return false;
        const year = this.qYear;
        const y = this.years[slot] as number;
        if (year !== ANY_YEAR && y !== ANY_YEAR && y !== year) return false;
      }
    }
    const asked = this.qAsked;
    return asked === undefined || !this.closeVetoes(slot, asked);
  }

  /** Does the query meet the slot's named tokens (`NamedRule`)? */
  private namedMet(slot: number): boolean {
    const namedData = this.namedData;
    const namedStart = this.namedStart;
    const from = namedStart[slot] as number;
    const to = namedStart[slot + 1] as number;
    if (from === to) return true;
    if (this.qOwned) {
      // 'owned-all', and the query said its tokens
      const ownedMark = this.ownedMark;
      for (let i = from; i < to; i += 1) if (ownedMark[namedData[i] as number] === 0) return false;
      return true;
    }
    // 'asked-any': the query's tokens are the ones weighted during the query (an IDF is never 0: see `idfOf`)
    const weights = this.weights;
    for (let i = from; i < to; i += 1) if ((weights[namedData[i] as number] as number) !== 0) return true;
    return false;
  }

  /** Walk `list`, keeping the items that hold a walkable token (or `only`, when ≥ 0). */
  private walkFiltered(list: readonly number[], only: number): void {
    const mark = this.mark;
    const items = this.items;
    const walkable = this.walkable;
    const data = this.tokenData;
    const starts = this.tokenStart;
    for (let i = 0; i < list.length; i += 1) {
      const slot = list[i] as number;
      if (mark[slot] !== 0 || items[slot] === null || !this.admits(slot)) continue;
      let hit = false;
      const end = starts[slot + 1] as number;
      for (let j = starts[slot] as number; j < end && !hit; j += 1) {
        const t = data[j] as number;
        hit = only >= 0 ? t === only : walkable[t] === 1;
      }
      if (hit) this.push(slot);
    }
  }

  private push(slot: number): void {
    this.mark[slot] = 1;
    if (this.touchedCount === this.touched.length) this.touched = grown(this.touched, this.touchedCount + 1);
    this.touched[this.touchedCount] = slot;
    this.touchedCount += 1;
  }

  private walk(list: readonly number[]): void {
    const mark = this.mark;
    const items = this.items;
    for (let i = 0; i < list.length; i += 1) {
      const slot = list[i] as number;
      if (mark[slot] === 0 && items[slot] !== null && this.admits(slot)) this.push(slot);
    }
  }
}
