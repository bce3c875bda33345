/**
 * Turning failures into one clear message for a person. No stack traces unless
 * ARB_DEBUG=1 is set.
 */
import { isVenueError } from '../venues/errors.js';

/** An error whose message is already written for the user (bad flag, bad file…). */
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

export interface Reported {
  readonly message: string;
  readonly exitCode: number;
}

export function describeFailure(error: unknown): Reported {
  if (error instanceof UserError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof Error && (error.name === 'ConfigError' || error.name === 'PersistenceError')) {
    return { message: error.message, exitCode: 2 };
  }
  if (isVenueError(error)) {
    const hint =
      error.kind === 'retryable'
        ? ' — the venue is unreachable or busy; check the network and the venue URL in your config, then try again'
        : error.kind === 'malformed'
          ? ' — the venue sent data arb-tui cannot trust; nothing was changed'
          : error.kind === 'auth'
            ? ' — check your API credentials'
            : '';
    return { message: `${error.describe()}${hint}`, exitCode: 1 };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `internal error: ${message} (set ARB_DEBUG=1 for details)`, exitCode: 70 };
}

export function reportFailure(error: unknown, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): number {
  const { message, exitCode } = describeFailure(error);
  write(`arb-tui: ${message}`);
  if (process.env['ARB_DEBUG'] === '1' && error instanceof Error && error.stack) write(error.stack);
  return exitCode;
}
