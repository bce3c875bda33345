/**
 * Engine benchmarks (issue 5): pair evaluations per second with 10-level books
 * on both sides, and the time from a book update entering the engine to the
 * updated opportunity in the store (p50/p99), with 500 approved pairs.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import type { Market, VenueId } from '../domain/market.js';
import { normaliseAsks, orderBook, type Level, type OrderBook } from '../domain/order-book.js';
import { ONE, parseDecimal } from '../domain/money.js';
import { detectPair, type DetectorPair, type DetectorSettings } from '../engine/detector.js';
import { Engine, type PresetPair } from '../engine/engine.js';
import { MemoryVerdictStore, PairRegistry } from '../engine/registry.js';
import { Store } from '../store/store.js';
import { benchBook, benchMarket, MemoryVenue, tenLevels } from './synthetic-venue.js';

const d = (s: string): bigint => parseDecimal(s);
const NOW = Date.UTC(2026, 10, 25);

const market = (venue: VenueId, id: string): Market => benchMarket(venue, id, NOW + 90 * 86_400_000);
/**
 * A synthetic book built as the parsers build theirs (ladders through `normaliseAsks`, the
 * book through `orderBook`), so the detector sees what it sees live.
 */
const book = (venue: VenueId, id: string, yes: number, no: number, at: number): OrderBook => {
  const b = benchBook(venue, id, yes, no, at);
  return orderBook(venue, id, normaliseAsks(b.yesAsks), normaliseAsks(b.noAsks), b.venueTime, b.receivedAt);
};

const settings: DetectorSettings = {
  thresholds: {
    minNetProfit: d('0.5'),
    minRoi: d('0.01'),
    minAnnualizedReturn: 0n,
    maxSizePerTrade: d('1000'),
    maxCapitalPerPair: d('5000'),
    staleQuoteMs: 5_000,
  },
  kalshiFeeRounding: 'centicent',
};

/** Counts garbage collections while running (entries arrive asynchronously: await a tick before reading). */
function watchGc(): { count: () => number; stop: () => void } {
  let seen = 0;
  const observer = new PerformanceObserver((list) => {
    seen += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  return { count: () => seen, stop: () => observer.disconnect() };
}

/**
 * Calls per second of `fn` after a warm-up: per second of wall time, and per
 * second of this process's CPU time (steadier when other processes share the
 * cores; it counts GC helper threads too).
 */
function rate(n: number, fn: () => unknown): string {
  for (let i = 0; i < Math.min(n / 10, 20_000); i += 1) fn();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) fn();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  return `${fmt(n / wall)}/s wall, ${fmt(n / cpuSeconds)}/s per CPU-second, one core`;
}

/**
 * As `rate`, for calls that each need inputs made fresh: `make(i)` builds the
 * inputs of call i in batches outside the timed part, `fn` is timed alone.
 *
 * Batch sizes vary (250–750, 500 on average, from a fixed seed), as the number
 * of books in a refresh does. With one fixed size the allocation pattern repeats
 * exactly, and the young-generation collections lock onto one phase of it, set
 * by a few bytes here or there: with batches of 500, three in four fell inside
 * the timed part, which allocates a fifth of the bytes (each one copying the
 * whole batch of books still alive). Varied batches put collections where the
 * allocation is, so the timed part bears its share of them; the line says how many.
 */
async function rateFresh<T>(n: number, make: (i: number) => T, fn: (input: T) => unknown): Promise<string> {
  let seed = 0x2545f491;
  const batchSize = (left: number) => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return Math.min(left, 250 + (seed % 501));
  };
  // warm up in batches as the timed part runs (not 20,000 inputs alive at once, whose promotion
  // to the old generation would weigh on the timed part's collections)
  const warm = Math.min(n / 10, 20_000);
  for (let done = 0, size = 0; done < warm; done += size) {
    size = batchSize(warm - done);
    for (const x of Array.from({ length: size }, (_, i) => make(done + i))) fn(x);
  }
  const windows: Array<readonly [number, number]> = [];
  const collections: Array<readonly [number, number]> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) collections.push([e.startTime, e.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });
  let wall = 0;
  let cpuMicros = 0;
  for (let done = 0, size = 0; done < n; done += size) {
    size = batchSize(n - done);
    const inputs = Array.from({ length: size }, (_, i) => make(done + i));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const x of inputs) fn(x);
    const t1 = performance.now();
    wall += (t1 - t0) / 1000;
    windows.push([t0, t1]);
    const cpu = process.cpuUsage(cpu0);
    cpuMicros += cpu.user + cpu.system;
  }
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  await new Promise((resolve) => setTimeout(resolve, 100)); // gc entries are delivered late
  observer.disconnect();
  return `${fmt(n / wall)}/s wall, ${fmt(n / (cpuMicros / 1e6))}/s per CPU-second, one core ${gcShare(collections, windows, wall)}`;
}

/** How many of the collections (start, duration) began inside the timed windows, and their time. */
function gcShare(collections: ReadonlyArray<readonly [number, number]>, windows: ReadonlyArray<readonly [number, number]>, wallSeconds: number): string {
  let inside = 0;
  let insideMs = 0;
  let w = 0;
  for (const [start, duration] of [...collections].sort((a, b) => a[0] - b[0])) {
    while (w < windows.length && (windows[w] as readonly [number, number])[1] < start) w += 1;
    const window = windows[w];
    if (window !== undefined && start >= window[0]) {
      inside += 1;
      insideMs += duration;
    }
  }
  const share = insideMs / 10 / wallSeconds; // ms over s × 1000, as a percentage
  return `(${inside} of ${collections.length} garbage collections began in the timed part: ${insideMs.toFixed(0)} ms, ${share.toFixed(0)}% of it)`;
}

function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

export async function runEngineBenchmarks(): Promise<string[]> {
  const lines: string[] = [];

  // 1. pair evaluations per second (both directions of one pair = one evaluation): the full
  // detectPair the engine runs for a pair, on 10-level books on every side
  const pair: DetectorPair = {
    key: 'K|P',
    kalshi: market('kalshi', 'K'),
    polymarket: market('polymarket', 'P'),
    relation: 'same',
    approved: true,
    confidence: ONE,
    warnings: [],
  };
  // crossed in one direction (0.40 + 0.50 before fees), not in the other
  const books = { kalshi: book('kalshi', 'K', 40, 62, NOW), polymarket: book('polymarket', 'P', 55, 50, NOW) };
  const sanity = detectPair(pair, books, NOW, settings);
  if (sanity.opportunities.length !== 1) throw new Error('bench pair should have one opportunity');
  const n = 200_000;
  const o = sanity.opportunities[0];

  // 1a. the headline: crossed, every call on book objects it has never seen (fresh books and
  // ladders, as after a refresh), whose best asks and depths vary, so that nothing derived from
  // earlier calls' books (by identity or by content) can serve it
  // (ladders built as the parsers build them: `{ price, size }` literals, then `normaliseAsks`,
  // outside the timed part as parsing is; the parsing benchmarks time that)
  const variants = Array.from({ length: 64 }, (_, v) => {
    const k = book('kalshi', 'K', 39 + (v % 3), 62, NOW);
    const yes = normaliseAsks(tenLevels(39 + (v % 3)).map((l, i) => ({ price: l.price, size: l.size + BigInt(v * (i + 1)) * 10_000n })));
    return { kalshi: orderBook('kalshi', 'K', yes, k.noAsks, null, NOW), polymarket: book('polymarket', 'P', 55, 49 + ((v >> 2) % 3), NOW) };
  });
  for (const v of variants) if (detectPair(pair, v, NOW, settings).opportunities.length !== 1) throw new Error('variant should cross');
  const parsed = (levels: readonly Level[]): Level[] => normaliseAsks(levels.map((l) => ({ price: l.price, size: l.size })));
  const copy = (b: OrderBook): OrderBook => orderBook(b.venue, b.marketId, parsed(b.yesAsks), parsed(b.noAsks), b.venueTime, b.receivedAt);
  const fresh = (i: number) => {
    const v = variants[i & 63] as (typeof variants)[number];
    return { kalshi: copy(v.kalshi), polymarket: copy(v.polymarket) };
  };
  lines.push(
    `pair evaluations, 10-level books both sides, both directions, crossed, fresh books every call: ${await rateFresh(n, fresh, (b) => detectPair(pair, b, NOW, settings))} (target ≥ 200,000/s)`,
  );

  // 1b. the same pair of books on every call
  const crossed = rate(n, () => detectPair(pair, books, NOW, settings));
  lines.push(
    `pair evaluations, crossed, the same books on every call: ${crossed}; ` +
      `(sanity: best size ${o ? o.size / ONE : 0n} contracts, net ${o ? Number(o.netProfit) / 1e6 : 0})`,
  );

  // 1c. the common case: a pair whose books do not cross (best asks sum to $1 or more)
  const flat = { kalshi: book('kalshi', 'K', 48, 53, NOW), polymarket: book('polymarket', 'P', 49, 54, NOW) };
  if (detectPair(pair, flat, NOW, settings).opportunities.length !== 0) throw new Error('flat pair should have none');
  lines.push(`pair evaluations, 10-level books, not crossed (the common case): ${rate(1_000_000, () => detectPair(pair, flat, NOW, settings))}`);

  // 1d. crossed, cycling through the 64 variants (a different pair of books on every call, objects reused)
  let k = 0;
  const varied = rate(n, () => detectPair(pair, variants[k++ & 63] as (typeof variants)[number], NOW, settings));
  lines.push(`pair evaluations, crossed, a different book pair on every call (64 variants reused): ${varied}`);

  // 2. book update -> opportunity in the store, 500 approved pairs
  const pairs = 500;
  const kMarkets = Array.from({ length: pairs }, (_, i) => market('kalshi', `K${i}`));
  const pMarkets = Array.from({ length: pairs }, (_, i) => market('polymarket', `P${i}`));
  const kBooks = new Map(kMarkets.map((m) => [m.id, book('kalshi', m.id, 40, 62, NOW)]));
  const pBooks = new Map(pMarkets.map((m) => [m.id, book('polymarket', m.id, 55, 50, NOW)]));
  let clock = NOW;
  const now = () => clock;
  // The store publishes at a bounded rate; here its timer is manual and every update is followed by
  // `flush()`, which publishes at once: the first figure is the engine (detector, episodes, store draft),
  // the second adds building the snapshot (copying every pair and opportunity), as minIntervalMs 0 would.
  const store = new Store({ now, minIntervalMs: 100, setTimer: () => ({}), clearTimer: () => undefined });
  const presets: PresetPair[] = kMarkets.map((m, i) => ({
    kalshiTicker: m.id,
    polymarketConditionId: `P${i}`,
    relation: 'same',
    decidedBy: 'config',
    note: null,
  }));
  const engine = new Engine({
    venues: { kalshi: new MemoryVenue('kalshi', kMarkets, kBooks), polymarket: new MemoryVenue('polymarket', pMarkets, pBooks) },
    store,
    registry: new PairRegistry(new MemoryVerdictStore(), now),
    now,
    settings: { catalogIntervalMs: 60_000, booksIntervalMs: 2_000, candidateBooksIntervalMs: 10_000, minPairConfidence: 0.6, detector: settings, presetPairs: presets },
  });
  await engine.runOnce();
  store.flush();
  if (store.getSnapshot().opportunities.length !== pairs) throw new Error(`expected ${pairs} opportunities, got ${store.getSnapshot().opportunities.length}`);
  const engineOnly: number[] = [];
  const published: number[] = [];
  const gc = watchGc();
  for (let i = 0; i < 5_000; i += 1) {
    clock += 1;
    const target = i % pairs;
    const yes = 38 + (i % 5); // moves the best YES ask: the opportunity's figures change
    const update = book('kalshi', `K${target}`, yes, 62, clock);
    const t0 = performance.now();
    engine.applyBooks('kalshi', [update]);
    const t1 = performance.now();
    store.flush();
    const snap = store.getSnapshot();
    const t2 = performance.now();
    if (i >= 500) {
      engineOnly.push((t1 - t0) * 1000);
      published.push((t2 - t0) * 1000);
    }
    const id = `K${target}|P${target}#yes-no`;
    if (!snap.opportunities.some((x) => x.id === id && x.legs[0].receivedAt === clock)) throw new Error('store not updated');
  }
  await new Promise((resolve) => setTimeout(resolve, 100)); // gc entries are delivered late
  const gcs = gc.count();
  gc.stop();
  engineOnly.sort((a, b) => a - b);
  published.sort((a, b) => a - b);
  const fmt = (xs: readonly number[]) => `p50 ${pct(xs, 0.5).toFixed(1)} µs, p99 ${pct(xs, 0.99).toFixed(1)} µs, max ${(xs.at(-1) ?? 0).toFixed(1)} µs`;
  lines.push(`book update -> engine state updated (detector, episodes, store draft; ${pairs} approved pairs): ${fmt(engineOnly)}`);
  lines.push(
    `book update -> updated opportunity in a published snapshot (+ copying ${pairs} pairs and ${pairs} opportunities): ${fmt(published)} (target p99 < 1 ms); ${gcs} garbage collections during the 5,000 updates`,
  );
  await engine.stop();
  return lines;
}
