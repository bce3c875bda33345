/**
 * A configuration problem: fatal at start, printed once, naming where it came from
 * (file, line, environment variable), the dotted key and what was expected.
 */

export interface ConfigErrorDetails {
  /** Absolute path of the config file at fault, or null (environment, flags, defaults). */
  readonly file?: string | null;
  /** Dotted TOML key, e.g. `kalshi.rate_limit.requests`; null when not about one key. */
  readonly key?: string | null;
  /** 1-based line of a TOML syntax error. */
  readonly line?: number | null;
  /** The `ARB_*` variable at fault. */
  readonly envVar?: string | null;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string | null;
  readonly key: string | null;
  readonly line: number | null;
  readonly envVar: string | null;

  constructor(message: string, details: ConfigErrorDetails = {}) {
    super(message);
    this.file = details.file ?? null;
    this.key = details.key ?? null;
    this.line = details.line ?? null;
    this.envVar = details.envVar ?? null;
  }
}
