/**
 * Matcher benchmarks on synthetic catalogs shaped like the venues' real ones:
 * templates with siblings (football games with winner / 1st half / totals /
 * spreads / BTTS, primaries with named and placeholder candidates, House
 * races by district and party, crypto strikes by date), 100,000 Kalshi and
 * 200,000 Polymarket markets, most of the Polymarket ones without a Kalshi
 * twin. Figures: full match time and peak RSS, then adding 1,000 new markets
 * to the live index, and the precision/recall against the generator's truth;
 * then the same catalogs as the app reads them from live venues (close times
 * set, one venue's catalog after the other's, in the engine's slices); then the
 * time of reading the markets' texts alone, the part of a full match that is
 * neither indexing nor queries nor evaluations. Every catalog is matched as the
 * app receives it: written as the venues' responses and read back by their
 * parsers (`asReceived`).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Market } from '../domain/market.js';
import { eventSlices, MATCH_SLICE } from '../engine/engine.js';
import { Vocabulary } from '../matching/inverted-index.js';
import { finalizeEvent } from '../matching/market-doc.js';
import { Matcher } from '../matching/matcher.js';
import { asReceived } from './wire-catalog.js';

const FEE = { kind: 'unknown', reason: 'synthetic' } as const;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ka lo ri ven tor sal mar quin dor bel zan fi ro gu tem pra nel vos cor lin ash bur dal mon per tas wen yor'.split(' ');
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const STATES = 'AL AZ CA CO FL GA IL IN IA KS MI MN NC NJ NY OH OK OR PA TN TX VA WA WI'.split(' ');
const STATE_NAMES: Record<string, string> = {
  AL: 'Alabama', AZ: 'Arizona', CA: 'California', CO: 'Colorado', FL: 'Florida', GA: 'Georgia', IL: 'Illinois', IN: 'Indiana',
  IA: 'Iowa', KS: 'Kansas', MI: 'Michigan', MN: 'Minnesota', NC: 'North Carolina', NJ: 'New Jersey', NY: 'New York', OH: 'Ohio',
  OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania', TN: 'Tennessee', TX: 'Texas', VA: 'Virginia', WA: 'Washington', WI: 'Wisconsin',
};

export interface SyntheticCatalog {
  readonly kalshi: Market[];
  readonly polymarket: Market[];
  /** `${kalshi ticker}|${condition id}` of the pairs the generator made equal */
  readonly truth: Set<string>;
}

class Generator {
  private readonly rand: () => number;
  private seq = 0;
  readonly kalshi: Market[] = [];
  readonly polymarket: Market[] = [];
  readonly truth = new Set<string>();
  private readonly usedWords = new Set<string>();
  private readonly usedTags = new Set<string>();

  constructor(
    seed: number,
    private readonly idPrefix = '0x',
    /** first event number: House races of a later catalog use other districts (41-80), so no race is listed twice */
    private readonly firstEvent = 0,
  ) {
    this.rand = mulberry32(seed);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)] as T;
  }

  /** A fresh made-up word (names of teams and people), unique in the catalog. */
  word(): string {
    for (let attempt = 0; ; attempt += 1) {
      const n = 2 + Math.floor(this.rand() * 3) + (attempt > 20 ? 1 : 0);
      let w = '';
      for (let i = 0; i < n; i += 1) w += this.pick(SYLLABLES);
      if (!this.usedWords.has(w) && w.length >= 5) {
        this.usedWords.add(w);
        return w.charAt(0).toUpperCase() + w.slice(1);
      }
    }
  }

  private cid(): string {
    this.seq += 1;
    return `${this.idPrefix}${this.seq.toString(16).padStart(64 - this.idPrefix.length + 2, '0')}`;
  }

  k(ticker: string, event: string, eventTitle: string, title: string): Market {
    const m: Market = {
      venue: 'kalshi',
      id: ticker,
      ref: { venue: 'kalshi', ticker, eventTicker: event, seriesTicker: null, exchangeIndex: null },
      eventId: event,
      eventTitle,
      title,
      subtitle: null,
      yesLabel: 'Yes',
      noLabel: 'No',
      closeTime: null,
      rules: null,
      status: 'open',
      priceRanges: [],
      minOrderSize: 10_000n,
      sizeIncrement: 10_000n,
      fee: FEE,
    };
    this.kalshi.push(m);
    return m;
  }

  p(event: string, eventTitle: string, question: string): Market {
    const id = this.cid();
    const m: Market = {
      venue: 'polymarket',
      id,
      ref: { venue: 'polymarket', conditionId: id, gammaId: null, eventId: event, slug: null, yesTokenId: `${id}1`, noTokenId: `${id}2`, negRisk: false, protocolVersion: 'v1' },
      eventId: event,
      eventTitle,
      title: question,
      subtitle: null,
      yesLabel: 'Yes',
      noLabel: 'No',
      closeTime: null,
      rules: null,
      status: 'open',
      priceRanges: [],
      minOrderSize: 0n,
      sizeIncrement: 10_000n,
      fee: FEE,
    };
    this.polymarket.push(m);
    return m;
  }

  pair(k: Market, p: Market): void {
    this.truth.add(`${k.id}|${p.id}`);
  }

  /** A football game: Kalshi 15 markets, Polymarket 12 (some lines only on one venue). */
  game(onKalshi: boolean, n: number): void {
    // Real tickers are unique and their team codes tell the two teams apart:
    // the second team's name starts with another letter, and no two games
    // share an event ticker (same day, same codes).
    const a = this.word();
    let b = this.word();
    while (b.charAt(0) === a.charAt(0)) b = this.word();
    const ca = a.slice(0, 3).toUpperCase();
    const cb = b.slice(0, 3).toUpperCase();
    let month = 0;
    let dd = '';
    let tag = '';
    do {
      month = Math.floor(this.rand() * 12);
      dd = String(1 + Math.floor(this.rand() * 28)).padStart(2, '0');
      tag = `26${MONTHS[month] ?? 'JAN'}${dd}${ca}${cb}`;
    } while (this.usedTags.has(tag));
    this.usedTags.add(tag);
    const iso = `2026-${String(month + 1).padStart(2, '0')}-${dd}`;
    const pe = `pg${n}`;
    const pWin = {
      a: this.p(`${pe}a`, `${a} FC vs. ${b} FC`, `Will ${a} FC win on ${iso}?`),
      b: this.p(`${pe}a`, `${a} FC vs. ${b} FC`, `Will ${b} FC win on ${iso}?`),
      tie: this.p(`${pe}a`, `${a} FC vs. ${b} FC`, `Will ${a} FC vs. ${b} FC end in a draw?`),
    };
    const more = `${a} FC vs. ${b} FC - More Markets`;
    const ou = [1, 2, 3].map((l) => this.p(`${pe}b`, more, `${a} FC vs. ${b} FC: O/U ${l}.5`));
    const sp = [this.p(`${pe}b`, more, `Spread: ${a} FC (-1.5)`), this.p(`${pe}b`, more, `Spread: ${b} FC (-1.5)`)];
    const btts = this.p(`${pe}b`, more, `${a} FC vs. ${b} FC: Both Teams to Score`);
    const ht = `${a} FC vs. ${b} FC - Halftime Result`;
    const pHt = {
      a: this.p(`${pe}c`, ht, `${a} FC leading at halftime?`),
      b: this.p(`${pe}c`, ht, `${b} FC leading at halftime?`),
      tie: this.p(`${pe}c`, ht, `${a} FC vs. ${b} FC: Draw at halftime?`),
    };
    if (!onKalshi) return;
    const ev = (series: string): string => `KX${series}-${tag}`;
    const g = ev('LGAME');
    this.pair(this.k(`${g}-${ca}`, g, `${a} vs ${b}`, `${a} vs ${b} Winner?`), pWin.a);
    this.pair(this.k(`${g}-${cb}`, g, `${a} vs ${b}`, `${a} vs ${b} Winner?`), pWin.b);
    this.pair(this.k(`${g}-TIE`, g, `${a} vs ${b}`, `${a} vs ${b} Winner?`), pWin.tie);
    const h = ev('L1H');
    this.pair(this.k(`${h}-${ca}`, h, `${a} vs ${b}: First Half Winner`, `Will ${a} win the 1st Half?`), pHt.a);
    this.pair(this.k(`${h}-${cb}`, h, `${a} vs ${b}: First Half Winner`, `Will ${b} win the 1st Half?`), pHt.b);
    this.pair(this.k(`${h}-TIE`, h, `${a} vs ${b}: First Half Winner`, 'Will Tie win the 1st Half?'), pHt.tie);
    const t = ev('LTOTAL');
    for (let l = 1; l <= 4; l += 1) {
      const km = this.k(`${t}-${l}`, t, `${a} vs ${b}: Total Goals`, `Will over ${l}.5 goals be scored?`);
      const pm = ou[l - 1];
      if (pm) this.pair(km, pm);
    }
    const s = ev('LSPREAD');
    this.pair(this.k(`${s}-${ca}1`, s, `${a} vs ${b}: Spread`, `${a} wins by over 1.5 goals?`), sp[0] as Market);
    this.k(`${s}-${ca}2`, s, `${a} vs ${b}: Spread`, `${a} wins by over 2.5 goals?`);
    this.pair(this.k(`${s}-${cb}1`, s, `${a} vs ${b}: Spread`, `${b} wins by over 1.5 goals?`), sp[1] as Market);
    this.k(`${s}-${cb}2`, s, `${a} vs ${b}: Spread`, `${b} wins by over 2.5 goals?`);
    const bt = ev('LBTTS');
    this.pair(this.k(`${bt}-BTTS`, bt, `${a} vs ${b}: BTTS`, 'Will both teams score?'), btts);
  }

  /** A party primary: Kalshi 6 named candidates, Polymarket 4 of them plus 2 placeholders. */
  primary(onKalshi: boolean, n: number): void {
    const st = this.pick(STATES);
    const state = STATE_NAMES[st] ?? 'Ohio';
    const party = this.rand() < 0.5 ? 'Democratic' : 'Republican';
    const office = this.rand() < 0.5 ? 'Governor' : 'Senate';
    const people = Array.from({ length: 6 }, () => `${this.word()} ${this.word()}`);
    const pe = `pp${n}`;
    const pTitle = `${state} ${party} ${office} Primary Winner`;
    const poly = people.slice(0, 4).map((p) => this.p(pe, pTitle, `Will ${p} be the ${party} nominee for ${office} in ${state}?`));
    this.p(pe, pTitle, `Will Candidate ${String.fromCharCode(65 + (n % 26))} be the ${party} nominee for ${office} in ${state}?`);
    this.p(pe, pTitle, `Will another candidate be the ${party} nominee for ${office} in ${state}?`);
    if (!onKalshi) return;
    const ev = `KXPRIM${n}${st}${party[0] ?? 'X'}-26`;
    people.forEach((p, i) => {
      const km = this.k(`${ev}-${i}`, ev, `${state} ${party} ${office} nominee?`, `Will ${p} be the ${party} nominee for ${office} in ${state}?`);
      const pm = poly[i];
      if (pm) this.pair(km, pm);
    });
  }

  /** House race in a district (Kalshi D/R; Polymarket D/R, another party, placeholders). */
  house(onKalshi: boolean, n: number): void {
    const st = STATES[n % STATES.length] ?? 'OH';
    const d = String(1 + (Math.floor(n / STATES.length) % 40) + (this.firstEvent > 0 ? 40 : 0)).padStart(2, '0');
    const year = 2026 + 2 * Math.floor((n - this.firstEvent) / (40 * STATES.length));
    const pe = `ph${n}`;
    const pd = this.p(pe, `${st}-${d} House Election Winner ${year}`, `Will the Democratic Party win the ${st}-${d} House seat in ${year}?`);
    const pr = this.p(pe, `${st}-${d} House Election Winner ${year}`, `Will the Republican Party win the ${st}-${d} House seat in ${year}?`);
    this.p(pe, `${st}-${d} House Election Winner ${year}`, `Will another party win the ${st}-${d} House seat in ${year}?`);
    this.p(pe, `${st}-${d} House Election Winner ${year}`, `Will A win the ${st}-${d} House seat in ${year}?`);
    if (!onKalshi) return;
    const ev = `KXHOUSE${n}-${st}${d}-${year % 100}`;
    this.pair(this.k(`${ev}-D`, ev, `${st}-${d} House winner? (${year})`, `Will Democratic win the House race for ${st}-${d}?`), pd);
    this.pair(this.k(`${ev}-R`, ev, `${st}-${d} House winner? (${year})`, `Will Republican win the House race for ${st}-${d}?`), pr);
  }

  /** Price strikes of a made-up asset on a date: Kalshi 10 strikes, Polymarket 8 of them. */
  strikes(onKalshi: boolean, n: number): void {
    const asset = this.word();
    const month = Math.floor(this.rand() * 12);
    const day = 1 + Math.floor(this.rand() * 28);
    const base = 10 + Math.floor(this.rand() * 500);
    const date = `${MONTH_NAMES[month] ?? 'Jan'} ${day}, 2026`;
    const pe = `ps${n}`;
    const poly = new Map<number, Market>();
    for (let i = 2; i < 10; i += 1) {
      const v = base + i * 5;
      poly.set(v, this.p(pe, `${asset} price on ${date}?`, `Will ${asset} be above $${v} on ${date}?`));
    }
    if (!onKalshi) return;
    const ev = `KXASSET${n}-26${MONTHS[month] ?? 'JAN'}${String(day).padStart(2, '0')}`;
    for (let i = 0; i < 10; i += 1) {
      const v = base + i * 5;
      const km = this.k(`${ev}-T${v}`, ev, `${asset} price on ${date}`, `Will the ${asset} price be above $${v} on ${date}?`);
      const pm = poly.get(v);
      if (pm) this.pair(km, pm);
    }
  }
}

/** Generate a synthetic catalog of `kalshiCount` and `polyCount` markets (whole events, trimmed at the end). */
export function syntheticCatalog(kalshiCount: number, polyCount: number, seed = 7, firstEvent = 0): SyntheticCatalog {
  const g = new Generator(seed, firstEvent === 0 ? '0x' : `0x${firstEvent.toString(16)}f`, firstEvent);
  let n = firstEvent;
  // per round on both venues: Kalshi 15+6+2+10 = 33 markets, Polymarket 12+6+4+8 = 30
  while (g.kalshi.length < kalshiCount) {
    g.game(true, n);
    g.primary(true, n);
    g.house(true, n);
    g.strikes(true, n);
    n += 1;
  }
  while (g.polymarket.length < polyCount) {
    const kind = n % 4;
    if (kind === 0) g.game(false, n);
    else if (kind === 1) g.primary(false, n);
    else if (kind === 2) g.house(false, n);
    else g.strikes(false, n);
    n += 1;
  }
  const kalshi = g.kalshi.slice(0, kalshiCount);
  const polymarket = g.polymarket.slice(0, polyCount);
  const k = new Set(kalshi.map((m) => m.id));
  const p = new Set(polymarket.map((m) => m.id));
  const truth = new Set([...g.truth].filter((key) => {
    const [kt = '', pc = ''] = key.split('|');
    return k.has(kt) && p.has(pc);
  }));
  return { kalshi, polymarket, truth };
}

const MONTH_INDEX: Readonly<Record<string, number>> = Object.fromEntries(MONTHS.map((m, i) => [m, i]));

/**
 * The catalog with close times as live venues send them (the generator leaves them
 * out): a Kalshi market dated by its event ticker ("…-26JUL21…") closes the next day,
 * the others at the end of 2026; a Polymarket twin closes when its Kalshi market does,
 * the other Polymarket markets at the end of 2026.
 */
export function withCloseTimes(catalog: SyntheticCatalog): SyntheticCatalog {
  const endOfYear = Date.UTC(2026, 11, 31, 23, 59);
  const close = new Map<string, number>();
  for (const m of catalog.kalshi) {
    const d = /-(\d\d)([A-Z]{3})(\d\d)/.exec(m.eventId);
    const month = d === null ? undefined : MONTH_INDEX[d[2] ?? ''];
    close.set(m.id, d !== null && month !== undefined ? Date.UTC(2000 + Number(d[1]), month, Number(d[3]) + 1, 4) : endOfYear);
  }
  for (const key of catalog.truth) {
    const [k = '', p = ''] = key.split('|');
    const t = close.get(k);
    if (t !== undefined) close.set(p, t);
  }
  const dated = (ms: readonly Market[]): Market[] => ms.map((m) => ({ ...m, closeTime: close.get(m.id) ?? endOfYear }));
  return { kalshi: dated(catalog.kalshi), polymarket: dated(catalog.polymarket), truth: catalog.truth };
}

/**
 * The catalog with a rules text on every market, as live venues send them (Kalshi
 * `rules_primary`, Polymarket `description`; the generator leaves them out): about
 * 400 characters that restate the question and how it settles. No text names a
 * resolution source the matcher reads, so no pair is vetoed or helped by them: the
 * truth set still holds, and what is measured is the cost of reading them.
 */
export function withRulesTexts(catalog: SyntheticCatalog): SyntheticCatalog {
  const bodies = [
    'according to the official results published by the organizer',
    'as reported on the official website of the competition',
    'according to the final figures released by the responsible authority',
  ];
  const rules = (m: Market, i: number): string =>
    `This market will resolve to "Yes" if the following happens: ${m.title.replace(/\?$/, '')}, ${bodies[i % bodies.length] ?? ''}, ` +
    `on or before the date this market closes. Otherwise, this market will resolve to "No". If the event is postponed, ` +
    `cancelled or its result is disputed, the market remains open until a final result is published, and the venue's ` +
    `rules on settlement apply. Series ${m.eventId}.`;
  const withRules = (ms: readonly Market[]): Market[] => ms.map((m, i) => ({ ...m, rules: rules(m, i) }));
  return { kalshi: withRules(catalog.kalshi), polymarket: withRules(catalog.polymarket), truth: catalog.truth };
}

/**
 * Both catalogs handed to a new matcher the way the app does (`Engine.upsertInSlices`):
 * the venue whose catalog arrived first, then the other, in slices of whole events.
 */
function matchAsTheAppReads(first: readonly Market[], second: readonly Market[]): { matcher: Matcher; firstMs: number; secondMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const matcher = new Matcher();
  for (const slice of eventSlices(first, MATCH_SLICE)) matcher.upsert(slice);
  const t1 = performance.now();
  for (const slice of eventSlices(second, MATCH_SLICE)) matcher.upsert(slice);
  const t2 = performance.now();
  const used = process.cpuUsage(cpu);
  return { matcher, firstMs: t1 - t0, secondMs: t2 - t1, cpuMs: (used.user + used.system) / 1000 };
}

/** How a matcher's large refreshes were read: ahead on the reader thread, or on the main thread. */
function readAheadLine(matcher: Matcher): string {
  const counts = matcher.readAheadCounts;
  if (counts === null || counts.sent === 0) {
    return `markets read on the main thread alone (reading ahead ${matcher.readAheadFailure ?? 'not available: one core, or no worker module'})`;
  }
  return (
    `markets read ahead on a second thread: ${counts.ahead} of the ${counts.ahead + counts.here} built from their own text ` +
    `(the main thread read ${counts.here} itself, and waited ${counts.waitedMs} ms for the reader)`
  );
}

/**
 * Collect, then give the collector's background work a second to finish: each timed run
 * starts from a settled heap, as a catalog refresh in the app comes long after the last.
 */
async function settled(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}

/** A full match of `catalog` by a new matcher (from a settled heap): its time, CPU and figures against the truth. */
async function timedFullMatch(
  catalog: SyntheticCatalog,
  readAhead: boolean,
): Promise<{ ms: number; cpuMs: number; evaluated: number; precision: number; recall: number }> {
  await settled();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const matcher = new Matcher({ readAhead });
  const result = matcher.upsert([...catalog.polymarket, ...catalog.kalshi]);
  const proposals = matcher.proposals();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  matcher.close();
  const right = proposals.filter((p) => catalog.truth.has(p.key)).length;
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    evaluated: result.evaluated,
    precision: right / Math.max(1, proposals.length),
    recall: right / Math.max(1, catalog.truth.size),
  };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

export async function runMatchingBenchmarks(): Promise<string[]> {
  const lines: string[] = [];
  const t0 = performance.now();
  let genMs = 0;
  // the generator's own markets are not kept: only the catalog as received is alive during the match
  let catalog: SyntheticCatalog | null = asReceived(
    ((): SyntheticCatalog => {
      const made = syntheticCatalog(100_000, 200_000);
      genMs = performance.now() - t0;
      return made;
    })(),
  );
  const readMs = performance.now() - t0 - genMs;
  // new events the index has not seen (other names, ids and event tickers)
  const extra = asReceived(syntheticCatalog(500, 500, 99, 1_000_000));
  lines.push(
    `matching: synthetic catalog ${catalog.kalshi.length} Kalshi + ${catalog.polymarket.length} Polymarket markets ` +
      `(generated in ${genMs.toFixed(0)} ms; written as the venues' responses, read back by their parsers and checked in ${readMs.toFixed(0)} ms)`,
  );

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  let matcher: Matcher | null = new Matcher();
  const result = matcher.upsert([...catalog.polymarket, ...catalog.kalshi]);
  const proposals = matcher.proposals();
  const fullMs = performance.now() - t1;
  const cpu = process.cpuUsage(cpu1);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const truth = catalog.truth;
  const correct = proposals.filter((c) => truth.has(c.key)).length;
  const truthInCatalog = truth.size;
  lines.push(
    `matching: full match ${fullMs.toFixed(0)} ms (target < 5000 ms), ${result.evaluated} pairs evaluated in full, ${proposals.length} proposed`,
  );
  lines.push(`matching: ${readAheadLine(matcher)}`);
  // wall time on a shared machine moves with its load: CPU time (all threads, GC helpers included) is steadier
  lines.push(
    `matching: full match CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  );
  lines.push(`matching: peak RSS ${mib(peakRss)} (target < 2048 MiB)`);
  lines.push(
    `matching: synthetic truth precision ${(correct / Math.max(1, proposals.length)).toFixed(4)}, recall ${(correct / Math.max(1, truthInCatalog)).toFixed(4)}`,
  );

  // new markets: other events than the ones indexed (the extra catalog's tail)
  const fresh = [...extra.kalshi, ...extra.polymarket];
  // From a collected heap, like the full match above: in the app an add comes with a catalog
  // refresh a minute or more after the full match, not in the middle of its garbage, so the
  // collector's background work (sweeping a heap of ~1 GB) is let finish first as it would be.
  await settled();
  const t2 = performance.now();
  const added = matcher.upsert(fresh);
  const addMs = performance.now() - t2;
  lines.push(
    `matching: add ${fresh.length} new markets ${addMs.toFixed(1)} ms (target < 200 ms), ${added.added} added, ${added.evaluated} pairs evaluated`,
  );
  const t3 = performance.now();
  // as a venue sends them again: other objects and strings with the same contents
  const again = matcher.upsert((({ kalshi, polymarket }) => [...kalshi, ...polymarket])(asReceived(extra)));
  lines.push(`matching: re-send the same ${fresh.length} markets ${(performance.now() - t3).toFixed(1)} ms (${again.unchanged} unchanged)`);
  const freshCorrect = matcher.proposals().filter((c) => extra.truth.has(c.key)).length;
  lines.push(`matching: after the add, ${freshCorrect} of ${extra.truth.size} new true pairs proposed`);

  // As the app reads live catalogs: close times set, each venue's catalog in slices as it
  // arrives (which venue's comes first depends on the network: both orders)
  matcher.close();
  matcher = null;
  let live: SyntheticCatalog | null = asReceived(withCloseTimes(catalog));
  // the catalog matched above is not kept while the app's way is timed
  catalog = null;
  const liveTruth = live.truth;
  for (const [name, first, second] of [
    ['Kalshi first', live.kalshi, live.polymarket],
    ['Polymarket first', live.polymarket, live.kalshi],
  ] as const) {
    await settled();
    const run = matchAsTheAppReads(first, second);
    run.matcher.close();
    const props = run.matcher.proposals();
    const right = props.filter((c) => liveTruth.has(c.key)).length;
    lines.push(
      `matching: as the app reads live catalogs (close times; ${name}, then the other, in slices of ${MATCH_SLICE}): ` +
        `${(run.firstMs + run.secondMs).toFixed(0)} ms (${run.firstMs.toFixed(0)} + ${run.secondMs.toFixed(0)}), CPU ${run.cpuMs.toFixed(0)} ms, ` +
        `precision ${(right / Math.max(1, props.length)).toFixed(4)}, recall ${(right / Math.max(1, liveTruth.size)).toFixed(4)}`,
    );
  }

  // The full match on one thread: as on a machine with one core, or with reading ahead off.
  // Another catalog of the same size and shape (another seed): no title read above is remembered.
  live = null;
  {
    const run = await timedFullMatch(asReceived(syntheticCatalog(100_000, 200_000, 13)), false);
    lines.push(
      `matching: full match on the main thread alone (no reading ahead; another catalog of the same size): ${run.ms.toFixed(0)} ms, ` +
        `CPU ${run.cpuMs.toFixed(0)} ms, ${run.evaluated} pairs evaluated, ` +
        `precision ${run.precision.toFixed(4)}, recall ${run.recall.toFixed(4)}`,
    );
  }

  // With a rules text on every market, as the venues send them (the catalogs above have
  // none): reading them (resolution sources) and hashing them (approval fingerprints) cost.
  {
    const ruled = asReceived(withRulesTexts(syntheticCatalog(100_000, 200_000, 17)));
    const ruleChars = [...ruled.kalshi, ...ruled.polymarket].reduce((n, m) => n + (m.rules?.length ?? 0), 0);
    for (const readAhead of [true, false]) {
      const run = await timedFullMatch(ruled, readAhead);
      lines.push(
        `matching: full match with a rules text on every market (${(ruleChars / 300_000).toFixed(0)} characters on average; another catalog), ` +
          `${readAhead ? 'reading ahead' : 'on the main thread alone'}: ${run.ms.toFixed(0)} ms, ${run.evaluated} pairs evaluated, ` +
          `precision ${run.precision.toFixed(4)}, recall ${run.recall.toFixed(4)}`,
      );
    }
  }

  // Where a full match's time goes: reading each market's text (each event's markets together,
  // as the matcher reads them, on the main thread), with nothing indexed, queried or evaluated. A
  // catalog of the same size with other names (another seed), so that no title read above is remembered.
  const other = asReceived(syntheticCatalog(100_000, 200_000, 11));
  const events = new Map<string, Market[]>();
  for (const m of [...other.polymarket, ...other.kalshi]) {
    const key = `${m.venue}\u0000${m.eventId}`;
    const list = events.get(key);
    if (list === undefined) events.set(key, [m]);
    else list.push(m);
  }
  await settled();
  const t4 = performance.now();
  const vocab = new Vocabulary();
  let read = 0;
  for (const markets of events.values()) read += finalizeEvent(markets, vocab).length;
  lines.push(
    `matching: reading ${read} markets' texts alone (no index, no queries; another catalog of the same size): ${(performance.now() - t4).toFixed(0)} ms`,
  );
  return lines;
}
