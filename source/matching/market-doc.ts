/**
 * Everything the matcher knows about one market: tokens for blocking and
 * scoring, structured features for the vetoes, and the tokens that tell this
 * market apart from its siblings in the same event (its "outcome tokens").
 *
 * `buildDoc` reads one market alone; `finalizeEvent` reads an event's markets
 * together (outcome tokens, Kalshi markets whose title is the same for every
 * outcome and whose outcome is in the ticker suffix).
 */
import type { Market, VenueId } from '../domain/market.js';
import { COUNTRY_CODES } from './aliases.js';
import {
  formatDay,
  isPlaceholder,
  kalshiGameDate,
  kalshiTickerQuantity,
  polymarketShape,
  scanDates,
  scanStance,
  scanDistricts,
  scanGroups,
  scanPlaces,
  scanQuantities,
  scanSources,
  scanTags,
  teamsOf,
  YES_NO_SHAPE,
  type DayDate,
  type MarketShape,
  type Quantity,
  type Shape,
  type Stance,
} from './extract.js';
import { applyAliases, fold, isLowerAlnum, normaliseToTokens, prepare, wordTokens } from './normalize.js';

/**
 * Token sets are held as ids of the matcher's vocabulary (each once, in
 * first-seen order): a market keeps a few small integer arrays, not sets of
 * strings of its own (300,000 markets: far less for the garbage collector to
 * mark), and the token strings of a market's text die young.
 */
export interface MarketDoc {
  readonly venue: VenueId;
  readonly id: string;
  readonly market: Market;
  /** content words of the market's own text (title, subtitle, resolved outcome) */
  readonly own: readonly number[];
  /** own words, event-title words, numbers (n:), years (y:) and dates (d:), in that order */
  readonly ctx: readonly number[];
  /** words that tell this market apart from the other markets of its event */
  readonly outcome: readonly number[];
  /**
   * How many markets of the event have each outcome word (shared by the event's
   * markets), as pairs: word id, count, word id, count... in first-seen order (a
   * flat list: one per event, 64,000 on a full catalog, far smaller than a Map).
   */
  readonly eventOutcomeCounts: readonly number[];
  readonly quantities: readonly Quantity[];
  readonly deadline: DayDate | null;
  readonly gameDate: string | null;
  readonly years: readonly number[];
  readonly tags: readonly string[];
  readonly paired: Readonly<Record<string, readonly string[]>>;
  readonly places: readonly string[];
  readonly districts: readonly string[];
  readonly groups: readonly string[];
  readonly placeholder: boolean;
  readonly shape: MarketShape;
  readonly sides: readonly [string, string] | null;
  readonly sources: readonly string[];
  /** negation, opposite words ("lose", "leave") and a finishing position other than first, of the market's own text */
  readonly stance: Stance;
  /** the game date as a day number (days since 1970-01-01), when `gameDate` is known */
  readonly gameDay: number | null;
  /** where a game date not in the market's own text or ticker was read ("its event title"), else null */
  readonly gameDateFrom: string | null;
  /** where the year of a deadline whose text gives none was read ("its close time"), else null */
  readonly deadlineYearFrom: string | null;
  /** Kalshi outcome read from the ticker suffix ("INT" -> "Inter"), when the title does not say it */
  readonly resolvedOutcome: string | null;
  /** words of the event title */
  readonly eventWords: ReadonlySet<string>;
  /** the two teams of a game (word sets), when the event title names them */
  readonly teams: readonly [ReadonlySet<string>, ReadonlySet<string>] | null;
  readonly teamNames: readonly [string, string] | null;
  /** true when the title is the same for every outcome and the suffix could not be read */
  readonly unresolved: boolean;
  /** the market's fingerprint, filled in when a pair is first evaluated */
  readonly fingerprint: string | null;
}

/** Token ids (the matcher's vocabulary). */
export interface TokenIds {
  id(token: string): number;
}

/** Does another market of `d`'s event than `d` have the outcome word `t`? */
export function siblingNames(d: MarketDoc, t: number): boolean {
  return outcomeCount(d.eventOutcomeCounts, t) > (d.outcome.includes(t) ? 1 : 0);
}

/** The count of word `t` in an event's outcome counts (`MarketDoc.eventOutcomeCounts`), 0 when it has none. */
export function outcomeCount(counts: readonly number[], t: number): number {
  for (let i = 0; i < counts.length; i += 2) if (counts[i] === t) return counts[i + 1] as number;
  return 0;
}

export function docKey(venue: VenueId, id: string): string {
  return `${venue}:${id}`;
}

/** Kalshi ticker suffix after the event ticker ("KXMLBNL-26-ATL" -> "ATL"). */
export function kalshiSuffix(m: Market): string {
  if (m.id.startsWith(`${m.eventId}-`)) return m.id.slice(m.eventId.length + 1);
  const parts = m.id.split('-');
  return parts[parts.length - 1] ?? '';
}

/** A market's own text: its title, and its subtitle when that says more. */
export function ownRawText(m: Pick<Market, 'title' | 'subtitle'>): string {
  return m.subtitle !== null && m.subtitle.trim() !== '' && m.subtitle.trim() !== m.title.trim()
    ? `${m.title} ${m.subtitle}`
    : m.title;
}

/** What a market reads from its event title (the same for every market of the event). */
export interface EventInfo {
  readonly title: string;
  readonly dates: ReturnType<typeof scanDates>;
  readonly words: ReadonlySet<string>;
  readonly teamNames: readonly [string, string] | null;
  readonly teams: readonly [ReadonlySet<string>, ReadonlySet<string>] | null;
  /** the years of the title, sorted, each once */
  readonly years: readonly number[];
}

const EVENT_CACHE = new Map<string, EventInfo>();
/**
 * Memo size: the event memo and the team-name memo are cleared when full (catalogs
 * repeat titles heavily, and the documents keep what they hold anyway; memory stays
 * bounded).
 */
const CACHE_LIMIT = 50_000;

/**
 * Own texts are mostly distinct (names): a small memo keeps the repeated
 * templates that come close together ("Will over 1.5 goals be scored?" in
 * every game) without holding what was read from every market read lately.
 *
 * When full, the memo is replaced by a new Map, not cleared, and it is small
 * enough to be replaced, usually, before the garbage collector promotes it to
 * the old generation (only texts read, not texts found, fill it). A long-lived
 * memo is in the old generation, and what an old-generation table points at
 * survives the young-generation collections until a full collection: clearing
 * makes a new table, also in the old generation, and leaves the old table
 * pointing at its entries. With the 4,096-entry memo cleared when full, every
 * text read, its words and its dates were copied and promoted: 230 MB on a
 * 300,000-market catalog, against 48 MB with this memo, and reading took a
 * tenth longer.
 */
const OWN_MEMO_SIZE = 512;
let ownMemo = new Map<string, OwnText>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** A Set of `list`'s values in their order (a loop: cheaper than the Set constructor's iteration). */
function setOf<T>(list: readonly T[]): Set<T> {
  const out = new Set<T>();
  for (let i = 0; i < list.length; i += 1) out.add(list[i] as T);
  return out;
}

/** Years each once, sorted as `Array#sort` sorts them; one year said once or more is a shared list. */
function yearsOf(years: readonly number[]): readonly number[] {
  if (years.length === 0) return NO_YEARS;
  const y = years[0] as number;
  return years.every((x) => x === y) ? oneYear(y) : [...new Set(years)].sort();
}

export function eventInfo(eventTitle: string): EventInfo {
  const cached = EVENT_CACHE.get(eventTitle);
  if (cached !== undefined) return cached;
  const dates = scanDates(prepare(fold(eventTitle)));
  const teamNames = teamsOf(eventTitle);
  return remember(EVENT_CACHE, eventTitle, {
    title: eventTitle,
    dates,
    words: setOf(wordTokens(applyAliases(dates.rest))),
    years: yearsOf(dates.years),
    teamNames,
    teams: teamNames === null ? null : [teamWords(teamNames[0]), teamWords(teamNames[1])],
  });
}

/**
 * The words of a team's name, remembered per name: a team plays many games, and
 * a game is listed as several events ("A vs. B", "A vs. B - More Markets"). The
 * sets are shared by every event that names the team, and never changed.
 */
const TEAM_WORDS = new Map<string, ReadonlySet<string>>();

function teamWords(name: string): ReadonlySet<string> {
  return TEAM_WORDS.get(name) ?? remember(TEAM_WORDS, name, new Set(normaliseToTokens(name)));
}

/** What a market's own text says (remembered for the texts read last: see `ownMemo`). */
interface OwnText {
  readonly prepared: string;
  readonly dates: ReturnType<typeof scanDates>;
  readonly aliased: string;
  /** content words, each once, in first-seen order */
  readonly own: readonly string[];
  readonly quantities: readonly Quantity[];
  readonly tags: readonly string[];
  readonly paired: Readonly<Record<string, readonly string[]>>;
  readonly places: readonly string[];
  readonly districts: readonly string[];
  readonly groups: readonly string[];
  readonly stance: Stance;
}

function readOwn(raw: string): OwnText {
  const cached = ownMemo.get(raw);
  if (cached !== undefined) return cached;
  const prepared = prepare(fold(raw));
  const dates = scanDates(prepared);
  const aliased = applyAliases(dates.rest);
  const { tags, paired } = scanTags(aliased);
  const quantities = internQuantities(scanQuantities(dates.rest));
  const read: OwnText = {
    prepared,
    dates,
    aliased,
    own: unique(wordTokens(aliased)),
    quantities,
    tags,
    paired,
    places: internStrings(scanPlaces(aliased)),
    districts: internStrings(scanDistricts(prepared)),
    groups: internStrings(scanGroups(prepared)),
    stance: scanStance(aliased, quantities.length > 0),
  };
  if (ownMemo.size >= OWN_MEMO_SIZE) ownMemo = new Map();
  ownMemo.set(raw, read);
  return read;
}

/**
 * What `buildDoc` reads from a market's own text and labels, everything but
 * the vocabulary ids of its words: read on the main thread (`readMarket`) or
 * ahead of the matcher on a worker thread (`read-ahead.ts`), which sends it
 * back as numbers and shared values.
 */
export interface OwnReading
  extends Pick<OwnText, 'quantities' | 'tags' | 'paired' | 'places' | 'districts' | 'groups' | 'stance'> {
  readonly deadline: DayDate | null;
  readonly onDate: string | null;
  /** the years the text names (as `scanDates` lists them) */
  readonly years: readonly number[];
  readonly placeholder: boolean;
  readonly shape: Shape;
  /** resolution sources its rules name */
  readonly sources: readonly string[];
}

/** A market read: what its text says, and its content words (each once, in first-seen order). */
export interface MarketReading {
  readonly reading: OwnReading;
  readonly own: readonly string[];
}

/** A market read ahead: its words are vocabulary ids already. */
export interface ReadAheadResult {
  readonly reading: OwnReading;
  readonly ownIds: readonly number[];
}

/** The fields of a market `readMarket` reads. */
export type MarketTexts = Pick<Market, 'venue' | 'title' | 'subtitle' | 'yesLabel' | 'noLabel' | 'rules'>;

/**
 * Read one market's own text, labels and rules (`ownOverride`: the text to
 * read instead of its title and subtitle, when its outcome was resolved from
 * the ticker). Pure: the same market always reads the same.
 */
export function readMarket(m: MarketTexts, ownOverride?: string): MarketReading {
  const raw = ownRawText(m);
  const text = readOwn(ownOverride ?? raw);
  const shape =
    m.venue === 'polymarket'
      ? polymarketShape(m.title, m.yesLabel, m.noLabel, ownOverride === undefined && raw === m.title ? text.prepared : undefined)
      : YES_NO_SHAPE;
  const dates = text.dates;
  return {
    reading: {
      deadline: dates.deadline,
      onDate: dates.onDate,
      years: dates.years,
      quantities: text.quantities,
      tags: text.tags,
      paired: text.paired,
      places: text.places,
      districts: text.districts,
      groups: text.groups,
      stance: text.stance,
      placeholder: isPlaceholder(ownOverride === undefined ? raw : m.title, text.aliased),
      shape,
      sources: internStrings(scanSources(m.rules)),
    },
    own: text.own,
  };
}

/**
 * Read-only values kept per market are shared between markets that have equal
 * ones (few distinct values exist: strikes, years, places, deadlines): less
 * for the garbage collector to copy, and the strings of a shared value hash once.
 * Bounded: when full the table is cleared (sharing is an optimisation only).
 */
const INTERN_LIMIT = 20_000;
const STRING_LISTS = new Map<string, readonly string[]>();
const QUANTITY_LISTS = new Map<string, readonly Quantity[]>();
const NUMBER_LISTS = new Map<string, readonly number[]>();
const DAYS = new Map<number, DayDate>();
const DAY_TEXTS = new Map<string, string>();

function interned<K, V>(table: Map<K, V>, key: K, value: V): V {
  const known = table.get(key);
  if (known !== undefined) return known;
  if (table.size >= INTERN_LIMIT) table.clear();
  table.set(key, value);
  return value;
}

function internStrings(list: readonly string[]): readonly string[] {
  if (list.length === 0) return NONE;
  return interned(STRING_LISTS, list.length === 1 ? (list[0] as string) : list.join('\u0000'), list);
}

function quantityKey(q: Quantity): string {
  return `${q.cmp}\u0000${q.text}\u0000${q.hiText ?? '\u0001'}\u0000${q.unit ?? '\u0001'}\u0000${q.from}`;
}

function internQuantities(list: readonly Quantity[]): readonly Quantity[] {
  if (list.length === 0) return NONE;
  let key = quantityKey(list[0] as Quantity);
  for (let i = 1; i < list.length; i += 1) key += `\u0002${quantityKey(list[i] as Quantity)}`;
  return interned(QUANTITY_LISTS, key, list);
}

function internNumbers(list: readonly number[]): readonly number[] {
  if (list.length === 0) return NO_YEARS;
  return interned(NUMBER_LISTS, list.join(','), list);
}

function internDay(day: DayDate | null): DayDate | null {
  if (day === null) return null;
  // months and days have at most two digits (the date patterns read no more)
  const md = day.m * 100 + day.d;
  return interned(DAYS, day.y === null ? -1 - md : day.y * 10_000 + md, day);
}

function internDayText(text: string | null): string | null {
  return text === null ? null : interned(DAY_TEXTS, text, text);
}

/**
 * Ids of the context tokens made from features ("n:1.5", "y:2026", "d:2026-05-13"),
 * per vocabulary, keyed by the (shared) feature value: no token string is built
 * for a feature seen before. Ids never change once handed out, so a memo is exact.
 */
interface FeatureIds {
  readonly quantity: Map<string, number>;
  readonly year: Map<number, number>;
  readonly day: Map<DayDate, number>;
  readonly dayText: Map<string, number>;
}
const FEATURE_IDS = new WeakMap<TokenIds, FeatureIds>();
const FEATURE_LIMIT = 50_000;

function featureIds(vocab: TokenIds): FeatureIds {
  let f = FEATURE_IDS.get(vocab);
  if (f === undefined) {
    f = { quantity: new Map(), year: new Map(), day: new Map(), dayText: new Map() };
    FEATURE_IDS.set(vocab, f);
  }
  return f;
}

/** The id of the token `prefix + text()`, memoised by `key`. */
function memoId<K>(memo: Map<K, number>, key: K, vocab: TokenIds, prefix: string, text: (key: K) => string): number {
  let id = memo.get(key);
  if (id === undefined) {
    id = vocab.id(prefix + text(key));
    if (memo.size >= FEATURE_LIMIT) memo.clear();
    memo.set(key, id);
  }
  return id;
}
const same = (text: string): string => text;

/** The years of a market: its own and its event's, each once, sorted as `Array#sort` sorts them. */
const ONE_YEAR = new Map<number, readonly number[]>();

/** The shared list of the one year `y`. */
function oneYear(y: number): readonly number[] {
  let list = ONE_YEAR.get(y);
  if (list === undefined) {
    list = [y];
    if (ONE_YEAR.size >= INTERN_LIMIT) ONE_YEAR.clear();
    ONE_YEAR.set(y, list);
  }
  return list;
}

function mergedYears(own: readonly number[], event: readonly number[]): readonly number[] {
  const y = own[0] as number;
  // the common case: one year, said once or more, by the market and maybe its event
  if (own.every((x) => x === y) && event.every((x) => x === y)) return oneYear(y);
  return internNumbers([...new Set([...own, ...event])].sort());
}

/** One shared empty list for the lists most markets leave empty (an object less per list kept). */
const NONE: readonly never[] = Object.freeze([]);

/** `list` with each value once, in first-seen order (a few words: no Set needed). */
function unique(list: string[]): string[] {
  for (let i = 1; i < list.length; i += 1) {
    if (list.lastIndexOf(list[i] as string, i - 1) >= 0) return [...new Set(list)];
  }
  return list;
}

/** The game date of a Kalshi event ticker, read once per event (its markets come together). */
let lastGameEvent: string | null = null;
let lastGameDate: string | null = null;
function gameDateOf(eventId: string): string | null {
  if (eventId !== lastGameEvent) {
    lastGameEvent = eventId;
    lastGameDate = kalshiGameDate(eventId);
  }
  return lastGameDate;
}

const NO_IDS: readonly number[] = [];
const NO_COUNTS: readonly number[] = [];


/** `buildDoc`'s scratch list for a context: its first `ctxCount` ids (reused: no growing array per market). */
const CTX: number[] = [];
let ctxCount = 0;

/** Append `id` to the scratch context unless it holds it (set semantics, first-seen order). */
function addToContext(id: number): void {
  for (let i = 0; i < ctxCount; i += 1) if (CTX[i] === id) return;
  CTX[ctxCount++] = id;
}

const NO_YEARS: readonly number[] = [];

interface BuildOptions {
  readonly event?: EventInfo;
  /** the ids of `event.words` (read once per event) */
  readonly eventIds?: readonly number[];
  readonly ownOverride?: string;
  readonly resolvedOutcome?: string | null;
  readonly unresolved?: boolean;
  /** read a strike from the ticker suffix when the title has none (titles identical across the event) */
  readonly tickerStrike?: boolean;
  /** read from the event's markets together (see `finalizeEvent`) */
  readonly siblings?: SiblingDates | undefined;
  /**
   * The own texts of the event's markets read ahead, by the market's index (the
   * `index` argument of `buildDoc`): asked for only when used (no `ownOverride`),
   * undefined when not read ahead. Its words become vocabulary ids as they would
   * have been read here, in the same order.
   */
  readonly ahead?: ((index: number) => ReadAheadResult | undefined) | undefined;
}

/** What the markets of one event say about dates, for a market whose own text says less. */
interface SiblingDates {
  /** the one game date the event's markets name ("win on 2026-05-13"), when they name one */
  readonly gameDate: string | null;
  /** the one year of the deadlines that state a year, and the latest of those deadlines */
  readonly year: number | null;
  readonly latest: DayDate | null;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a "YYYY-MM-DD" text. */
export function dayNumber(text: string): number {
  return Math.floor(Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10))) / DAY_MS);
}

/**
 * The year of a deadline whose text gives none ("by June 30"): the year that
 * puts it nearest the market's close time (within 60 days), else the year of
 * the event title's deadline or its one year, else the one year of the
 * deadlines of the event's other markets when this one falls before their
 * latest. Null when nothing says.
 */
function deadlineYear(
  day: DayDate,
  closeTime: number | null,
  ev: EventInfo,
  siblings: SiblingDates | undefined,
): { y: number; from: string } | null {
  if (closeTime !== null && Number.isFinite(closeTime)) {
    const cy = new Date(closeTime).getUTCFullYear();
    let best: number | null = null;
    let bestGap = Infinity;
    for (const y of [cy - 1, cy, cy + 1]) {
      const gap = Math.abs(Date.UTC(y, day.m - 1, day.d) - closeTime);
      if (gap < bestGap) {
        best = y;
        bestGap = gap;
      }
    }
    if (best !== null && bestGap <= 60 * DAY_MS) return { y: best, from: 'its close time' };
  }
  const eventDeadline = ev.dates.deadline;
  if (eventDeadline !== null && eventDeadline.y !== null) return { y: eventDeadline.y, from: 'its event title' };
  if (ev.years.length === 1) return { y: ev.years[0] as number, from: 'its event title' };
  const latest = siblings?.latest;
  if (siblings?.year != null && latest != null && (day.m < latest.m || (day.m === latest.m && day.d <= latest.d))) {
    return { y: siblings.year, from: "its event's other markets" };
  }
  return null;
}

/** Read one market alone (`index`: its index for `options.ahead`). */
export function buildDoc(m: Market, vocab: TokenIds, options: BuildOptions = {}, index = 0): MarketDoc {
  const ahead = options.ownOverride === undefined ? options.ahead?.(index) : undefined;
  let text: OwnReading;
  let ownIds: readonly number[];
  if (ahead !== undefined) {
    text = ahead.reading;
    ownIds = ahead.ownIds;
  } else {
    const read = readMarket(m, options.ownOverride);
    text = read.reading;
    // arrays kept per market are made at their exact length (`push` leaves spare room)
    ownIds = read.own.map((t) => vocab.id(t));
  }
  const ev = options.event?.title === m.eventTitle ? options.event : eventInfo(m.eventTitle);
  const eventDates = ev.dates;

  let quantities = text.quantities;
  if (quantities.length === 0 && m.venue === 'kalshi' && options.tickerStrike === true) {
    const q = kalshiTickerQuantity(kalshiSuffix(m));
    if (q) quantities = [q];
  }
  let deadline = internDay(text.deadline ?? eventDates.deadline);
  let deadlineYearFrom: string | null = null;
  if (deadline !== null && deadline.y === null) {
    const year = deadlineYear(deadline, m.closeTime, ev, options.siblings);
    if (year !== null) {
      deadline = internDay({ y: year.y, m: deadline.m, d: deadline.d });
      deadlineYearFrom = year.from;
    }
  }
  let gameDate = m.venue === 'kalshi' ? gameDateOf(m.eventId) : internDayText(text.onDate);
  let gameDateFrom: string | null = null;
  if (gameDate === null && m.venue === 'polymarket' && ev.teams !== null) {
    // a game's market that names no date ("end in a draw?"): the date its event title or other markets name
    if (ev.dates.firstDay !== null) {
      gameDate = internDayText(ev.dates.firstDay);
      gameDateFrom = 'its event title';
    } else if (options.siblings?.gameDate != null) {
      gameDate = options.siblings.gameDate;
      gameDateFrom = "its event's other markets";
    }
  }
  const years = text.years.length === 0 ? ev.years : mergedYears(text.years, eventDates.years);

  // the context is gathered in a scratch list and copied once
  ctxCount = 0;
  for (const id of ownIds) CTX[ctxCount++] = id;
  const eventWords = ev.words;
  if (options.eventIds !== undefined && options.event === ev) for (const id of options.eventIds) addToContext(id);
  else for (const t of eventWords) addToContext(vocab.id(t));
  const teamNames = ev.teamNames;
  const memo = featureIds(vocab);
  for (const q of quantities) addToContext(memoId(memo.quantity, q.text, vocab, 'n:', same));
  for (const y of years) addToContext(memoId(memo.year, y, vocab, 'y:', String));
  if (deadline) addToContext(memoId(memo.day, deadline, vocab, 'd:', formatDay));
  if (gameDate) addToContext(memoId(memo.dayText, gameDate, vocab, 'd:', same));
  const ctx = ctxCount === ownIds.length ? ownIds : CTX.slice(0, ctxCount);

  const shape = text.shape;
  return {
    venue: m.venue,
    id: m.id,
    market: m,
    own: ownIds,
    ctx,
    outcome: NO_IDS,
    eventOutcomeCounts: NO_COUNTS,
    quantities,
    deadline,
    gameDate,
    years,
    tags: text.tags,
    paired: text.paired,
    places: text.places,
    districts: text.districts,
    groups: text.groups,
    placeholder: text.placeholder,
    shape: shape.shape,
    sides: shape.sides,
    sources: text.sources,
    stance: text.stance,
    gameDay: gameDate === null ? null : dayNumber(gameDate),
    gameDateFrom,
    deadlineYearFrom,
    resolvedOutcome: options.resolvedOutcome ?? null,
    eventWords,
    teams: ev.teams,
    teamNames,
    unresolved: options.unresolved ?? false,
    fingerprint: null,
  };
}

function transliterations(name: string): string[] {
  const lower = name.toLowerCase();
  const german = lower.replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ä/g, 'ae').replace(/ß/g, 'ss');
  return [...new Set([fold(lower), fold(german)])];
}

/** Could the ticker code ("KOE", "BMU") stand for this team name ("FC Köln", "Bayern Munich")? */
export function codeMatchesName(code: string, name: string): boolean {
  const c = code.toLowerCase();
  for (const variant of transliterations(name)) {
    const words = variant.split(/[^a-z]+/).filter((w) => w.length > 0);
    for (let i = 0; i < words.length; i += 1) {
      const word = words[i] ?? '';
      if (word[0] !== c[0]) continue;
      const rest = words.slice(i).join('');
      let at = 1;
      for (let j = 1; j < rest.length && at < c.length; j += 1) if (rest[j] === c[at]) at += 1;
      if (at === c.length) return true;
    }
  }
  return false;
}

/** `text` with every whole-word `name` (not inside [a-z0-9]) replaced by a space, left to right. */
export function removeWord(text: string, name: string): string {
  if (name === '') {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return text.replace(new RegExp(`(?<![a-z0-9])${escaped}(?![a-z0-9])`, 'g'), ' ');
  }
  let out = '';
  let from = 0;
  let at = text.indexOf(name);
  while (at >= 0) {
    const end = at + name.length;
    if ((at === 0 || !isLowerAlnum(text.charCodeAt(at - 1))) && (end >= text.length || !isLowerAlnum(text.charCodeAt(end)))) {
      out += `${text.slice(from, at)} `;
      from = end;
      at = text.indexOf(name, end);
    } else at = text.indexOf(name, at + 1);
  }
  return from === 0 ? text : out + text.slice(from);
}

interface Resolution {
  readonly label: string;
  /** the title with the other team's name removed, plus the outcome */
  readonly ownText: string;
}

/** The outcome of a Kalshi market from its ticker suffix: a team of the event, a tie, or a country. */
export function resolveKalshiOutcome(m: Market): Resolution | null {
  const suffix = kalshiSuffix(m);
  const title = fold(m.title);
  const teams = eventInfo(m.eventTitle).teamNames ?? teamsOf(m.title);
  const without = (names: readonly string[]): string => {
    let t = title;
    for (const n of names) t = removeWord(t, fold(n));
    return t;
  };
  if (suffix === 'TIE') return { label: 'Tie', ownText: `${without(teams ?? [])} draw` };
  if (!/^[A-Z]{2,5}$/.test(suffix)) return null;
  if (teams) {
    const [a, b] = teams;
    const ma = codeMatchesName(suffix, a);
    const mb = codeMatchesName(suffix, b);
    let pick: string | null = ma && !mb ? a : mb && !ma ? b : null;
    if (pick === null) {
      const tail = /([A-Z]{4,})\d*$/.exec(m.eventId)?.[1] ?? '';
      const other = tail.startsWith(suffix) ? tail.slice(suffix.length) : tail.endsWith(suffix) ? tail.slice(0, -suffix.length) : '';
      if (other.length >= 2) {
        const oa = codeMatchesName(other, a);
        const ob = codeMatchesName(other, b);
        pick = oa && !ob ? b : ob && !oa ? a : null;
      }
    }
    if (pick !== null) {
      const otherTeam = pick === a ? b : a;
      return { label: pick, ownText: `${without([otherTeam])} ${pick}` };
    }
  }
  const country = COUNTRY_CODES[suffix];
  if (country !== undefined) return { label: country, ownText: `${title} ${country}` };
  return null;
}

/**
 * Read an event's markets together (same venue, same event): resolve Kalshi
 * outcomes that live only in the ticker, then outcome tokens. `ahead(i)`: the
 * own text of `markets[i]` read ahead, if it was (see `buildDoc`).
 */
export function finalizeEvent(
  markets: readonly Market[],
  vocab: TokenIds,
  ahead?: (i: number) => ReadAheadResult | undefined,
): MarketDoc[] {
  const titles = markets.map((m) => ownRawText(m));
  const generic = markets.length >= 2 && titles.every((t) => t === titles[0]);
  let lastTitle: string | null = null;
  // the options of the event title read last (one object per title, not per market)
  type EventOptions = Pick<BuildOptions, 'ahead'> & { readonly event: EventInfo; readonly eventIds: readonly number[] };
  let lastOptions: EventOptions | null = null;
  const options = (m: Market): EventOptions => {
    if (lastOptions === null || lastTitle !== m.eventTitle) {
      lastTitle = m.eventTitle;
      const event = eventInfo(m.eventTitle);
      lastOptions = { event, eventIds: [...event.words].map((t) => vocab.id(t)), ahead };
    }
    return lastOptions;
  };
  const build = (m: Market, i: number, siblings?: SiblingDates): MarketDoc => {
    const event = siblings === undefined ? options(m) : { ...options(m), siblings };
    if (m.venue !== 'kalshi') return buildDoc(m, vocab, event, i);
    const title = fold(titles[i] ?? '');
    const twoTeamTitle = /\s(?:vs\.?|at)\s/.test(title) && !/^will\b/.test(title);
    if (!generic && !twoTeamTitle) return buildDoc(m, vocab, event, i);
    const r = resolveKalshiOutcome(m);
    if (r) return buildDoc(m, vocab, { ...event, ownOverride: r.ownText, resolvedOutcome: r.label });
    const fromTicker = generic && m.id.startsWith(`${m.eventId}-`) && kalshiTickerQuantity(kalshiSuffix(m)) !== null;
    return buildDoc(m, vocab, { ...event, unresolved: !fromTicker, tickerStrike: fromTicker }, i);
  };
  const docs = markets.map((m, i) => build(m, i));
  if (docs.length < 2) return docs;
  // a market whose text names no game date or no deadline year reads them from the other markets of its event
  const needs = (d: MarketDoc): boolean =>
    (d.deadline !== null && d.deadline.y === null) || (d.gameDate === null && d.venue === 'polymarket' && d.teams !== null);
  if (docs.some(needs)) {
    const siblings = siblingDates(docs);
    if (siblings.gameDate !== null || siblings.year !== null) {
      for (let i = 0; i < docs.length; i += 1) if (needs(docs[i] as MarketDoc)) docs[i] = build(markets[i] as Market, i, siblings);
    }
  }
  const first = docs[0] as MarketDoc;
  // words every market of the event has
  const common: number[] = [];
  for (const t of first.own) if (docs.every((d) => d.own.includes(t))) common.push(t);
  // how many markets of the event have each outcome word: a sibling names `t` when another market does
  const counts = new Map<number, number>();
  for (const d of docs) {
    let outcome: number[] | null = null;
    for (const t of d.own) {
      if (common.includes(t)) continue;
      (outcome ??= []).push(t);
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    if (outcome !== null) (d as { outcome: readonly number[] }).outcome = outcome.slice();
  }
  const pairs: number[] = [];
  for (const [t, n] of counts) pairs.push(t, n);
  // kept at its exact length
  const shared = pairs.length === 0 ? NO_COUNTS : pairs.slice();
  for (const d of docs) (d as { eventOutcomeCounts: readonly number[] }).eventOutcomeCounts = shared;
  return docs;
}

/** The one game date and the one deadline year the markets of an event state in their own text. */
function siblingDates(docs: readonly MarketDoc[]): SiblingDates {
  let gameDate: string | null = null;
  let gameDates = 0;
  let year: number | null = null;
  let years = 0;
  let latest: DayDate | null = null;
  for (const d of docs) {
    if (d.gameDate !== null && d.gameDateFrom === null && d.gameDate !== gameDate) {
      gameDate = d.gameDate;
      gameDates += 1;
    }
    const day = d.deadline;
    if (day !== null && day.y !== null && d.deadlineYearFrom === null) {
      if (day.y !== year) {
        year = day.y;
        years += 1;
      }
      if (latest === null || day.m > latest.m || (day.m === latest.m && day.d > latest.d)) latest = day;
    }
  }
  return {
    gameDate: gameDates === 1 ? gameDate : null,
    year: years === 1 ? year : null,
    latest: years === 1 ? latest : null,
  };
}
