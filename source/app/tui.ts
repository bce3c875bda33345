/**
 * The default command: the engine with the Ink UI. Ink owns the terminal
 * while it runs (alternate screen); every message for the user is printed
 * after the screen is restored.
 */
import type { AppContext } from './context.js';
import { startRuntime } from './runtime.js';

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
  const { renderApp } = await import('../ui/render.js');
  const runtime = await startRuntime(ctx, { dbPath: options.dbPath });
  // Ages on screen are measured against the snapshot time: publish at least once a second.
  const heartbeat = setInterval(() => runtime.store.update(() => undefined), 1_000);
  heartbeat.unref();
  runtime.engine.start();
  void runtime.arm();
  const app = renderApp({ store: runtime.store, actions: runtime.actions, stdin: io.stdin, stdout: io.stdout, env: io.env });
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
