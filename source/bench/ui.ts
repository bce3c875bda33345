/**
 * UI benchmarks that need no engine (issue 6): the full Ink app on an
 * in-memory terminal at 80x24, over a store holding 500 pairs and their
 * opportunities.
 *
 * - keypress to frame: time from a key arriving on stdin to the next write on
 *   stdout (Ink in its production configuration: 30 fps throttle, incremental
 *   rendering), keys spaced beyond the throttle;
 * - snapshot to frame: time from a store update that changes all 500
 *   opportunities to the frame written;
 * - view derivation: sorting and filtering 500 opportunities (pure).
 *
 * React's build follows NODE_ENV; run.js leaves it unset, so this sets it to
 * production (what the CLI should do) before React is first loaded, and says
 * which build it measured.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { AppActions, TicketResult } from '../app/actions.js';
import type { FeeModel } from '../domain/fees.js';
import { uniformGrid, type Market } from '../domain/market.js';
import { ONE, parseDecimal } from '../domain/money.js';
import { normaliseAsks } from '../domain/order-book.js';
import { detectPair, type DetectorSettings, type Opportunity } from '../engine/detector.js';
import { Store, type PairView } from '../store/store.js';
import { pairRows } from '../ui/rows.js';
import { bench, formatResult } from './harness.js';
import { ScriptedStdin } from './scripted-stdin.js';

class BenchStdout extends EventEmitter {
  columns = 80;
  rows = 24;
  isTTY = true;
  writes = 0;
  bytes = 0;
  write = (data: string): boolean => {
    this.writes += 1;
    this.bytes += data.length;
    this.emit('wrote');
    return true;
  };
}

const d = (s: string): bigint => parseDecimal(s);
const DAY = 86_400_000;

function market(venue: 'kalshi' | 'polymarket', i: number, now: number): Market {
  const id = venue === 'kalshi' ? `KXBENCH-26-${i}` : `0x${i.toString(16).padStart(64, '0')}`;
  const fee: FeeModel =
    venue === 'kalshi'
      ? { kind: 'kalshi', feeType: 'quadratic', multiplier: ONE, source: 'series' }
      : { kind: 'polymarket', rate: d('0.03'), exponent: 1, takerOnly: true, source: 'clob' };
  return {
    venue,
    id,
    ref:
      venue === 'kalshi'
        ? { venue, ticker: id, eventTicker: 'KXBENCH', seriesTicker: null, exchangeIndex: 0 }
        : { venue, conditionId: id, gammaId: null, eventId: null, slug: null, yesTokenId: `${i}1`, noTokenId: `${i}2`, negRisk: false, protocolVersion: 'v1' },
    eventId: 'E',
    eventTitle: `Benchmark event ${i}`,
    title: `Will benchmark question number ${i} resolve Yes before the end of 2026?`,
    subtitle: null,
    yesLabel: 'Yes',
    noLabel: 'No',
    closeTime: now + (30 + (i % 300)) * DAY,
    rules: 'Resolves Yes if it does.',
    status: 'open',
    priceRanges: uniformGrid(d('0.01'), ONE),
    minOrderSize: ONE,
    sizeIncrement: d('0.01'),
    fee,
  };
}

const SETTINGS: DetectorSettings = {
  thresholds: {
    minNetProfit: d('1'),
    minRoi: d('0.01'),
    minAnnualizedReturn: 0n,
    maxSizePerTrade: d('1000'),
    maxCapitalPerPair: d('5000'),
    staleQuoteMs: 5_000,
  },
  kalshiFeeRounding: 'centicent',
};

/** 500 pairs, each with one opportunity whose prices move with `tick`. */
function fill(store: Store, now: number, tick: number, pairs: readonly PairView[]): void {
  const opportunities: Opportunity[] = [];
  for (const [i, p] of pairs.entries()) {
    const k = 30 + ((i + tick) % 20);
    const book = (m: Market, yes: number, no: number) => ({
      venue: m.venue,
      marketId: m.id,
      yesAsks: normaliseAsks([{ price: BigInt(yes) * 10_000n, size: d('200') }]),
      noAsks: normaliseAsks([{ price: BigInt(no) * 10_000n, size: d('200') }]),
      venueTime: null,
      receivedAt: now - 200,
    });
    const found = detectPair(
      { key: p.key, kalshi: p.kalshi, polymarket: p.polymarket, relation: 'same', approved: true, confidence: p.confidence, warnings: [] },
      { kalshi: book(p.kalshi, k, 100 - k + 3), polymarket: book(p.polymarket, 100 - k + 2, 100 - k - 8) },
      now,
      SETTINGS,
    );
    opportunities.push(...found.opportunities);
  }
  store.update((draft) => {
    draft.opportunities = new Map(opportunities.map((o) => [o.id, o]));
    draft.venues.kalshi = { ...draft.venues.kalshi, state: 'live', lastUpdate: now };
    draft.venues.polymarket = { ...draft.venues.polymarket, state: 'live', lastUpdate: now };
  });
}

const idleActions: AppActions = {
  approvePair: async () => {},
  rejectPair: async () => {},
  quote: (): TicketResult => ({ kind: 'unavailable', reason: 'benchmark' }),
  confirm: async () => ({ kind: 'refused', reason: 'benchmark' }),
  exportSession: async () => ({ files: [] }),
  setPaused: () => {},
  setHalted: async () => {},
  quit: async () => {},
};

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

function summary(name: string, times: number[]): string {
  const s = [...times].sort((a, b) => a - b);
  return `${name.padEnd(46)} median ${percentile(s, 0.5).toFixed(2)} ms  p95 ${percentile(s, 0.95).toFixed(2)} ms  max ${(s[s.length - 1] ?? 0).toFixed(2)} ms  (${s.length} runs)`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runUiBenchmarks(): Promise<string[]> {
  process.env['NODE_ENV'] ??= 'production';
  const reactBuild = process.env['NODE_ENV'] === 'production' ? 'production' : `development (NODE_ENV=${process.env['NODE_ENV']})`;
  // Load Ink the way the TUI does (blind to CI variables, see ui/ink-env.ts).
  const { restoreCiEnv } = await import('../ui/ink-env.js');
  const [{ render }, React, { App }, { MONO_THEME }, { opportunityRows }] = await Promise.all([
    import('ink'),
    import('react'),
    import('../ui/app.js'),
    import('../ui/theme.js'),
    import('../ui/rows.js'),
  ]);
  restoreCiEnv();

  const lines: string[] = [`React ${reactBuild} build, 80x24 in-memory terminal, 500 pairs with an opportunity each`];
  let now = Date.UTC(2026, 4, 12, 14);
  const store = new Store({ now: () => now, minIntervalMs: 0 });
  const pairs: PairView[] = Array.from({ length: 500 }, (_, i) => ({
    key: `KXBENCH-26-${i}|0x${i}`,
    kalshi: market('kalshi', i, now),
    polymarket: market('polymarket', i, now),
    relation: 'same',
    polymarketOutcome: 'Yes',
    status: i % 3 === 0 ? 'candidate' : 'approved',
    confidence: d('0.9'),
    reasons: ['same entity', 'same date'],
    warnings: [],
  }));
  store.update((draft) => {
    for (const p of pairs) draft.pairs.set(p.key, p);
  });
  fill(store, now, 0, pairs);

  const snapshot = store.getSnapshot();
  lines.push(formatResult(await bench('derive rows: sort 500 opportunities by net', () => opportunityRows(snapshot, 'net', ''), { iterations: 200, warmup: 20 }), 'ms'));
  lines.push(formatResult(await bench('derive rows: filter 500 opportunities', () => opportunityRows(snapshot, 'annualised', 'question 4'), { iterations: 200, warmup: 20 }), 'ms'));
  lines.push(pairsFilterTyping(now));

  const stdout = new BenchStdout();
  const stdin = new ScriptedStdin();
  const renderTimes: number[] = [];
  const started = performance.now();
  const instance = render(React.createElement(App, { store, actions: idleActions, theme: MONO_THEME }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 30,
    incrementalRendering: true,
    onRender: ({ renderTime }) => renderTimes.push(renderTime),
  });
  const exited = instance.waitUntilExit();
  lines.push(`first frame (mount, 500 opportunities)            ${(performance.now() - started).toFixed(1)} ms`);

  /** Resolves true at the next write, false when none comes within 1 s (nothing changed on screen). */
  const nextWrite = () =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        stdout.off('wrote', onWrite);
        resolve(false);
      }, 1_000);
      const onWrite = () => {
        clearTimeout(timer);
        resolve(true);
      };
      stdout.once('wrote', onWrite);
    });
  let unchanged = 0;

  // Keypress to frame: alternate views and moves, spaced beyond the 30 fps throttle.
  const keys = ['j', 'j', 'k', '2', 'j', '1', 's', 'j', 'k', 's'];
  const keyTimes: number[] = [];
  for (let i = 0; i < 150; i += 1) {
    await sleep(40);
    const wrote = nextWrite();
    const t0 = performance.now();
    stdin.send(keys[i % keys.length] ?? 'j');
    if (await wrote) keyTimes.push(performance.now() - t0);
    else unchanged += 1;
  }
  lines.push(summary('keypress to frame (Ink writes)', keyTimes.slice(10)));

  // Snapshot to frame: every opportunity changes.
  const updateTimes: number[] = [];
  const bytesBefore = stdout.bytes;
  for (let i = 1; i <= 80; i += 1) {
    await sleep(40);
    now += 100;
    const wrote = nextWrite();
    const t0 = performance.now();
    fill(store, now, i, pairs);
    if (await wrote) updateTimes.push(performance.now() - t0);
    else unchanged += 1;
  }
  lines.push(summary('store update (500 opps) to frame, incl. detect', updateTimes.slice(5)));
  lines.push(`bytes written per full-table update              ${Math.round((stdout.bytes - bytesBefore) / 80)} B (incremental rendering)`);
  lines.push(summary('Ink render+layout+output per frame (onRender)', renderTimes.slice(5)));
  if (unchanged > 0) lines.push(`(${unchanged} inputs left the screen unchanged: no frame, not timed)`);
  instance.unmount();
  await exited;
  return lines;
}

/**
 * Typing a filter on the Pairs view at a full catalog's 78,789 pairs, key by key as a person
 * types: the first key (each pair's text made), the next keys (narrowing the last list),
 * Backspace, and a new filter once the texts are made.
 */
function pairsFilterTyping(now: number): string {
  const count = 78_789;
  const store = new Store({ now: () => now, minIntervalMs: 0 });
  store.update((draft) => {
    for (let i = 0; i < count; i += 1) {
      const view: PairView = {
        key: `KXBENCH-26-${i}|0x${i.toString(16).padStart(64, '0')}`,
        kalshi: market('kalshi', i, now),
        polymarket: market('polymarket', i, now),
        relation: i % 7 === 0 ? 'inverse' : 'same',
        polymarketOutcome: 'Yes',
        status: i % 3 === 0 ? 'candidate' : 'approved',
        confidence: d(`0.${String(60 + (i % 40))}`),
        reasons: [`text ${90 + (i % 10)}%, coverage 100%`, `same outcome: question ${i}`],
        warnings: i % 2 === 0 ? ["rules not available: read both venues' rules before approving"] : [],
      };
      draft.pairs.set(view.key, view);
    }
  });
  store.flush();
  const snapshot = store.getSnapshot();
  const timed = (filter: string): number => {
    const t = performance.now();
    pairRows(snapshot, filter);
    return performance.now() - t;
  };
  timed('');
  const first = timed('4');
  const next = ['42', '421', '4213'].map(timed);
  const back = ['421', '42', '4'].map(timed);
  const again = timed('question 77');
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  return (
    `pairs filter at ${count.toLocaleString('en-US')} pairs: first key ${ms(first)} (each pair's text made), ` +
    `next keys ${next.map(ms).join(', ')}, Backspace ${back.map(ms).join(', ')}, a new filter ${ms(again)}`
  );
}
