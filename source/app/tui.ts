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
 *
 * The UI comes from `dist/ui-bundle/render.js` (Ink, React and `dist/ui/**`
 * in one file, written by `npm run build`: source/build/bundle-ui.ts) when it
 * is there and current (chooseUiBuild); otherwise from tsc's modules
 * (`../ui/render.js`, some 800 files with Ink's). Same module, same API.
 * `ARB_DEBUG=1` says on stderr which one a run uses.
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/** Which build of the UI a run loads: the bundle, or tsc's modules and why. */
export type UiBuild = { readonly kind: 'bundle'; readonly file: string } | { readonly kind: 'modules'; readonly reason: string };

/** The bundle, relative to this module (dist/app/tui.js); bundle-ui.ts writes it and the list of its inputs. */
const BUNDLE = '../ui-bundle/render.js';
const BUNDLE_INPUTS = '../ui-bundle/inputs.json';
/** tsconfig.json's tsBuildInfoFile: present where tsc built dist/, left out of the package. */
const TSC_BUILD_INFO = '../.tsbuildinfo';

const mtime = (url: URL): number | null => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return null;
  }
};

/**
 * The bundle when it exists, and in a development build (tsc's build info
 * next to it) only while none of the UI modules it was built from is newer
 * or missing: a tsc-only build after `npm run build` must not run an old UI.
 * An installed package ships no build info and its files carry the times
 * they were unpacked at: its bundle is taken as packed. tsc's modules
 * otherwise. `base` is this module's URL (tests).
 */
export function chooseUiBuild(base: string | URL = import.meta.url): UiBuild {
  const bundle = new URL(BUNDLE, base);
  const built = mtime(bundle);
  if (built === null) return { kind: 'modules', reason: 'no bundle (tsc-only build)' };
  if (mtime(new URL(TSC_BUILD_INFO, base)) === null) return { kind: 'bundle', file: fileURLToPath(bundle) };
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(new URL(BUNDLE_INPUTS, base), 'utf8'));
  } catch {
    return { kind: 'modules', reason: 'the bundle has no readable inputs.json' };
  }
  const inputs = typeof list === 'object' && list !== null && 'inputs' in list ? list.inputs : null;
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((p): p is string => typeof p === 'string')) {
    return { kind: 'modules', reason: "the bundle's inputs.json lists no modules" };
  }
  const dist = new URL('../', base);
  for (const input of inputs) {
    const at = mtime(new URL(input, dist));
    if (at === null) return { kind: 'modules', reason: `the bundle is stale: ${input} is gone` };
    if (at > built) return { kind: 'modules', reason: `the bundle is stale: ${input} is newer` };
  }
  return { kind: 'bundle', file: fileURLToPath(bundle) };
}

/**
 * Start loading Ink, React and the app's components (the longest part of the
 * way to the first frame). Null when this is no interactive terminal (runTui
 * refuses to start then).
 */
export function loadUi(io: Pick<TuiIo, 'stdin' | 'stdout' | 'env'>): { build: UiBuild; module: Promise<UiModule> } | null {
  if (!io.stdout.isTTY || !io.stdin.isTTY) return null;
  // React's development build is several times slower; load Ink and React for production.
  io.env['NODE_ENV'] ??= 'production';
  process.env['NODE_ENV'] ??= 'production';
  const build = chooseUiBuild();
  // The bundle's specifier is a variable: it exists only in dist/, after npm run build.
  const module = build.kind === 'bundle' ? (import(BUNDLE) as Promise<UiModule>) : import('../ui/render.js');
  // A failure is runTui's to report; until it awaits, do not let it crash the process.
  module.catch(() => undefined);
  return { build, module };
}

/** The line ARB_DEBUG asks for: which UI build this run loads. */
export function describeUiBuild(build: UiBuild): string {
  return build.kind === 'bundle' ? `arb-tui: UI from the bundle ${build.file}\n` : `arb-tui: UI from tsc's modules: ${build.reason}\n`;
}

const debugOn = (env: NodeJS.ProcessEnv): boolean => {
  const v = env['ARB_DEBUG'];
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
};

/** After the pending terminal writes and input events (the first frame is out). */
const afterIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runTui(ctx: AppContext, options: { dbPath?: string | undefined }, io: TuiIo): Promise<number> {
  const loading = loadUi(io);
  if (!loading) {
    io.stderr('arb-tui: the terminal UI needs an interactive terminal; for scripts and servers use --headless (NDJSON on stdout)\n');
    return 2;
  }
  const store = new Store({
    now: Date.now,
    session: { mode: ctx.config.mode, demo: ctx.demo, dbPath: resolveDbPath(ctx, options.dbPath), startedAt: Date.now(), version: VERSION, banner: 'starting…', halted: false },
  });
  if (debugOn(io.env)) io.stderr(describeUiBuild(loading.build));
  // Loading Ink and React takes a moment on a small server: show that we are alive at once.
  io.stdout.write(`\u001B[?1049h\u001B[H\u001B[2Jarb-tui ${VERSION} · starting (${ctx.config.mode}${ctx.demo ? ', demo' : ''})…\n`);
  let renderApp: UiModule['renderApp'];
  try {
    ({ renderApp } = await loading.module);
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
    io.stderr(`arb-tui: session ${runtime.sessionId} saved to ${runtime.dbPath}\n`);
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
    try {
      await runtime.close(signal);
    } catch {
      // the final save failed: the close below returns the same failure, reported as one line
      // once the screen is restored (left here, it was an unhandled rejection and a stack trace)
    }
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
