/**
 * Reading ahead: a large refresh's markets are read (`readMarket`: a dozen
 * regular-expression passes per text, the larger part of a full match) on a
 * worker thread while the main thread builds documents, indexes and queries.
 *
 * - The main thread sends each market's texts (title, subtitle, labels, rules)
 *   in the order the refresh will build them, in batches, all at once.
 * - The worker reads them and answers each batch with numbers: per market, ids
 *   of shared values (quantity lists, tags, places, dates, stance, shape...)
 *   and of words. A value or word is sent once, the first time it is used;
 *   both sides keep the tables. Decoding a market is a few array reads: no
 *   text is parsed twice and no per-market object crosses the threads
 *   (structured-cloning the readings cost the main thread 0.8 s for 300,000
 *   markets, half the reading itself).
 * - Each market is read by one thread only, the one that claims it first
 *   (a shared byte per market). The worker claims from the front, in the
 *   order the refresh builds. The main thread claims a market it comes to
 *   before the worker does (while the worker starts, say) and reads it as it
 *   would without a worker; when it comes to one the worker claimed and has
 *   not answered yet, it claims and reads the next market the worker has not
 *   claimed instead, which it builds soon after (what the main thread read is
 *   kept only until its event is built: a reading kept longer is copied by
 *   the young-generation collections and promoted, to die old). It waits only
 *   when no market is left to claim. The two threads share the reading by
 *   their speeds, and the matcher's API stays synchronous.
 * - The main thread turns a market's words into vocabulary ids when it builds
 *   that market, as it would have read them: ids are handed out in the same
 *   order, and the matcher's results are the same either way.
 * - Once it has read a refresh, the worker computes its markets' fingerprints
 *   (`fingerprintBatches`), into shared memory the main thread reads while it
 *   queries: the main thread would otherwise hash each market it evaluates
 *   while the worker sits idle.
 * - A worker that cannot start, answers with an error or is silent for
 *   `STALL_MS` while the main thread waits is stopped and never used again by
 *   its matcher: the main thread reads what is left. The worker is
 *   unreferenced (it never keeps the process alive) and stopped after
 *   `IDLE_MS` without use.
 *
 * Measured on the 2-core VM (300,000 synthetic markets in one refresh): the
 * full match took 8–13% less time than on the main thread alone, the worker
 * reading about three markets in four. Two cores give much less than twice
 * one here: the main thread's young-generation collections run helper
 * threads, which then wait for a core, and the main thread waited 0.5–1 s
 * on the run queue.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Market } from '../domain/market.js';
import type { DayDate, Quantity, Shape, Stance } from './extract.js';
import { fingerprintFromWords, fingerprintWords, type FingerprintFields } from './candidate.js';
import { readMarket, type MarketReading, type MarketTexts, type OwnReading, type ReadAheadResult, type TokenIds } from './market-doc.js';

/** Markets sent per batch (small: the main thread waits for an answer at most a batch's reading). */
export const BATCH = 250;
/** Fewer markets than this in a refresh are read on the main thread (a worker's start costs more). */
export const READ_AHEAD_MIN = 1_500;
export const IDLE_MS = 5_000;
/**
 * The main thread waits for a market the worker claimed only when every other
 * market is claimed too; a worker silent this long is taken for stopped (its
 * markets are then read on the main thread).
 */
export const STALL_MS = 5_000;
/** When the worker's value table holds more than this, it starts both sides' tables afresh. */
const VALUE_LIMIT = 200_000;

/**
 * The fields of each market a batch carries, in this order: title, subtitle,
 * yes label, no label, rules (what is read), event title and status (with the
 * close time, what its fingerprint reads).
 */
const TEXT_FIELDS = 7;
/** A field's length in `TextBatch.lengths` when it is null. */
const NULL_TEXT = -1;
/** An event title's length in `TextBatch.lengths` when it is the previous market's. */
const SAME_EVENT = -2;

/** A batch of markets' texts: their fields end to end in one string (see `TEXT_FIELDS`). */
export interface TextBatch {
  /** index of the batch's first market in the sending order */
  readonly base: number;
  /** 0 Kalshi, 1 Polymarket, per market */
  readonly venues: Uint8Array;
  /**
   * Every field of every market, end to end: one string crosses the threads
   * far faster than seven per market (the structured clone writes each string
   * on its own).
   */
  readonly text: string;
  /** the length of each field in `text`, `TEXT_FIELDS` per market (`NULL_TEXT`, `SAME_EVENT`) */
  readonly lengths: Int32Array;
  /** close times, NaN for none */
  readonly closes: Float64Array;
  /**
   * Who reads each market of the refresh (`CLAIM_*`, one byte per market from
   * index `first`): a thread reads a market only after claiming it from free.
   */
  readonly claims?: SharedArrayBuffer;
  readonly first?: number;
}

/** A market's fields as a batch carries them: what is read, and what its fingerprint reads. */
export type BatchMarket = MarketTexts & FingerprintFields;

/**
 * A request to fingerprint the markets of a refresh (`fingerprintBatches`),
 * sent after its batches: the worker, idle once it has read them, writes each
 * market's fingerprint while the main thread builds and queries.
 */
export interface FingerprintRequest {
  readonly base: number;
  readonly count: number;
  /** one byte per market: 1 once its fingerprint is written */
  readonly ready: SharedArrayBuffer;
  /** four int32 per market (`fingerprintWords`) */
  readonly words: SharedArrayBuffer;
  /** [0] set to 1 by the main thread: stop (a newer refresh, or the reader closed) */
  readonly stop: SharedArrayBuffer;
}

/** A market no thread has claimed yet, one the worker reads, one the main thread reads. */
export const CLAIM_FREE = 0;
export const CLAIM_WORKER = 1;
export const CLAIM_MAIN = 2;

/**
 * The reading of a batch. `ints` holds the offset of each market's record,
 * then the records: flags (1 = placeholder, 2 = skipped: nothing follows),
 * the value ids of its quantities, tags, paired tags, places, districts,
 * groups, stance, dates, shape and sources, its number of words, then their
 * word ids.
 */
export interface ReadBatch {
  readonly base: number;
  readonly count: number;
  readonly ints: Int32Array;
  /** the worker cleared its tables before this batch: so must the reader */
  readonly reset: boolean;
  /** words first used in this batch, ids in order from the last word known */
  readonly words: readonly string[];
  /** values first used in this batch, ids in order from the last value known */
  readonly values: readonly unknown[];
}

export interface ReadFailure {
  readonly base: number;
  readonly error: string;
}

const FIELDS = 11;
const WORDS_AT = FIELDS;
const PLACEHOLDER = 1;
const SKIPPED = 2;

/** What the dates value holds. */
interface OwnDates {
  readonly deadline: DayDate | null;
  readonly onDate: string | null;
  readonly years: readonly number[];
}

/** The fields of `markets` in batches (see `TextBatch`), made one at a time: each is sent as soon as made. */
export function* textBatches(markets: readonly Market[], base: number, claims?: SharedArrayBuffer): Generator<TextBatch> {
  let at = 0;
  const parts: string[] = [];
  while (at < markets.length) {
    const size = Math.min(BATCH, markets.length - at);
    const venues = new Uint8Array(size);
    const lengths = new Int32Array(size * TEXT_FIELDS);
    const closes = new Float64Array(size);
    parts.length = 0;
    const field = (text: string | null, i: number): void => {
      if (text === null) lengths[i] = NULL_TEXT;
      else {
        lengths[i] = text.length;
        parts.push(text);
      }
    };
    let eventTitle: string | null = null;
    for (let i = 0; i < size; i += 1) {
      const m = markets[at + i] as Market;
      const poly = m.venue === 'polymarket';
      const f = i * TEXT_FIELDS;
      venues[i] = poly ? 1 : 0;
      field(m.title, f);
      field(m.subtitle, f + 1);
      // Kalshi markets' shape is always Yes/No: their labels are not read
      field(poly ? m.yesLabel : '', f + 2);
      field(poly ? m.noLabel : '', f + 3);
      field(m.rules, f + 4);
      if (m.eventTitle === eventTitle) lengths[f + 5] = SAME_EVENT;
      else field((eventTitle = m.eventTitle), f + 5);
      field(m.status, f + 6);
      closes[i] = m.closeTime ?? Number.NaN;
    }
    const text = parts.join('');
    yield claims === undefined
      ? { base: base + at, venues, text, lengths, closes }
      : { base: base + at, venues, text, lengths, closes, claims, first: base };
    at += size;
  }
}

/** The markets of a batch, their fields cut from its text. */
export function unpackBatch(batch: TextBatch): BatchMarket[] {
  const { text, lengths, closes, venues } = batch;
  const out: BatchMarket[] = [];
  let at = 0;
  let eventTitle = '';
  const next = (i: number): string | null => {
    const n = lengths[i] as number;
    if (n === NULL_TEXT) return null;
    at += n;
    return text.slice(at - n, at);
  };
  for (let i = 0; i < venues.length; i += 1) {
    const f = i * TEXT_FIELDS;
    const title = next(f) ?? '';
    const subtitle = next(f + 1);
    const yesLabel = next(f + 2) ?? '';
    const noLabel = next(f + 3) ?? '';
    const rules = next(f + 4);
    if (lengths[f + 5] !== SAME_EVENT) eventTitle = next(f + 5) ?? '';
    const status = next(f + 6) as Market['status'];
    const close = closes[i] as number;
    out.push({
      venue: venues[i] === 1 ? 'polymarket' : 'kalshi',
      title,
      subtitle,
      yesLabel,
      noLabel,
      rules,
      eventTitle,
      status,
      closeTime: Number.isNaN(close) ? null : close,
    });
  }
  return out;
}

/**
 * Fingerprint the markets of `request` that `batches` hold (the batches of its
 * refresh, as the worker received them), Kalshi markets first (a full match
 * evaluates pairs from their Kalshi side, in order); stops when told to.
 */
export function fingerprintBatches(request: FingerprintRequest, batches: readonly TextBatch[]): void {
  const ready = new Uint8Array(request.ready);
  const words = new Int32Array(request.words);
  const stop = new Int32Array(request.stop);
  let done = 0;
  for (const venue of [0, 1]) {
    for (const batch of batches) {
      const k0 = batch.base - request.base;
      if (k0 < 0 || k0 + batch.venues.length > request.count || !batch.venues.includes(venue)) continue;
      const markets = unpackBatch(batch);
      for (let i = 0; i < markets.length; i += 1) {
        if (batch.venues[i] !== venue) continue;
        if ((done++ & 255) === 0 && Atomics.load(stop, 0) !== 0) return;
        fingerprintWords(markets[i] as BatchMarket, words, (k0 + i) * 4);
        Atomics.store(ready, k0 + i, 1);
      }
    }
  }
}

/** A copy of `ints` with room for `needed` numbers at least. */
function grown(ints: Int32Array, needed: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(Math.max(ints.length * 2, needed));
  out.set(ints);
  return out;
}

/** The worker's side: reads batches and writes their readings as numbers. */
export class ReadingEncoder {
  /** `valueLimit`: start the tables afresh when they hold more values than this */
  constructor(private readonly valueLimit = VALUE_LIMIT) {}

  private words = new Map<string, number>();
  /** values shared by identity (lists and objects the reader interns) */
  private objects = new Map<object, number>();
  /** values made per reading (dates, shape), by their content */
  private keyed = new Map<string, number>();
  private valueCount = 0;
  private newWords: string[] = [];
  private newValues: unknown[] = [];
  /**
   * The value last sent in each field of a record, and its id: most markets
   * carry the same shared empty lists and constant shapes as the one before,
   * which then cost a comparison, not a table lookup.
   */
  private readonly lastValues: unknown[] = new Array<unknown>(FIELDS).fill(undefined);
  private readonly lastIds = new Int32Array(FIELDS);
  /** the id of the dates value of a text with no date and no year, -1 until sent */
  private noDates = -1;

  private word(w: string): number {
    let id = this.words.get(w);
    if (id === undefined) {
      id = this.words.size;
      this.words.set(w, id);
      this.newWords.push(w);
    }
    return id;
  }

  /** The id of `value` in `table` under `key`; a value first seen gets the next id and is sent. */
  private valueId<K>(table: Map<K, number>, key: K, value: unknown): number {
    let id = table.get(key);
    if (id === undefined) {
      id = this.valueCount++;
      table.set(key, id);
      this.newValues.push(value);
    }
    return id;
  }

  /** The id of `value`, shared by identity, sent in record field `field`. */
  private object(value: object, field: number): number {
    if (this.lastValues[field] === value) return this.lastIds[field] as number;
    const id = this.valueId(this.objects, value, value);
    this.lastValues[field] = value;
    this.lastIds[field] = id;
    return id;
  }

  private keyedValue(key: string, value: unknown): number {
    return this.valueId(this.keyed, key, value);
  }

  private dates(r: OwnReading): number {
    const d = r.deadline;
    if (d === null && r.onDate === null && r.years.length === 0) {
      if (this.noDates < 0) this.noDates = this.keyedValue('x||', { deadline: null, onDate: null, years: r.years } satisfies OwnDates);
      return this.noDates;
    }
    const key = `${d === null ? 'x' : `${d.y ?? 'n'}-${d.m}-${d.d}`}|${r.onDate ?? ''}|${r.years.join(',')}`;
    return this.keyedValue(key, { deadline: d, onDate: r.onDate, years: r.years } satisfies OwnDates);
  }

  private shape(s: Shape): number {
    return s.sides === null ? this.object(s, 9) : this.keyedValue(JSON.stringify([s.shape, s.sides]), s);
  }

  /** Read `batch`, skipping the markets `claim(index)` refuses (the main thread reads them). */
  encode(batch: TextBatch, claim: (index: number) => boolean = () => true): ReadBatch {
    const reset = this.valueCount > this.valueLimit;
    if (reset) {
      this.words = new Map();
      this.objects = new Map();
      this.keyed = new Map();
      this.valueCount = 0;
      this.lastValues.fill(undefined);
      this.noDates = -1;
    }
    this.newWords = [];
    this.newValues = [];
    const count = batch.venues.length;
    let ints = new Int32Array(count + count * (FIELDS + 8));
    let at = count;
    const markets = unpackBatch(batch);
    for (let i = 0; i < count; i += 1) {
      ints[i] = at;
      if (!claim(batch.base + i)) {
        if (at >= ints.length) ints = grown(ints, at + 1);
        ints[at++] = SKIPPED;
        continue;
      }
      const { reading: r, own } = readMarket(markets[i] as BatchMarket);
      if (at + FIELDS + 1 + own.length > ints.length) ints = grown(ints, at + FIELDS + 1 + own.length);
      ints[at] = r.placeholder ? PLACEHOLDER : 0;
      ints[at + 1] = this.object(r.quantities, 1);
      ints[at + 2] = this.object(r.tags, 2);
      ints[at + 3] = this.object(r.paired, 3);
      ints[at + 4] = this.object(r.places, 4);
      ints[at + 5] = this.object(r.districts, 5);
      ints[at + 6] = this.object(r.groups, 6);
      ints[at + 7] = this.object(r.stance, 7);
      ints[at + 8] = this.dates(r);
      ints[at + 9] = this.shape(r.shape);
      ints[at + 10] = this.object(r.sources, 10);
      ints[at + WORDS_AT] = own.length;
      for (let w = 0; w < own.length; w += 1) ints[at + WORDS_AT + 1 + w] = this.word(own[w] as string);
      at += WORDS_AT + 1 + own.length;
    }
    return { base: batch.base, count, ints: ints.slice(0, at), reset, words: this.newWords, values: this.newValues };
  }
}

/** The decoder's scratch list of a market's word ids (filled from the start: no holes). */
const OWN_IDS: number[] = [];

/** The main thread's side: the tables, and a market's reading from its batch. */
export class ReadingDecoder {
  private words: string[] = [];
  private values: unknown[] = [];
  /** vocabulary id of each word id, -1 until the word is first used */
  private vocabIds = new Int32Array(1024).fill(-1);

  constructor(private readonly vocab: TokenIds) {}

  /** Forget the tables (the worker's are empty or were started afresh). */
  reset(): void {
    this.words = [];
    this.values = [];
    this.vocabIds.fill(-1);
  }

  /** Take in a batch's new words and values (batches in the order the worker answered them). */
  learn(batch: ReadBatch): void {
    if (batch.reset) this.reset();
    for (const w of batch.words) this.words.push(w);
    for (const v of batch.values) this.values.push(v);
    if (this.words.length > this.vocabIds.length) {
      let size = this.vocabIds.length * 2;
      while (size < this.words.length) size *= 2;
      const grown = new Int32Array(size).fill(-1);
      grown.set(this.vocabIds);
      this.vocabIds = grown;
    }
  }

  /** The reading of the `i`th market of `batch` (learnt, and no batch with a reset learnt since); undefined when skipped. */
  decode(batch: ReadBatch, i: number): ReadAheadResult | undefined {
    const ints = batch.ints;
    const at = ints[i] as number;
    if (((ints[at] as number) & SKIPPED) !== 0) return undefined;
    const v = this.values;
    const dates = v[ints[at + 8] as number] as OwnDates;
    const reading: OwnReading = {
      deadline: dates.deadline,
      onDate: dates.onDate,
      years: dates.years,
      quantities: v[ints[at + 1] as number] as readonly Quantity[],
      tags: v[ints[at + 2] as number] as readonly string[],
      paired: v[ints[at + 3] as number] as Readonly<Record<string, readonly string[]>>,
      places: v[ints[at + 4] as number] as readonly string[],
      districts: v[ints[at + 5] as number] as readonly string[],
      groups: v[ints[at + 6] as number] as readonly string[],
      stance: v[ints[at + 7] as number] as Stance,
      placeholder: ((ints[at] as number) & PLACEHOLDER) !== 0,
      shape: v[ints[at + 9] as number] as Shape,
      sources: v[ints[at + 10] as number] as readonly string[],
    };
    const n = ints[at + WORDS_AT] as number;
    const ids = this.vocabIds;
    for (let w = 0; w < n; w += 1) {
      const word = ints[at + WORDS_AT + 1 + w] as number;
      let id = ids[word] as number;
      if (id < 0) {
        id = this.vocab.id(this.words[word] as string);
        ids[word] = id;
      }
      OWN_IDS[w] = id;
    }
    // a copy at its exact length, with no holes, as the main thread's own reading makes it
    return { reading, ownIds: OWN_IDS.slice(0, n) };
  }
}

export interface ReadAheadOptions {
  /** the worker's module (default: `read-worker.js` beside this module, when it exists) */
  readonly workerUrl?: URL;
  /** use a worker even on a machine with one core (tests) */
  readonly anyMachine?: boolean;
  /** stop the worker after this long without use (default `IDLE_MS`) */
  readonly idleMs?: number;
}

/** How the markets of the refreshes sent ahead were read, since the reader was made. */
export interface ReadAheadCounts {
  /** markets sent to the worker */
  readonly sent: number;
  /** markets built from the worker's reading */
  readonly ahead: number;
  /** markets the main thread claimed and read itself (ahead of the worker while it waited, or when it came to them first) */
  readonly here: number;
  /** time the main thread waited for the worker's answers, with nothing left to read itself */
  readonly waitedMs: number;
}

/** The default worker module, or null when it is not there (running from TypeScript sources). */
function defaultWorkerUrl(): URL | null {
  const url = new URL('./read-worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Reads markets ahead on a worker thread, for one vocabulary (one matcher).
 *
 * Each market of a refresh is read by one thread: whichever claims it first
 * (`CLAIM_*`, a shared byte per market). The worker claims from the front, in
 * the order the refresh builds; the main thread, when it needs a market whose
 * reading has not come, reads the next market the worker has not claimed
 * instead (kept until its event is built: `forget`), and waits only when every
 * market is claimed. No market is read twice, and each thread reads as much as
 * its speed allows.
 */
export class ReadAhead {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  /** [0]: answers posted by the worker (it bumps and notifies after each) */
  private signal: Int32Array | null = null;
  private readonly decoder: ReadingDecoder;
  /** markets sent so far (the index the next one gets) */
  private sent = 0;
  /** the refresh under way: its first index, markets, claims, and what the main thread read of it ahead of its building */
  private first = 0;
  private markets: readonly Market[] = [];
  private claims: Uint8Array | null = null;
  private mine: Array<MarketReading | undefined> = [];
  /** the main thread claims ahead of the worker from here on (an index in the refresh) */
  private next = 0;
  /** markets of the refresh before this are built (`forget`) */
  private forgotten = 0;
  /** answered batches of the refresh under way, in order */
  private received: ReadBatch[] = [];
  private idle: NodeJS.Timeout | null = null;
  /** the fingerprints of the last refresh sent, as the worker writes them (kept after `release`, for its queries) */
  private prints: { readonly first: number; readonly count: number; readonly ready: Uint8Array; readonly words: Int32Array; readonly stop: Int32Array } | null =
    null;
  /** why reading ahead stopped for good, once it has */
  failure: string | null = null;
  private aheadCount = 0;
  private hereCount = 0;
  private waitedMs = 0;
  private readonly workerUrl: URL | null;

  constructor(
    private readonly vocab: TokenIds,
    private readonly options: ReadAheadOptions = {},
  ) {
    this.decoder = new ReadingDecoder(vocab);
    this.workerUrl = options.workerUrl ?? defaultWorkerUrl();
  }

  get counts(): ReadAheadCounts {
    return { sent: this.sent, ahead: this.aheadCount, here: this.hereCount, waitedMs: Math.round(this.waitedMs) };
  }

  /** What is kept for the markets of the refresh under way not yet built: the main thread's readings made ahead, the worker's answers. */
  get held(): { readonly readings: number; readonly batches: number } {
    let readings = 0;
    for (const read of this.mine) if (read !== undefined) readings += 1;
    return { readings, batches: this.received.length };
  }

  /** Is a worker running (started, not yet stopped)? */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Can this reader read ahead at all (a worker module, a second core, no failure yet)? */
  get available(): boolean {
    return this.failure === null && this.workerUrl !== null && (this.options.anyMachine === true || availableParallelism() >= 2);
  }

  /**
   * Send `markets` to be read, in the order `take` will ask for them; returns
   * the index `take` knows the first by, or null when reading ahead is not
   * available (read them on the main thread).
   */
  send(markets: readonly Market[]): number | null {
    if (!this.available || markets.length === 0) return null;
    if (this.idle !== null) {
      clearTimeout(this.idle);
      this.idle = null;
    }
    if (this.worker === null && !this.start()) return null;
    const base = this.sent;
    const claims = new SharedArrayBuffer(markets.length);
    this.first = base;
    this.markets = markets;
    this.claims = new Uint8Array(claims);
    this.mine = new Array<MarketReading | undefined>(markets.length);
    this.next = 0;
    this.forgotten = 0;
    this.received = [];
    this.stopPrints();
    try {
      for (const batch of textBatches(markets, base, claims)) this.port?.postMessage(batch);
      const request: FingerprintRequest = {
        base,
        count: markets.length,
        ready: new SharedArrayBuffer(markets.length),
        words: new SharedArrayBuffer(markets.length * 16),
        stop: new SharedArrayBuffer(4),
      };
      this.port?.postMessage({ fingerprints: request });
      this.prints = {
        first: base,
        count: markets.length,
        ready: new Uint8Array(request.ready),
        words: new Int32Array(request.words),
        stop: new Int32Array(request.stop),
      };
    } catch (error) {
      this.fail(`could not send texts to the reader thread: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
    this.sent += markets.length;
    return base;
  }

  /**
   * The reading of market `index` (as `send` numbered it): the worker's, or
   * the one the main thread made ahead; undefined when the main thread
   * is to read it now (it claimed it, or reading ahead stopped).
   */
  take(index: number): ReadAheadResult | undefined {
    const k = index - this.first;
    const claims = this.claims;
    // (a market already built and forgotten is read again here: its answer is gone)
    if (claims === null || k < this.forgotten || k >= this.markets.length) return undefined;
    let waitedSince = -1;
    for (;;) {
      const state = Atomics.load(claims, k);
      if (state === CLAIM_MAIN) return this.readHere(k);
      if (state === CLAIM_FREE) {
        if (Atomics.compareExchange(claims, k, CLAIM_FREE, CLAIM_MAIN) === CLAIM_FREE) return this.readHere(k);
        continue;
      }
      // the worker's: its answer, once it has come
      let batch = this.find(index);
      if (batch === undefined) {
        this.drain();
        batch = this.find(index);
      }
      if (batch !== undefined) {
        if (waitedSince >= 0) this.waitedMs += performance.now() - waitedSince;
        const read = this.decoder.decode(batch, index - batch.base);
        if (read !== undefined) this.aheadCount += 1;
        return read;
      }
      if (this.port === null) return undefined; // stopped: the main thread reads it
      // meanwhile, read the next market the worker has not claimed; with none left, wait for the answer
      if (this.readNext(k)) continue;
      if (waitedSince < 0) waitedSince = performance.now();
      if (!this.waitForAnswer(waitedSince)) return undefined;
    }
  }

  /**
   * The fingerprint of market `index` (as `send` numbered it) of the last
   * refresh sent, if the worker has written it (`fingerprintOfMarket`'s text);
   * undefined otherwise (compute it here).
   */
  fingerprint(index: number): string | undefined {
    const prints = this.prints;
    if (prints === null) return undefined;
    const k = index - prints.first;
    if (k < 0 || k >= prints.count || Atomics.load(prints.ready, k) !== 1) return undefined;
    return fingerprintFromWords(prints.words, k * 4);
  }

  /** Tell the worker to stop fingerprinting the last refresh sent, and forget its fingerprints. */
  private stopPrints(): void {
    if (this.prints !== null) Atomics.store(this.prints.stop, 0, 1);
    this.prints = null;
  }

  /**
   * The markets before `index` (as `send` numbered it) are built: forget what
   * was kept for them (the main thread's readings, the worker's answers).
   */
  forget(index: number): void {
    const k = Math.min(index - this.first, this.mine.length);
    for (let j = this.forgotten; j < k; j += 1) this.mine[j] = undefined;
    if (k > this.forgotten) this.forgotten = k;
    let done = 0;
    while (done < this.received.length) {
      const batch = this.received[done] as ReadBatch;
      if (batch.base + batch.count > index) break;
      done += 1;
    }
    if (done > 0) this.received.splice(0, done);
  }

  /** A market the main thread claimed: what it read of it ahead, or undefined (read it now). */
  private readHere(k: number): ReadAheadResult | undefined {
    this.hereCount += 1;
    const read = this.mine[k];
    if (read === undefined) return undefined;
    // kept for a second build of the market (its event's dates), as the worker's answers are
    const vocab = this.vocab;
    return { reading: read.reading, ownIds: read.own.map((w) => vocab.id(w)) };
  }

  /**
   * Claim and read the first free market after `k` (and after the last one
   * claimed so): the worker has claimed up to where it is reading, so this is
   * the market it would read next, which the main thread builds soon after.
   * False when none is left.
   */
  private readNext(k: number): boolean {
    const claims = this.claims;
    if (claims === null) return false;
    const n = this.markets.length;
    for (let j = Math.max(this.next, k + 1); j < n; j += 1) {
      if (Atomics.load(claims, j) === CLAIM_FREE && Atomics.compareExchange(claims, j, CLAIM_FREE, CLAIM_MAIN) === CLAIM_FREE) {
        this.mine[j] = readMarket(this.markets[j] as Market);
        this.next = j + 1;
        return true;
      }
    }
    this.next = n;
    return false;
  }

  /** Wait for the worker's next answer; false (and reading ahead stops) when it has not answered for `STALL_MS`. */
  private waitForAnswer(since: number): boolean {
    const signal = this.signal;
    if (signal === null) return false;
    // an answer posted after `seen` was read makes the wait return at once
    const seen = Atomics.load(signal, 0);
    if (this.drain() > 0) return true;
    const left = STALL_MS - (performance.now() - since);
    if (left <= 0) {
      this.fail(`the reader thread did not answer for ${STALL_MS / 1000} s`);
      return false;
    }
    Atomics.wait(signal, 0, seen, Math.min(left, 50));
    return true;
  }

  /** Take in the answers that have come: the index up to which markets sent are answered (a worker's progress). */
  answered(): number {
    this.drain();
    const last = this.received[this.received.length - 1];
    return last === undefined ? this.first : last.base + last.count;
  }

  /** The refresh is done: forget it (answers still to come are skipped), stop the worker when idle. */
  release(): void {
    this.received = [];
    this.markets = [];
    this.mine = [];
    this.claims = null;
    this.first = this.sent;
    if (this.worker !== null && this.idle === null) {
      this.idle = setTimeout(() => this.close(), this.options.idleMs ?? IDLE_MS);
      this.idle.unref();
    }
  }

  /** Stop the worker (a later `send` starts another). */
  close(): void {
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = null;
    const worker = this.worker;
    this.worker = null;
    this.stopPrints();
    this.port?.close();
    this.port = null;
    this.signal = null;
    this.received = [];
    if (worker !== null) void worker.terminate();
  }

  /** The answered batch holding market `index`, if it has come (answers come in order: usually the last). */
  private find(index: number): ReadBatch | undefined {
    for (let b = this.received.length - 1; b >= 0; b -= 1) {
      const batch = this.received[b] as ReadBatch;
      if (index >= batch.base + batch.count) return undefined;
      if (index >= batch.base) return batch;
    }
    return undefined;
  }

  /** Take in every answer that has come; how many came. */
  private drain(): number {
    for (let n = 0; ; n += 1) {
      const port = this.port;
      const got = port === null ? undefined : receiveMessageOnPort(port);
      if (got === undefined) return n;
      const answer = got.message as ReadBatch | ReadFailure;
      if ('error' in answer) {
        this.fail(`the reader thread failed: ${answer.error}`);
        return n + 1;
      }
      // every answer's new words and values, in order: the tables stay the worker's
      this.decoder.learn(answer);
      if (answer.base >= this.first) this.received.push(answer);
    }
  }

  private start(): boolean {
    try {
      const { port1, port2 } = new MessageChannel();
      const signal = new SharedArrayBuffer(4);
      const worker = new Worker(this.workerUrl as URL, {
        workerData: { port: port2, signal },
        transferList: [port2],
        // not the process's Node options (`--input-type`, `--require` hooks...), which a worker
        // may refuse or should not run; V8's flags are the process's whatever this says
        execArgv: [],
        stdout: false,
        stderr: false,
      });
      worker.unref();
      // a worker that stops answers no more (its markets are read on the main thread); it is not used again
      worker.on('error', (error) => {
        if (this.worker === worker) this.fail(`the reader thread stopped: ${error.message}`);
      });
      this.worker = worker;
      this.port = port1;
      this.signal = new Int32Array(signal);
      // a new worker's tables are empty
      this.decoder.reset();
      return true;
    } catch (error) {
      this.fail(`could not start the reader thread: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  private fail(reason: string): void {
    this.failure = reason;
    this.close();
  }
}
