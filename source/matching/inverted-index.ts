/**
 * Blocking: an inverted index from token to the markets of one venue that
 * contain it, with document frequencies shared by both venues for IDF. A
 * query walks only the posting lists of the query's tokens (skipping the
 * very common ones), never all N×M pairs, and keeps the top K by an
 * IDF-weighted cosine. Removal is a tombstone, so updates are O(tokens).
 */

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

  /** Smoothed inverse document frequency, ≥ a small positive floor. */
  idfOf(id: number): number {
    return Math.log(1 + (this.docs + 1) / ((this.df[id] ?? 0) + 0.5));
  }

  idf(token: string): number {
    const id = this.ids.get(token);
    return id === undefined ? Math.log(1 + (this.docs + 1) / 0.5) : this.idfOf(id);
  }
}

/** A copy of `a` with room for at least `needed` values (doubling). */
function grown<A extends Int32Array | Float64Array>(a: A, needed: number): A {
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

export class VenueIndex<T> {
  /**
   * Posting list of each token id, null where this venue has none. Kept dense
   * (`null` filled in up to the id): token ids are shared by both venues, and
   * writing far past the end of a JavaScript array turns it into a slow hash
   * table or copies it.
   */
  private readonly postings: Array<number[] | null> = [];
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
  private touchedCount = 0;
  private live = 0;

  constructor(
    private readonly vocab: Vocabulary,
    /** tokens whose posting list is longer than this are not walked (they still count in the final score) */
    private readonly postingCap: number,
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
  add(item: T, tokenIds: readonly number[], kind = 0, day = 0, year = ANY_YEAR): number {
    const slot = this.items.length;
    this.items.push(item);
    if (slot + 2 > this.tokenStart.length) {
      this.tokenStart = grown(this.tokenStart, slot + 2);
      this.norms = grown(this.norms, slot + 2);
      this.kinds = grown(this.kinds, slot + 2);
      this.days = grown(this.days, slot + 2);
      this.years = grown(this.years, slot + 2);
    }
    this.kinds[slot] = kind;
    this.days[slot] = day;
    this.years[slot] = year;
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
   */
  query(
    tokenIds: readonly number[],
    k: number,
    accept?: (item: T) => boolean,
    required?: readonly number[],
    kind?: number,
    day = 0,
    year = ANY_YEAR,
  ): Hit[] {
    if (this.mark.length < this.items.length) {
      this.mark = new Uint8Array(Math.max(this.items.length, this.mark.length * 2));
    }
    const vocabSize = this.vocab.size;
    if (this.weights.length < vocabSize) {
      this.weights = new Float64Array(Math.max(vocabSize, this.weights.length * 2));
      this.walkable = new Uint8Array(this.weights.length);
      this.requiredMark = new Uint8Array(this.weights.length);
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
    if (drive >= 0 && driveLength < (walkedLength > 0 ? walkedLength : rarestLength)) {
      // the same candidates: items of the drive list that a walked list (or the rarest) holds
      this.walkFiltered(this.postings[drive] ?? [], walkedLength > 0 ? -1 : rarest);
    } else if (walkedLength > 0) {
      for (const t of tokenIds) if (walkable[t] === 1) this.walk(this.postings[t] ?? []);
    } else if (rarest >= 0) this.walk(this.postings[rarest] ?? []);
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
    const best: Hit[] = [];
    const touched = this.touched;
    const mark = this.mark;
    const data = this.tokenData;
    const starts = this.tokenStart;
    const norms = this.norms;
    const kinds = this.kinds;
    const days = this.days;
    const years = this.years;
    for (let n = 0; n < this.touchedCount; n += 1) {
      const slot = touched[n] as number;
      mark[slot] = 0;
      if (kind !== undefined && kinds[slot] !== kind) continue;
      if (day !== 0) {
        const d = days[slot] as number;
        const y = years[slot] as number;
        if (d !== 0 && (d !== day || (year !== ANY_YEAR && y !== ANY_YEAR && y !== year))) continue;
      }
      let dot = 0;
      let held = 0;
      const end = starts[slot + 1] as number;
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
    for (const t of tokenIds) weights[t] = 0;
    if (required !== undefined) for (const t of required) requiredMark[t] = 0;
    return best.sort((a, b) => b.score - a.score || a.slot - b.slot);
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
      if (mark[slot] !== 0 || items[slot] === null) continue;
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
      if (mark[slot] === 0 && items[slot] !== null) this.push(slot);
    }
  }
}
