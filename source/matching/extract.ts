/**
 * Structured extraction from one market's text: dates and deadlines, numbers
 * with comparator and unit, statistic tags, office/party/place/district/group,
 * placeholder names, the shape of a Polymarket market (Yes/No, Over/Under,
 * spread, two teams) and the resolution source named by the rules.
 *
 * Numbers are kept as decimal text and as integers at scale 1e6; never floats.
 */
import { parseDecimal } from '../domain/money.js';
import { PLACES } from './aliases.js';
import { applyAliases, canonicalNumber, fold, prepare } from './normalize.js';

export type Comparator = 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'between' | 'line' | 'unknown';

export interface Quantity {
  readonly cmp: Comparator;
  /** decimal text, canonical ("1.5", "-0.2", "100") */
  readonly text: string;
  /** value at scale 1e6 */
  readonly value: bigint;
  /** upper bound of a `between` bucket */
  readonly hiText: string | null;
  readonly hi: bigint | null;
  readonly unit: string | null;
  readonly from: 'title' | 'ticker';
}

export interface DayDate {
  /** null when the text gave no year ("by June 30") */
  readonly y: number | null;
  readonly m: number;
  readonly d: number;
}

export interface DateFeatures {
  /** Last day the question covers ("by end of 2026", "in 2026", "before 2027" -> 2026-12-31). */
  readonly deadline: DayDate | null;
  /** Day of a game, from a Kalshi sports event ticker or "win on 2026-05-13". */
  readonly gameDate: string | null;
  readonly years: readonly number[];
}

export type MarketShape = 'yes-no' | 'over-under' | 'spread' | 'two-team';

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};
const MONTH_RE =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

const DATE_RE = new RegExp(
  [
    '(?<iso>(?<isoY>20\\d{2})-(?<isoM>\\d{2})-(?<isoD>\\d{2}))(?![0-9])',
    '(?<endof>end of (?<endY>20\\d{2}))(?![0-9])',
    `(?<mdy>(?<mdyM>${MONTH_RE})\\.? (?<mdyD>\\d{1,2})(?![0-9.])(?:,? (?<mdyY>20\\d{2})(?![0-9]))?)`,
    `(?<my>(?<myM>${MONTH_RE}) (?<myY>20\\d{2}))(?![0-9])`,
    '(?<range>(?<rangeA>20\\d{2})-(?<rangeB>20\\d{2}|\\d{2}))(?![0-9])',
    '(?<year>20\\d{2})(?![0-9.])',
    `(?<mon>(?<=(?:in|by|before|during|through|until|of) )(?<monM>${MONTH_RE}))(?![a-z])`,
  ]
    .map((p) => `(?<![a-z0-9])${p}`)
    .join('|'),
  'g',
);

const CONNECTOR_RE = /(?:^|\s)(by|before|in|on|during|through|until|after|since)\s$/;

function daysInMonth(y: number | null, m: number): number {
  const year = y ?? 2001;
  return new Date(Date.UTC(year, m, 0)).getUTCDate();
}

function dayBefore(date: DayDate): DayDate {
  if (date.d > 1) return { y: date.y, m: date.m, d: date.d - 1 };
  if (date.m > 1) return { y: date.y, m: date.m - 1, d: daysInMonth(date.y, date.m - 1) };
  return { y: date.y === null ? null : date.y - 1, m: 12, d: 31 };
}

export function formatDay(date: DayDate): string {
  const mm = String(date.m).padStart(2, '0');
  const dd = String(date.d).padStart(2, '0');
  return `${date.y === null ? '????' : String(date.y)}-${mm}-${dd}`;
}

export interface DateScan {
  readonly deadline: DayDate | null;
  readonly onDate: string | null;
  readonly years: number[];
  /** the text with every date blanked out */
  readonly rest: string;
}

/** Read dates from prepared text. */
const DATE_TRIGGER = /20\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/;

export function scanDates(prepared: string): DateScan {
  if (!DATE_TRIGGER.test(prepared)) return { deadline: null, onDate: null, years: [], rest: prepared };
  let deadline: DayDate | null = null;
  let onDate: string | null = null;
  const years: number[] = [];
  const rest = prepared.replace(DATE_RE, (...args: unknown[]) => {
    const match = args[0] as string;
    const offset = args[args.length - 3] as number;
    const g = args[args.length - 1] as Record<string, string | undefined>;
    const before = prepared.slice(Math.max(0, offset - 16), offset);
    const connector = CONNECTOR_RE.exec(before)?.[1] ?? (g['endof'] !== undefined ? 'by' : null);
    let end: DayDate | null = null;
    if (g['iso'] !== undefined) {
      const date = { y: Number(g['isoY']), m: Number(g['isoM']), d: Number(g['isoD']) };
      years.push(date.y);
      if (connector === 'on') onDate = formatDay(date);
      end = connector === 'before' ? dayBefore(date) : date;
    } else if (g['endof'] !== undefined) {
      const y = Number(g['endY']);
      years.push(y);
      end = { y, m: 12, d: 31 };
    } else if (g['mdy'] !== undefined) {
      const m = MONTHS[g['mdyM'] ?? ''] ?? 0;
      const y = g['mdyY'] !== undefined ? Number(g['mdyY']) : null;
      if (y !== null) years.push(y);
      const date = { y, m, d: Number(g['mdyD']) };
      end = connector === 'before' ? dayBefore(date) : date;
    } else if (g['my'] !== undefined) {
      const m = MONTHS[g['myM'] ?? ''] ?? 0;
      const y = Number(g['myY']);
      years.push(y);
      end = connector === 'before' ? dayBefore({ y, m, d: 1 }) : { y, m, d: daysInMonth(y, m) };
    } else if (g['range'] !== undefined) {
      const a = Number(g['rangeA']);
      const bText = g['rangeB'] ?? '';
      years.push(a, bText.length === 2 ? Math.floor(a / 100) * 100 + Number(bText) : Number(bText));
      return ' ';
    } else if (g['year'] !== undefined) {
      const y = Number(g['year']);
      years.push(y);
      if (connector === 'before') end = { y: y - 1, m: 12, d: 31 };
      else if (connector === 'in' || connector === 'by' || connector === 'during' || connector === 'through') {
        end = { y, m: 12, d: 31 };
      } else return ' ';
    } else if (g['mon'] !== undefined) {
      const m = MONTHS[g['monM'] ?? ''] ?? 0;
      end = connector === 'before' ? dayBefore({ y: null, m, d: 1 }) : { y: null, m, d: daysInMonth(null, m) };
    }
    if (end !== null && connector !== null && connector !== 'after' && connector !== 'since' && deadline === null) {
      deadline = end;
    } else if (end !== null && connector === null && deadline === null && g['mdy'] !== undefined && g['mdyY'] !== undefined) {
      deadline = end;
    }
    return match.length > 0 ? ' ' : '';
  });
  return { deadline, onDate, years, rest };
}

/** Game date from a Kalshi sports event ticker: "KXEPL1H-26MAY17NEWWHU" -> "2026-05-17". */
export function kalshiGameDate(eventTicker: string): string | null {
  const m = /-(\d{2})([A-Z]{3})(\d{2})[A-Z]{4,}\d*$/.exec(eventTicker);
  if (!m) return null;
  const month = MONTHS[(m[2] ?? '').toLowerCase()];
  if (month === undefined) return null;
  return formatDay({ y: 2000 + Number(m[1]), m: month, d: Number(m[3]) });
}

// ---------------------------------------------------------------- numbers

const NUM = '(-?\\d+(?:\\.\\d+)?)';
const UNIT = '(?:\\s?(pct|bp|million|billion|usd))?';
const CMP_BEFORE: ReadonlyArray<readonly [RegExp, Comparator]> = [
  [/^(?:above|over|more than|greater than|higher than|exceeds?|exceeding)$/, 'gt'],
  [/^(?:at least|no less than|reach|reaches|hit|hits)$/, 'ge'],
  [/^(?:below|under|less than|fewer than|lower than)$/, 'lt'],
  [/^(?:at most|no more than|dip to|dips to|fall to|falls to|drop to|drops to)$/, 'le'],
];
const CMP_AFTER: ReadonlyArray<readonly [RegExp, Comparator]> = [
  [/^(?:or more|or higher|or above|or greater|\+)$/, 'ge'],
  [/^(?:or less|or fewer|or lower|or below)$/, 'le'],
];

function toValue(text: string): { text: string; value: bigint } {
  const canonical = canonicalNumber(text);
  return { text: canonical, value: parseDecimal(canonical, 'half-even') };
}

function quantity(cmp: Comparator, num: string, unit: string | undefined, dollar: boolean, hi?: string): Quantity {
  const v = toValue(num);
  const h = hi === undefined ? null : toValue(hi);
  return {
    cmp,
    text: v.text,
    value: v.value,
    hiText: h?.text ?? null,
    hi: h?.value ?? null,
    unit: dollar ? 'usd' : (unit ?? null),
    from: 'title',
  };
}

/** Numbers with comparator and unit, from prepared text with dates already blanked. */
export function scanQuantities(text: string): Quantity[] {
  const out: Quantity[] = [];
  if (!/\d/.test(text)) return out;
  let s = ` ${text} `;
  const take = (re: RegExp, make: (m: RegExpExecArray) => Quantity | null): void => {
    s = s.replace(re, (...args: unknown[]) => {
      const m = args.slice(0, -2) as unknown as RegExpExecArray;
      const q = make(m);
      if (q) out.push(q);
      return ' ';
    });
  };
  if (s.includes('between')) take(
    new RegExp(`between (\\$)?${NUM}${UNIT}\\s?(?:and|-|to)\\s?(\\$)?${NUM}${UNIT}(?![0-9])`, 'g'),
    (m) => quantity('between', m[2] ?? '0', m[3] ?? m[6], m[1] !== undefined || m[4] !== undefined, m[5] ?? '0'),
  );
  if (s.includes('(')) take(new RegExp(`\\(\\s?([+-]?\\d+(?:\\.\\d+)?)\\s?\\)`, 'g'), (m) => {
    const raw = m[1] ?? '0';
    return raw.startsWith('-') ? quantity('gt', raw.slice(1), undefined, false) : quantity('unknown', raw, undefined, false);
  });
  if (s.includes('overunder')) take(new RegExp(`overunder ${NUM}`, 'g'), (m) => quantity('line', m[1] ?? '0', undefined, false));
  take(
    new RegExp(
      `(?<![a-z])(above|over|more than|greater than|higher than|exceeds?|exceeding|at least|no less than|reach|reaches|hits?|below|under|less than|fewer than|lower than|at most|no more than|dips? to|falls? to|drops? to) (\\$)?${NUM}${UNIT}(?![0-9])`,
      'g',
    ),
    (m) => {
      const word = m[1] ?? '';
      const cmp = CMP_BEFORE.find(([re]) => re.test(word))?.[1] ?? 'unknown';
      return quantity(cmp, m[3] ?? '0', m[4], m[2] !== undefined);
    },
  );
  if (s.includes(' or ') || s.includes('+')) take(
    new RegExp(`(?<![a-z0-9_.])(\\$)?${NUM}${UNIT}\\s?(or more|or higher|or above|or greater|or less|or fewer|or lower|or below|\\+)`, 'g'),
    (m) => {
      const word = m[4] ?? '';
      const cmp = CMP_AFTER.find(([re]) => re.test(word))?.[1] ?? 'unknown';
      return quantity(cmp, m[2] ?? '0', m[3], m[1] !== undefined);
    },
  );
  take(new RegExp(`(?<![a-z0-9_.\\-])(\\$)?${NUM}${UNIT}(?![0-9a-z_])`, 'g'), (m) =>
    quantity('eq', m[2] ?? '0', m[3], m[1] !== undefined),
  );
  return out;
}

/** A Kalshi ticker suffix as a strike: "T0.5" -> above 0.5; "120" -> a strike of unknown sense. */
export function kalshiTickerQuantity(suffix: string): Quantity | null {
  const t = /^T(-?\d+(?:\.\d+)?)$/.exec(suffix);
  if (t) return { ...quantity('gt', t[1] ?? '0', undefined, false), from: 'ticker' };
  const n = /^(-?\d+(?:\.\d+)?)$/.exec(suffix);
  if (n) return { ...quantity('unknown', n[1] ?? '0', undefined, false), from: 'ticker' };
  return null;
}

// ---------------------------------------------------------------- tags

/** Statistic and market-kind tags: any difference between two markets vetoes the pair. */
const STRICT_TAGS: ReadonlyArray<readonly [string, RegExp]> = [
  ['first_half', /\bfirst_half\b/],
  ['btts', /\bbtts\b/],
  ['corners', /\bcorners?\b/],
  ['total_games', /\btotal games\b/],
  ['total', /\btotal_line\b/],
  ['spread', /\bspread\b|\bwins? by\b/],
  ['series', /\bseries\b/],
  ['exact_score', /\bscore_\d_\d\b/],
  ['draw', /\bdraw\b/],
  ['qualify', /\bqualif(?:y|ies|ied|ication)\b|\badvance (?:through|to)\b/],
  ['group_winner', /\bfinish(?:es)? first in\b|\bwins? group\b|\btop of group\b/],
  ['top_n', /\btop \d+\b/],
  ['televote', /\btelevote\b/],
  ['trimmed_mean', /\btrimmed mean\b/],
  ['touch_high', /\breach(?:es)?\b/],
  ['touch_low', /\bdips? to\b/],
  ['fastest_lap', /\bfastest lap\b/],
  ['podium', /\bpodium\b/],
  ['practice', /\bpractice\b/],
  ['pole', /\bpole position\b/],
  ['drivers_championship', /\bdrivers'? champion(?:ship)?\b/],
  ['triples', /\btriples\b/],
  ['strikeouts', /\bstrikeouts?\b/],
  ['stolen_bases', /\bstolen bases?\b/],
  ['home_runs', /\bhome runs?\b/],
  ['most_goals', /\bmost goals\b|\btop goalscorer\b/],
  ['hank_aaron', /\bhank aaron\b/],
  ['mvp', /\bmvp\b/],
  ['manager_of_the_year', /\bmanager_of_the_year\b/],
  ['comeback_player', /\bcomeback_player_of_the_year\b/],
  ['defensive_player', /\bdefensive_player_of_the_year\b/],
  ['cy_young', /\bcy young\b/],
  ['primary_first', /\bplace first\b|\bfirst place\b/],
  ['primary_advance', /\badvance from\b/],
  ['nominee', /\bnominee\b|\bprimary\b/],
  ['margin', /\bmargin\b/],
  ['draft_pick', /\bpicked\b|\bdraft\b/],
  ['head_of_state', /\bhead of state\b/],
];

/** Groups where a difference vetoes only when both markets say something. */
const PAIRED_GROUPS: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, RegExp]>]> = [
  ['office', [
    ['governor', /\bgovernor\b/],
    ['senate', /\bsenate\b/],
    ['house', /\bhouse\b/],
    ['attorney_general', /\battorney_general\b/],
    ['president', /\bpresident\b/],
    ['mayor', /\bmayor\b/],
  ]],
  ['party', [
    ['dem', /\bdem\b/],
    ['rep', /\brep\b/],
    ['field', /\bfield\b/],
  ]],
  ['direction', [
    ['cut', /\bcut\b/],
    ['hike', /\bhike\b/],
    ['hold', /\bhold\b/],
  ]],
  ['period', [
    ['mom', /\bmom\b/],
    ['yoy', /\byoy\b/],
    ['qoq', /\bqoq\b/],
  ]],
  ['league', [
    ['national_league', /\bnational_league\b/],
    ['american_league', /\bamerican_league\b/],
  ]],
  ['round', [
    ['round_first', /\bfirst round\b/],
    ['round_second', /\bsecond round\b/],
    ['round_third', /\bthird round\b/],
  ]],
];

export interface TagFeatures {
  readonly tags: readonly string[];
  readonly paired: Readonly<Record<string, readonly string[]>>;
}

/** A literal every match of the rule contains (a cheap pre-test on the hot path). */
function needleOf(re: RegExp): string | null {
  const src = re.source.replace(/\\b/g, '');
  if (src.includes('|')) return null;
  const m = /^[a-z_' ]+/.exec(src);
  return m && m[0].length >= 3 ? m[0] : null;
}

const STRICT_NEEDLES = STRICT_TAGS.map(([tag, re]) => [tag, re, needleOf(re)] as const);

export function scanTags(aliased: string): TagFeatures {
  const text = aliased.includes('championship series') ? aliased.replace(/\bchampionship series\b/g, 'championship') : aliased;
  const tags = new Set<string>();
  for (const [tag, re, needle] of STRICT_NEEDLES) if ((needle === null || text.includes(needle)) && re.test(text)) tags.add(tag);
  if (tags.has('corners') || tags.has('total_games')) tags.delete('total');
  if (tags.has('primary_first') || tags.has('primary_advance')) tags.delete('nominee');
  const paired: Record<string, string[]> = {};
  for (const [group, rules] of PAIRED_GROUPS) {
    const found = rules.filter(([, re]) => re.test(text)).map(([t]) => t);
    if (found.length > 0) paired[group] = found;
  }
  return { tags: [...tags].sort(), paired };
}

const PLACE_RE = new RegExp(`(?<![a-z0-9_])(?:${[...PLACES].sort((a, b) => b.length - a.length).join('|')})(?![a-z0-9_])`, 'g');

export function scanPlaces(aliased: string): string[] {
  return [...new Set(aliased.match(PLACE_RE) ?? [])].sort();
}

export function scanDistricts(prepared: string): string[] {
  if (!prepared.includes('dist_')) return [];
  return [...new Set(prepared.match(/\bdist_[a-z]{2}(?:\d{2}|al)\b/g) ?? [])].sort();
}

export function scanGroups(prepared: string): string[] {
  if (!prepared.includes('group ')) return [];
  return [...new Set([...prepared.matchAll(/\bgroup ([a-l])\b/g)].map((m) => `group_${m[1] ?? ''}`))].sort();
}

const PLACEHOLDER_RE =
  /\b(?:[Cc]andidate|[Pp]erson|[Oo]ption|[Pp]layer|[Cc]hef|[Ff]ighter|[Mm]anager|[Ss]ong|[Aa]rtist|[Tt]eam|[Cc]lub|[Cc]ountry|[Dd]river|[Cc]ompany) [A-Z]{1,2}\b|^[Ww]ill [A-Z] (?:win|be)\b/;

/** "Candidate A", "Player TT", "Will C win…", "another party", "Other": not a named outcome. */
export function isPlaceholder(rawTitle: string, aliased: string): boolean {
  return PLACEHOLDER_RE.test(rawTitle.replace(/["\u201c\u201d]/g, '').trim()) || /\bfield\b/.test(aliased);
}

// ---------------------------------------------------------------- sources

const SOURCES: ReadonlyArray<readonly [string, RegExp]> = [
  ['cf_benchmarks', /\bcf benchmarks\b|\bbrti\b/],
  ['binance', /\bbinance\b/],
  ['coinbase', /\bcoinbase\b/],
  ['kraken', /\bkraken\b/],
  ['chainlink', /\bchainlink\b/],
  ['pyth', /\bpyth\b/],
  ['bls', /\bbureau of labor statistics\b|\bbls\b/],
  ['bea', /\bbureau of economic analysis\b|\bbea\b/],
  ['noaa', /\bnoaa\b|\bnational weather service\b/],
  ['ap', /\bassociated press\b/],
  ['cme', /\bcme\b/],
  ['ibge', /\bibge\b/],
  ['ons', /\boffice for national statistics\b|\bons\b/],
  ['eurostat', /\beurostat\b/],
  ['spotify', /\bspotify\b/],
  ['billboard', /\bbillboard\b/],
];

/** Resolution sources the rules text names (empty when there are no rules). */
export function scanSources(rules: string | null): string[] {
  if (rules === null || rules.trim() === '') return [];
  const f = fold(rules);
  return SOURCES.filter(([, re]) => re.test(f)).map(([s]) => s);
}

// ---------------------------------------------------------------- shape

export interface Shape {
  readonly shape: MarketShape;
  /** outcome names in venue order (first = the YES token), when not Yes/No */
  readonly sides: readonly [string, string] | null;
}

/** The shape of a Polymarket question, and its outcome names when the title gives them. */
export function polymarketShape(title: string, yesLabel: string, noLabel: string): Shape {
  const labelled = !/^yes$/i.test(yesLabel.trim()) && yesLabel.trim() !== '' && noLabel.trim() !== '';
  const given: readonly [string, string] | null = labelled ? [yesLabel.trim(), noLabel.trim()] : null;
  const f = prepare(fold(title));
  if (/\boverunder\b/.test(f)) return { shape: 'over-under', sides: given ?? ['Over', 'Under'] };
  const spread = /^\s*spread:\s*(.+?)\s*\(\s*[+-]?\d+(?:\.\d+)?\s*\)\s*$/i.exec(title);
  if (spread) return { shape: 'spread', sides: given ?? [spread[1] ?? '', 'other side'] };
  const trimmed = title.trim();
  if (!/^will\b/i.test(trimmed)) {
    const tail = trimmed.includes(' - ') ? trimmed.slice(trimmed.lastIndexOf(' - ') + 3) : trimmed;
    const vs = /^([^:?]+?)\s+vs\.?\s+([^:?]+?)$/i.exec(tail.trim());
    if (vs) return { shape: 'two-team', sides: given ?? [vs[1] ?? '', vs[2] ?? ''] };
  }
  return { shape: given ? 'two-team' : 'yes-no', sides: given };
}

/**
 * The two teams of a game from an event title: "Lazio vs Inter", "Series Winner: A vs B",
 * "A at B: Totals", "X vs. Y - More Markets", "NHL Playoffs: Who Will Win Series? - A vs. B".
 */
export function teamsOf(eventTitle: string): readonly [string, string] | null {
  const parts = eventTitle.split(':');
  for (const [i, part] of parts.entries()) {
    for (const segment of part.split(' - ')) {
      const vs = /^\s*(.+?)\s+vs\.?\s+(.+?)\s*(?:winner\??)?\s*$/i.exec(segment);
      const at = parts.length > 1 && i === 0 ? /^\s*(\S+(?: \S+){0,3})\s+at\s+(\S+(?: \S+){0,3})\s*$/i.exec(segment) : null;
      const m = vs ?? at;
      if (m && m[1] && m[2] && !/^will\b/i.test(m[1].trim())) {
        return [m[1].trim(), m[2].replace(/\s+20\d{2}\b.*$/, '').trim()];
      }
    }
  }
  return null;
}

export { applyAliases, fold, prepare };
