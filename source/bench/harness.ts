/**
 * A small benchmark harness: wall time over many iterations (median and p95),
 * and heap bytes allocated by one call, measured as the growth of V8's used
 * heap across a call made right after a full GC, with garbage collections
 * during the call counted (a GC during the call makes the figure a lower
 * bound, and the report says so). Run under `node --expose-gc`.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';

export interface BenchResult {
  readonly name: string;
  readonly iterations: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
  /** Heap bytes allocated by one call; null when gc is not exposed. */
  readonly allocatedBytes: number | null;
  /** True when a GC ran during the allocation probe (allocatedBytes is then a lower bound). */
  readonly gcDuringProbe: boolean;
}

export interface BenchOptions {
  readonly iterations: number;
  readonly warmup: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function probeAllocation(fn: () => unknown): Promise<{ bytes: number | null; gcDuring: boolean }> {
  if (!gc) return { bytes: null, gcDuring: false };
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  gc();
  gc();
  // Let the observer deliver the entries of the forced collections before we start counting.
  await new Promise((resolve) => setImmediate(resolve));
  observer.observe({ entryTypes: ['gc'] });
  await new Promise((resolve) => setImmediate(resolve));
  gcs = 0;
  const before = process.memoryUsage().heapUsed;
  const keep = fn();
  const after = process.memoryUsage().heapUsed;
  await new Promise((resolve) => setImmediate(resolve));
  observer.disconnect();
  void keep;
  return { bytes: Math.max(0, after - before), gcDuring: gcs > 0 };
}

export async function bench(name: string, fn: () => unknown, options: BenchOptions): Promise<BenchResult> {
  for (let i = 0; i < options.warmup; i += 1) fn();
  const times: number[] = [];
  for (let i = 0; i < options.iterations; i += 1) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const probe = await probeAllocation(fn);
  return {
    name,
    iterations: options.iterations,
    medianMs: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    minMs: times[0] ?? Number.NaN,
    allocatedBytes: probe.bytes,
    gcDuringProbe: probe.gcDuring,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function formatResult(r: BenchResult, unit: 'ms' | 'us'): string {
  const scale = unit === 'us' ? 1000 : 1;
  const fmt = (ms: number): string => `${(ms * scale).toFixed(unit === 'us' ? 1 : 2)} ${unit === 'us' ? 'µs' : 'ms'}`;
  const alloc =
    r.allocatedBytes === null
      ? 'allocations: run with node --expose-gc'
      : `allocated ${formatBytes(r.allocatedBytes)}${r.gcDuringProbe ? ' (lower bound: a GC ran)' : ''}`;
  return `${r.name.padEnd(46)} median ${fmt(r.medianMs)}  p95 ${fmt(r.p95Ms)}  min ${fmt(r.minMs)}  ${alloc}  (${r.iterations} runs)`;
}
