import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../source/config/errors.js';
import { loadConfig, SECRET_ENV_VARS } from '../../source/config/load.js';
import { KALSHI_DEMO_REST, KALSHI_PRODUCTION_REST } from '../../source/venues/kalshi/settings.js';
import { makeTempTree, type TempTree } from './temp-home.js';

let t: TempTree;
beforeEach(async () => {
  t = await makeTempTree();
});
afterEach(async () => {
  await t.cleanup();
});

const rcPath = 'home/work/project/.arbrc.toml';

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('profiles', () => {
  it('the built-in kalshi-demo profile works without a file', async () => {
    const loaded = await loadConfig({ cwd: t.project, env: t.env(), profile: 'kalshi-demo' });
    expect(loaded.config.kalshi.restUrl).toBe(KALSHI_DEMO_REST);
    expect(loaded.source).toEqual({ file: null, profile: 'kalshi-demo', envKeys: [] });
    const plain = await loadConfig({ cwd: t.project, env: t.env() });
    expect(plain.config.kalshi.restUrl).toBe(KALSHI_PRODUCTION_REST);
    expect(plain.source.profile).toBeNull();
  });

  it('a file profile overlays the base key by key', async () => {
    await t.write(
      rcPath,
      `[kalshi]\ntimeout_ms = 5000\n[kalshi.rate_limit]\nrequests = 3\n` +
        `[profiles.slow.kalshi.rate_limit]\nrequests = 1\n[profiles.slow.thresholds]\nmin_net_profit = "2.00"\n`,
    );
    const base = await loadConfig({ cwd: t.project, env: t.env() });
    expect(base.config.kalshi.rateLimit).toEqual({ requests: 3, intervalMs: 1_000, concurrency: 4 });
    expect(base.config.thresholds.minNetProfit).toBe(500_000n);
    const slow = await loadConfig({ cwd: t.project, env: t.env(), profile: 'slow' });
    expect(slow.config.kalshi.timeoutMs).toBe(5_000);
    expect(slow.config.kalshi.rateLimit).toEqual({ requests: 1, intervalMs: 1_000, concurrency: 4 });
    expect(slow.config.thresholds.minNetProfit).toBe(2_000_000n);
    expect(slow.source.profile).toBe('slow');
  });

  it('a file profile named kalshi-demo is applied on top of the built-in one', async () => {
    await t.write(rcPath, `[profiles.kalshi-demo.kalshi]\ntimeout_ms = 3000\n`);
    const loaded = await loadConfig({ cwd: t.project, env: t.env(), profile: 'kalshi-demo' });
    expect(loaded.config.kalshi.restUrl).toBe(KALSHI_DEMO_REST);
    expect(loaded.config.kalshi.timeoutMs).toBe(3_000);
  });

  it('profile = "NAME" in the file is the default; ARB_PROFILE beats it; --profile beats both', async () => {
    await t.write(
      rcPath,
      `profile = "a"\n[profiles.a.kalshi]\ntimeout_ms = 1111\n[profiles.b.kalshi]\ntimeout_ms = 2222\n`,
    );
    const byFile = await loadConfig({ cwd: t.project, env: t.env() });
    expect([byFile.source.profile, byFile.config.kalshi.timeoutMs]).toEqual(['a', 1111]);
    const byEnv = await loadConfig({ cwd: t.project, env: t.env({ ARB_PROFILE: 'b' }) });
    expect([byEnv.source.profile, byEnv.config.kalshi.timeoutMs]).toEqual(['b', 2222]);
    expect(byEnv.source.envKeys).toEqual(['ARB_PROFILE']);
    const byFlag = await loadConfig({ cwd: t.project, env: t.env({ ARB_PROFILE: 'b' }), profile: 'kalshi-demo' });
    expect([byFlag.source.profile, byFlag.config.kalshi.timeoutMs]).toEqual(['kalshi-demo', 10_000]);
    expect(byFlag.config.kalshi.restUrl).toBe(KALSHI_DEMO_REST);
  });

  it('an unknown profile is an error listing the available ones', async () => {
    const file = await t.write(rcPath, `[profiles.fast.kalshi]\ntimeout_ms = 1000\n`);
    const error = await configError(loadConfig({ cwd: t.project, env: t.env(), profile: 'fsat' }));
    expect(error.message).toContain('unknown profile "fsat" (from --profile)');
    expect(error.message).toContain('kalshi-demo (built in)');
    expect(error.message).toContain(`fast (${file})`);
    expect(error.key).toBe('profile');
    const fromFile = await t.write(rcPath, `profile = "nope"\n`);
    const error2 = await configError(loadConfig({ cwd: t.project, env: t.env() }));
    expect(error2.message).toContain(`unknown profile "nope" (from profile = ... in ${fromFile})`);
    const noFile = await configError(loadConfig({ cwd: t.home, env: t.env({ ARB_PROFILE: 'x' }) }));
    expect(noFile.message).toContain('(from ARB_PROFILE); available profiles: kalshi-demo (built in)');
  });

  it('precedence: defaults < file < profile < environment', async () => {
    await t.write(rcPath, `[kalshi]\ntimeout_ms = 1000\n[profiles.p.kalshi]\ntimeout_ms = 2000\n`);
    const file = await loadConfig({ cwd: t.project, env: t.env() });
    const profile = await loadConfig({ cwd: t.project, env: t.env(), profile: 'p' });
    const env = await loadConfig({ cwd: t.project, env: t.env({ ARB_KALSHI__TIMEOUT_MS: '3000' }), profile: 'p' });
    expect([file, profile, env].map((l) => l.config.kalshi.timeoutMs)).toEqual([1000, 2000, 3000]);
  });
});

describe('environment overrides', () => {
  it('applies typed values and reports the variables applied, sorted', async () => {
    const loaded = await loadConfig({
      cwd: t.project,
      env: t.env({
        ARB_MODE: 'paper',
        ARB_KALSHI__RATE_LIMIT__REQUESTS: '5',
        ARB_POLYMARKET__CLOB_RATE_LIMIT__CONCURRENCY: ' 2 ',
        ARB_DEMO__CROSS_PROBABILITY: '0.3',
        ARB_THRESHOLDS__MIN_NET_PROFIT: '1.25',
        ARB_KALSHI__REST_URL: 'http://127.0.0.1:9999/trade-api/v2',
        ARB_KALSHI__FEE_ROUNDING: 'cent',
        ARB_LOG_LEVEL: 'debug',
      }),
    });
    const c = loaded.config;
    expect(c.mode).toBe('paper');
    expect(c.kalshi.rateLimit.requests).toBe(5);
    expect(c.polymarket.clobRateLimit.concurrency).toBe(2);
    expect(c.demo.crossProbability).toBe(0.3);
    expect(c.thresholds.minNetProfit).toBe(1_250_000n);
    expect(c.kalshi.restUrl).toBe('http://127.0.0.1:9999/trade-api/v2');
    expect(c.kalshi.feeRounding).toBe('cent');
    expect(c.logLevel).toBe('debug');
    expect(loaded.source.envKeys).toEqual([
      'ARB_DEMO__CROSS_PROBABILITY',
      'ARB_KALSHI__FEE_ROUNDING',
      'ARB_KALSHI__RATE_LIMIT__REQUESTS',
      'ARB_KALSHI__REST_URL',
      'ARB_LOG_LEVEL',
      'ARB_MODE',
      'ARB_POLYMARKET__CLOB_RATE_LIMIT__CONCURRENCY',
      'ARB_THRESHOLDS__MIN_NET_PROFIT',
    ]);
  });

  it('ignores empty values, the secret variables, ARB_DEBUG and ARB_NO_V8_TUNING, and non-ARB variables', async () => {
    const secrets = Object.fromEntries(SECRET_ENV_VARS.map((name) => [name, 'sekrit']));
    const loaded = await loadConfig({
      cwd: t.project,
      env: t.env({ ...secrets, ARB_DEBUG: '1', ARB_NO_V8_TUNING: '1', ARB_MODE: '', PATH: '/bin', arb_mode: 'execute' }),
    });
    expect(loaded.source.envKeys).toEqual([]);
    expect(loaded.config.mode).toBe('monitor');
    expect(JSON.stringify(loaded.config, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('sekrit');
  });

  it('SECRET_ENV_VARS is the agreed list', () => {
    expect([...SECRET_ENV_VARS].sort()).toEqual(
      [
        'ARB_KALSHI_KEY_ID',
        'ARB_KALSHI_PRIVATE_KEY',
        'ARB_KALSHI_PRIVATE_KEY_PATH',
        'ARB_POLYMARKET_PRIVATE_KEY',
        'ARB_POLYMARKET_API_KEY',
        'ARB_POLYMARKET_API_SECRET',
        'ARB_POLYMARKET_API_PASSPHRASE',
        'ARB_POLYMARKET_FUNDER',
        'ARB_POLYMARKET_SIGNATURE_TYPE',
      ].sort(),
    );
  });

  it('ARB_DB_PATH: ~ is home, a relative path is relative to the working directory', async () => {
    const tilde = await loadConfig({ cwd: t.project, env: t.env({ ARB_DB_PATH: '~/data/x.sqlite' }) });
    expect(tilde.config.dbPath).toBe(path.join(t.home, 'data', 'x.sqlite'));
    const rel = await loadConfig({ cwd: t.project, env: t.env({ ARB_DB_PATH: 'db/y.sqlite' }) });
    expect(rel.config.dbPath).toBe(path.join(t.project, 'db', 'y.sqlite'));
  });

  it('an unknown ARB_ variable is an error naming it, with a suggestion', async () => {
    const error = await configError(
      loadConfig({ cwd: t.project, env: t.env({ ARB_KALSHI__RATE_LIMT__REQUESTS: '5' }) }),
    );
    expect(error.envVar).toBe('ARB_KALSHI__RATE_LIMT__REQUESTS');
    expect(error.message).toContain('unknown environment variable ARB_KALSHI__RATE_LIMT__REQUESTS');
    expect(error.message).toContain('did you mean ARB_KALSHI__RATE_LIMIT__REQUESTS?');
    // a single underscore where the level separator belongs
    const single = await configError(loadConfig({ cwd: t.project, env: t.env({ ARB_KALSHI_REST_URL: 'http://x' }) }));
    expect(single.message).toContain('did you mean ARB_KALSHI__REST_URL?');
    // a section is not a value
    await configError(loadConfig({ cwd: t.project, env: t.env({ ARB_KALSHI: 'x' }) }));
  });

  it('a credential-looking ARB_ variable points to the credential variables', async () => {
    const error = await configError(
      loadConfig({ cwd: t.project, env: t.env({ ARB_KALSHI__PRIVATE_KEY: '-----BEGIN' }) }),
    );
    expect(error.message).toContain('ARB_KALSHI_PRIVATE_KEY');
    expect(error.message).toContain('keychain');
    expect(error.message).not.toContain('-----BEGIN');
  });

  it('a value of the wrong type names the variable, the key and the expectation', async () => {
    const error = await configError(
      loadConfig({ cwd: t.project, env: t.env({ ARB_KALSHI__RATE_LIMIT__REQUESTS: 'x' }) }),
    );
    expect(error.message).toBe(
      'environment variable ARB_KALSHI__RATE_LIMIT__REQUESTS ([kalshi.rate_limit] requests): expected a positive integer, got "x"',
    );
    expect(error.key).toBe('kalshi.rate_limit.requests');
    expect(error.envVar).toBe('ARB_KALSHI__RATE_LIMIT__REQUESTS');
    expect(error.file).toBeNull();
    for (const [name, value] of [
      ['ARB_KALSHI__TIMEOUT_MS', '1.5'],
      ['ARB_KALSHI__TIMEOUT_MS', '0'],
      ['ARB_DEMO__CROSS_PROBABILITY', '1.5'],
      ['ARB_DEMO__SEED', '-1'],
      ['ARB_MODE', 'yolo'],
      ['ARB_THRESHOLDS__MIN_ROI', '1e-3'],
      ['ARB_THRESHOLDS__MIN_NET_PROFIT', '0.0000001'],
      ['ARB_POLYMARKET__GAMMA_URL', 'ftp://example.com'],
    ] as const) {
      const e = await configError(loadConfig({ cwd: t.project, env: t.env({ [name]: value }) }));
      expect(e.envVar).toBe(name);
      expect(e.message).toContain(`environment variable ${name} (`);
      expect(e.message).toContain('expected ');
    }
  });
});
