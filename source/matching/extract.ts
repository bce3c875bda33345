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
import { applyAliases, canonicalNumber, fold, isTokenChar, NON_ASCII, pairCode, prepare } from './normalize.js';

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
  /** the first full date (a day with its year) the text names, whatever word comes before it */
  readonly firstDay: string | null;
  /** the text with every date blanked out */
  readonly rest: string;
}

/** Any date has a year or a month name in it. */
const DATE_TRIGGER = /20\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/;

/** Every alternative of DATE_RE starts with one of these, after a non-alphanumeric. */
const DATE_START = /(?<![a-z0-9])(?:20\d\d|end of 20|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/g;
/**
 * DATE_RE without group names, for the scan (a match of a regex with named
 * groups builds a `groups` object of all 19 names as well): the same
 * pattern, its groups read by number (`DATE_GROUP`).
 */
const DATE_GROUP_NAMES = [...DATE_RE.source.matchAll(/\(\?<([A-Za-z]\w*)>/g)].map((m) => m[1] as string);
const DATE_AT = new RegExp(DATE_RE.source.replace(/\(\?<([A-Za-z]\w*)>/g, '('), 'y');
const DATE_GROUP: Readonly<Record<string, number>> = Object.fromEntries(DATE_GROUP_NAMES.map((name, i) => [name, i + 1]));
if (new RegExp(`${DATE_AT.source}|`).exec('')?.length !== DATE_GROUP_NAMES.length + 1) {
  throw new Error('scanDates: every group of DATE_RE must be named');
}
const G_ISO = DATE_GROUP['iso'] as number;
const G_ISO_Y = DATE_GROUP['isoY'] as number;
const G_ISO_M = DATE_GROUP['isoM'] as number;
const G_ISO_D = DATE_GROUP['isoD'] as number;
const G_ENDOF = DATE_GROUP['endof'] as number;
const G_END_Y = DATE_GROUP['endY'] as number;
const G_MDY = DATE_GROUP['mdy'] as number;
const G_MDY_M = DATE_GROUP['mdyM'] as number;
const G_MDY_D = DATE_GROUP['mdyD'] as number;
const G_MDY_Y = DATE_GROUP['mdyY'] as number;
const G_MY = DATE_GROUP['my'] as number;
const G_MY_M = DATE_GROUP['myM'] as number;
const G_MY_Y = DATE_GROUP['myY'] as number;
const G_RANGE = DATE_GROUP['range'] as number;
const G_RANGE_A = DATE_GROUP['rangeA'] as number;
const G_RANGE_B = DATE_GROUP['rangeB'] as number;
const G_YEAR = DATE_GROUP['year'] as number;
const G_MON = DATE_GROUP['mon'] as number;
const G_MON_M = DATE_GROUP['monM'] as number;

/**
 * Read dates from prepared text. Same result as `prepared.replace(DATE_RE, …)`,
 * but the big alternation is tried only where a date can start (a year or a
 * month name after a word boundary), not at every position.
 */
export function scanDates(prepared: string): DateScan {
  if (!DATE_TRIGGER.test(prepared)) return { deadline: null, onDate: null, years: [], firstDay: null, rest: prepared };
  let deadline: DayDate | null = null;
  let onDate: string | null = null;
  let firstDay: string | null = null;
  const years: number[] = [];
  let rest = '';
  let last = 0;
  DATE_START.lastIndex = 0;
  for (let start = DATE_START.exec(prepared); start !== null; start = DATE_START.exec(prepared)) {
    const offset = start.index;
    DATE_AT.lastIndex = offset;
    const found = DATE_AT.exec(prepared);
    if (found === null) {
      DATE_START.lastIndex = offset + 1;
      continue;
    }
    const match = found[0];
    rest += prepared.slice(last, offset);
    last = offset + match.length;
    DATE_START.lastIndex = last;
    const before = prepared.slice(Math.max(0, offset - 16), offset);
    const connector = CONNECTOR_RE.exec(before)?.[1] ?? (found[G_ENDOF] !== undefined ? 'by' : null);
    let end: DayDate | null = null;
    if (found[G_ISO] !== undefined) {
      const date = { y: Number(found[G_ISO_Y]), m: Number(found[G_ISO_M]), d: Number(found[G_ISO_D]) };
      years.push(date.y);
      firstDay ??= formatDay(date);
      if (connector === 'on') onDate = formatDay(date);
      end = connector === 'before' ? dayBefore(date) : date;
    } else if (found[G_ENDOF] !== undefined) {
      const y = Number(found[G_END_Y]);
      years.push(y);
      end = { y, m: 12, d: 31 };
    } else if (found[G_MDY] !== undefined) {
      const m = MONTHS[found[G_MDY_M] ?? ''] ?? 0;
      const y = found[G_MDY_Y] !== undefined ? Number(found[G_MDY_Y]) : null;
      if (y !== null) years.push(y);
      const date = { y, m, d: Number(found[G_MDY_D]) };
      if (y !== null) firstDay ??= formatDay(date);
      end = connector === 'before' ? dayBefore(date) : date;
    } else if (found[G_MY] !== undefined) {
      const m = MONTHS[found[G_MY_M] ?? ''] ?? 0;
      const y = Number(found[G_MY_Y]);
      years.push(y);
      end = connector === 'before' ? dayBefore({ y, m, d: 1 }) : { y, m, d: daysInMonth(y, m) };
    } else if (found[G_RANGE] !== undefined) {
      const a = Number(found[G_RANGE_A]);
      const bText = found[G_RANGE_B] ?? '';
      years.push(a, bText.length === 2 ? Math.floor(a / 100) * 100 + Number(bText) : Number(bText));
      rest += ' ';
      continue;
    } else if (found[G_YEAR] !== undefined) {
      const y = Number(found[G_YEAR]);
      years.push(y);
      if (connector === 'before') end = { y: y - 1, m: 12, d: 31 };
      else if (connector === 'in' || connector === 'by' || connector === 'during' || connector === 'through') {
        end = { y, m: 12, d: 31 };
      } else {
        rest += ' ';
        continue;
      }
    } else if (found[G_MON] !== undefined) {
      const m = MONTHS[found[G_MON_M] ?? ''] ?? 0;
      end = connector === 'before' ? dayBefore({ y: null, m, d: 1 }) : { y: null, m, d: daysInMonth(null, m) };
    }
    if (end !== null && connector !== null && connector !== 'after' && connector !== 'since' && deadline === null) {
      deadline = end;
    } else if (end !== null && connector === null && deadline === null && found[G_MDY] !== undefined && found[G_MDY_Y] !== undefined) {
      deadline = end;
    }
    rest += match.length > 0 ? ' ' : '';
  }
  if (last === 0) return { deadline, onDate, years, firstDay, rest: prepared };
  rest += prepared.slice(last);
  return { deadline, onDate, years, firstDay, rest };
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

interface NumberValue {
  readonly text: string;
  readonly value: bigint;
}

/** Titles repeat few numbers (strikes, lines): each is read once (bounded memo). */
const VALUES = new Map<string, NumberValue>();

function toValue(text: string): NumberValue {
  const known = VALUES.get(text);
  if (known !== undefined) return known;
  const canonical = canonicalNumber(text);
  const value: NumberValue = { text: canonical, value: parseDecimal(canonical, 'half-even') };
  if (VALUES.size >= 10_000) VALUES.clear();
  VALUES.set(text, value);
  return value;
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

const Q_BETWEEN = new RegExp(`between (\\$)?${NUM}${UNIT}\\s?(?:and|-|to)\\s?(\\$)?${NUM}${UNIT}(?![0-9])`, 'g');
const Q_PAREN = new RegExp(`\\(\\s?([+-]?\\d+(?:\\.\\d+)?)\\s?\\)`, 'g');
const Q_LINE = new RegExp(`overunder ${NUM}`, 'g');
const Q_BEFORE = new RegExp(
  `(?<![a-z])(above|over|more than|greater than|higher than|exceeds?|exceeding|at least|no less than|reach|reaches|hits?|below|under|less than|fewer than|lower than|at most|no more than|dips? to|falls? to|drops? to) (\\$)?${NUM}${UNIT}(?![0-9])`,
  'g',
);
const Q_AFTER = new RegExp(`(?<![a-z0-9_.])(\\$)?${NUM}${UNIT}\\s?(or more|or higher|or above|or greater|or less|or fewer|or lower|or below|\\+)`, 'g');
const Q_BARE = new RegExp(`(?<![a-z0-9_.\\-])(\\$)?${NUM}${UNIT}(?![0-9a-z_])`, 'g');
/** Words Q_BEFORE can start with (a cheap pre-test). */
const Q_BEFORE_TRIGGER = /above|over|more|greater|higher|exceed|least|less|reach|hit|below|under|fewer|lower|most|dip|fall|drop/;

/** `scanQuantities`' text as its patterns blank what they read, and the quantities read so far. */
let qText = '';
const Q_OUT: Quantity[] = [];

/**
 * `qText = qText.replace(re, …)` with every match read by `make` and blanked (no
 * pattern matches empty text). The pattern readers are module functions over
 * module state (`scanQuantities` sets it and resets it): none is made per text read.
 */
function take(re: RegExp, make: (m: RegExpExecArray) => Quantity | null): void {
  const s = qText;
  re.lastIndex = 0;
  let m = re.exec(s);
  if (m === null) return;
  let blanked = '';
  let last = 0;
  while (m !== null) {
    const q = make(m);
    if (q) Q_OUT.push(q);
    blanked += `${s.slice(last, m.index)} `;
    last = m.index + m[0].length;
    m = re.exec(s);
  }
  qText = blanked + s.slice(last);
}

function makeBetween(m: RegExpExecArray): Quantity {
  return quantity('between', m[2] ?? '0', m[3] ?? m[6], m[1] !== undefined || m[4] !== undefined, m[5] ?? '0');
}

function makeParen(m: RegExpExecArray): Quantity {
  const raw = m[1] ?? '0';
  return raw.startsWith('-') ? quantity('gt', raw.slice(1), undefined, false) : quantity('unknown', raw, undefined, false);
}

function makeLine(m: RegExpExecArray): Quantity {
  return quantity('line', m[1] ?? '0', undefined, false);
}

function makeBefore(m: RegExpExecArray): Quantity {
  const word = m[1] ?? '';
  const cmp = CMP_BEFORE.find(([re]) => re.test(word))?.[1] ?? 'unknown';
  return quantity(cmp, m[3] ?? '0', m[4], m[2] !== undefined);
}

function makeAfter(m: RegExpExecArray): Quantity {
  const word = m[4] ?? '';
  const cmp = CMP_AFTER.find(([re]) => re.test(word))?.[1] ?? 'unknown';
  return quantity(cmp, m[2] ?? '0', m[3], m[1] !== undefined);
}

function makeBare(m: RegExpExecArray): Quantity {
  return quantity('eq', m[2] ?? '0', m[3], m[1] !== undefined);
}

/** Numbers with comparator and unit, from prepared text with dates already blanked. */
export function scanQuantities(text: string): Quantity[] {
  if (!/\d/.test(text)) return [];
  // no padding: every pattern's lookarounds treat the ends of the text as a space
  qText = text;
  try {
    if (qText.includes('between')) take(Q_BETWEEN, makeBetween);
    if (qText.includes('(')) take(Q_PAREN, makeParen);
    if (qText.includes('overunder')) take(Q_LINE, makeLine);
    if (Q_BEFORE_TRIGGER.test(qText)) take(Q_BEFORE, makeBefore);
    // " or " as the old padded text had it: also at the very start or end
    const s = qText;
    const or = s.includes(' or ') || s.startsWith('or ') || s.endsWith(' or') || s === 'or';
    if (or || s.includes('+')) take(Q_AFTER, makeAfter);
    if (/\d/.test(qText)) take(Q_BARE, makeBare);
    // kept per market: at its exact length (`push` leaves spare room)
    return Q_OUT.slice();
  } finally {
    qText = '';
    Q_OUT.length = 0;
  }
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
  ['popular_vote', /\bpopular vote\b/],
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

/**
 * Literals one of which starts a word where the rule matches (a cheap pre-test
 * on the hot path), or null when the rule has an alternative with no usable
 * literal. Each top-level alternative must start with `\b` and gives the
 * literal that follows,
 * without a last character made optional by `?`, `*` or `{`.
 */
export function needlesOf(re: RegExp): string[] | null {
  const alternatives: string[] = [];
  let depth = 0;
  let from = 0;
  const src = re.source;
  for (let i = 0; i < src.length; i += 1) {
    const c = src[i];
    if (c === '\\') i += 1;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === '|' && depth === 0) {
      alternatives.push(src.slice(from, i));
      from = i + 1;
    }
  }
  alternatives.push(src.slice(from));
  const needles: string[] = [];
  for (const alt of alternatives) {
    // a literal that must start a word: the alternative starts with \b
    if (!alt.startsWith('\\b')) return null;
    const body = alt.slice(2);
    const m = /^[a-z_' ]+/.exec(body);
    if (!m) return null;
    let lit = m[0];
    const next = body[lit.length];
    if (next === '?' || next === '*' || next === '{') lit = lit.slice(0, -1);
    if (lit.length < 2) return null;
    needles.push(lit);
  }
  return needles;
}

interface TagRule {
  readonly group: string | null;
  readonly tag: string;
  readonly re: RegExp;
}

/** Every tag rule (strict ones first, then the paired groups in order). */
const TAG_RULES: readonly TagRule[] = [
  ...STRICT_TAGS.map(([tag, re]) => ({ group: null, tag, re })),
  ...PAIRED_GROUPS.flatMap(([group, rules]) => rules.map(([tag, re]) => ({ group, tag, re }))),
];

/** For tests: every regex scanTags may run. */
export function tagRuleRegexes(): RegExp[] {
  return TAG_RULES.map((r) => r.re);
}

/**
 * Rules are pre-tested by the literal their match starts with: every
 * alternative of every rule starts at a word boundary, so a rule can match
 * only where one of its literals starts a word. The table maps the first two
 * characters of a literal to (rule, literal); rules whose literals cannot be
 * read are always tested.
 */
const RULE_BY_PREFIX = new Map<number, Array<readonly [number, string]>>();
const ALWAYS_TESTED: number[] = [];
TAG_RULES.forEach((rule, i) => {
  const needles = needlesOf(rule.re);
  if (needles === null) {
    ALWAYS_TESTED.push(i);
    return;
  }
  for (const n of needles) {
    const key = pairCode(n, 0);
    let list = RULE_BY_PREFIX.get(key);
    if (list === undefined) {
      list = [];
      RULE_BY_PREFIX.set(key, list);
    }
    list.push([i, n]);
  }
});
const MAYBE = new Uint8Array(TAG_RULES.length);
const TO_TEST = new Int32Array(TAG_RULES.length);
/** RULE_BY_PREFIX as a flat table by prefix code (a 16-bit number): no hashing per word. */
const RULES_AT: Array<Array<readonly [number, string]> | undefined> = new Array<Array<readonly [number, string]> | undefined>(
  0x10000,
).fill(undefined);
for (const [code, list] of RULE_BY_PREFIX) RULES_AT[code] = list;

/** [A-Za-z0-9_] (regex \w) */
function isWordChar(c: number): boolean {
  return isTokenChar(c) || (c >= 65 && c <= 90);
}

export function scanTags(aliased: string): TagFeatures {
  const text = aliased.includes('championship series') ? aliased.replace(/\bchampionship series\b/g, 'championship') : aliased;
  // the rules to test: flagged in MAYBE and listed in TO_TEST (a few per text), MAYBE cleared again below
  let toTest = 0;
  for (const i of ALWAYS_TESTED) {
    MAYBE[i] = 1;
    TO_TEST[toTest++] = i;
  }
  let prevWord = false;
  for (let at = 0; at < text.length; at += 1) {
    const word = isWordChar(text.charCodeAt(at));
    if (word && !prevWord) {
      const list = RULES_AT[pairCode(text, at)];
      if (list !== undefined) {
        for (const [i, n] of list) {
          if (MAYBE[i] === 0 && text.startsWith(n, at)) {
            MAYBE[i] = 1;
            TO_TEST[toTest++] = i;
          }
        }
      }
    }
    prevWord = word;
  }
  // the rules that match, as bits (rule i: bit i of lo, or bit i - 30 of hi)
  let lo = 0;
  let hi = 0;
  for (let n = 0; n < toTest; n += 1) {
    const i = TO_TEST[n] as number;
    MAYBE[i] = 0;
    if (!(TAG_RULES[i] as TagRule).re.test(text)) continue;
    if (i < 30) lo |= 1 << i;
    else hi |= 1 << (i - 30);
  }
  // the features follow from the set of matching rules alone: read once per set
  let byHi = BY_RULES.get(lo);
  const known = byHi?.get(hi);
  if (known !== undefined) return known;
  const features = tagFeatures(lo, hi);
  if (byHi === undefined) {
    if (BY_RULES.size >= 10_000) BY_RULES.clear();
    byHi = new Map();
    BY_RULES.set(lo, byHi);
  }
  if (byHi.size < 10_000) byHi.set(hi, features);
  return features;
}

/** Tag features by the set of matching rules (`lo`, then `hi`). */
const BY_RULES = new Map<number, Map<number, TagFeatures>>();
if (TAG_RULES.length > 60) throw new Error('scanTags: more than 60 tag rules do not fit its bit sets');

function tagFeatures(lo: number, hi: number): TagFeatures {
  const tags: string[] = [];
  const paired: Record<string, string[]> = {};
  for (let i = 0; i < TAG_RULES.length; i += 1) {
    if (((i < 30 ? lo >>> i : hi >>> (i - 30)) & 1) === 0) continue;
    const rule = TAG_RULES[i] as TagRule;
    if (rule.group === null) tags.push(rule.tag);
    else (paired[rule.group] ??= []).push(rule.tag);
  }
  let list = tags;
  if (list.includes('corners') || list.includes('total_games')) list = list.filter((t) => t !== 'total');
  if (list.includes('primary_first') || list.includes('primary_advance')) list = list.filter((t) => t !== 'nominee');
  return internTags(list.length > 1 ? list.sort() : list, paired);
}

/**
 * Tag features are read-only and few distinct ones exist: every market with
 * the same tags shares one object (less memory kept per market, less GC).
 */
const TAG_FEATURES = new Map<string, TagFeatures>();

function internTags(tags: string[], paired: Record<string, string[]>): TagFeatures {
  let key = tags.join(',');
  for (const group in paired) key += `|${group}:${(paired[group] ?? []).join(',')}`;
  const known = TAG_FEATURES.get(key);
  if (known !== undefined) return known;
  const value: TagFeatures = { tags, paired };
  // distinct combinations are few; a bound keeps memory safe against odd input
  if (TAG_FEATURES.size < 10_000) TAG_FEATURES.set(key, value);
  return value;
}

const PLACE_RE = new RegExp(`(?<![a-z0-9_])(?:${[...PLACES].sort((a, b) => b.length - a.length).join('|')})(?![a-z0-9_])`, 'g');

export function scanPlaces(aliased: string): string[] {
  const found = aliased.match(PLACE_RE);
  if (found === null) return [];
  return found.length === 1 ? found : [...new Set(found)].sort();
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

const QUOTES = /["\u201c\u201d]/;

/** "Candidate A", "Player TT", "Will C win…", "another party", "Other": not a named outcome. */
export function isPlaceholder(rawTitle: string, aliased: string): boolean {
  const unquoted = QUOTES.test(rawTitle) ? rawTitle.replace(/["\u201c\u201d]/g, '') : rawTitle;
  return PLACEHOLDER_RE.test(unquoted.trim()) || (aliased.includes('field') && /\bfield\b/.test(aliased));
}

// ---------------------------------------------------------------- stance

/**
 * Axes of opposite words: a market saying one pole and its pair saying the
 * other asks the opposite question ("lose" vs "win", "remain" vs "leave").
 * Each axis has two bits in `Stance.poles`: 1 << 2a for the first pole, 2 << 2a for the second.
 */
export const STANCE_AXES = ['outcome', 'tenure', 'adoption', 'level'] as const;

/** The first pole of each axis, then the second, as the veto names them. */
const POLE_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['win', 'lose'],
  ['stay/remain', 'leave/out'],
  ['pass/approve', 'fail/reject'],
  ['above/higher', 'below/lower'],
];

export interface Stance {
  /** the negation word when the question is negated ("not", "never", "fails to", "won't"), else null */
  readonly negation: string | null;
  /** pole bits per axis (see STANCE_AXES) */
  readonly poles: number;
  /** the words that set the pole bits, in order seen (for reasons) */
  readonly words: readonly string[];
  /** a finishing position other than first ("second", "third", "ord4"), else null */
  readonly position: string | null;
}

export const NO_STANCE: Stance = Object.freeze({ negation: null, poles: 0, words: Object.freeze([]) as readonly string[], position: null });

/** Word (or phrase) -> [axis, pole 0|1]. */
const POLE_WORDS: ReadonlyMap<string, readonly [number, 0 | 1]> = new Map<string, readonly [number, 0 | 1]>([
  ...['win', 'wins', 'won', 'winning', 'beat', 'beats'].map((w) => [w, [0, 0]] as const),
  ...['lose', 'loses', 'lost', 'losing', 'defeated'].map((w) => [w, [0, 1]] as const),
  ...['remain', 'remains', 'stay', 'stays', 'still', 'retain', 'retains'].map((w) => [w, [1, 0]] as const),
  ...['leave', 'leaves', 'resign', 'resigns', 'resigned', 'step down', 'steps down', 'stepped down', 'removed', 'ousted', 'fired', 'replaced',
    'out as', 'out by', 'out before', 'drop out', 'drops out', 'dropped out', 'exit', 'exits', 'depart', 'departs', 'no longer'].map(
    (w) => [w, [1, 1]] as const,
  ),
  ...['pass', 'passes', 'passed', 'approve', 'approves', 'approved', 'adopt', 'adopts', 'adopted', 'ratify', 'ratifies', 'ratified',
    'confirm', 'confirms', 'confirmed'].map((w) => [w, [2, 0]] as const),
  ...['fail', 'fails', 'failed', 'reject', 'rejects', 'rejected', 'veto', 'vetoes', 'vetoed', 'struck down', 'strike down',
    'vote down', 'voted down'].map((w) => [w, [2, 1]] as const),
  ...['above', 'higher', 'exceed', 'exceeds'].map((w) => [w, [3, 0]] as const),
  ...['below', 'lower'].map((w) => [w, [3, 1]] as const),
]);

/**
 * One pass over a market's aliased text for every stance word. Longer
 * alternatives come first where they share a start ("fails to" before "fails",
 * "won't" before "won"). Whole words only: no word character on either side
 * and no apostrophe before ("o'neill" holds no "neill").
 */
const STANCE_RE = new RegExp(
  `(?<![a-z0-9_'])(?:${[
    // negation
    "(?:won|doesn|don|didn|isn|aren|wasn|weren|can|hasn|haven|hadn|wouldn|couldn|shouldn)'t",
    'fail(?:s|ed)? to', 'cannot', 'never', 'nobody', 'no longer', 'no', 'not',
    // finishing position other than first
    '(?:place[sd]?|finish(?:es|ed)?|comes?|came|ends?|ended)(?: in)? (?:second|third|ord\\d+)(?: place)?',
    '(?:second|third|ord\\d+) place', 'runners? ?-?up', 'silver medal', 'bronze medal',
    // opposite words (phrases first)
    'step(?:s|ped)? down', 'out (?:as|by|before)', 'drop(?:s|ped)? out', 'struck down', 'strike down', 'voted? down',
    ...[...POLE_WORDS.keys()].filter((w) => !w.includes(' ')).sort((a, b) => b.length - a.length),
  ].join('|')})(?![a-z0-9_])`,
  'g',
);

/** After "no": a comparator or a deadline ("no more than 3", "no later than June 30"), not a negation. */
const NOT_NEGATION_AFTER_NO = /^ (?:more|less|fewer|later|earlier|sooner) than(?![a-z])/;
/** Before "out as/by/before": not leaving an office ("knocked out by", "ruled out by"). */
const NOT_TENURE_BEFORE_OUT = /(?:knocked|ruled|sold|shut|kicked|locked|left) $/;
const NEGATION_WORD = /^(?:not|no|never|nobody|cannot|fail(?:s|ed)? to|[a-z]+'t)$/;

const STANCES = new Map<string, Stance>();

/**
 * The stance of one market's own text (aliased, dates blanked): negation,
 * opposite words and a finishing position. Read once per market text, in one
 * regex pass. `numbered`: the text has numbers, whose comparators decide
 * above/below themselves (the level axis is then not read).
 */
export function scanStance(aliased: string, numbered: boolean): Stance {
  let negation: string | null = null;
  let poles = 0;
  let position: string | null = null;
  let words: string[] | null = null;
  STANCE_RE.lastIndex = 0;
  for (let m = STANCE_RE.exec(aliased); m !== null; m = STANCE_RE.exec(aliased)) {
    const w = m[0];
    const pole = POLE_WORDS.get(w);
    if (pole !== undefined) {
      const [axis, side] = pole;
      if (axis === 3 && numbered) continue;
      if (w.startsWith('out ') && NOT_TENURE_BEFORE_OUT.test(aliased.slice(Math.max(0, m.index - 8), m.index))) continue;
      poles |= (side === 0 ? 1 : 2) << (2 * axis);
      (words ??= []).push(w);
    } else if (NEGATION_WORD.test(w)) {
      const end = m.index + w.length;
      // "no-hitter" is a word; "no more than" a comparator
      if (w === 'no' && (aliased.charCodeAt(end) === 45 || NOT_NEGATION_AFTER_NO.test(aliased.slice(end, end + 12)))) continue;
      negation ??= w;
    } else {
      position ??= /second|runner|silver/.test(w) ? 'second' : /third|bronze/.test(w) ? 'third' : (/ord\d+/.exec(w)?.[0] ?? w);
    }
  }
  if (negation === null && poles === 0 && position === null) return NO_STANCE;
  const key = `${negation ?? ''}|${poles}|${position ?? ''}|${(words ?? []).join(',')}`;
  const known = STANCES.get(key);
  if (known !== undefined) return known;
  const stance: Stance = { negation, poles, words: words ?? [], position };
  if (STANCES.size >= 10_000) STANCES.clear();
  STANCES.set(key, stance);
  return stance;
}

/** Axes where one market says one pole only and the other the other pole only. */
export function opposedAxes(a: number, b: number): number {
  let out = 0;
  for (let axis = 0; axis < STANCE_AXES.length; axis += 1) {
    const x = (a >>> (2 * axis)) & 3;
    const y = (b >>> (2 * axis)) & 3;
    if (x !== 0 && y !== 0 && x !== 3 && y !== 3 && x !== y) out |= 1 << axis;
  }
  return out;
}

/** The first word by which a stance says a pole on `axis` (for reasons). */
export function poleWord(stance: Stance, axis: number): string {
  for (const w of stance.words) if (POLE_WORDS.get(w)?.[0] === axis) return w;
  return '?';
}

/** The name of the pole a market says on an axis ("win", "leave/out"). */
export function poleName(poles: number, axis: number): string {
  const bits = (poles >>> (2 * axis)) & 3;
  const names = POLE_NAMES[axis] ?? ['?', '?'];
  return bits === 1 ? names[0] : bits === 2 ? names[1] : 'both';
}

// ---------------------------------------------------------------- sources

/** Resolution sources, each with the phrases that name it (whole words of the folded rules text). */
export const SOURCE_PHRASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['cf_benchmarks', ['cf benchmarks', 'brti']],
  ['binance', ['binance']],
  ['coinbase', ['coinbase']],
  ['kraken', ['kraken']],
  ['chainlink', ['chainlink']],
  ['pyth', ['pyth']],
  ['bls', ['bureau of labor statistics', 'bls']],
  ['bea', ['bureau of economic analysis', 'bea']],
  ['noaa', ['noaa', 'national weather service']],
  ['ap', ['associated press']],
  ['cme', ['cme']],
  ['ibge', ['ibge']],
  ['ons', ['office for national statistics', 'ons']],
  ['eurostat', ['eurostat']],
  ['spotify', ['spotify']],
  ['billboard', ['billboard']],
];

/** The index in `SOURCE_PHRASES` of the source each phrase names. */
const SOURCE_OF = new Map<string, number>(SOURCE_PHRASES.flatMap(([, phrases], i) => phrases.map((p) => [p, i] as const)));
const SOURCE_ALTERNATIVES = [...SOURCE_OF.keys()].sort((a, b) => b.length - a.length);
/**
 * Every phrase in one expression, so one pass over the rules finds them all.
 * No phrase is a run of whole words of another (a test holds this), so the
 * matches of one pass are exactly the phrases a search per source finds.
 */
const SOURCE_RE = new RegExp(`\\b(?:${SOURCE_ALTERNATIVES.join('|')})\\b`, 'g');
/**
 * The same on text that is not folded (ASCII only): case ignored and any run of
 * whitespace between words, which is what folding ASCII text changes (rules
 * texts run to hundreds of characters, and a fold copies them).
 */
const SOURCE_RE_RAW = new RegExp(`\\b(?:${SOURCE_ALTERNATIVES.map((p) => p.replace(/ /g, '\\s+')).join('|')})\\b`, 'gi');

/** Resolution sources the rules text names (empty when there are no rules), in `SOURCE_PHRASES` order. */
export function scanSources(rules: string | null): string[] {
  if (rules === null || rules.trim() === '') return [];
  const ascii = !NON_ASCII.test(rules);
  const re = ascii ? SOURCE_RE_RAW : SOURCE_RE;
  const text = ascii ? rules : fold(rules);
  let found = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    found |= 1 << (SOURCE_OF.get(ascii ? m[0].toLowerCase().replace(/\s+/g, ' ') : m[0]) as number);
  }
  if (found === 0) return [];
  const out: string[] = [];
  for (let i = 0; i < SOURCE_PHRASES.length; i += 1) if ((found & (1 << i)) !== 0) out.push((SOURCE_PHRASES[i] as readonly [string, readonly string[]])[0]);
  return out;
}

// ---------------------------------------------------------------- shape

export interface Shape {
  readonly shape: MarketShape;
  /** outcome names in venue order (first = the YES token), when not Yes/No */
  readonly sides: readonly [string, string] | null;
}

/** A market whose outcomes are Yes and No (every Kalshi market). */
export const YES_NO_SHAPE: Shape = Object.freeze({ shape: 'yes-no', sides: null });

/** The shape of a Polymarket question, and its outcome names when the title gives them. */
export function polymarketShape(title: string, yesLabel: string, noLabel: string, prepared?: string): Shape {
  const labelled = !/^yes$/i.test(yesLabel.trim()) && yesLabel.trim() !== '' && noLabel.trim() !== '';
  const given: readonly [string, string] | null = labelled ? [yesLabel.trim(), noLabel.trim()] : null;
  const f = prepared ?? prepare(fold(title));
  if (/\boverunder\b/.test(f)) return { shape: 'over-under', sides: given ?? ['Over', 'Under'] };
  const spread = /^\s*spread:\s*(.+?)\s*\(\s*[+-]?\d+(?:\.\d+)?\s*\)\s*$/i.exec(title);
  if (spread) return { shape: 'spread', sides: given ?? [spread[1] ?? '', 'other side'] };
  const trimmed = title.trim();
  if (!/^will\b/i.test(trimmed)) {
    const tail = trimmed.includes(' - ') ? trimmed.slice(trimmed.lastIndexOf(' - ') + 3) : trimmed;
    const vs = /^([^:?]+?)\s+vs\.?\s+([^:?]+?)$/i.exec(tail.trim());
    if (vs) return { shape: 'two-team', sides: given ?? [vs[1] ?? '', vs[2] ?? ''] };
  }
  return given ? { shape: 'two-team', sides: given } : YES_NO_SHAPE;
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
