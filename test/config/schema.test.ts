import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, coerceEnvValue, envVarName } from '../../source/config/env.js';
import { formatKey, mergeLayers } from '../../source/config/load.js';
import { decimal, describeValue, leafKeys, redactUrl } from '../../source/config/schema.js';
import { findSecretKey, isSecretLookingKey } from '../../source/config/secrets.js';
import { parseTomlText } from '../../source/config/toml-file.js';
import { ConfigError } from '../../source/config/errors.js';
import { formatDecimal, ONE } from '../../source/domain/money.js';

describe('decimal leaf', () => {
  const money = decimal({ unit: 'USD', example: '0.50', range: 'non-negative' });
  const ratio = decimal({ unit: 'ratio', example: '0.85', range: { min: 0n, max: ONE } });

  it('parses any non-negative decimal string with up to 6 places exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 3 }), (micros, pad) => {
        const text = formatDecimal(micros, { minDp: 1 }) + '0'.repeat(pad);
        expect(money.parse(text)).toBe(micros);
      }),
    );
  });

  it('refuses every JS number with advice to quote it', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const result = money.safeParse(n);
        expect(result.success).toBe(false);
        expect(result.error?.issues[0]?.message).toContain('money and ratios are never floats');
      }),
    );
  });

  it('enforces its range', () => {
    expect(ratio.parse('1')).toBe(ONE);
    expect(ratio.parse('0')).toBe(0n);
    expect(ratio.safeParse('1.000001').success).toBe(false);
    expect(money.safeParse('-0.01').success).toBe(false);
    const positive = decimal({ unit: 'contracts', example: '1', range: 'positive' });
    expect(positive.safeParse('0').success).toBe(false);
    expect(positive.parse('0.01')).toBe(10_000n);
  });
});

describe('helpers', () => {
  it('describeValue', () => {
    expect(describeValue('x')).toBe('"x"');
    expect(describeValue(1e-7)).toBe('0.0000001');
    expect(describeValue(true)).toBe('true');
    expect(describeValue([1])).toBe('an array');
    expect(describeValue({})).toBe('a table');
    expect(describeValue(undefined)).toBe('nothing');
  });

  it('redactUrl hides user and password only', () => {
    expect(redactUrl('https://u:p@h.example/x')).toBe('https://***@h.example/x');
    expect(redactUrl('https://h.example/x')).toBe('https://h.example/x');
    expect(redactUrl('not a url')).toBe('not a url');
  });

  it('formatKey', () => {
    expect(formatKey(['mode'])).toBe('mode');
    expect(formatKey(['kalshi', 'rate_limit', 'requests'])).toBe('[kalshi.rate_limit] requests');
    expect(formatKey(['profiles', 'my profile', 'mode'])).toBe('[profiles."my profile"] mode');
  });

  it('coerceEnvValue converts only well-formed numbers', () => {
    expect(coerceEnvValue('integer', '42')).toBe(42);
    expect(coerceEnvValue('integer', ' 7 ')).toBe(7);
    expect(coerceEnvValue('integer', '4.2')).toBe('4.2');
    expect(coerceEnvValue('integer', '0x10')).toBe('0x10');
    expect(coerceEnvValue('number', '0.25')).toBe(0.25);
    expect(coerceEnvValue('number', 'abc')).toBe('abc');
    expect(coerceEnvValue('text', '0.50')).toBe('0.50');
  });

  it('envVarName and closest', () => {
    expect(envVarName(['kalshi', 'rate_limit', 'requests'])).toBe('ARB_KALSHI__RATE_LIMIT__REQUESTS');
    expect(envVarName(['db_path'])).toBe('ARB_DB_PATH');
    expect(closest('ARB_MOED', ['ARB_MODE', 'ARB_DB_PATH'])).toBe('ARB_MODE');
    expect(closest('ARB_SOMETHING_ELSE_ENTIRELY', ['ARB_MODE'])).toBeNull();
  });

  it('no schema key looks like a secret, and the usual secret names do', () => {
    for (const { path } of leafKeys()) for (const key of path) expect(isSecretLookingKey(key), key).toBe(false);
    for (const key of ['private_key', 'privateKey', 'api_secret', 'api_key', 'passphrase', 'key_id', 'token', 'password', 'funder']) {
      expect(isSecretLookingKey(key), key).toBe(true);
    }
    expect(findSecretKey({ a: { b: { api_key: 'x' } } })).toEqual(['a', 'b', 'api_key']);
    expect(findSecretKey({ a: { b: 1 } })).toBeNull();
  });

  it('mergeLayers merges tables and replaces values', () => {
    expect(mergeLayers({ a: { b: 1, c: 2 }, d: [1] }, { a: { c: 3 }, d: [2] })).toEqual({ a: { b: 1, c: 3 }, d: [2] });
  });

  it('parseTomlText reports line and column', () => {
    let error: unknown;
    try {
      parseTomlText('/x/.arbrc', 'a = 1\nb = "unterminated\n');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).line).toBe(2);
    expect((error as ConfigError).message).toMatch(/^\/x\/\.arbrc:2:\d+: TOML syntax error/);
  });
});
