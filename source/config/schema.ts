/**
 * The configuration schema: every key, its type, its bounds and the text a person
 * reads when a value is wrong. Keys are the TOML (snake_case) names; `load.ts`
 * maps the validated result onto the camelCase `AppConfig`.
 *
 * Each leaf schema's error says `expected <what>, got <value>`, so a bad value in
 * a file or an `ARB_*` variable explains itself without a stack trace.
 */
import { z } from 'zod';
import { DecimalError, formatDecimal, ONE, parseDecimal } from '../domain/money.js';
import { numberToDecimalText } from '../venues/wire-schemas.js';

/** How an `ARB_*` string is turned into the key's type before validation. */
export type LeafKind = 'integer' | 'number' | 'text' | 'list' | 'boolean';

export interface LeafInfo {
  readonly kind: LeafKind;
  /** "a positive integer", "a decimal string such as \"0.50\"", … */
  readonly expected: string;
}

const leafInfo = new WeakMap<z.ZodType, LeafInfo>();

/** Leaf metadata (kind and expectation) of a schema built here, if it is a leaf. */
export function leafOf(schema: z.ZodType): LeafInfo | undefined {
  return leafInfo.get(schema);
}

function leaf<S extends z.ZodType>(schema: S, info: LeafInfo): S {
  leafInfo.set(schema, info);
  return schema;
}

/** How a received value is shown in an error: strings quoted, tables and arrays named. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? numberToDecimalText(value) : String(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return `the date-time ${String(value)}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'a table';
  return typeof value;
}

const mismatch =
  (expected: string) =>
  (issue: { readonly input?: unknown }): string =>
    `expected ${expected}, got ${describeValue(issue.input)}`;

/** An integer in [min, max] (safe integers only). */
export function integer(min: number, max: number | undefined, expected: string): z.ZodType<number> {
  const error = mismatch(expected);
  let schema = z.number({ error }).int({ error }).min(min, { error });
  if (max !== undefined) schema = schema.max(max, { error });
  return leaf(schema, { kind: 'integer', expected });
}

const positiveInteger = (): z.ZodType<number> => integer(1, undefined, 'a positive integer');
/** Timers hold at most 2^31 − 1 ms (Node turns more into 1 ms, with a warning): one day is the ceiling. */
const DAY_MS = 86_400_000;
const milliseconds = (): z.ZodType<number> => integer(1, DAY_MS, 'a positive integer of milliseconds, at most 86400000 (one day)');

/** A plain number in [min, max]; for simulation knobs only, never money. */
export function boundedNumber(min: number, max: number, expected: string): z.ZodType<number> {
  const error = mismatch(expected);
  return leaf(z.number({ error }).min(min, { error }).max(max, { error }), { kind: 'number', expected });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number]> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return leaf(z.enum(values, { error: mismatch(expected) }), { kind: 'text', expected });
}

function isHttpUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  // Credentials never go in a URL (they would end up in logs and the sessions table). A base URL
  // has no query or fragment: the request paths are joined to it (a query would swallow them).
  // (no '?' or '#' in the text: an empty query or fragment, as in "…/api?", counts too)
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && !/[?#]/.test(text);
}

/** A URL as shown in an error: any user name or password, query or fragment replaced by "***" (a token may be in any of them). */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.username === '' && url.password === '' && url.search === '' && url.hash === '') return text;
    if (url.username !== '' || url.password !== '') {
      url.username = '***';
      url.password = '';
    }
    if (url.search !== '') url.search = '***';
    if (url.hash !== '') url.hash = '***';
    return url.toString();
  } catch {
    return text;
  }
}

export function httpUrl(): z.ZodType<string> {
  const expected = 'an http(s) URL without user name, password, query or fragment, e.g. "https://example.com/api"';
  const error = (issue: { readonly input?: unknown }): string =>
    mismatch(expected)(typeof issue.input === 'string' ? { input: redactUrl(issue.input) } : issue);
  return leaf(z.string({ error }).refine(isHttpUrl, { error }), { kind: 'text', expected });
}

export function nonEmptyText(expected: string): z.ZodType<string> {
  const error = mismatch(expected);
  return leaf(z.string({ error }).min(1, { error }), { kind: 'text', expected });
}

export function profileName(): z.ZodType<string> {
  return nonEmptyText('a profile name');
}

/**
 * A decimal written as a TOML string ("0.50"), parsed to bigint at scale 10^6.
 * A TOML number is refused with an explanation: money and ratios are never floats.
 */
export function decimal(options: {
  /** What the number is in: "USD", "contracts", "ratio, 0.01 = 1%". */
  readonly unit: string;
  /** Shown in the message, e.g. "0.50". */
  readonly example: string;
  readonly range: 'non-negative' | 'positive' | { readonly min: bigint; readonly max: bigint };
}): z.ZodType<bigint, string> {
  const { range } = options;
  const expected =
    typeof range === 'string'
      ? `a ${range} decimal string (${options.unit}), such as "${options.example}"`
      : `a decimal string from ${formatDecimal(range.min)} to ${formatDecimal(range.max)} (${options.unit}), such as "${options.example}"`;
  const base = z.string({
    error: (issue) =>
      typeof issue.input === 'number'
        ? `expected ${expected}, got the number ${describeValue(issue.input)}: quote it ("${describeValue(issue.input)}"); money and ratios are never floats`
        : mismatch(expected)(issue),
  });
  const schema = base.transform((text, ctx) => {
    let value: bigint;
    try {
      value = parseDecimal(text, 'exact');
    } catch (error) {
      const detail = error instanceof DecimalError && /decimal places/.test(error.message) ? ' (more than 6 decimal places)' : '';
      ctx.addIssue({ code: 'custom', input: text, message: `expected ${expected}, got ${describeValue(text)}${detail}` });
      return z.NEVER;
    }
    const ok =
      range === 'non-negative' ? value >= 0n : range === 'positive' ? value > 0n : value >= range.min && value <= range.max;
    if (!ok) {
      ctx.addIssue({ code: 'custom', input: text, message: `expected ${expected}, got ${describeValue(text)}` });
      return z.NEVER;
    }
    return value;
  });
  return leaf(schema, { kind: 'text', expected });
}

const rateLimit = () =>
  z.strictObject({
    requests: positiveInteger(),
    interval_ms: milliseconds(),
    concurrency: positiveInteger(),
  });

const retry = () =>
  z.strictObject({
    max_retries: integer(0, 20, 'an integer from 0 to 20'),
    base_delay_ms: milliseconds(),
    max_delay_ms: milliseconds(),
  });

/**
 * Pairs a person has checked, approved up front (`[[pairs]]`): only approved pairs trade.
 * From the environment, ARB_PAIRS takes the same list as JSON.
 */
export function pairList() {
  const expected =
    'a list of [[pairs]] tables, each with kalshi_ticker, polymarket_condition_id, relation ("same" or "inverse") and optionally note';
  const error = mismatch(expected);
  const entry = z.strictObject({
    kalshi_ticker: z.string({ error: mismatch('a Kalshi market ticker') }).regex(/^[A-Z0-9][A-Z0-9._-]*$/, {
      error: mismatch('a Kalshi market ticker such as "KXFEDDECISION-26DEC-C25"'),
    }),
    polymarket_condition_id: z.string({ error: mismatch('a Polymarket condition id') }).regex(/^0x[0-9a-fA-F]{64}$/, {
      error: mismatch('a Polymarket condition id: "0x" and 64 hex digits'),
    }),
    // required: which Polymarket outcome pays with Kalshi YES is the one fact a wrong guess turns into a naked bet
    relation: z.enum(['same', 'inverse'], { error: mismatch('"same" (Kalshi YES = Polymarket first outcome) or "inverse" (= its second); required') }),
    note: z.string({ error: mismatch('text') }).optional(),
  });
  return leaf(z.array(entry, { error }), { kind: 'list', expected });
}

export function boolean(): z.ZodType<boolean> {
  const expected = 'true or false';
  return leaf(z.boolean({ error: mismatch(expected) }), { kind: 'boolean', expected });
}

export const MODES = ['monitor', 'paper', 'execute'] as const;
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export const FEE_ROUNDINGS = ['cent', 'centicent', 'micro'] as const;

/** Every key with its type; all required. The merged (defaults + layers) input must pass this. */
export const configSchema = z.strictObject({
  mode: oneOf(MODES),
  db_path: nonEmptyText('a file path'),
  log_level: oneOf(LOG_LEVELS),
  pairs: pairList(),
  kalshi: z.strictObject({
    rest_url: httpUrl(),
    timeout_ms: milliseconds(),
    fee_rounding: oneOf(FEE_ROUNDINGS),
    events_page_size: integer(1, 200, 'an integer from 1 to 200'),
    books_batch_size: integer(1, 100, 'an integer from 1 to 100'),
    rate_limit: rateLimit(),
    retry: retry(),
  }),
  polymarket: z.strictObject({
    gamma_url: httpUrl(),
    clob_url: httpUrl(),
    timeout_ms: milliseconds(),
    gamma_page_size: positiveInteger(),
    books_batch_size: positiveInteger(),
    gamma_rate_limit: rateLimit(),
    clob_rate_limit: rateLimit(),
    retry: retry(),
  }),
  demo: z.strictObject({
    seed: integer(0, Number.MAX_SAFE_INTEGER, 'a non-negative integer'),
    tick_ms: milliseconds(),
    cross_probability: boundedNumber(0, 1, 'a number from 0 to 1'),
  }),
  thresholds: z.strictObject({
    min_net_profit: decimal({ unit: 'USD', example: '0.50', range: 'non-negative' }),
    min_roi: decimal({ unit: 'ratio, 0.01 = 1%', example: '0.01', range: 'non-negative' }),
    min_annualized_return: decimal({ unit: 'ratio, 0.10 = 10% a year', example: '0.10', range: 'non-negative' }),
    max_size_per_trade: decimal({ unit: 'contracts', example: '100', range: 'positive' }),
    max_capital_per_pair: decimal({ unit: 'USD', example: '500', range: 'positive' }),
    stale_quote_ms: milliseconds(),
    min_match_confidence: decimal({ unit: 'matcher score', example: '0.60', range: { min: 0n, max: ONE } }),
    min_pair_confidence: decimal({ unit: 'matcher score', example: '0.85', range: { min: 0n, max: ONE } }),
  }),
  execution: z.strictObject({
    leg_mode: oneOf(['simultaneous', 'sequential'] as const),
    unequal_fills: oneOf(['unwind', 'alert'] as const),
    unwind_max_slippage: decimal({ unit: 'USD per contract', example: '0.05', range: 'non-negative' }),
    poll_deadline_ms: milliseconds(),
    cooldown_ms: milliseconds(),
    max_one_leg_failures: positiveInteger(),
    circuit_breaker_failures: positiveInteger(),
    daily_loss_limit: decimal({ unit: 'USD', example: '50', range: 'positive' }),
    max_total_exposure: decimal({ unit: 'USD', example: '2000', range: 'positive' }),
    max_trade_notional: decimal({ unit: 'USD', example: '100', range: 'positive' }),
    auto_execute: boolean(),
  }),
  refresh: z.strictObject({
    catalog_interval_ms: integer(1_000, DAY_MS, 'an integer from 1000 to 86400000 (milliseconds)'),
    books_interval_ms: integer(100, DAY_MS, 'an integer from 100 to 86400000 (milliseconds)'),
    candidate_books_interval_ms: integer(100, DAY_MS, 'an integer from 100 to 86400000 (milliseconds)'),
  }),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ConfigOutput = z.output<typeof configSchema>;

/** The same tree with every key optional, still strict: one file, profile or the environment. */
function deepPartial(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, child] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      shape[key] = deepPartial(child).optional();
    }
    return z.strictObject(shape);
  }
  return schema;
}

/** What a `[profiles.NAME]` table may hold: any key of the base, no nested profiles. */
export const profileLayerSchema = deepPartial(configSchema);

/** A config file: any key of the base, plus `profile` (default profile) and `[profiles.*]`. */
export const fileLayerSchema = z.strictObject({
  ...(profileLayerSchema as z.ZodObject).shape,
  profile: profileName().optional(),
  profiles: z.record(z.string(), profileLayerSchema).optional(),
});

export interface LeafEntry {
  /** TOML path, e.g. ["kalshi", "rate_limit", "requests"]. */
  readonly path: readonly string[];
  readonly info: LeafInfo;
}

/** Every leaf key of `configSchema`, in declaration order. */
export function leafKeys(schema: z.ZodType = configSchema, prefix: readonly string[] = []): LeafEntry[] {
  if (schema instanceof z.ZodObject) {
    const out: LeafEntry[] = [];
    for (const [key, child] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      out.push(...leafKeys(child, [...prefix, key]));
    }
    return out;
  }
  const info = leafOf(schema);
  if (!info) throw new Error(`config schema leaf ${prefix.join('.')} has no metadata`);
  return [{ path: prefix, info }];
}
