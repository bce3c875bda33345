/**
 * The default command: the engine with the Ink UI. Ink owns the terminal
 * while it runs (alternate screen); every message for the user is printed
 * after the screen is restored.
 *
 * Start-up order (time to first frame): a plain "starting" line at once, then
 * Ink and React load and the first Ink frame is drawn from an empty store;
 * only then are the runtime's modules loaded and the database, venues and
 * engine started (none of it competes with the first frame for the CPU).
 * The UI's actions wait for the runtime meanwhile.
 */
import type { AppActions } from './actions.js';
import type { AppContext } from './context.js';
import { resolveDbPath } from './db-path.js';
import type { Runtime } from './runtime.js';
import { Store } from '../store/store.js';
import { VERSION } from '../version.js';

/** Actions for the UI before the runtime is up: reads say "starting", quit waits for it. */
function deferredActions(pending: Promise<Runtime>, current: () => Runtime | null, onQuit: () => void): AppActions {
  const starting = 'arb-tui is still starting';
  const live = async (): Promise<AppActions> => (await pending).actions;
  return {
    approvePair: async (key, note) => (await live()).approvePair(key, note),
    rejectPair: async (key, note) => (await live()).rejectPair(key, note),
    quote: (id, size) => current()?.actions.quote(id, size) ?? { kind: 'unavailable', reason: starting },
    confirm: async (q) => (current() ? (current() as Runtime).actions.confirm(q) : { kind: 'refused', reason: starting }),
    exportSession: async () => (await live()).exportSession(),
    setPaused: (paused) => current()?.actions.setPaused(paused),
    setHalted: async (on) => (await live()).setHalted(on),
    quit: async () => {
      onQuit();
      const r = await pending.catch(() => null);
      await r?.actions.quit();
    },
  };
}

export interface TuiIo {
  readonly stderr: (text: string) => void;
  readonly stopSignal: Promise<string>;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

export type UiModule = typeof import('../ui/render.js');

/**
 * Start loading Ink, React and the app's components (the longest part of the
 * way to the first frame). Null when this is no interactive terminal (runTui
 * refuses to start then).
 */
export function loadUi(io: Pick<TuiIo, 'stdin' | 'stdout' | 'env'>): Promise<UiModule> | null {
  if (!io.stdout.isTTY || !io.stdin.isTTY) return null;
  // React's development build is several times slower; load Ink and React for production.
  io.env['NODE_ENV'] ??= 'production';
  process.env['NODE_ENV'] ??= 'production';
  const ui = import('../ui/render.js');
  // A failure is runTui's to report; until it awaits, do not let it crash the process.
  ui.catch(() => undefined);
  return ui;
}

/** After the pending terminal writes and input events (the first frame is out). */
const afterIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runTui(ctx: AppContext, options: { dbPath?: string | undefined }, io: TuiIo): Promise<number> {
  const ui = loadUi(io);
  if (!ui) {
    io.stderr('arb-tui: the terminal UI needs an interactive terminal; for scripts and servers use --headless (NDJSON on stdout)\n');
    return 2;
  }
  const store = new Store({
    now: Date.now,
    session: { mode: ctx.config.mode, demo: ctx.demo, dbPath: resolveDbPath(ctx, options.dbPath), startedAt: Date.now(), version: VERSION, banner: 'starting…', halted: false },
  });
  // Loading Ink and React takes a moment on a small server: show that we are alive at once.
  io.stdout.write(`\u001B[?1049h\u001B[H\u001B[2Jarb-tui ${VERSION} · starting (${ctx.config.mode}${ctx.demo ? ', demo' : ''})…\n`);
  let renderApp: UiModule['renderApp'];
  try {
    ({ renderApp } = await ui);
  } catch (error) {
    io.stdout.write('\u001B[?1049l');
    throw error;
  }
  // The runtime (database, venues, engine) starts once the first frame is on the screen.
  let begin!: () => void;
  const drawn = new Promise<void>((resolve) => {
    begin = resolve;
  });
  const pending = drawn.then(async () => {
    const { startRuntime } = await import('./runtime.js');
    return startRuntime(ctx, { dbPath: options.dbPath, store });
  });
  pending.catch(() => undefined);
  let ready: Runtime | null = null;
  let quitting = false;
  const actions = deferredActions(pending, () => ready, () => {
    quitting = true;
  });
  const app = renderApp({ store, actions, stdin: io.stdin, stdout: io.stdout, env: io.env });
  await afterIo();
  begin();
  let runtime: Runtime;
  try {
    runtime = await pending;
  } catch (error) {
    app.unmount();
    await app.waitUntilExit().catch(() => undefined);
    throw error;
  }
  ready = runtime;
  if (quitting) {
    // q was pressed while starting: the quit action closes the runtime; just wait for the UI.
    await app.waitUntilExit().catch(() => undefined);
    await runtime.close('quit');
    return 0;
  }
  // Ages on screen are measured against the snapshot time: publish at least once a second.
  const heartbeat = setInterval(() => runtime.store.update(() => undefined), 1_000);
  heartbeat.unref();
  runtime.engine.start();
  void runtime.arm();
  let signalled: string | null = null;
  void io.stopSignal.then(async (signal) => {
    signalled = signal;
    await runtime.close(signal);
    app.unmount();
  });
  let failure: unknown = null;
  try {
    await app.waitUntilExit();
  } catch (error) {
    failure = error;
  } finally {
    clearInterval(heartbeat);
    await runtime.close(signalled ?? (failure ? 'error' : 'quit'));
  }
  if (failure) throw failure;
  io.stderr(`arb-tui: session ${runtime.sessionId} saved to ${runtime.dbPath}\n`);
  return 0;
}
