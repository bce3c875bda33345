import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, isolatedEnv } from './run-cli.js';
import { VERSION } from '../../source/version.js';

describe('arb-tui CLI', () => {
  it('--help lists the commands and global options', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('arb-tui markets');
    expect(r.stdout).toContain('arb-tui doctor');
    for (const flag of ['--demo', '--mode', '--config', '--profile', '--seed', '--version']) expect(r.stdout).toContain(flag);
    expect(r.stderr).toBe('');
  });

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it('an unknown flag is a usage error with one clear line and no stack', async () => {
    const r = await cli(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^arb-tui: Unknown argument: frobnicate/);
    expect(r.stderr).toContain('arb-tui --help');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an empty --db (an unset shell variable) is a usage error, not the default database', async () => {
    const iso = isolatedEnv();
    for (const args of [['--headless', '--once', '--demo', '--db', ''], ['sessions', '--db', ''], ['export', '--db', '']]) {
      const r = await cli(args, iso);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--db needs a file name (it was empty)');
    }
  });

  it('an option given twice is a usage error naming it, before any database file is made', async () => {
    const iso = isolatedEnv();
    const db = join(iso.cwd, 'twice.sqlite');
    for (const [args, name] of [
      [['--headless', '--once', '--demo', '--mode', 'paper', '--mode', 'monitor', '--db', db], '--mode'],
      [['--headless', '--once', '--demo', '--db', db, '--db', `${db}2`], '--db'],
      [['markets', '--venue', 'kalshi', '--venue', 'polymarket', '--demo'], '--venue'],
      [['export', '--out', 'a.csv', '--out', 'b.csv', '--demo'], '--out'],
    ] as const) {
      const r = await cli(args, iso);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${name} was given 2 times`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(db)).toBe(false);
  });

  it('sessions with a --db that does not exist says so (exit 2); without --db a missing default database is an empty history', async () => {
    const iso = isolatedEnv();
    const named = await cli(['sessions', '--db', join(iso.cwd, 'typo.sqlite')], iso);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('typo.sqlite');
    const fresh = await cli(['sessions'], iso);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('No sessions recorded yet.');
  });

  it('a bad --mode names the choices', async () => {
    const r = await cli(['--mode', 'yolo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('monitor');
    expect(r.stderr).toContain('execute');
  });

  it('markets needs --venue and a sane --limit', async () => {
    expect((await cli(['markets'])).stderr).toContain('venue');
    const r = await cli(['markets', '--venue', 'kalshi', '--demo', '--limit', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--limit must be an integer from 1 to 10000');
    // what was typed is quoted back, not "NaN"
    expect((await cli(['markets', '--venue', 'kalshi', '--demo', '--limit', 'abc'])).stderr).toContain('got "abc"');
    expect((await cli(['--headless', '--once', '--demo', '--seed=x1'])).stderr).toContain('got "x1"');
    expect((await cli(['match', '--kalshi', 'a', '--polymarket', 'b', '--min-confidence', 'lots'])).stderr).toContain('got "lots"');
  });

  it('the default command needs a terminal and points scripts at --headless', async () => {
    // vitest's workers write to pipes, not a terminal
    const r = await cli(['--demo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the terminal UI needs an interactive terminal');
    expect(r.stderr).toContain('--headless');
  });

  it('a broken config file is an error naming the file and the key', async () => {
    const iso = isolatedEnv();
    const file = join(iso.cwd, 'bad.toml');
    writeFileSync(file, '[kalshi]\ntimeout_ms = "soon"\n');
    const r = await cli(['--config', file, 'doctor'], iso);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('timeout_ms');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing --config file is a clear error', async () => {
    const r = await cli(['--config', '/nonexistent/arb.toml', 'doctor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/arb.toml');
    expect(r.stderr).toContain('config file not found');
    // a directory given by mistake is named as one
    const iso = isolatedEnv();
    const dir = await cli(['--config', iso.cwd, 'doctor'], iso);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain('is a directory, not a config file');
  });

  it('doctor loads sql.js and reports the config in use', async () => {
    const r = await cli(['doctor', '--demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sql\.js: ok \(SQLite 3\.\d+/);
    expect(r.stdout).toContain('defaults (no config file found)');
    expect(r.stdout).toContain('demo: simulated venues');
  });

  it('--profile kalshi-demo points Kalshi at the demo environment', async () => {
    const r = await cli(['doctor', '--profile', 'kalshi-demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('demo.kalshi.co');
  });

  it('execute mode is refused before anything runs: on simulated venues, and with Kalshi on its demo environment while Polymarket is live', async () => {
    const iso = isolatedEnv();
    const db = join(iso.cwd, 'refused.sqlite');
    const demo = await cli(['--headless', '--once', '--demo', '--mode', 'execute', '--db', db], iso);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain('--demo cannot be combined with execute mode');
    const mixed = await cli(['--headless', '--once', '--profile', 'kalshi-demo', '--mode', 'execute', '--db', db], iso);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('would send real Polymarket orders hedged by simulated Kalshi fills');
    // no database file was made, so no session was recorded
    expect(existsSync(db)).toBe(false);
  });

  it.each(['kalshi', 'polymarket'] as const)('markets --venue %s --demo --json lists normalised markets as decimal strings', async (venue) => {
    const r = await cli(['markets', '--venue', venue, '--demo', '--json', '--limit', '5']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row['venue']).toBe(venue);
      expect(typeof row['title']).toBe('string');
      for (const key of ['best_yes_ask', 'best_no_ask', 'best_yes_ask_size', 'best_no_ask_size']) {
        const v = row[key];
        if (v !== null) expect(v).toMatch(/^\d+\.\d+$/);
      }
      expect(row['fee_model']).toMatchObject({ kind: venue });
    }
    expect(rows.some((row) => row['best_yes_ask'] !== null)).toBe(true);
  });

  it('markets --demo renders a table that fits the terminal width', async () => {
    const r = await cli(['markets', '--venue', 'kalshi', '--demo', '--limit', '3'], { columns: 100 });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toContain('YES ASK');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);
  });
});
