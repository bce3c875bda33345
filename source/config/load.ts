/**
 * Load the effective configuration:
 *   defaults < config file < profile < ARB_* environment  (< CLI flags, applied by the caller).
 *
 * - File search: see search.ts (files of other users, or writable by others, are ignored and
 *   listed in `notices`). A file may set `profile = "NAME"` as its default profile;
 *   `ARB_PROFILE` overrides that and `--profile` overrides both.
 * - `[profiles.NAME]` tables take any base key; the built-in `kalshi-demo` profile exists
 *   without a file (a file's table of the same name is applied on top of it).
 * - A relative `db_path` is relative to the file that sets it (the working directory for
 *   ARB_DB_PATH); `~` is the home directory.
 * - Every layer is validated on its own, so an error names the file or the variable, the
 *   dotted key and what was expected. Secret-looking keys are refused.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { KalshiFeeRounding } from '../domain/fees.js';
import { formatDecimal, type Money, type Size } from '../domain/money.js';
import type { RateLimitOptions, RetryOptions } from '../lib/http-client.js';
import type { KalshiSettings } from '../venues/kalshi/settings.js';
import type { PolymarketSettings } from '../venues/polymarket/settings.js';
import type { SimulatedSettings } from '../venues/simulated/settings.js';
import { BUILT_IN_PROFILES, defaultConfigInput } from './defaults.js';
import { editDistance, readEnvLayer, type EnvLayer } from './env.js';
import { ConfigError } from './errors.js';
import { describeValue, configSchema, fileLayerSchema, profileLayerSchema, type ConfigOutput } from './schema.js';
import { expandHome, ignoredConfigNotice, searchConfigFile } from './search.js';
import { findSecretKey, secretAdvice } from './secrets.js';
import { parseTomlText } from './toml-file.js';

export { SECRET_ENV_VARS } from './secrets.js';
export { ConfigError } from './errors.js';

export interface LoadOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  configFile?: string;
  profile?: string;
  homeDir?: string;
}

export type Mode = 'monitor' | 'paper' | 'execute';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface KalshiConfig {
  readonly restUrl: string;
  readonly timeoutMs: number;
  readonly feeRounding: KalshiFeeRounding;
  readonly eventsPageSize: number;
  readonly booksBatchSize: number;
  readonly rateLimit: RateLimitOptions;
  readonly retry: RetryOptions;
}

export interface PolymarketConfig {
  readonly gammaUrl: string;
  readonly clobUrl: string;
  readonly timeoutMs: number;
  readonly gammaPageSize: number;
  readonly booksBatchSize: number;
  readonly gammaRateLimit: RateLimitOptions;
  readonly clobRateLimit: RateLimitOptions;
  readonly retry: RetryOptions;
}

export interface DemoConfig {
  readonly seed: number;
  readonly tickMs: number;
  readonly crossProbability: number;
}

/** Money (USD) and ratios at scale 10^6 (1.0 = 1_000_000n), sizes in contracts at 10^6. */
export interface ThresholdsConfig {
  readonly minNetProfit: Money;
  readonly minRoi: bigint;
  readonly minAnnualizedReturn: bigint;
  readonly maxSizePerTrade: Size;
  readonly maxCapitalPerPair: Money;
  readonly staleQuoteMs: number;
  /** Matcher score at which a pair is offered as a candidate at all (scale 10^6). */
  readonly minMatchConfidence: bigint;
  /** Matcher score at which a candidate's opportunities are evaluated and shown (scale 10^6). */
  readonly minPairConfidence: bigint;
}

export interface RefreshConfig {
  readonly catalogIntervalMs: number;
  readonly booksIntervalMs: number;
  readonly candidateBooksIntervalMs: number;
}

/** A pair approved up front in the config file. */
export interface ConfigPair {
  readonly kalshiTicker: string;
  readonly polymarketConditionId: string;
  readonly relation: 'same' | 'inverse';
  readonly note: string | null;
}

export interface ExecutionConfig {
  readonly legMode: 'simultaneous' | 'sequential';
  readonly unequalFills: 'unwind' | 'alert';
  readonly unwindMaxSlippage: bigint;
  readonly pollDeadlineMs: number;
  readonly cooldownMs: number;
  readonly maxOneLegFailures: number;
  readonly circuitBreakerFailures: number;
  readonly dailyLossLimit: bigint;
  readonly maxTotalExposure: bigint;
  readonly maxTradeNotional: bigint;
  readonly autoExecute: boolean;
}

export interface AppConfig {
  readonly mode: Mode;
  readonly execution: ExecutionConfig;
  readonly pairs: readonly ConfigPair[];
  /** Absolute path of the sql.js database file. */
  readonly dbPath: string;
  readonly logLevel: LogLevel;
  readonly kalshi: KalshiConfig;
  readonly polymarket: PolymarketConfig;
  readonly demo: DemoConfig;
  readonly thresholds: ThresholdsConfig;
  readonly refresh: RefreshConfig;
}

export interface LoadedConfig {
  config: AppConfig;
  source: { file: string | null; profile: string | null; envKeys: string[] };
  /** sha256 hex of the effective config (which holds no secrets), for the sessions table. */
  digest: string;
  /**
   * Warnings for the log, once per run: config files the search found but ignored
   * (another user's, or writable by group or others; see search.ts).
   */
  notices: readonly string[];
}

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

/** Overlay `over` on `base`: tables merge key by key, anything else replaces. */
export function mergeLayers(base: Table, over: Table): Table {
  const out: Table = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isTable(current) && isTable(value) ? mergeLayers(current, value) : value;
  }
  return out;
}

function quoteSegment(segment: string): string {
  return /^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment);
}

/** `["kalshi","rate_limit","requests"]` → `[kalshi.rate_limit] requests`; top-level keys bare. */
export function formatKey(keyPath: readonly string[]): string {
  const parts = keyPath.map(quoteSegment);
  if (parts.length <= 1) return parts[0] ?? '(top level)';
  return `[${parts.slice(0, -1).join('.')}] ${parts[parts.length - 1] ?? ''}`;
}

/** Keys a table at `tablePath` may hold, for "did you mean". */
function knownKeysAt(schema: z.ZodType, tablePath: readonly string[]): string[] {
  let node: unknown = schema;
  const unwrap = (n: unknown): unknown => {
    let cur = n as { def?: { type?: string; innerType?: unknown } };
    while (cur?.def?.type === 'optional') cur = cur.def.innerType as typeof cur;
    return cur;
  };
  node = unwrap(node);
  for (const seg of tablePath) {
    const def = (node as { def?: { type?: string; shape?: Record<string, unknown>; valueType?: unknown } }).def;
    if (def?.type === 'object') node = unwrap(def.shape?.[seg]);
    else if (def?.type === 'record') node = unwrap(def.valueType);
    else return [];
  }
  const def = (node as { def?: { type?: string; shape?: Record<string, unknown> } }).def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function didYouMean(key: string, known: readonly string[]): string {
  const close = known.filter((k) => k.includes(key) || key.includes(k) || editDistance(k, key) <= 2);
  return close.length > 0 ? ` (did you mean ${close.map((c) => JSON.stringify(c)).join(' or ')}?)` : '';
}

interface Problem {
  readonly keyPath: string[];
  readonly text: string;
}

function valueAt(input: unknown, keyPath: readonly string[]): unknown {
  let node = input;
  for (const key of keyPath) node = isTable(node) ? node[key] : undefined;
  return node;
}

function problemsOf(error: z.ZodError, schema: z.ZodType, input: unknown): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, at);
      for (const key of issue.keys) {
        out.push({
          keyPath: [...at, key],
          text: `unknown key${didYouMean(key, known)}; ${
            known.length > 0 ? `${at.length > 0 ? `[${at.map(quoteSegment).join('.')}]` : 'the top level'} takes ${known.join(', ')}` : 'remove it'
          }`,
        });
      }
    } else if (issue.code === 'invalid_type' && (issue.expected === 'object' || issue.expected === 'record')) {
      out.push({ keyPath: at, text: `expected a table ([${at.map(quoteSegment).join('.')}] section), got ${describeValue(valueAt(input, at))}` });
    } else {
      out.push({ keyPath: at, text: issue.message });
    }
  }
  return out;
}

function fileError(file: string, problems: readonly Problem[]): ConfigError {
  const lines = problems.map((p) => `${file}: ${formatKey(p.keyPath)}: ${p.text}`);
  return new ConfigError(lines.join('\n'), { file, key: problems[0]?.keyPath.join('.') ?? null });
}

function validateFile(file: string, table: Table): void {
  const secret = findSecretKey(table);
  if (secret) {
    throw new ConfigError(`${file}: ${formatKey(secret)}: ${secretAdvice(secret)}`, { file, key: secret.join('.') });
  }
  const result = fileLayerSchema.safeParse(table);
  if (!result.success) throw fileError(file, problemsOf(result.error, fileLayerSchema, table));
}

function validateEnv(envLayer: EnvLayer): void {
  const result = profileLayerSchema.safeParse(envLayer.layer);
  if (result.success) return;
  const problems = problemsOf(result.error, profileLayerSchema, envLayer.layer);
  const byPath = new Map([...envLayer.paths].map(([name, p]) => [p.join('.'), name]));
  const lines = problems.map((p) => {
    const name = byPath.get(p.keyPath.join('.')) ?? 'environment';
    return `environment variable ${name} (${formatKey(p.keyPath)}): ${p.text}`;
  });
  const first = problems[0];
  throw new ConfigError(lines.join('\n'), {
    key: first?.keyPath.join('.') ?? null,
    envVar: first ? (byPath.get(first.keyPath.join('.')) ?? null) : null,
  });
}

/** Make `db_path` absolute: `~` → home, relative → against `baseDir`. */
function resolveDbPath(layer: Table, baseDir: string, homeDir: string): Table {
  const value = layer['db_path'];
  if (typeof value !== 'string') return layer;
  return { ...layer, db_path: path.resolve(baseDir, expandHome(value, homeDir)) };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function chooseProfile(
  options: LoadOptions,
  envLayer: EnvLayer,
  fileDefault: unknown,
  file: string | null,
): { name: string; from: string } | null {
  if (options.profile !== undefined) return { name: options.profile, from: '--profile' };
  if (envLayer.profile !== null) return { name: envLayer.profile, from: 'ARB_PROFILE' };
  if (typeof fileDefault === 'string') return { name: fileDefault, from: `profile = ... in ${file ?? 'the config file'}` };
  return null;
}

function crossCheck(output: ConfigOutput, file: string | null): void {
  const checks: [string, { base_delay_ms: number; max_delay_ms: number }][] = [
    ['kalshi', output.kalshi.retry],
    ['polymarket', output.polymarket.retry],
  ];
  for (const [venue, r] of checks) {
    if (r.base_delay_ms > r.max_delay_ms) {
      const where = file ?? 'configuration';
      throw new ConfigError(
        `${where}: [${venue}.retry] base_delay_ms: expected at most max_delay_ms (${r.max_delay_ms}), got ${r.base_delay_ms}`,
        { file, key: `${venue}.retry.base_delay_ms` },
      );
    }
  }
}

function toAppConfig(o: ConfigOutput): AppConfig {
  const rl = (r: { requests: number; interval_ms: number; concurrency: number }): RateLimitOptions => ({
    requests: r.requests,
    intervalMs: r.interval_ms,
    concurrency: r.concurrency,
  });
  const rt = (r: { max_retries: number; base_delay_ms: number; max_delay_ms: number }): RetryOptions => ({
    maxRetries: r.max_retries,
    baseDelayMs: r.base_delay_ms,
    maxDelayMs: r.max_delay_ms,
  });
  return {
    mode: o.mode,
    dbPath: o.db_path,
    logLevel: o.log_level,
    kalshi: {
      restUrl: o.kalshi.rest_url,
      timeoutMs: o.kalshi.timeout_ms,
      feeRounding: o.kalshi.fee_rounding,
      eventsPageSize: o.kalshi.events_page_size,
      booksBatchSize: o.kalshi.books_batch_size,
      rateLimit: rl(o.kalshi.rate_limit),
      retry: rt(o.kalshi.retry),
    },
    polymarket: {
      gammaUrl: o.polymarket.gamma_url,
      clobUrl: o.polymarket.clob_url,
      timeoutMs: o.polymarket.timeout_ms,
      gammaPageSize: o.polymarket.gamma_page_size,
      booksBatchSize: o.polymarket.books_batch_size,
      gammaRateLimit: rl(o.polymarket.gamma_rate_limit),
      clobRateLimit: rl(o.polymarket.clob_rate_limit),
      retry: rt(o.polymarket.retry),
    },
    pairs: o.pairs.map((p) => ({
      kalshiTicker: p.kalshi_ticker,
      polymarketConditionId: p.polymarket_condition_id.toLowerCase(),
      relation: p.relation,
      note: p.note ?? null,
    })),
    demo: { seed: o.demo.seed, tickMs: o.demo.tick_ms, crossProbability: o.demo.cross_probability },
    thresholds: {
      minNetProfit: o.thresholds.min_net_profit,
      minRoi: o.thresholds.min_roi,
      minAnnualizedReturn: o.thresholds.min_annualized_return,
      maxSizePerTrade: o.thresholds.max_size_per_trade,
      maxCapitalPerPair: o.thresholds.max_capital_per_pair,
      staleQuoteMs: o.thresholds.stale_quote_ms,
      minMatchConfidence: o.thresholds.min_match_confidence,
      minPairConfidence: o.thresholds.min_pair_confidence,
    },
    execution: {
      legMode: o.execution.leg_mode,
      unequalFills: o.execution.unequal_fills,
      unwindMaxSlippage: o.execution.unwind_max_slippage,
      pollDeadlineMs: o.execution.poll_deadline_ms,
      cooldownMs: o.execution.cooldown_ms,
      maxOneLegFailures: o.execution.max_one_leg_failures,
      circuitBreakerFailures: o.execution.circuit_breaker_failures,
      dailyLossLimit: o.execution.daily_loss_limit,
      maxTotalExposure: o.execution.max_total_exposure,
      maxTradeNotional: o.execution.max_trade_notional,
      autoExecute: o.execution.auto_execute,
    },
    refresh: {
      catalogIntervalMs: o.refresh.catalog_interval_ms,
      booksIntervalMs: o.refresh.books_interval_ms,
      candidateBooksIntervalMs: o.refresh.candidate_books_interval_ms,
    },
  };
}

function canonical(value: unknown): unknown {
  if (typeof value === 'bigint') return `${formatDecimal(value)}`;
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Table = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Table)[key]);
    return out;
  }
  return value;
}

/**
 * sha256 hex of the config as canonical JSON (sorted keys, scale-6 integers as decimal
 * text). Callers that apply CLI flags on top should recompute it over the final config.
 */
export function configDigest(config: AppConfig): string {
  return createHash('sha256').update(JSON.stringify(canonical(config))).digest('hex');
}

export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const homeDir = path.resolve(options.homeDir ?? nonEmpty(options.env['HOME']) ?? os.homedir());
  const envLayer = readEnvLayer(options.env);

  const found = await searchConfigFile({ cwd: options.cwd, env: options.env, homeDir, configFile: options.configFile });
  const file = found.file;
  let fileTable: Table = {};
  if (file !== null) {
    // The text read through the descriptor that passed the owner/permission check.
    fileTable = parseTomlText(file, found.text ?? '');
    validateFile(file, fileTable);
  }
  const { profiles, profile: fileDefaultProfile, ...fileBase } = fileTable;
  const fileProfiles = (profiles ?? {}) as Record<string, Table>;
  const fileDir = file !== null ? path.dirname(file) : options.cwd;

  let profileLayer: Table = {};
  const chosen = chooseProfile(options, envLayer, fileDefaultProfile, file);
  if (chosen !== null) {
    const builtIn = BUILT_IN_PROFILES[chosen.name];
    const own = Object.hasOwn(fileProfiles, chosen.name) ? fileProfiles[chosen.name] : undefined;
    if (builtIn === undefined && own === undefined) {
      const available = [
        ...Object.keys(BUILT_IN_PROFILES).map((n) => `${n} (built in)`),
        ...Object.keys(fileProfiles).filter((n) => !(n in BUILT_IN_PROFILES)).map((n) => `${n} (${file ?? ''})`),
      ];
      throw new ConfigError(
        `unknown profile ${JSON.stringify(chosen.name)} (from ${chosen.from}); available profiles: ${available.join(', ')}`,
        { file, key: 'profile' },
      );
    }
    profileLayer = mergeLayers(builtIn ?? {}, resolveDbPath(own ?? {}, fileDir, homeDir));
  }

  validateEnv(envLayer);

  let merged: Table = defaultConfigInput(options.env, homeDir) as unknown as Table;
  merged = mergeLayers(merged, resolveDbPath(fileBase, fileDir, homeDir));
  merged = mergeLayers(merged, profileLayer);
  merged = mergeLayers(merged, resolveDbPath(envLayer.layer, path.resolve(options.cwd), homeDir));

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    // Every layer passed on its own, so only a default can be wrong here: a bug, but say where.
    const where = file ?? 'configuration';
    throw fileError(where, problemsOf(parsed.error, configSchema, merged));
  }
  crossCheck(parsed.data, file);
  const config = toAppConfig(parsed.data);
  return {
    config,
    source: { file, profile: chosen?.name ?? null, envKeys: envLayer.applied },
    digest: configDigest(config),
    notices: found.ignored.map(ignoredConfigNotice),
  };
}

export function toKalshiSettings(c: AppConfig): KalshiSettings {
  const k = c.kalshi;
  return {
    restUrl: k.restUrl,
    timeoutMs: k.timeoutMs,
    rateLimit: { ...k.rateLimit },
    retry: { ...k.retry },
    feeRounding: k.feeRounding,
    eventsPageSize: k.eventsPageSize,
    booksBatchSize: k.booksBatchSize,
  };
}

export function toPolymarketSettings(c: AppConfig): PolymarketSettings {
  const p = c.polymarket;
  return {
    gammaUrl: p.gammaUrl,
    clobUrl: p.clobUrl,
    timeoutMs: p.timeoutMs,
    gammaRateLimit: { ...p.gammaRateLimit },
    clobRateLimit: { ...p.clobRateLimit },
    retry: { ...p.retry },
    gammaPageSize: p.gammaPageSize,
    booksBatchSize: p.booksBatchSize,
  };
}

export function toSimulatedSettings(c: AppConfig): SimulatedSettings {
  return { seed: c.demo.seed, tickMs: c.demo.tickMs, crossProbability: c.demo.crossProbability };
}
