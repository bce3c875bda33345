import type { EventEmitter } from 'node:events';

export interface StopSignalOptions {
  /** Where the signals arrive (the process; tests pass an emitter). */
  readonly source?: Pick<EventEmitter, 'on'>;
  readonly stderr?: (text: string) => void;
  /** Quits at once (the third signal). */
  readonly exit?: (code: number) => void;
}

type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGPIPE';

/** 128 + the signal's number, as shells report a process a signal ended. */
const EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGHUP: 129, SIGINT: 130, SIGPIPE: 141, SIGTERM: 143 };

/**
 * The event `cli.ts` emits on the process when stdout's reader went away (EPIPE, `arb-tui
 * --headless | head`): a running engine stops as for a signal (session ended, database
 * flushed, lock released) and reports it as SIGPIPE, instead of the process exiting at once.
 */
export const BROKEN_PIPE_EVENT = 'arb-tui:broken-pipe';

/** The exit code of a run stopped because stdout's reader went away (128 + SIGPIPE). */
export const BROKEN_PIPE_EXIT_CODE = EXIT_CODES.SIGPIPE;

/**
 * The exit code of a run a stop signal cut short (`--headless --once` before its cycle ended):
 * 128 + the signal's number, as for the third signal, so that a script can tell it from a
 * finished run (130 for a name it does not know, as for Ctrl-C).
 */
export function interruptedExitCode(signal: string): number {
  return Object.hasOwn(EXIT_CODES, signal) ? EXIT_CODES[signal as StopSignal] : EXIT_CODES.SIGINT;
}

/**
 * Resolves with the name of the first SIGINT, SIGTERM or SIGHUP the process
 * receives. SIGHUP is the terminal going away (closed, or a dropped SSH session):
 * Node's default for it is to die at once, without the final flush, and Node
 * resets a SIGHUP that `nohup` ignored back to that default when it starts.
 *
 * From then on the process is stopping (the final database flush). A second
 * signal does not cut that short: Ctrl-C pressed twice, or a supervisor that
 * signals both the process group and the process, would otherwise lose the
 * last records (Node's default action for a signal nobody listens to is to
 * exit at once). It only says so on stderr. A third quits at once, without the
 * final flush, for a stop that hangs (money records are flushed before each
 * action, so what is lost is the latest opportunities and audit lines).
 */
export function processStopSignal(options: StopSignalOptions = {}): Promise<string> {
  const source = options.source ?? process;
  const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  return new Promise((resolve) => {
    let received = 0;
    const on = (signal: StopSignal) => () => {
      received += 1;
      if (received === 1) {
        resolve(signal);
      } else if (received === 2) {
        stderr(`arb-tui: ${signal}: still stopping (flushing the database); send it once more to quit without the final flush\n`);
      } else {
        stderr(`arb-tui: ${signal}: quitting without the final flush\n`);
        exit(EXIT_CODES[signal]);
      }
    };
    source.on('SIGINT', on('SIGINT'));
    source.on('SIGTERM', on('SIGTERM'));
    source.on('SIGHUP', on('SIGHUP'));
    // stdout's reader went away: once only (every later write fails the same way)
    let piped = false;
    source.on(BROKEN_PIPE_EVENT, () => {
      if (piped) return;
      piped = true;
      on('SIGPIPE')();
    });
  });
}
