import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envVarName } from '../../source/config/env.js';
import { loadConfig } from '../../source/config/load.js';
import { leafKeys } from '../../source/config/schema.js';
import { DEFAULT_KALSHI_SETTINGS } from '../../source/venues/kalshi/settings.js';
import { DEFAULT_POLYMARKET_SETTINGS } from '../../source/venues/polymarket/settings.js';
import { DEFAULT_SIMULATED_SETTINGS } from '../../source/venues/simulated/settings.js';
import { makeTempTree, type TempTree } from './temp-home.js';

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.arbrc.example.toml');

let t: TempTree;
beforeEach(async () => {
  t = await makeTempTree();
});
afterEach(async () => {
  await t.cleanup();
});

function leafPaths(value: unknown, prefix: string[] = []): string[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  }
  return [prefix.join('.')];
}

describe('defaults', () => {
  it('venue and simulation defaults come from the venue settings modules', async () => {
    const { config } = await loadConfig({ cwd: t.project, env: t.env() });
    expect(config.kalshi).toEqual(DEFAULT_KALSHI_SETTINGS);
    expect(config.polymarket).toEqual(DEFAULT_POLYMARKET_SETTINGS);
    expect(config.demo).toEqual(DEFAULT_SIMULATED_SETTINGS);
    expect(config.mode).toBe('monitor');
    expect(config.logLevel).toBe('info');
  });

  it('thresholds are scale-6 bigints, intervals plain milliseconds', async () => {
    const { config } = await loadConfig({ cwd: t.project, env: t.env() });
    expect(config.thresholds).toEqual({
      minNetProfit: 500_000n,
      minRoi: 10_000n,
      minAnnualizedReturn: 100_000n,
      maxSizePerTrade: 100_000_000n,
      maxCapitalPerPair: 500_000_000n,
      staleQuoteMs: 5_000,
      minMatchConfidence: 600_000n,
      minPairConfidence: 850_000n,
    });
    expect(config.refresh).toEqual({ catalogIntervalMs: 300_000, booksIntervalMs: 2_000, candidateBooksIntervalMs: 10_000 });
  });

  it('db_path: $XDG_DATA_HOME when absolute, else ~/.local/share', async () => {
    const plain = await loadConfig({ cwd: t.project, env: t.env() });
    expect(plain.config.dbPath).toBe(path.join(t.home, '.local/share/arb-tui/arb-tui.sqlite'));
    const xdg = await loadConfig({ cwd: t.project, env: t.env({ XDG_DATA_HOME: '/srv/data' }) });
    expect(xdg.config.dbPath).toBe('/srv/data/arb-tui/arb-tui.sqlite');
    const rel = await loadConfig({ cwd: t.project, env: t.env({ XDG_DATA_HOME: 'data' }) });
    expect(rel.config.dbPath).toBe(plain.config.dbPath);
  });

  it('db_path in a file: ~ is home, relative is relative to that file', async () => {
    await t.write('home/work/.arbrc.toml', `db_path = "state/arb.sqlite"\n[profiles.h]\ndb_path = "~/h.sqlite"\n`);
    const rel = await loadConfig({ cwd: t.project, env: t.env() });
    expect(rel.config.dbPath).toBe(path.join(t.home, 'work', 'state', 'arb.sqlite'));
    const tilde = await loadConfig({ cwd: t.project, env: t.env(), profile: 'h' });
    expect(tilde.config.dbPath).toBe(path.join(t.home, 'h.sqlite'));
  });
});

describe('.arbrc.example.toml', () => {
  it('loading it yields exactly the defaults', async () => {
    const env = t.env(); // no XDG_* so db_path's default is ~/.local/share/...
    const example = await loadConfig({ cwd: t.project, env, configFile: EXAMPLE });
    const defaults = await loadConfig({ cwd: t.project, env });
    expect(example.source.file).toBe(EXAMPLE);
    expect(defaults.source.file).toBeNull();
    expect(example.config).toEqual(defaults.config);
    expect(example.digest).toBe(defaults.digest);
  });

  it('sets every schema key, and nothing else', async () => {
    const parsed = parse(await readFile(EXAMPLE, 'utf8'));
    const inExample = leafPaths(parsed).sort();
    const inSchema = leafKeys()
      .map((l) => l.path.join('.'))
      .sort();
    expect(inExample).toEqual(inSchema);
  });

  it('documents the profile key and profiles tables (commented out: no profile by default)', async () => {
    const text = await readFile(EXAMPLE, 'utf8');
    expect(text).toMatch(/^# profile = "kalshi-demo"$/m);
    expect(text).toMatch(/^# \[profiles\.[a-z-]+(\.[a-z_]+)*\]$/m);
  });

  it('every key can be set through its ARB_ variable to the example value, giving the defaults again', async () => {
    const parsed = parse(await readFile(EXAMPLE, 'utf8')) as Record<string, unknown>;
    const env: Record<string, string> = {};
    for (const { path: keyPath } of leafKeys()) {
      let node: unknown = parsed;
      for (const k of keyPath) node = (node as Record<string, unknown>)[k];
      env[envVarName(keyPath)] = Array.isArray(node) ? JSON.stringify(node) : String(node);
    }
    const viaEnv = await loadConfig({ cwd: t.project, env: t.env(env) });
    const defaults = await loadConfig({ cwd: t.project, env: t.env() });
    expect(viaEnv.source.envKeys).toHaveLength(leafKeys().length);
    expect(viaEnv.config).toEqual(defaults.config);
  });
});
