/**
 * `arb-tui kill-switch`: the kill switch of a database from the command line, for a
 * headless server with no terminal UI to press K in (found in review: nothing said at a
 * headless start that a switch left on refused every trade, and nothing could release it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../source/persistence/database.js';
import { cli, isolatedEnv } from './run-cli.js';

describe('arb-tui kill-switch', () => {
  it('status, on and off on a database; refused (exit 2) while another process holds it', async () => {
    const iso = isolatedEnv();
    const db = join(iso.cwd, 'k.sqlite');
    expect((await cli(['kill-switch', '--db', db], iso)).code).toBe(2); // named and missing
    // a file that does not exist is no run's database (a mistyped --db): nothing is created
    const missing = await cli(['kill-switch', 'on', '--db', db], iso);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no database at');
    expect(existsSync(db)).toBe(false);
    await (await openDatabase({ path: db })).close();
    const on = await cli(['kill-switch', 'on', '--db', db], iso);
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('kill switch ON: no trade will be attempted');
    expect((await cli(['kill-switch', '--db', db], iso)).stdout).toContain('kill switch: ON');
    // a headless start says so at once
    const run = await cli(['--headless', '--once', '--demo', '--mode', 'paper', '--db', db], iso);
    expect(run.stderr).toContain('kill switch is ON (set earlier)');
    expect(run.stderr).toContain(`arb-tui kill-switch off --db ${db}`);
    const held = await openDatabase({ path: db });
    try {
      const refused = await cli(['kill-switch', 'off', '--db', db], iso);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('K in the terminal UI');
    } finally {
      await held.close();
    }
    const off = await cli(['kill-switch', 'off', '--db', db], iso);
    expect(off.code).toBe(0);
    expect((await cli(['kill-switch', 'status', '--db', db], iso)).stdout).toContain('kill switch: off');
    const audit = await openDatabase({ path: db, readOnly: true });
    try {
      expect(audit.repos.audit.list().filter((e) => e.kind.startsWith('kill-switch')).map((e) => e.kind)).toEqual(['kill-switch-on', 'kill-switch-off']);
    } finally {
      await audit.close();
    }
  });

  it("without --db it is real trading's file, whatever mode the config sets; --mode paper names paper trading's", async () => {
    const iso = isolatedEnv({ ARB_MODE: 'paper' });
    const live = await cli(['kill-switch', 'on'], iso);
    expect(live.stderr).toMatch(/no database at \S*arb-tui\.sqlite:/);
    const paper = await cli(['kill-switch', 'on', '--mode', 'paper'], iso);
    expect(paper.stderr).toMatch(/no database at \S*arb-tui-paper\.sqlite:/);
  });

  it('keys show VENUE shows that venue only', async () => {
    const iso = isolatedEnv({ ARB_POLYMARKET_PRIVATE_KEY: `0x${'11'.repeat(32)}` });
    const r = await cli(['keys', 'show', 'polymarket'], iso);
    expect(r.stdout).toContain('polymarket');
    expect(r.stdout).not.toMatch(/^kalshi/m);
  });
});
