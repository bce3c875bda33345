/**
 * Configuration never holds secrets. Credentials come from the OS keychain or from
 * these environment variables, which the config loader deliberately ignores (the
 * credentials module reads them).
 */
import { NO_TUNING_ENV } from '../lib/v8-tuning.js';

export const SECRET_ENV_VARS = [
  'ARB_KALSHI_KEY_ID',
  'ARB_KALSHI_PRIVATE_KEY',
  'ARB_KALSHI_PRIVATE_KEY_PATH',
  'ARB_POLYMARKET_PRIVATE_KEY',
  'ARB_POLYMARKET_API_KEY',
  'ARB_POLYMARKET_API_SECRET',
  'ARB_POLYMARKET_API_PASSPHRASE',
  'ARB_POLYMARKET_FUNDER',
  'ARB_POLYMARKET_SIGNATURE_TYPE',
] as const;

export type SecretEnvVar = (typeof SECRET_ENV_VARS)[number];

/**
 * `ARB_*` variables the loader ignores: the secrets above, ARB_DEBUG (stack traces) and
 * ARB_NO_V8_TUNING (V8's defaults; read before the config is, `lib/v8-tuning.ts`).
 */
export const IGNORED_ENV_VARS: ReadonlySet<string> = new Set<string>([...SECRET_ENV_VARS, 'ARB_DEBUG', NO_TUNING_ENV]);

const SECRET_KEY_RE = /private_?key|secret|passphrase|password|passwd|api_?key|key_?id|token|mnemonic|credential|seed_phrase/i;
const CREDENTIAL_KEYS = new Set(['funder', 'signature_type']);

/** Does a config key name look like a credential (`private_key`, `api_secret`, …)? */
export function isSecretLookingKey(key: string): boolean {
  return SECRET_KEY_RE.test(key) || CREDENTIAL_KEYS.has(key.toLowerCase());
}

/** The secret variables that belong to a venue named in `path`, or all of them. */
export function secretEnvVarsFor(path: readonly string[]): readonly SecretEnvVar[] {
  const venue = path.find((p) => p === 'kalshi' || p === 'polymarket');
  if (venue === undefined) return SECRET_ENV_VARS;
  return SECRET_ENV_VARS.filter((v) => v.startsWith(`ARB_${venue.toUpperCase()}_`));
}

export function secretAdvice(path: readonly string[]): string {
  return (
    'secrets do not belong in configuration; store them in the OS keychain or set them in the environment ' +
    `(${secretEnvVarsFor(path).join(', ')})`
  );
}

/** Find the first secret-looking key in a parsed TOML tree (depth first). */
export function findSecretKey(value: unknown, prefix: readonly string[] = []): string[] | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return null;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const path = [...prefix, key];
    if (isSecretLookingKey(key)) return path;
    const nested = findSecretKey(child, path);
    if (nested) return nested;
  }
  return null;
}
