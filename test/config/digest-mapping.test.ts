import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configDigest,
  loadConfig,
  toKalshiSettings,
  toPolymarketSettings,
  toSimulatedSettings,
  type AppConfig,
} from '../../source/config/load.js';
import { formatDecimal } from '../../source/domain/money.js';
import { makeTempTree, type TempTree } from './temp-home.js';

let t: TempTree;
beforeAll(async () => {
  t = await makeTempTree();
});
afterAll(async () => {
  await t.cleanup();
});

describe('digest', () => {
  it('is sha256 hex, stable across loads, and equals configDigest(config)', async () => {
    const a = await loadConfig({ cwd: t.project, env: t.env() });
    const b = await loadConfig({ cwd: t.project, env: t.env() });
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(b.digest).toBe(a.digest);
    expect(configDigest(a.config)).toBe(a.digest);
  });

  it('depends on the effective values only: same values from a file, another key order, or the environment', async () => {
    const f1 = await t.write('f1.toml', `mode = "paper"\n[kalshi.rate_limit]\nrequests = 5\nconcurrency = 2\n`);
    const f2 = await t.write('f2.toml', `[kalshi.rate_limit]\nconcurrency = 2\nrequests = 5\n`);
    const f2b = await t.write('f2b.toml', `mode = "paper"\n[kalshi.rate_limit]\nconcurrency = 2\nrequests = 5\n`);
    const one = await loadConfig({ cwd: t.project, env: t.env(), configFile: f1 });
    const two = await loadConfig({ cwd: t.project, env: t.env(), configFile: f2b });
    const env = await loadConfig({
      cwd: t.project,
      env: t.env({ ARB_MODE: 'paper', ARB_KALSHI__RATE_LIMIT__REQUESTS: '5', ARB_KALSHI__RATE_LIMIT__CONCURRENCY: '2' }),
    });
    expect(two.digest).toBe(one.digest);
    expect(env.digest).toBe(one.digest);
    const partial = await loadConfig({ cwd: t.project, env: t.env(), configFile: f2 });
    expect(partial.digest).not.toBe(one.digest); // mode differs
  });

  it('changes with any value, and not with how a decimal is written', async () => {
    const base = await loadConfig({ cwd: t.project, env: t.env() });
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 4 }), async (micros, pad) => {
        const text = formatDecimal(micros, { minDp: 1 }) + '0'.repeat(pad);
        const loaded = await loadConfig({ cwd: t.project, env: t.env({ ARB_THRESHOLDS__MIN_NET_PROFIT: text }) });
        expect(loaded.config.thresholds.minNetProfit).toBe(micros);
        const same = micros === base.config.thresholds.minNetProfit;
        expect(loaded.digest === base.digest).toBe(same);
        const again = await loadConfig({
          cwd: t.project,
          env: t.env({ ARB_THRESHOLDS__MIN_NET_PROFIT: formatDecimal(micros) }),
        });
        expect(again.digest).toBe(loaded.digest);
      }),
      { numRuns: 40 },
    );
    const mode = await loadConfig({ cwd: t.project, env: t.env({ ARB_MODE: 'execute' }) });
    expect(mode.digest).not.toBe(base.digest);
    const flipped: AppConfig = { ...base.config, demo: { ...base.config.demo, seed: base.config.demo.seed + 1 } };
    expect(configDigest(flipped)).not.toBe(base.digest);
  });
});

describe('mapping to venue settings', () => {
  it('copies every field to the right place (distinct values catch swaps)', async () => {
    const file = await t.write(
      'all.toml',
      [
        '[kalshi]',
        'rest_url = "http://127.0.0.1:1/k"',
        'timeout_ms = 11',
        'fee_rounding = "micro"',
        'events_page_size = 12',
        'books_batch_size = 13',
        '[kalshi.rate_limit]',
        'requests = 14',
        'interval_ms = 15',
        'concurrency = 16',
        '[kalshi.retry]',
        'max_retries = 17',
        'base_delay_ms = 18',
        'max_delay_ms = 19',
        '[polymarket]',
        'gamma_url = "http://127.0.0.1:2/g"',
        'clob_url = "http://127.0.0.1:3/c"',
        'timeout_ms = 21',
        'gamma_page_size = 22',
        'books_batch_size = 23',
        '[polymarket.gamma_rate_limit]',
        'requests = 24',
        'interval_ms = 25',
        'concurrency = 26',
        '[polymarket.clob_rate_limit]',
        'requests = 27',
        'interval_ms = 28',
        'concurrency = 29',
        '[polymarket.retry]',
        'max_retries = 3',
        'base_delay_ms = 31',
        'max_delay_ms = 32',
        '[demo]',
        'seed = 33',
        'tick_ms = 34',
        'cross_probability = 0.35',
        '',
      ].join('\n'),
    );
    const { config } = await loadConfig({ cwd: t.project, env: t.env(), configFile: file });
    expect(toKalshiSettings(config)).toEqual({
      restUrl: 'http://127.0.0.1:1/k',
      timeoutMs: 11,
      feeRounding: 'micro',
      eventsPageSize: 12,
      booksBatchSize: 13,
      rateLimit: { requests: 14, intervalMs: 15, concurrency: 16 },
      retry: { maxRetries: 17, baseDelayMs: 18, maxDelayMs: 19 },
    });
    expect(toPolymarketSettings(config)).toEqual({
      gammaUrl: 'http://127.0.0.1:2/g',
      clobUrl: 'http://127.0.0.1:3/c',
      timeoutMs: 21,
      gammaPageSize: 22,
      booksBatchSize: 23,
      gammaRateLimit: { requests: 24, intervalMs: 25, concurrency: 26 },
      clobRateLimit: { requests: 27, intervalMs: 28, concurrency: 29 },
      retry: { maxRetries: 3, baseDelayMs: 31, maxDelayMs: 32 },
    });
    expect(toSimulatedSettings(config)).toEqual({ seed: 33, tickMs: 34, crossProbability: 0.35 });
  });

  it('returns copies: changing the settings does not change the config', async () => {
    const { config } = await loadConfig({ cwd: t.project, env: t.env() });
    const k = toKalshiSettings(config) as { rateLimit: { requests: number } };
    k.rateLimit.requests = 999;
    expect(config.kalshi.rateLimit.requests).not.toBe(999);
  });
});
