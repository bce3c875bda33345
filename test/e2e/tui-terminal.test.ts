/**
 * The built CLI in a real terminal: tmux at 80x24 in demo paper mode, keys
 * sent with send-keys, the screen read with capture-pane. Builds dist/ first.
 * Where tmux is not installed, the same run happens under `script` (a pty)
 * and the raw output is checked instead.
 *
 * The build bundles the UI (dist/ui-bundle/render.js): these runs load it;
 * the last block checks the bundle itself and that it draws live frames with
 * CI=true (Ink's CI check must still see the variables hidden).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAst } from 'rolldown/parseAst';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseUiBuild } from '../../source/app/tui.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const hasScript = spawnSync('script', ['--version']).status === 0;
const home = mkdtempSync(join(tmpdir(), 'arb-e2e-'));
const socket = `arb-e2e-${process.pid}`;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const screen = (): string => tmux('capture-pane', '-p', '-t', 'e2e');

/** `arb-tui sessions --db FILE` as a user runs it afterwards (home: the run's HOME below the test's). */
function sessionsOf(db: string, homeName: string) {
  return spawnSync(process.execPath, [CLI, 'sessions', '--db', db], { env: { HOME: join(home, homeName), PATH: process.env['PATH'] ?? '' }, encoding: 'utf8' });
}

async function waitFor(predicate: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const start = Date.now();
  let last = '';
  while (Date.now() - start < timeoutMs) {
    last = screen();
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
}

async function press(key: string, until: (text: string) => boolean, what: string): Promise<string> {
  // A person does not type faster than the screen settles; neither does this test.
  await new Promise((r) => setTimeout(r, 300));
  tmux('send-keys', '-t', 'e2e', key);
  return waitFor(until, what);
}

beforeAll(() => {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
}, 180_000);

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
  rmSync(home, { recursive: true, force: true });
});

describe.runIf(hasTmux)('TUI in tmux at 80x24 (demo, paper mode)', () => {
  it('draws, answers the keys of the help and quits cleanly, leaving the shell and the database', async () => {
    const command = `HOME=${home} NO_COLOR=1 node ${CLI} --demo --mode paper; echo "EXIT:$?"; sleep 30`;
    tmux('new-session', '-d', '-s', 'e2e', '-x', '80', '-y', '24', command);
    const first = await waitFor((s) => s.includes('K/P') && s.includes('kalshi live') && s.includes('polymarket live'), 'the opportunities view with both venues live');
    const lines = first.replace(/\n$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(first).toMatch(/PAPER DEMO/);
    expect(first).toMatch(/kalshi live/);
    // let the first cycle (catalogs, matching, books) finish before driving the UI
    await waitFor((s) => /\d+ approved/.test(s) && !/ 0 approved/.test(s), 'pairs approved');

    await press('2', (s) => s.includes('Conf') && s.includes('Polymarket'), 'the pairs view');
    await press('Enter', (s) => s.includes('Why the matcher paired them') || s.includes('KALSHI'), 'the pair detail');
    await press('Escape', (s) => s.includes('Conf'), 'back to pairs');
    await press('3', (s) => s.includes('Venue') && s.includes('Side'), 'positions');
    await press('4', (s) => s.includes('Limit') && s.includes('Status'), 'orders & fills');
    await press('5', (s) => s.includes('Message'), 'the log');
    await press('?', (s) => s.includes('Kill switch'), 'the help overlay');
    await press('Escape', (s) => !s.includes('· ? or Esc closes'), 'help closed');
    await press('1', (s) => s.includes('K/P'), 'opportunities again');
    await press('p', (s) => /paused|PAUSED/.test(s), 'paused');
    await press('p', (s) => !/paused|PAUSED/.test(s), 'resumed');
    await press('e', (s) => s.includes('Wrote 4 files'), 'the export result');
    await press('Escape', (s) => s.includes('K/P'), 'export closed');
    const done = await press('q', (s) => s.includes('EXIT:'), 'the shell');
    expect(done).toContain('EXIT:0');
    expect(done).toMatch(/session \d+ saved to/);
    // the alternate screen is gone: the app's frame is not left on the shell's screen
    expect(done).not.toContain('K/P');
    expect(existsSync(join(home, '.local', 'share', 'arb-tui', 'arb-tui-demo.sqlite'))).toBe(true);
  }, 120_000);

  it('a terminal smaller than 80x24 gets a clear message, and q still quits', async () => {
    const command = `HOME=${join(home, 'small')} node ${CLI} --demo; echo "EXIT:$?"; sleep 30`;
    tmux('new-session', '-d', '-s', 'small', '-x', '60', '-y', '15', command);
    const small = (): string => tmux('capture-pane', '-p', '-t', 'small');
    const start = Date.now();
    let text = '';
    while (Date.now() - start < 30_000 && !/too small/i.test(text)) {
      text = small();
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(text).toMatch(/too small/i);
    expect(text).toMatch(/80.?x.?24/);
    // the first paint ("starting…") does not show through the short frame
    expect(text).not.toMatch(/starting/);
    tmux('send-keys', '-t', 'small', 'q');
    while (Date.now() - start < 60_000 && !text.includes('EXIT:')) {
      text = small();
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(text).toContain('EXIT:0');
  }, 120_000);
});

describe.runIf(hasTmux)('TUI when its terminal goes away (tmux session killed: SIGHUP, as a dropped SSH session)', () => {
  it('stops as on q: the session is ended in the database and the file released', async () => {
    const db = join(home, 'hangup.sqlite');
    const command = `HOME=${join(home, 'hangup')} node ${CLI} --demo --mode paper --db ${db}`;
    tmux('new-session', '-d', '-s', 'hup', '-x', '80', '-y', '24', command);
    const start = Date.now();
    let text = '';
    while (Date.now() - start < 30_000 && !(/\d+ approved/.test(text) && !/ 0 approved/.test(text))) {
      text = tmux('capture-pane', '-p', '-t', 'hup');
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(text).toMatch(/PAPER DEMO/);
    tmux('kill-session', '-t', 'hup');
    // Node's default for SIGHUP is to die at once: the lock file stayed and the session read "(running/crashed)"
    while (Date.now() - start < 60_000 && existsSync(`${db}.lock`)) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(`${db}.lock`)).toBe(false);
    const sessions = sessionsOf(db, 'hangup');
    expect(sessions.status).toBe(0);
    expect(sessions.stdout).toMatch(/^\s+1\s+\S+Z\s+\S+Z\s+paper/m);
    expect(sessions.stdout).not.toContain('running/crashed');
  }, 120_000);
});

describe.runIf(!hasTmux)('TUI under a pseudo-terminal (script), tmux not installed', () => {
  it('enters the alternate screen, draws, and quits on q with exit 0', async () => {
    const child = spawn('script', ['-qfec', `stty cols 80 rows 24; HOME=${home} NO_COLOR=1 node ${CLI} --demo --mode paper`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    const start = Date.now();
    while (Date.now() - start < 30_000 && !out.includes('K/P')) await new Promise((r) => setTimeout(r, 150));
    expect(out).toContain('\u001B[?1049h');
    expect(out).toContain('K/P');
    child.stdin.write('q');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toContain('\u001B[?1049l');
  }, 120_000);
});

describe('the bundled UI (dist/ui-bundle)', () => {
  const bundle = join(ROOT, 'dist', 'ui-bundle', 'render.js');

  it('holds Ink, React and our UI: its imports are Node built-ins, its own chunks and our shared modules only', () => {
    const code = readFileSync(bundle, 'utf8');
    const specifiers = parseAst(code, { sourceType: 'module' }, 'render.js').body.flatMap((node) =>
      (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source ? [node.source.value] : [],
    );
    expect(specifiers.length).toBeGreaterThan(0);
    const foreign = specifiers.filter((s) => !/^node:|^\.\/[\w-]+\.js$|^\.\.\/(domain|engine)\/[\w/-]+\.js$/.test(s));
    expect(foreign).toEqual([]);
    const inputs = JSON.parse(readFileSync(join(ROOT, 'dist', 'ui-bundle', 'inputs.json'), 'utf8')) as { inputs: string[] };
    expect(inputs.inputs).toEqual(expect.arrayContaining(['ui/ink-env.js', 'ui/render.js', 'ui/app.js']));
    // ink-env hides the CI variables before Ink's CI check is evaluated
    expect(code.indexOf('const CI_VARIABLES')).toBeGreaterThan(0);
    expect(code.indexOf('const CI_VARIABLES')).toBeLessThan(code.indexOf('const isInCi'));
    expect(chooseUiBuild(pathToFileURL(join(ROOT, 'dist', 'app', 'tui.js')))).toEqual({ kind: 'bundle', file: bundle });
  });

  it.runIf(hasScript)('is what the CLI loads, and with CI=true it draws live frames before the user quits', async () => {
    const child = spawn('script', ['-qfec', `stty cols 80 rows 24; HOME=${join(home, 'ci')} NO_COLOR=1 CI=true ARB_DEBUG=1 node ${CLI} --demo`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      // eslint-disable-next-line no-control-regex
      out += c.toString('utf8').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
    });
    const start = Date.now();
    const live = (): boolean => out.includes('K/P') && out.includes('kalshi live') && out.includes('polymarket live');
    while (Date.now() - start < 30_000 && !live()) await new Promise((r) => setTimeout(r, 100));
    // Ink in CI mode would draw nothing until exit: the table, then the venues going live, are on screen while the app runs
    expect(live()).toBe(true);
    expect(out).toContain(`arb-tui: UI from the bundle ${bundle}`);
    child.stdin.write('q');
    // 'close': the exit code and all of the output (the session line comes last)
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/session \d+ saved to/);
  }, 60_000);
});

describe('the built CLI under repeated stop signals (headless demo)', () => {
  /** Starts the headless demo on its own database; resolves once it is running. */
  async function startHeadless(name: string) {
    const db = join(home, `${name}.sqlite`);
    const child = spawn(process.execPath, [CLI, '--headless', '--demo', '--db', db], {
      env: { HOME: join(home, name), PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.stdout.resume();
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const start = Date.now();
    while (Date.now() - start < 30_000 && !stderr.includes('headless monitor')) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toContain('headless monitor');
    // let the first cycle write something worth flushing
    await new Promise((r) => setTimeout(r, 1_500));
    return { child, db, closed, stderr: () => stderr };
  }

  // The second signal is sent once the first has been handled ("stopping, flushing" is on stderr)
  // and while the final flush runs: before the fix, nobody listened then and Node's default action
  // ended the process before the flush. (The third signal's quit is tested in test/app/stop-signal.)
  it('a second signal during the graceful stop does not cut the final flush short', async () => {
    const run = await startHeadless('twice');
    run.child.kill('SIGINT');
    const start = Date.now();
    while (Date.now() - start < 10_000 && !run.stderr().includes('SIGINT: stopping, flushing the database')) await new Promise((r) => setImmediate(r));
    run.child.kill('SIGTERM');
    const end = await run.closed;
    expect(end).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toContain('SIGTERM: still stopping (flushing the database)');
    expect(run.stderr().trim().split('\n').at(-1)).toBe('arb-tui: stopped');
    // the database was flushed and released: the sessions command reads it
    const sessions = sessionsOf(run.db, 'twice');
    expect(sessions.status).toBe(0);
    expect(sessions.stdout).toMatch(/\b1\b/);
  }, 60_000);

  // Node resets a SIGHUP that nohup ignored to its default (die at once): the app stops on it as on SIGTERM
  it('a hangup stops it after the final flush', async () => {
    const run = await startHeadless('headless-hangup');
    run.child.kill('SIGHUP');
    const end = await run.closed;
    expect(end).toEqual({ code: 0, signal: null });
    expect(run.stderr()).toContain('SIGHUP: stopping, flushing the database');
    expect(run.stderr().trim().split('\n').at(-1)).toBe('arb-tui: stopped');
    const sessions = sessionsOf(run.db, 'headless-hangup');
    expect(sessions.stdout).not.toContain('running/crashed');
  }, 60_000);

  // `arb-tui --headless | head`: before the fix the process exited 0 at once, without the
  // final flush, leaving the session "running/crashed" and the lock file behind
  it('the reader of stdout going away stops it like a signal: flushed, session ended, lock released, exit 141', async () => {
    const run = await startHeadless('broken-pipe');
    run.child.stdout.destroy();
    const end = await run.closed;
    expect(end).toEqual({ code: 141, signal: null });
    expect(run.stderr()).toContain('SIGPIPE: stopping, flushing the database');
    expect(run.stderr().trim().split('\n').at(-1)).toBe('arb-tui: stopped');
    expect(existsSync(`${run.db}.lock`)).toBe(false);
    const sessions = sessionsOf(run.db, 'broken-pipe');
    expect(sessions.status).toBe(0);
    expect(sessions.stdout).not.toContain('running/crashed');
  }, 60_000);
});
