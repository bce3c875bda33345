import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../source/config/errors.js';
import { loadConfig } from '../../source/config/load.js';
import { makeTempTree, type TempTree } from './temp-home.js';

let t: TempTree;
beforeEach(async () => {
  t = await makeTempTree();
});
afterEach(async () => {
  await t.cleanup();
});

const rcPath = 'home/work/project/.arbrc.toml';

/** Write the project file and return the ConfigError that loading it raises. */
async function errorFor(toml: string): Promise<{ error: ConfigError; file: string }> {
  const file = await t.write(rcPath, toml);
  const error = await loadConfig({ cwd: t.project, env: t.env() }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).name).toBe('ConfigError');
  return { error: error as ConfigError, file };
}

describe('config file validation messages', () => {
  it('wrong type: file, section, key, expectation and value', async () => {
    const { error, file } = await errorFor(`[kalshi.rate_limit]\nrequests = "x"\n`);
    expect(error.message).toBe(`${file}: [kalshi.rate_limit] requests: expected a positive integer, got "x"`);
    expect(error.file).toBe(file);
    expect(error.key).toBe('kalshi.rate_limit.requests');
  });

  it('top-level keys are named bare', async () => {
    const { error, file } = await errorFor(`mode = "yolo"\n`);
    expect(error.message).toBe(`${file}: mode: expected one of "monitor", "paper", "execute", got "yolo"`);
    expect(error.key).toBe('mode');
  });

  it('unknown key: suggests the near one and lists the keys of the section', async () => {
    const { error, file } = await errorFor(`[kalshi]\nrest_ur = "https://x.example"\n`);
    expect(error.message).toContain(`${file}: [kalshi] rest_ur: unknown key (did you mean "rest_url"?)`);
    expect(error.message).toContain('rest_url, timeout_ms, fee_rounding');
    expect(error.key).toBe('kalshi.rest_ur');
  });

  it('unknown section and unknown top-level key', async () => {
    const section = await errorFor(`[kalhsi]\ntimeout_ms = 1\n`);
    expect(section.error.message).toContain('kalhsi: unknown key (did you mean "kalshi"?)');
    const top = await errorFor(`db = "x"\n`);
    expect(top.error.message).toContain('db: unknown key (did you mean "db_path"?)');
  });

  it('a section given as a value is "expected a table"', async () => {
    const { error, file } = await errorFor(`kalshi = 3\n`);
    expect(error.message).toBe(`${file}: kalshi: expected a table ([kalshi] section), got 3`);
  });

  it('money as a TOML float is refused with advice to quote it', async () => {
    const { error, file } = await errorFor(`[thresholds]\nmin_net_profit = 0.5\n`);
    expect(error.message).toBe(
      `${file}: [thresholds] min_net_profit: expected a non-negative decimal string (USD), such as "0.50", ` +
        'got the number 0.5: quote it ("0.5"); money and ratios are never floats',
    );
    const integer = await errorFor(`[thresholds]\nmax_capital_per_pair = 500\n`);
    expect(integer.error.message).toContain('got the number 500: quote it ("500")');
  });

  it('money out of range or too precise', async () => {
    const negative = await errorFor(`[thresholds]\nmin_net_profit = "-1"\n`);
    expect(negative.error.message).toContain('[thresholds] min_net_profit: expected a non-negative decimal string');
    const precise = await errorFor(`[thresholds]\nmin_roi = "0.0000001"\n`);
    expect(precise.error.message).toContain('got "0.0000001" (more than 6 decimal places)');
    const zero = await errorFor(`[thresholds]\nmax_size_per_trade = "0"\n`);
    expect(zero.error.message).toContain('max_size_per_trade: expected a positive decimal string (contracts)');
    const confidence = await errorFor(`[thresholds]\nmin_pair_confidence = "1.01"\n`);
    expect(confidence.error.message).toContain('expected a decimal string from 0 to 1');
    const words = await errorFor(`[thresholds]\nmin_roi = "one percent"\n`);
    expect(words.error.message).toContain('got "one percent"');
  });

  it('every problem in the file is reported, one per line; key is the first', async () => {
    const { error, file } = await errorFor(
      `mode = "x"\n[kalshi]\ntimeout_ms = -5\n[demo]\ncross_probability = 2\n[profiles.p.refresh]\nbooks_interval_ms = 10\n`,
    );
    const lines = error.message.split('\n');
    expect(lines).toEqual([
      `${file}: mode: expected one of "monitor", "paper", "execute", got "x"`,
      `${file}: [kalshi] timeout_ms: expected a positive integer of milliseconds, at most 86400000 (one day), got -5`,
      `${file}: [demo] cross_probability: expected a number from 0 to 1, got 2`,
      `${file}: [profiles.p.refresh] books_interval_ms: expected an integer from 100 to 86400000 (milliseconds), got 10`,
    ]);
    expect(error.key).toBe('mode');
  });

  it('URLs must be http(s); credentials in a URL are refused and not echoed', async () => {
    const ftp = await errorFor(`[polymarket]\nclob_url = "ftp://clob.example"\n`);
    expect(ftp.error.message).toContain('[polymarket] clob_url: expected an http(s) URL');
    const notUrl = await errorFor(`[kalshi]\nrest_url = "external-api.kalshi.com"\n`);
    expect(notUrl.error.message).toContain('got "external-api.kalshi.com"');
    const creds = await errorFor(`[kalshi]\nrest_url = "https://me:hunter2@api.example/v2"\n`);
    expect(creds.error.message).toContain('[kalshi] rest_url: expected an http(s) URL without user name, password, query or fragment');
    expect(creds.error.message).not.toContain('hunter2');
    // a base URL with a query would swallow the request paths joined to it (and may carry a token)
    const query = await errorFor(`[polymarket]\ngamma_url = "https://gamma.example/api?token=s3cret"\n`);
    expect(query.error.message).toContain('[polymarket] gamma_url: expected an http(s) URL without user name, password, query or fragment');
    expect(query.error.message).toContain('got "https://gamma.example/api?***"');
    expect(query.error.message).not.toContain('s3cret');
    expect((await errorFor(`[polymarket]\nclob_url = "https://clob.example/#frag"\n`)).error.message).toContain('query or fragment');
    expect((await errorFor(`[polymarket]\nclob_url = "https://clob.example/?"\n`)).error.message).toContain('query or fragment');
  });

  it('integers: non-integer, out of documented range, wrong TOML type', async () => {
    expect((await errorFor(`[kalshi]\nevents_page_size = 500\n`)).error.message).toContain(
      '[kalshi] events_page_size: expected an integer from 1 to 200, got 500',
    );
    expect((await errorFor(`[kalshi.retry]\nmax_retries = 1.5\n`)).error.message).toContain('got 1.5');
    expect((await errorFor(`[kalshi]\ntimeout_ms = true\n`)).error.message).toContain('got true');
    expect((await errorFor(`[kalshi]\ntimeout_ms = [1]\n`)).error.message).toContain('got an array');
    expect((await errorFor(`[kalshi]\ntimeout_ms = 1979-05-27\n`)).error.message).toContain('got the date-time');
    // beyond what a timer can hold (Node turned it into 1 ms with a warning on every request)
    expect((await errorFor(`[kalshi]\ntimeout_ms = 3000000000\n`)).error.message).toContain(
      '[kalshi] timeout_ms: expected a positive integer of milliseconds, at most 86400000 (one day), got 3000000000',
    );
    expect((await errorFor(`[refresh]\ncatalog_interval_ms = 100000000\n`)).error.message).toContain('expected an integer from 1000 to 86400000');
  });

  it('cross-field: retry base delay above max delay', async () => {
    const { error, file } = await errorFor(`[polymarket.retry]\nbase_delay_ms = 9000\nmax_delay_ms = 100\n`);
    expect(error.message).toBe(
      `${file}: [polymarket.retry] base_delay_ms: expected at most max_delay_ms (100), got 9000`,
    );
  });

  it('the profile key must be a string and profiles must be tables', async () => {
    expect((await errorFor(`profile = 3\n`)).error.message).toContain('profile: expected a profile name, got 3');
    expect((await errorFor(`profiles = 3\n`)).error.message).toContain('profiles: expected a table');
    expect((await errorFor(`[profiles.p]\nprofile = "q"\n`)).error.message).toContain(
      '[profiles.p] profile: unknown key',
    );
  });

  it('a string left open is named as such, not only as a control character', async () => {
    const { error } = await errorFor('mode = "paper\n');
    expect(error.message).toContain('a string left open? check its closing quote');
  });

  it('TOML syntax errors name the file and line', async () => {
    const { error, file } = await errorFor(`mode = "monitor"\n[kalshi]\ntimeout_ms = = 3\n`);
    expect(error.line).toBe(3);
    expect(error.file).toBe(file);
    expect(error.message.split('\n')[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: TOML syntax error: `));
    expect(error.message).toContain('timeout_ms = = 3');
    const dup = await errorFor(`[kalshi]\ntimeout_ms = 1\ntimeout_ms = 2\n`);
    expect(dup.error.line).toBe(3);
  });
});

describe('secrets in the file', () => {
  it.each([
    ['[polymarket]\nprivate_key = 0x4c0883a69102937d6231471b5dbb6204fe512961708279f1d2b8c2b4e5a62318\n', '0x4c0883a69102937d6231471b5dbb6204fe512961708279f1d2b8c2b4e5a62318'],
    ['[polymarket]\napi_secret = Zm9vYmFyYmF6cXV4==\n', 'Zm9vYmFyYmF6cXV4'],
    ['[kalshi]\n"private_key" = -----BEGIN\n', '-----BEGIN'],
    ['[polymarket]\nnote = "abc\nprivate_key = 0xdeadbeefcafe00112233\n', 'deadbeefcafe00112233'],
    ['kalshi = { private_key = -----BEGIN-RSA-abcdef0123 }\n', 'BEGIN-RSA-abcdef0123'],
  ])('a syntax error on a line holding a secret does not print it (%#)', async (text, secret) => {
    const { error } = await errorFor(text);
    expect(error.message).toContain('TOML syntax error');
    expect(error.message).not.toContain(secret);
  });

  it.each([
    ['[kalshi]\nprivate_key = "-----BEGIN PRIVATE KEY-----"\n', '[kalshi] private_key', 'ARB_KALSHI_PRIVATE_KEY'],
    ['[kalshi]\nkey_id = "abc-123"\n', '[kalshi] key_id', 'ARB_KALSHI_KEY_ID'],
    ['[polymarket]\napi_secret = "abc-123"\n', '[polymarket] api_secret', 'ARB_POLYMARKET_API_SECRET'],
    ['[profiles.live.polymarket]\npassphrase = "abc-123"\n', '[profiles.live.polymarket] passphrase', 'ARB_POLYMARKET_API_PASSPHRASE'],
    ['api_token = "abc-123"\n', 'api_token', 'ARB_KALSHI_KEY_ID'],
  ])('%j is refused and the value is not echoed', async (toml, key, envVar) => {
    const { error, file } = await errorFor(toml);
    expect(error.message.startsWith(`${file}: ${key}: secrets do not belong in configuration`)).toBe(true);
    expect(error.message).toContain('OS keychain');
    expect(error.message).toContain(envVar);
    expect(error.message).not.toContain('abc-123');
    expect(error.message).not.toContain('BEGIN');
  });

  it('a secret key is refused even next to other errors, and in --config files', async () => {
    const file = await t.write('home/creds.toml', `mode = "bad"\n[kalshi]\nprivate_key_path = "/k.pem"\n`);
    const error = await loadConfig({ cwd: t.project, env: t.env(), configFile: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('private_key_path: secrets do not belong');
    expect((error as ConfigError).file).toBe(path.resolve(file));
  });
});
