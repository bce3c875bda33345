/**
 * Errors of the persistence layer. Every message is written for a person: the
 * CLI prints `arb-tui: <message>` and exits 2.
 */

export type PersistenceErrorCode =
  /** Another live process holds the lock file. */
  | 'locked'
  /** The file exists but is not an SQLite database (or not arb-tui's). */
  | 'not-a-database'
  /** The file is shorter than its own header says. */
  | 'truncated'
  /** SQLite's integrity check failed. */
  | 'corrupt'
  /** The file was written by a newer arb-tui. */
  | 'newer-schema'
  /** A value does not fit the column (e.g. money beyond 64-bit). */
  | 'value-out-of-range'
  /** A row read back does not match its schema. */
  | 'bad-row'
  /** Reading or writing the file failed. */
  | 'io'
  /** The database is closed. */
  | 'closed'
  /** A named session / export target does not exist. */
  | 'not-found'
  /** The caller used the API wrongly (bad argument). */
  | 'usage';

export class PersistenceError extends Error {
  override readonly name = 'PersistenceError';
  readonly code: PersistenceErrorCode;
  constructor(code: PersistenceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isPersistenceError(error: unknown): error is PersistenceError {
  return error instanceof Error && error.name === 'PersistenceError' && 'code' in error;
}

/** errno code of a Node fs error, if any. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
