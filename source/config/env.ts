/**
 * `ARB_*` environment overrides. The name is `ARB_` + the TOML path in upper snake
 * case with `__` between levels:
 *   mode                      → ARB_MODE
 *   db_path                   → ARB_DB_PATH
 *   kalshi.rest_url           → ARB_KALSHI__REST_URL
 *   kalshi.rate_limit.requests → ARB_KALSHI__RATE_LIMIT__REQUESTS
 *   profile                   → ARB_PROFILE (selects a profile; --profile wins)
 * Values are strings converted to the key's type (integers and numbers; decimals stay
 * strings: `ARB_THRESHOLDS__MIN_NET_PROFIT=1.00`). An empty value counts as unset.
 * Any other `ARB_*` name is an error, except the credential variables and ARB_DEBUG.
 */
import { ConfigError } from './errors.js';
import { leafKeys, type LeafKind } from './schema.js';
import { IGNORED_ENV_VARS, isSecretLookingKey, SECRET_ENV_VARS } from './secrets.js';

export const ENV_PREFIX = 'ARB_';
export const PROFILE_ENV_VAR = 'ARB_PROFILE';

export function envVarName(path: readonly string[]): string {
  return ENV_PREFIX + path.map((p) => p.toUpperCase()).join('__');
}

interface EnvKey {
  readonly path: readonly string[];
  readonly kind: LeafKind;
}

let cachedKeys: Map<string, EnvKey> | undefined;

/** Every variable the loader understands (except ARB_PROFILE) → its TOML path and kind. */
export function knownEnvVars(): ReadonlyMap<string, EnvKey> {
  if (!cachedKeys) {
    cachedKeys = new Map();
    for (const { path, info } of leafKeys()) cachedKeys.set(envVarName(path), { path, kind: info.kind });
  }
  return cachedKeys;
}

const INTEGER_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A string from the environment as the key's type; left a string when it does not fit (zod reports it). */
export function coerceEnvValue(kind: LeafKind, raw: string): unknown {
  const text = raw.trim();
  if (kind === 'integer' && INTEGER_RE.test(text)) return Number(text);
  if (kind === 'number' && NUMBER_RE.test(text)) return Number(text);
  if (kind === 'boolean' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (kind === 'list') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const old = row[j] ?? 0;
      row[j] = Math.min(old + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = old;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest name within a small edit distance, for "did you mean". */
export function closest(name: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const upper = name.toUpperCase();
  for (const c of candidates) {
    const d = editDistance(upper, c.toUpperCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 5)) ? best : null;
}

export interface EnvLayer {
  /** Raw TOML-shaped overlay (snake_case keys). */
  readonly layer: Record<string, unknown>;
  /** ARB_* names applied, sorted. */
  readonly applied: string[];
  /** TOML path of each applied variable. */
  readonly paths: ReadonlyMap<string, readonly string[]>;
  /** ARB_PROFILE, when set. */
  readonly profile: string | null;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next !== undefined && typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

export function readEnvLayer(env: NodeJS.ProcessEnv): EnvLayer {
  const known = knownEnvVars();
  const layer: Record<string, unknown> = {};
  const applied: string[] = [];
  const paths = new Map<string, readonly string[]>();
  let profile: string | null = null;
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(ENV_PREFIX) || IGNORED_ENV_VARS.has(name)) continue;
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (name === PROFILE_ENV_VAR) {
      profile = value;
      applied.push(name);
      continue;
    }
    const key = known.get(name);
    if (!key) throw unknownVariable(name, known);
    setPath(layer, key.path, coerceEnvValue(key.kind, value));
    applied.push(name);
    paths.set(name, key.path);
  }
  return { layer, applied, paths, profile };
}

function unknownVariable(name: string, known: ReadonlyMap<string, EnvKey>): ConfigError {
  const tail = name.slice(ENV_PREFIX.length).toLowerCase();
  if (tail.split('__').some(isSecretLookingKey)) {
    return new ConfigError(
      `environment variable ${name} is not a setting: credentials are read only from ${SECRET_ENV_VARS.join(', ')} (or the OS keychain)`,
      { envVar: name },
    );
  }
  const suggestion = closest(name, [...known.keys(), PROFILE_ENV_VAR, ...IGNORED_ENV_VARS]);
  return new ConfigError(
    `unknown environment variable ${name}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; ` +
      'settings are ARB_ plus the TOML key in upper case with __ between levels, e.g. ARB_KALSHI__RATE_LIMIT__REQUESTS (see .arbrc.example.toml)',
    { envVar: name },
  );
}
