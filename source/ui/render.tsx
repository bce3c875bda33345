/**
 * Mount the Ink app on a terminal: alternate screen in, colour decided once,
 * Ctrl-C handled by the app (so `actions.quit()` flushes the database before
 * Ink exits), console patched so nothing reaches stdout behind Ink's back,
 * and the main screen restored on every way out: normal exit, unmount, a
 * render crash (waitUntilExit rejects) and process exit.
 */
// First: hides CI variables from Ink while it loads (see ink-env.ts).
import { restoreCiEnv } from './ink-env.js';
import { render } from 'ink';
import type { AppActions } from '../app/actions.js';
import type { Store } from '../store/store.js';
import { App } from './app.js';
import type { UiState } from './state.js';
import { colorSupported, makeTheme } from './theme.js';

restoreCiEnv();

/** Alternate screen, cursor home, screen cleared (the starting line must not show through a short frame). */
export const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H\u001B[2J';
export const LEAVE_ALT_SCREEN = '\u001B[?1049l';
export const SHOW_CURSOR = '\u001B[?25h';

export interface RenderAppOptions {
  readonly store: Pick<Store, 'subscribe' | 'getSnapshot'>;
  readonly actions: AppActions;
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout?: NodeJS.WriteStream;
  readonly env?: NodeJS.ProcessEnv;
  /** Start from this UI state (tests, benchmarks). */
  readonly initialState?: UiState;
}

export interface RenderedApp {
  waitUntilExit(): Promise<void>;
  unmount(): void;
}

export function renderApp(options: RenderAppOptions): RenderedApp {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const env = options.env ?? process.env;
  const theme = makeTheme(colorSupported(env, stdout));
  // Only a terminal has an alternate screen; piped output gets plain frames.
  const alternate = stdout.isTTY === true;

  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    process.off('exit', restore);
    if (alternate) stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  if (alternate) {
    stdout.write(ENTER_ALT_SCREEN);
    // A crash that kills the process still gives the user their screen back.
    process.on('exit', restore);
  }

  let instance: ReturnType<typeof render>;
  try {
    instance = render(
      <App store={options.store} actions={options.actions} theme={theme} {...(options.initialState ? { initialState: options.initialState } : {})} />,
      {
        stdout,
        stdin,
        exitOnCtrlC: false,
        patchConsole: true,
        maxFps: 30,
        incrementalRendering: false,
      },
    );
  } catch (error) {
    restore();
    throw error;
  }
  const exited = instance.waitUntilExit().then(
    () => restore(),
    (error: unknown) => {
      restore();
      throw error;
    },
  );
  // Rejections are the caller's to handle via waitUntilExit(); do not let an unobserved one crash the process first.
  exited.catch(() => undefined);
  return {
    waitUntilExit: () => exited,
    unmount: () => instance.unmount(),
  };
}
