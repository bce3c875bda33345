/**
 * runTui against a fake terminal (a TTY as far as Ink can tell), demo mode:
 * the first Ink frame is drawn before the runtime starts (no database file
 * yet), the runtime then brings both venues live, and `q` quits cleanly with
 * the session saved, also when it is pressed before the runtime is up.
 */
import { Console } from 'node:console';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAppConfig, type AppContext } from '../../source/app/context.js';
import { loadUi, runTui, type TuiIo } from '../../source/app/tui.js';
import { openDatabase } from '../../source/persistence/database.js';
import { FakeStdin, FakeStdout } from '../ui/helpers/fake-terminal.js';

// Ink patches the console (so nothing writes behind its back); vitest's console lacks the constructor it uses.
if (!('Console' in console)) Object.assign(console, { Console });

// eslint-disable-next-line no-control-regex
const plain = (s: string): string => s.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');

/** The fake stdout, with everything written kept as plain text (tests poll it). */
class PlainTerminal extends FakeStdout {
  text = '';
  constructor() {
    super(80, 24);
    this.on('write', (chunk: string) => {
      this.text += plain(chunk);
    });
  }
}

async function until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('runTui (demo, fake terminal)', () => {
  let dir: string;
  let ctx: AppContext;
  let dbPath: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arb-tui-app-'));
    dbPath = join(dir, 'arb.sqlite');
    ctx = await loadAppConfig({ cwd: dir, env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') }, demo: true });
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const terminal = (env: NodeJS.ProcessEnv = { NO_COLOR: '1' }) => {
    const stdout = new PlainTerminal();
    const stdin = new FakeStdin();
    const stderr: string[] = [];
    const io: TuiIo = {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stderr: (t) => stderr.push(t),
      env,
      stopSignal: new Promise<string>(() => undefined),
    };
    return { stdout, stdin, stderr, io };
  };

  it('draws the first frame before the database opens, goes live, and q saves the session', async () => {
    const { stdout, stdin, stderr, io } = terminal({ NO_COLOR: '1', ARB_DEBUG: '1' });
    let frameBeforeDb: boolean | null = null;
    stdout.on('write', () => {
      if (frameBeforeDb === null && stdout.text.includes('K/P')) frameBeforeDb = !existsSync(dbPath);
    });
    const run = runTui(ctx, { dbPath }, io);
    await until(() => stdout.text.includes('kalshi live') && stdout.text.includes('polymarket live'), 'both venues live');
    expect(frameBeforeDb).toBe(true);
    expect(stdout.text).toContain('starting (monitor, demo)');
    // ARB_DEBUG says which UI build runs: from source there is no bundle (test/e2e checks the built one)
    expect(stderr[0]).toBe("arb-tui: UI from tsc's modules: no bundle (tsc-only build)\n");
    stdin.write('q');
    expect(await run).toBe(0);
    expect(stderr.join('')).toMatch(/session \d+ saved to .*arb\.sqlite/);
    const db = await openDatabase({ path: dbPath, now: Date.now });
    try {
      const sessions = db.repos.sessions.list();
      expect(sessions).toHaveLength(1);
      expect(sessions[0]?.endedAt).not.toBeNull();
      expect(sessions[0]?.endReason).toBe('quit');
      expect(sessions[0]?.demo).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('q pressed before the runtime is up waits for it, then closes it and saves the session', async () => {
    const { stdout, stdin, stderr, io } = terminal();
    let typed = false;
    let dbAtKeypress: boolean | null = null;
    stdout.on('write', () => {
      if (!typed && stdout.text.includes('K/P')) {
        typed = true;
        // Ink listens for keys once the frame is committed: type right after it, before the runtime is up
        setImmediate(() => {
          dbAtKeypress = existsSync(dbPath);
          stdin.write('q');
        });
      }
    });
    expect(await runTui(ctx, { dbPath }, io)).toBe(0);
    expect(typed).toBe(true);
    expect(dbAtKeypress).toBe(false);
    // without ARB_DEBUG, no word about the UI build
    expect(stderr.join('')).not.toContain('UI from');
    expect(stderr.join('')).toMatch(/session \d+ saved to .*arb\.sqlite/);
    const db = await openDatabase({ path: dbPath, now: Date.now });
    try {
      expect(db.repos.sessions.list().map((s) => s.endReason)).toEqual(['quit']);
    } finally {
      await db.close();
    }
  });

  it('loadUi refuses a terminal that is not interactive (runTui then answers 2)', async () => {
    const { stdout, io } = terminal();
    const notTty = { ...io, stdin: Object.assign(new FakeStdin(), { isTTY: false }) as unknown as NodeJS.ReadStream };
    expect(loadUi(notTty)).toBeNull();
    const stderr: string[] = [];
    expect(await runTui(ctx, { dbPath }, { ...notTty, stderr: (t) => stderr.push(t) })).toBe(2);
    expect(stderr.join('')).toContain('--headless');
    expect(stdout.text).toBe('');
    expect(existsSync(dbPath)).toBe(false);
  });

  it('paper mode: a confirmed trade shows up in Positions marked at the best bid of the books held', async () => {
    const paper = await loadAppConfig({ cwd: dir, env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') }, demo: true, mode: 'paper' });
    const { stdout, stdin, io } = terminal();
    const run = runTui(paper, { dbPath }, io);
    try {
      await until(() => / [1-9]\d* tradable/.test(stdout.text.slice(-3000)), 'a tradable opportunity', 30_000);
      stdin.write('\r');
      await until(() => stdout.text.slice(-3000).includes('y confirm'), 'the trade ticket');
      stdin.write('y');
      await until(() => /Submitted \d+/.test(stdout.text), 'the trade to be submitted');
      const from = stdout.text.length;
      stdin.write('3');
      // Side, size, average, cost, then a mark in dollars (n/a without a book), below the cost of
      // an arbitrage leg (the bid is under the ask paid)
      const row = /(YES|NO)\s+100\s+\S+\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s/;
      await until(() => row.test(stdout.text.slice(from)), 'a marked position');
      const rows = [...stdout.text.slice(from).matchAll(new RegExp(row.source, 'g'))];
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(Number(r[3])).toBeLessThanOrEqual(Number(r[2]));
    } finally {
      stdin.write('q');
      expect(await run).toBe(0);
    }
    // Restarted on the same file: the positions come back, still marked as legs of the pair (⇄).
    const second = terminal();
    const again = runTui(paper, { dbPath }, second.io);
    try {
      await until(() => second.stdout.text.includes('3 Positions 2'), 'the positions of the earlier session', 30_000);
      const from = second.stdout.text.length;
      second.stdin.write('3');
      await until(() => /[KP] ⇄ .*(YES|NO)\s+100\s/.test(second.stdout.text.slice(from)), 'positions marked as pair legs');
    } finally {
      second.stdin.write('q');
      expect(await again).toBe(0);
    }
  }, 90_000);
});
