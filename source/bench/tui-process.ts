/**
 * TUI process benchmarks (issue 6):
 * - time to first frame from process start: the built CLI in demo mode under a
 *   pseudo-terminal (`script`), from spawn to the first frame with the
 *   opportunities table, and to the first frame with both venues live;
 * - CPU of one process running the engine and the Ink UI (80x24, 500 approved
 *   pairs) while the engine receives 2,000 book updates per second for 5 s.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { EventEmitter } from 'node:events';
import type { AppActions } from '../app/actions.js';
import type { Market, VenueId } from '../domain/market.js';
import { parseDecimal } from '../domain/money.js';
import type { OrderBook } from '../domain/order-book.js';
import { Engine, type PresetPair } from '../engine/engine.js';
import { MemoryVerdictStore, PairRegistry } from '../engine/registry.js';
import { Store } from '../store/store.js';
import { benchBook, benchMarket, MemoryVenue } from './synthetic-venue.js';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));
const d = (s: string): bigint => parseDecimal(s);

async function firstFrame(): Promise<{ paint: number; table: number; live: number } | string> {
  const home = mkdtempSync(join(tmpdir(), 'arb-bench-ui-'));
  try {
    const start = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 80 rows 24; HOME=${home} NO_COLOR=1 ${process.execPath} ${CLI} --demo`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let paint = 0;
    let table = 0;
    let live = 0;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 20_000);
      child.stdout.on('data', (c: Buffer) => {
        // eslint-disable-next-line no-control-regex
        out += c.toString('utf8').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
        const t = performance.now() - start;
        if (!paint && out.includes('arb-tui')) paint = t;
        if (!table && out.includes('K/P')) table = t;
        if (!live && out.includes('kalshi live') && out.includes('polymarket live')) live = t;
        if (table && live) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.stdin.write('q');
    await new Promise((r) => child.on('exit', r));
    return table && live ? { paint, table, live } : `no frame within 20 s (output ${out.length} bytes)`;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

// ---- in-process engine + UI under load --------------------------------------

const market = (venue: VenueId, id: string): Market =>
  benchMarket(venue, id, Date.now() + 90 * 86_400_000, `Will question number ${id} resolve yes before the end of the year?`);
const book = benchBook;

/** A terminal that swallows output but counts it (80x24, a TTY as far as Ink can tell). */
class NullTerminal extends EventEmitter {
  readonly isTTY = true;
  columns = 80;
  rows = 24;
  bytes = 0;
  write(chunk: string | Uint8Array): boolean {
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return true;
  }
}

class IdleInput extends EventEmitter {
  readonly isTTY = true;
  setRawMode(): this {
    return this;
  }
  setEncoding(): this {
    return this;
  }
  read(): null {
    return null;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

const idleActions: AppActions = {
  approvePair: async () => undefined,
  rejectPair: async () => undefined,
  quote: () => ({ kind: 'unavailable', reason: 'bench' }),
  confirm: async () => ({ kind: 'refused', reason: 'bench' }),
  exportSession: async () => ({ files: [] }),
  setPaused: () => undefined,
  setHalted: async () => undefined,
  quit: async () => undefined,
};

async function cpuUnderLoad(): Promise<string> {
  process.env['NODE_ENV'] ??= 'production';
  const { renderApp } = await import('../ui/render.js');
  const pairs = 500;
  const kMarkets = Array.from({ length: pairs }, (_, i) => market('kalshi', `K${i}`));
  const pMarkets = Array.from({ length: pairs }, (_, i) => market('polymarket', `P${i}`));
  const now = Date.now();
  const kBooks = new Map(kMarkets.map((m) => [m.id, book('kalshi', m.id, 40, 62, now)]));
  const pBooks = new Map(pMarkets.map((m) => [m.id, book('polymarket', m.id, 55, 50, now)]));
  const store = new Store({ now: Date.now });
  const presets: PresetPair[] = kMarkets.map((m, i) => ({ kalshiTicker: m.id, polymarketConditionId: `P${i}`, relation: 'same', decidedBy: 'config', note: null }));
  const engine = new Engine({
    venues: { kalshi: new MemoryVenue('kalshi', kMarkets, kBooks), polymarket: new MemoryVenue('polymarket', pMarkets, pBooks) },
    store,
    registry: new PairRegistry(new MemoryVerdictStore(), Date.now),
    now: Date.now,
    settings: {
      catalogIntervalMs: 3_600_000,
      booksIntervalMs: 3_600_000,
      candidateBooksIntervalMs: 3_600_000,
      minPairConfidence: 0.6,
      detector: {
        thresholds: { minNetProfit: d('0.5'), minRoi: 0n, minAnnualizedReturn: 0n, maxSizePerTrade: d('1000'), maxCapitalPerPair: d('5000'), staleQuoteMs: 5_000 },
        kalshiFeeRounding: 'centicent',
      },
      presetPairs: presets,
    },
  });
  await engine.runOnce();
  const terminal = new NullTerminal();
  const app = renderApp({
    store,
    actions: idleActions,
    stdout: terminal as unknown as NodeJS.WriteStream,
    stdin: new IdleInput() as unknown as NodeJS.ReadStream,
    env: { NO_COLOR: '1' },
  });
  await new Promise((r) => setTimeout(r, 500));
  const seconds = 5;
  const rate = 2_000;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let sent = 0;
  let i = 0;
  // 2,000 updates a second, delivered in 10 ms batches of 20 (as a websocket feed would).
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - wall0) / 1000) * rate);
      const batch: OrderBook[] = [];
      while (sent < due) {
        const k = i % pairs;
        batch.push(book('kalshi', `K${k}`, 36 + ((i >> 3) % 6), 62, Date.now()));
        i += 1;
        sent += 1;
      }
      if (batch.length > 0) engine.applyBooks('kalshi', batch);
      if (performance.now() - wall0 >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const wall = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  app.unmount();
  await engine.stop();
  store.close();
  const cores = (cpu.user + cpu.system) / 1e6 / wall;
  return `engine + Ink UI in one process, ${sent.toLocaleString('en-US')} book updates in ${wall.toFixed(1)} s (${Math.round(sent / wall).toLocaleString('en-US')}/s), 500 approved pairs: CPU ${cores.toFixed(2)} of a core (target < 0.5); ${(terminal.bytes / 1024 / wall).toFixed(1)} KiB/s written to the terminal`;
}

export async function runTuiProcessBenchmarks(): Promise<string[]> {
  const lines: string[] = [];
  if (spawnSync('script', ['--version']).status === 0) {
    const runs: Array<{ paint: number; table: number; live: number }> = [];
    for (let k = 0; k < 5; k += 1) {
      const r = await firstFrame();
      if (typeof r === 'string') {
        lines.push(`first frame: ${r}`);
        break;
      }
      runs.push(r);
    }
    if (runs.length > 0) {
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      const med = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? Number.NaN;
      // Median and range: on a shared machine one slow run says little.
      const fig = (xs: number[]) => `median ${med(xs).toFixed(0)} ms (${(sorted(xs)[0] ?? Number.NaN).toFixed(0)}–${(sorted(xs).at(-1) ?? Number.NaN).toFixed(0)})`;
      lines.push(
        `time from process start, demo, 80x24 pty (${runs.length} runs, load ${loadavg()[0]?.toFixed(1) ?? '?'}): first paint (starting screen) ${fig(runs.map((r) => r.paint))}, ` +
          `first Ink frame with the table ${fig(runs.map((r) => r.table))} (target < 1 s), ` +
          `both venues live ${fig(runs.map((r) => r.live))}`,
      );
    }
  } else {
    lines.push('time to first frame: needs `script` (util-linux) for a pseudo-terminal; not found');
  }
  lines.push(await cpuUnderLoad());
  return lines;
}
