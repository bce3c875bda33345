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
  scanDistricts,
  scanGroups,
  scanPlaces,
  scanQuantities,
  scanSources,
  scanTags,
  teamsOf,
  type DayDate,
  type MarketShape,
  type Quantity,
} from './extract.js';
import { applyAliases, fold, normaliseToTokens, prepare, wordTokens } from './normalize.js';

export interface MarketDoc {
  readonly key: string;
  readonly venue: VenueId;
  readonly id: string;
  readonly eventKey: string;
  readonly market: Market;
  /** content words of the market's own text (title, subtitle, resolved outcome) */
  readonly own: ReadonlySet<string>;
  /** own words, event-title words, numbers (n:), years (y:) and dates (d:) */
  readonly ctx: readonly string[];
  readonly ctxSet: ReadonlySet<string>;
  /** words that tell this market apart from the other markets of its event */
  readonly outcome: ReadonlySet<string>;
  /** outcome words of the other markets of its event */
  readonly siblingOutcomes: ReadonlySet<string>;
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
  /** Kalshi outcome read from the ticker suffix ("INT" -> "Inter"), when the title does not say it */
  readonly resolvedOutcome: string | null;
  /** words of the event title */
  readonly eventWords: ReadonlySet<string>;
  /** the two teams of a game (word sets), when the event title names them */
  readonly teams: readonly [ReadonlySet<string>, ReadonlySet<string>] | null;
  readonly teamNames: readonly [string, string] | null;
  /** true when the title is the same for every outcome and the suffix could not be read */
  readonly unresolved: boolean;
}

export function docKey(venue: VenueId, id: string): string {
  return `${venue}:${id}`;
}

function eventKeyOf(m: Market): string {
  return `${m.venue}:${m.eventId}`;
}

/** Kalshi ticker suffix after the event ticker ("KXMLBNL-26-ATL" -> "ATL"). */
export function kalshiSuffix(m: Market): string {
  if (m.id.startsWith(`${m.eventId}-`)) return m.id.slice(m.eventId.length + 1);
  const parts = m.id.split('-');
  return parts[parts.length - 1] ?? '';
}

function ownRawText(m: Market): string {
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
}

const EVENT_CACHE = new Map<string, EventInfo>();
const OWN_CACHE = new Map<string, OwnText>();
/** Memo sizes: both memos are cleared when full (catalogs repeat titles heavily; memory stays bounded). */
const CACHE_LIMIT = 50_000;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

export function eventInfo(eventTitle: string): EventInfo {
  const cached = EVENT_CACHE.get(eventTitle);
  if (cached !== undefined) return cached;
  const dates = scanDates(prepare(fold(eventTitle)));
  const teamNames = teamsOf(eventTitle);
  return remember(EVENT_CACHE, eventTitle, {
    title: eventTitle,
    dates,
    words: new Set(wordTokens(applyAliases(dates.rest))),
    teamNames,
    teams: teamNames === null ? null : [new Set(normaliseToTokens(teamNames[0])), new Set(normaliseToTokens(teamNames[1]))],
  });
}

/** What a market's own text says, read once per distinct text (templates repeat across events). */
interface OwnText {
  readonly prepared: string;
  readonly dates: ReturnType<typeof scanDates>;
  readonly aliased: string;
  readonly own: ReadonlySet<string>;
  readonly quantities: readonly Quantity[];
  readonly tags: readonly string[];
  readonly paired: Readonly<Record<string, readonly string[]>>;
  readonly places: readonly string[];
  readonly districts: readonly string[];
  readonly groups: readonly string[];
}

function readOwn(raw: string): OwnText {
  const cached = OWN_CACHE.get(raw);
  if (cached !== undefined) return cached;
  const prepared = prepare(fold(raw));
  const dates = scanDates(prepared);
  const aliased = applyAliases(dates.rest);
  const { tags, paired } = scanTags(aliased);
  return remember(OWN_CACHE, raw, {
    prepared,
    dates,
    aliased,
    own: new Set(wordTokens(aliased)),
    quantities: scanQuantities(dates.rest),
    tags,
    paired,
    places: scanPlaces(aliased),
    districts: scanDistricts(prepared),
    groups: scanGroups(prepared),
  });
}

const NO_WORDS: ReadonlySet<string> = new Set();
const NO_YEARS: readonly number[] = [];

interface BuildOptions {
  readonly event?: EventInfo;
  readonly ownOverride?: string;
  readonly resolvedOutcome?: string | null;
  readonly unresolved?: boolean;
  /** read a strike from the ticker suffix when the title has none (titles identical across the event) */
  readonly tickerStrike?: boolean;
}

/** Read one market alone. */
export function buildDoc(m: Market, options: BuildOptions = {}): MarketDoc {
  const raw = ownRawText(m);
  const text = readOwn(options.ownOverride ?? raw);
  const ownDates = text.dates;
  const ev = options.event?.title === m.eventTitle ? options.event : eventInfo(m.eventTitle);
  const eventDates = ev.dates;
  const own = text.own;

  let quantities = text.quantities;
  if (quantities.length === 0 && m.venue === 'kalshi' && options.tickerStrike === true) {
    const q = kalshiTickerQuantity(kalshiSuffix(m));
    if (q) quantities = [q];
  }
  const deadline = ownDates.deadline ?? eventDates.deadline;
  const gameDate = m.venue === 'kalshi' ? kalshiGameDate(m.eventId) : ownDates.onDate;
  const years =
    ownDates.years.length === 0 && eventDates.years.length === 0
      ? NO_YEARS
      : [...new Set([...ownDates.years, ...eventDates.years])].sort();

  const ctx = new Set<string>(own);
  const eventWords = ev.words;
  for (const t of eventWords) ctx.add(t);
  const teamNames = ev.teamNames;
  for (const q of quantities) ctx.add(`n:${q.text}`);
  for (const y of years) ctx.add(`y:${y}`);
  if (deadline) ctx.add(`d:${formatDay(deadline)}`);
  if (gameDate) ctx.add(`d:${gameDate}`);

  const shape =
    m.venue === 'polymarket'
      ? polymarketShape(m.title, m.yesLabel, m.noLabel, options.ownOverride === undefined && raw === m.title ? text.prepared : undefined)
      : { shape: 'yes-no' as const, sides: null };

  return {
    key: docKey(m.venue, m.id),
    venue: m.venue,
    id: m.id,
    eventKey: eventKeyOf(m),
    market: m,
    own,
    ctx: [...ctx],
    ctxSet: ctx,
    outcome: NO_WORDS,
    siblingOutcomes: NO_WORDS,
    quantities,
    deadline,
    gameDate,
    years,
    tags: text.tags,
    paired: text.paired,
    places: text.places,
    districts: text.districts,
    groups: text.groups,
    placeholder: isPlaceholder(options.ownOverride === undefined ? raw : m.title, text.aliased),
    shape: shape.shape,
    sides: shape.sides,
    sources: scanSources(m.rules),
    resolvedOutcome: options.resolvedOutcome ?? null,
    eventWords,
    teams: ev.teams,
    teamNames,
    unresolved: options.unresolved ?? false,
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

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
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
    if ((at === 0 || !isAlnum(text.charCodeAt(at - 1))) && (end >= text.length || !isAlnum(text.charCodeAt(end)))) {
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
  const teams = teamsOf(m.eventTitle) ?? teamsOf(m.title);
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
 * outcomes that live only in the ticker, then outcome tokens.
 */
export function finalizeEvent(markets: readonly Market[]): MarketDoc[] {
  const titles = markets.map((m) => ownRawText(m));
  const generic = markets.length >= 2 && titles.every((t) => t === titles[0]);
  const infos = new Map<string, EventInfo>();
  const info = (title: string): EventInfo => {
    let i = infos.get(title);
    if (i === undefined) {
      i = eventInfo(title);
      infos.set(title, i);
    }
    return i;
  };
  const docs = markets.map((m, i) => {
    const event = info(m.eventTitle);
    if (m.venue !== 'kalshi') return buildDoc(m, { event });
    const title = fold(titles[i] ?? '');
    const twoTeamTitle = /\s(?:vs\.?|at)\s/.test(title) && !/^will\b/.test(title);
    if (!generic && !twoTeamTitle) return buildDoc(m, { event });
    const r = resolveKalshiOutcome(m);
    if (r) return buildDoc(m, { event, ownOverride: r.ownText, resolvedOutcome: r.label });
    const fromTicker = generic && m.id.startsWith(`${m.eventId}-`) && kalshiTickerQuantity(kalshiSuffix(m)) !== null;
    return buildDoc(m, { event, unresolved: !fromTicker, tickerStrike: fromTicker });
  });
  if (docs.length < 2) return docs;
  const [first, ...others] = docs;
  const common = new Set<string>(first?.own ?? []);
  for (const d of others) for (const t of [...common]) if (!d.own.has(t)) common.delete(t);
  const outcomes = docs.map((d) => new Set([...d.own].filter((t) => !common.has(t))));
  docs.forEach((d, i) => {
    const siblings = new Set<string>();
    outcomes.forEach((o, j) => {
      if (j !== i) for (const t of o) siblings.add(t);
    });
    const doc = d as { outcome: ReadonlySet<string>; siblingOutcomes: ReadonlySet<string> };
    doc.outcome = outcomes[i] ?? NO_WORDS;
    doc.siblingOutcomes = siblings;
  });
  return docs;
}
