import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Market } from '../../../source/domain/market.js';
import { PLANTED_PAIRS } from '../../../source/venues/simulated/planted-pairs.js';
import { DEFAULT_SIMULATED_SETTINGS } from '../../../source/venues/simulated/settings.js';
import { createSimulatedVenues, SimulatedVenueClosedError } from '../../../source/venues/simulated/venue.js';
import { SimulatedSettingsError } from '../../../source/venues/simulated/world.js';
import { fakeClock, START } from './helpers.js';

const bigintJson = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));

describe('createSimulatedVenues', () => {
  const realFetch = globalThis.fetch;
  beforeEach(() => {
    // no network: any fetch would fail the test
    globalThis.fetch = vi.fn(() => Promise.reject(new Error('network used by the simulated venue')));
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('lists the whole bundled catalog per venue, planted markets first, and honours limit', async () => {
    const { kalshi, polymarket } = createSimulatedVenues(DEFAULT_SIMULATED_SETTINGS, { now: fakeClock().now });
    expect(kalshi.id).toBe('kalshi');
    expect(polymarket.id).toBe('polymarket');
    const km = await kalshi.listMarkets();
    const pm = await polymarket.listMarkets();
    expect(km).toHaveLength(384);
    expect(pm).toHaveLength(461);
    expect(km.every((m) => m.venue === 'kalshi')).toBe(true);
    expect(pm.every((m) => m.venue === 'polymarket')).toBe(true);
    expect(km.slice(0, PLANTED_PAIRS.length).map((m) => m.id)).toEqual(PLANTED_PAIRS.map((p) => p.kalshiTicker));
    expect(pm.slice(0, PLANTED_PAIRS.length).map((m) => m.id)).toEqual(PLANTED_PAIRS.map((p) => p.polymarketConditionId));
    expect(await kalshi.listMarkets({ limit: 5 })).toEqual(km.slice(0, 5));
    expect(await polymarket.listMarkets({ limit: 0 })).toEqual([]);
    expect(await polymarket.listMarkets({ limit: 10_000 })).toHaveLength(461);
    await expect(kalshi.listMarkets({ limit: -1 })).rejects.toThrow(RangeError);
    // a caller mutating the list does not change the venue
    km.length = 0;
    expect(await kalshi.listMarkets()).toHaveLength(384);
  });

  it('serves the books of the tick the injected clock is in, for its own markets only', async () => {
    const clock = fakeClock();
    const { kalshi, polymarket, world } = createSimulatedVenues({ ...DEFAULT_SIMULATED_SETTINGS, tickMs: 500 }, { now: clock.now });
    const km = await kalshi.listMarkets({ limit: 3 });
    const pm = await polymarket.listMarkets({ limit: 3 });
    const unknown: Market = { ...(km[0] as Market), id: 'NOT-A-TICKER' };
    clock.advance(1_750); // tick 3
    const books = await kalshi.fetchBooks([...km, ...pm, unknown]);
    expect([...books.keys()]).toEqual(km.map((m) => m.id));
    for (const m of km) {
      const b = books.get(m.id);
      expect(b?.venueTime).toBe(START + 3 * 500);
      expect(b?.receivedAt).toBe(START + 1_750);
      expect(b?.yesAsks).toEqual(world.bookAt('kalshi', m.id, 3)?.yesAsks);
      expect(b?.noAsks).toEqual(world.bookAt('kalshi', m.id, 3)?.noAsks);
    }
    const pbooks = await polymarket.fetchBooks(pm);
    expect(pbooks.size).toBe(3);
    expect(globalThis.fetch).not.toHaveBeenCalled();
  });

  it('is deterministic: same seed and clock give the same markets and books; another seed other books', async () => {
    const run = async (seed: number): Promise<string> => {
      const clock = fakeClock();
      const v = createSimulatedVenues({ ...DEFAULT_SIMULATED_SETTINGS, seed }, { now: clock.now });
      const out: unknown[] = [];
      const km = await v.kalshi.listMarkets();
      const pm = await v.polymarket.listMarkets();
      out.push(km, pm);
      for (let i = 0; i < 5; i++) {
        clock.advance(DEFAULT_SIMULATED_SETTINGS.tickMs);
        out.push([...(await v.kalshi.fetchBooks(km))], [...(await v.polymarket.fetchBooks(pm))]);
      }
      return bigintJson(out);
    };
    const a = await run(1234);
    expect(await run(1234)).toBe(a);
    expect(await run(1235)).not.toBe(a);
  });

  it('reports health and traffic, refuses work after close and on an aborted signal', async () => {
    const clock = fakeClock();
    const { kalshi, polymarket } = createSimulatedVenues({ ...DEFAULT_SIMULATED_SETTINGS, seed: 9 }, { now: clock.now });
    clock.advance(3_000);
    const h = await polymarket.health();
    expect(h).toMatchObject({ venue: 'polymarket', exchangeActive: true, tradingActive: true, checkedAt: START + 3_000 });
    expect(h.detail).toContain('seed 9');
    const markets = await kalshi.listMarkets({ limit: 2 });
    await kalshi.fetchBooks(markets);
    expect(kalshi.traffic()).toEqual({ requests: 2, retries: 0, queued: 0, inFlight: 0, rateLimited: 0, lastError: null });
    expect(polymarket.traffic().requests).toBe(1);

    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(kalshi.fetchBooks(markets, ac.signal)).rejects.toThrow('stop');
    await expect(kalshi.listMarkets({ signal: ac.signal })).rejects.toThrow('stop');

    await kalshi.close();
    await expect(kalshi.listMarkets()).rejects.toThrow(SimulatedVenueClosedError);
    await expect(kalshi.fetchBooks(markets)).rejects.toThrow(SimulatedVenueClosedError);
    await expect(kalshi.health()).rejects.toThrow(SimulatedVenueClosedError);
    // the other venue is unaffected
    await expect(polymarket.listMarkets({ limit: 1 })).resolves.toHaveLength(1);
  });

  it('rejects invalid settings before reading anything', () => {
    expect(() => createSimulatedVenues({ ...DEFAULT_SIMULATED_SETTINGS, crossProbability: -0.1 })).toThrow(SimulatedSettingsError);
    expect(() => createSimulatedVenues({ ...DEFAULT_SIMULATED_SETTINGS, tickMs: -5 })).toThrow(SimulatedSettingsError);
  });
});

describe('simulated venue source stays offline', () => {
  const dir = new URL('../../../source/venues/simulated/', import.meta.url);
  const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: f, text: readFileSync(new URL(f, dir), 'utf8') }));

  it('has source files to check', () => {
    expect(sources.map((s) => s.file)).toEqual(
      expect.arrayContaining(['venue.ts', 'world.ts', 'catalog.ts', 'planted-pairs.ts', 'prng.ts', 'settings.ts']),
    );
  });

  it.each(['shared', 'fetch(', 'node:http', 'node:https', 'node:net', 'Math.random', 'parseFloat', 'process.cwd'])(
    'no source file mentions %s',
    (needle) => {
      for (const s of sources) expect(s.text.includes(needle), `${s.file} mentions ${needle}`).toBe(false);
    },
  );

  it('reads the catalog relative to the module', () => {
    const catalog = sources.find((s) => s.file === 'catalog.ts');
    expect(catalog?.text).toContain("new URL(`./catalog/${name}`, import.meta.url)");
    expect(readdirSync(new URL('catalog/', dir)).sort()).toEqual(['kalshi-events.json', 'polymarket-events.json']);
  });
});
