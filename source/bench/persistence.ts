/**
 * Persistence benchmarks (issue 3): single runs timed with performance.now(),
 * since what matters is one bulk operation, not a per-call median.
 *
 * - insert 100,000 opportunity rows in one transaction (target < 1 s)
 * - atomic flush of a ~50 MB database (target < 500 ms) and the longest
 *   event-loop stall during it (target < 50 ms), for both flush paths
 * - export 100,000 opportunity rows to CSV (target < 1 s)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileChunkWriter } from '../cli/export-command.js';
import { csvChunks } from '../export/csv.js';
import { OPPORTUNITY_COLUMNS, opportunityRecord } from '../export/session-csv.js';
import { openDatabase, type ArbDatabase, type FlushMode } from '../persistence/database.js';
import { iterateOpportunityExportRows } from '../persistence/export-queries.js';
import { formatBytes } from './harness.js';

const ROWS = 100_000;
const TARGET_BYTES = 50 * 1024 * 1024;

function verdict(ms: number, targetMs: number): string {
  return `${ms.toFixed(1)} ms (target < ${targetMs} ms: ${ms < targetMs ? 'ok' : 'MISSED'})`;
}

/** CPU time of this process (all threads) since `start`, ms: on a loaded machine wall time can be several times this. */
function cpuMs(start: NodeJS.CpuUsage): string {
  const u = process.cpuUsage(start);
  return `${((u.user + u.system) / 1000).toFixed(0)} ms CPU`;
}

function seedSession(db: ArbDatabase): { sessionId: number; pairId: number } {
  return db.write((r) => {
    const s = r.sessions.start({ mode: 'paper', demo: true, appVersion: 'bench', configDigest: 'bench' });
    r.markets.seen({ venue: 'kalshi', marketId: 'K', eventId: 'E', title: 'Bench "market", K' });
    r.markets.seen({ venue: 'polymarket', marketId: 'P', eventId: 'E', title: 'Bench market, P' });
    const p = r.pairs.ensureCandidate({ kalshiMarketId: 'K', polymarketMarketId: 'P', relation: 'same' });
    return { sessionId: s.id, pairId: p.id };
  });
}

function insertOpportunities(db: ArbDatabase, sessionId: number, pairId: number, n: number, t0: number): void {
  db.write((r) => {
    for (let i = 0; i < n; i += 1) {
      r.opportunities.open(sessionId, pairId, {
        at: t0 + i,
        netEdge: BigInt(i % 50_000) - 1_000n,
        size: 1_000_000n + BigInt(i),
        kalshi: { side: 'yes', price: 450_000n + BigInt(i % 100), fee: 17_000n },
        polymarket: { side: 'no', price: 520_000n, fee: 9_000n },
      });
    }
  });
}

/** Run `fn` while probing the event loop every 1 ms; returns its duration and the longest stall. */
async function withStallProbe(fn: () => Promise<void>): Promise<{ ms: number; stallMs: number; histogramMaxMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let longest = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  histogram.enable();
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  // one more tick so a stall at the very end is seen
  await new Promise((resolve) => setTimeout(resolve, 2));
  clearInterval(probe);
  histogram.disable();
  return { ms, stallMs: longest, histogramMaxMs: histogram.max / 1e6 };
}

async function flushBench(mode: FlushMode, dir: string): Promise<string[]> {
  const path = join(dir, `flush-${mode}.db`);
  const db = await openDatabase({ path, flushMode: mode, flushIntervalMs: 3_600_000 });
  try {
    const { sessionId } = seedSession(db);
    const pad = 'x'.repeat(440);
    // Grow the database to ~50 MB with audit rows (each ~0.5 KB).
    const perTx = 20_000;
    while (statSync(path).size < TARGET_BYTES) {
      db.write((r) => {
        for (let i = 0; i < perTx; i += 1) r.audit.append({ actor: 'engine', kind: 'bench', subject: String(i), detail: pad, sessionId });
      });
      await db.flushNow();
    }
    const size = statSync(path).size;
    // Let the loop settle, then flush one small money-critical record into the big file.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const runs: { ms: number; stallMs: number; histogramMaxMs: number }[] = [];
    for (let k = 0; k < 3; k += 1) {
      runs.push(
        await withStallProbe(async () => {
          await db.writeCritical((r) => r.audit.append({ actor: 'user', kind: 'approve', subject: `bench-${k}`, sessionId }));
        }),
      );
    }
    const worst = runs.reduce((a, b) => (b.ms > a.ms ? b : a));
    const worstStall = Math.max(...runs.map((r) => r.stallMs));
    return [
      `atomic flush of a ${formatBytes(size)} database (${mode}, worst of 3): ${verdict(worst.ms, 500)}`,
      `  longest event-loop stall during it (${mode}): ${verdict(worstStall, 50)}  [monitorEventLoopDelay max ${Math.max(...runs.map((r) => r.histogramMaxMs)).toFixed(1)} ms]`,
    ];
  } finally {
    await db.close();
  }
}

export async function runPersistenceBenchmarks(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'arb-bench-'));
  const lines: string[] = ['persistence (sql.js, one file, atomic replace)'];
  try {
    // 1. inserts (worker mode: includes posting the batch to the mirror)
    const db = await openDatabase({ path: join(dir, 'insert.db'), flushIntervalMs: 3_600_000 });
    try {
      const { sessionId, pairId } = seedSession(db);
      insertOpportunities(db, sessionId, pairId, 1_000, Date.UTC(2026, 4, 1)); // warm-up (statement cache, JIT)
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      insertOpportunities(db, sessionId, pairId, ROWS, Date.UTC(2026, 4, 1));
      const insertMs = performance.now() - start;
      lines.push(`insert ${ROWS.toLocaleString('en-US')} opportunity rows (one transaction): ${verdict(insertMs, 1000)} [${cpuMs(cpuStart)}]`);
      const flushStart = performance.now();
      await db.flushNow();
      lines.push(`  then flushNow() incl. mirror replay: ${(performance.now() - flushStart).toFixed(1)} ms`);

      // 3. CSV export of those rows: what `arb-tui export --what opportunities --out FILE` does
      //    (stepped read, compiled row checks, records rendered by opportunityRecord and streamed to a file).
      const csvPath = join(dir, 'opportunities.csv');
      const exportCpu = process.cpuUsage();
      const exportStart = performance.now();
      const writer = await fileChunkWriter(csvPath);
      let rows = 0;
      const counted = (function* () {
        for (const row of iterateOpportunityExportRows(db.conn, [sessionId])) {
          rows += 1;
          yield row;
        }
      })();
      for (const chunk of csvChunks(OPPORTUNITY_COLUMNS, counted, { bom: true, record: opportunityRecord })) await writer.write(chunk);
      await writer.close();
      const exportMs = performance.now() - exportStart;
      lines.push(
        `export ${rows.toLocaleString('en-US')} opportunity rows to a CSV file (${formatBytes(statSync(csvPath).size)}): ${verdict(exportMs, 1000)} [${cpuMs(exportCpu)}]`,
      );
    } finally {
      await db.close();
    }
    // 2. flush of a 50 MB database, both paths
    lines.push(...(await flushBench('worker', dir)));
    lines.push(...(await flushBench('main-thread', dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
