/**
 * The default command: the engine with the Ink UI. Ink owns the terminal
 * while it runs (alternate screen); every message for the user is printed
 * after the screen is restored.
 */
import type { AppActions } from './actions.js';
import type { AppContext } from './context.js';
import { resolveDbPath } from './db-path.js';
import { startRuntime, type Runtime } from './runtime.js';
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

export async function runTui(ctx: AppContext, options: { dbPath?: string | undefined }, io: TuiIo): Promise<number> {
  if (!io.stdout.isTTY || !io.stdin.isTTY) {
    io.stderr('arb-tui: the terminal UI needs an interactive terminal; for scripts and servers use --headless (NDJSON on stdout)\n');
    return 2;
  }
  // React's development build is several times slower; load Ink and React for production.
  io.env['NODE_ENV'] ??= 'production';
  process.env['NODE_ENV'] ??= 'production';
  // Draw first, then start: the screen appears while the database opens and the venues connect.
  const store = new Store({
    now: Date.now,
    session: { mode: ctx.config.mode, demo: ctx.demo, dbPath: resolveDbPath(ctx, options.dbPath), startedAt: Date.now(), version: VERSION, banner: 'starting…', halted: false },
  });
  const pending = startRuntime(ctx, { dbPath: options.dbPath, store });
  let ready: Runtime | null = null;
  let quitting = false;
  const actions = deferredActions(pending, () => ready, () => {
    quitting = true;
  });
  // Loading Ink and React takes a moment on a small server: show that we are alive at once.
  io.stdout.write(`\u001B[?1049h\u001B[H\u001B[2Jarb-tui ${VERSION} · starting (${ctx.config.mode}${ctx.demo ? ', demo' : ''})…\n`);
  let renderApp: typeof import('../ui/render.js').renderApp;
  try {
    ({ renderApp } = await import('../ui/render.js'));
  } catch (error) {
    io.stdout.write('\u001B[?1049l');
    await pending.then((r) => r.close('error')).catch(() => undefined);
    throw error;
  }
  const app = renderApp({ store, actions, stdin: io.stdin, stdout: io.stdout, env: io.env });
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
