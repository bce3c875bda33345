/**
 * Blocking: an inverted index from token to the markets of one venue that
 * contain it, with document frequencies shared by both venues for IDF. A
 * query walks only the posting lists of the query's tokens (skipping the
 * very common ones), never all N×M pairs, and keeps the top K by an
 * IDF-weighted cosine. Removal is a tombstone, so updates are O(tokens).
 */

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly df: number[] = [];
  private docs = 0;

  id(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.df.length;
      this.ids.set(token, id);
      this.df.push(0);
    }
    return id;
  }

  lookup(token: string): number | undefined {
    return this.ids.get(token);
  }

  addDoc(tokenIds: Int32Array): void {
    this.docs += 1;
    for (const t of tokenIds) this.df[t] = (this.df[t] ?? 0) + 1;
  }

  removeDoc(tokenIds: Int32Array): void {
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

export interface Hit {
  readonly slot: number;
  readonly score: number;
}

export class VenueIndex<T> {
  private readonly postings: number[][] = [];
  private readonly items: Array<T | null> = [];
  private readonly tokens: Int32Array[] = [];
  private readonly norms: number[] = [];
  private acc = new Float64Array(1024);
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

  add(item: T, tokenIds: Int32Array): number {
    const slot = this.items.length;
    this.items.push(item);
    this.tokens.push(tokenIds);
    let norm = 0;
    for (const t of tokenIds) {
      let list = this.postings[t];
      if (list === undefined) {
        list = [];
        this.postings[t] = list;
      }
      list.push(slot);
      const w = this.vocab.idfOf(t);
      norm += w * w;
    }
    this.norms.push(Math.sqrt(norm));
    this.live += 1;
    return slot;
  }

  remove(slot: number): void {
    if (this.items[slot] === null || this.items[slot] === undefined) return;
    this.items[slot] = null;
    this.live -= 1;
  }

  /**
   * The top `k` live items by IDF-weighted cosine with the query tokens.
   * Blocking walks only posting lists no longer than the cap (the rarest list
   * is walked anyway when every list is longer); the candidates found are then
   * scored exactly on all their tokens.
   */
  query(tokenIds: Int32Array, k: number): Hit[] {
    if (this.acc.length < this.items.length) {
      this.acc = new Float64Array(Math.max(this.items.length, this.acc.length * 2));
    }
    const acc = this.acc;
    const touched: number[] = [];
    let queryNorm = 0;
    let rarest = -1;
    let rarestLength = Number.POSITIVE_INFINITY;
    let walked = false;
    const weight = new Map<number, number>();
    for (const t of tokenIds) {
      const w = this.vocab.idfOf(t);
      queryNorm += w * w;
      weight.set(t, w * w);
      const list = this.postings[t];
      if (list === undefined) continue;
      if (list.length < rarestLength) {
        rarest = t;
        rarestLength = list.length;
      }
      if (list.length > this.postingCap) continue;
      walked = true;
      this.walk(list, touched);
    }
    if (!walked && rarest >= 0) this.walk(this.postings[rarest] ?? [], touched);
    queryNorm = Math.sqrt(queryNorm) || 1;
    const best: Hit[] = [];
    for (const slot of touched) {
      acc[slot] = 0;
      let dot = 0;
      for (const t of this.tokens[slot] ?? []) dot += weight.get(t) ?? 0;
      const score = dot / ((this.norms[slot] ?? 1) * queryNorm || 1);
      if (best.length < k) {
        best.push({ slot, score });
        if (best.length === k) best.sort((a, b) => a.score - b.score);
      } else if (score > (best[0]?.score ?? 0)) {
        best[0] = { slot, score };
        for (let i = 0; i + 1 < best.length && (best[i]?.score ?? 0) > (best[i + 1]?.score ?? 0); i += 1) {
          const tmp = best[i] as Hit;
          best[i] = best[i + 1] as Hit;
          best[i + 1] = tmp;
        }
      }
    }
    return best.sort((a, b) => b.score - a.score || a.slot - b.slot);
  }

  private walk(list: readonly number[], touched: number[]): void {
    const acc = this.acc;
    for (const slot of list) {
      if (acc[slot] === 0 && this.items[slot] !== null) {
        acc[slot] = 1;
        touched.push(slot);
      }
    }
  }
}
