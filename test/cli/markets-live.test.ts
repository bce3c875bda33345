/**
 * `arb-tui markets` with the real clients, pointed at the mock venue servers
 * through ARB_* environment overrides (as a user would point it at a proxy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockKalshi } from '../helpers/mock-kalshi.js';
import { MockPolymarket } from '../helpers/mock-polymarket.js';
import { cli, isolatedEnv } from './run-cli.js';

const fast = {
  ARB_KALSHI__RETRY__MAX_RETRIES: '1',
  ARB_KALSHI__RETRY__BASE_DELAY_MS: '1',
  ARB_KALSHI__RETRY__MAX_DELAY_MS: '5',
  ARB_POLYMARKET__RETRY__MAX_RETRIES: '1',
  ARB_POLYMARKET__RETRY__BASE_DELAY_MS: '1',
  ARB_POLYMARKET__RETRY__MAX_DELAY_MS: '5',
};

describe('markets against the venues (mock servers)', () => {
  const kalshi = new MockKalshi();
  const polymarket = new MockPolymarket();
  beforeAll(async () => {
    await kalshi.start();
    polymarket.addBooksForAll();
    await polymarket.start();
  });
  afterAll(async () => {
    await kalshi.server.stop();
    await polymarket.stop();
  });

  it('lists Kalshi markets with books and series fees', async () => {
    const iso = isolatedEnv({ ...fast, ARB_KALSHI__REST_URL: kalshi.restUrl });
    const r = await cli(['markets', '--venue', 'kalshi', '--json', '--limit', '50'], iso);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row['venue'] === 'kalshi' && row['status'] === 'open')).toBe(true);
    expect(rows.some((row) => typeof row['best_yes_ask'] === 'string')).toBe(true);
    expect(kalshi.requestsTo('/markets/orderbooks').length).toBeGreaterThan(0);
  });

  it('lists Polymarket markets with CLOB books', async () => {
    const iso = isolatedEnv({ ...fast, ARB_POLYMARKET__GAMMA_URL: polymarket.gamma.url, ARB_POLYMARKET__CLOB_URL: polymarket.clob.url });
    const r = await cli(['markets', '--venue', 'polymarket', '--json', '--limit', '5'], iso);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((row) => typeof row['best_yes_ask'] === 'string')).toBe(true);
  });

  it('a venue that keeps failing ends in one line naming the venue and endpoint, exit 1', async () => {
    kalshi.fault({ kind: 'status', status: 503, body: 'upstream down' }, { path: '/events', times: 10 });
    const iso = isolatedEnv({ ...fast, ARB_KALSHI__REST_URL: kalshi.restUrl });
    const r = await cli(['markets', '--venue', 'kalshi'], iso);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^arb-tui: kalshi GET \/events: .*503/);
  });

  it('a dead address is a network error, not a crash', async () => {
    const iso = isolatedEnv({ ...fast, ARB_KALSHI__REST_URL: 'http://127.0.0.1:9/trade-api/v2' });
    const r = await cli(['markets', '--venue', 'kalshi'], iso);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/network|ECONNREFUSED/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an invalid URL in the environment is a config error naming the variable', async () => {
    const iso = isolatedEnv({ ARB_KALSHI__REST_URL: 'not a url' });
    const r = await cli(['markets', '--venue', 'kalshi'], iso);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ARB_KALSHI__REST_URL');
  });
});
