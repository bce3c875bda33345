/**
 * Through the headless app on the demo (paper mode, auto-execution): the trades made name their
 * opportunity episodes, those episodes are recorded as executed, the rest as expired, none is
 * left open; an episode a crashed session left open is closed by the next start, saying so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../source/cli/main.js';
import { rawOpen } from '../persistence/helpers.js';
import { cli, isolatedEnv } from '../cli/run-cli.js';

function rows(db: Awaited<ReturnType<typeof rawOpen>>, sql: string): unknown[][] {
  return db.exec(sql)[0]?.values ?? [];
}

describe('opportunity episodes, end to end', () => {
  it("traded episodes are executed, the others expired; a crashed session's open episode is closed at the next start", async () => {
    const iso = isolatedEnv({ ARB_EXECUTION__AUTO_EXECUTE: 'true' });
    const db = join(iso.cwd, 'episodes.sqlite');
    // runs until a trade was submitted (and a moment more), however long the first cycle takes
    let stop: (s: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    const cap = setTimeout(() => stop('SIGINT'), 40_000);
    let out = '';
    const code = await runCli(['--headless', '--demo', '--seed', '2', '--mode', 'paper', '--db', db], {
      stdout: (t) => {
        out += t;
        if (t.includes('"type":"auto-execute"') && t.includes('"result":"submitted"')) setTimeout(() => stop('SIGINT'), 1_000);
      },
      stderr: () => undefined,
      env: iso.env,
      cwd: iso.cwd,
      columns: 120,
      stopSignal: () => stopped,
    });
    clearTimeout(cap);
    expect(code).toBe(0);
    expect(out).toContain('"result":"submitted"');

    const raw = await rawOpen(readFileSync(db));
    const linked = rows(raw, 'SELECT t.id, o.outcome, o.outcome_reason FROM trades t JOIN opportunities o ON o.id = t.opportunity_id');
    expect(linked.length).toBeGreaterThan(0);
    expect(rows(raw, 'SELECT count(*) FROM trades WHERE opportunity_id IS NULL')[0]?.[0]).toBe(0);
    for (const [, outcome, reason] of linked) {
      expect(outcome).toBe('executed');
      expect(reason).toMatch(/^trades? \d+(, \d+)* made on it; (gone|session ended)$/);
    }
    // the others expired; none left open by an orderly stop
    expect(rows(raw, 'SELECT count(*) FROM opportunities WHERE outcome IS NULL')[0]?.[0]).toBe(0);
    expect(rows(raw, "SELECT count(*) FROM opportunities o WHERE o.outcome = 'executed' AND NOT EXISTS (SELECT 1 FROM trades t WHERE t.opportunity_id = o.id)")[0]?.[0]).toBe(0);

    // As if the process had died with an episode open: not closed, the session not ended.
    const victim = rows(raw, 'SELECT id, last_seen_at FROM opportunities ORDER BY id DESC LIMIT 1')[0] as [number, number];
    raw.run(`UPDATE opportunities SET outcome = NULL, outcome_reason = NULL, closed_at = NULL WHERE id = ${victim[0]}`);
    raw.run('UPDATE sessions SET ended_at = NULL, end_reason = NULL');
    writeFileSync(db, raw.export());
    raw.close();

    const again = await cli(['--headless', '--once', '--demo', '--seed', '2', '--db', db], iso);
    expect(again.code).toBe(0);
    const after = await rawOpen(readFileSync(db));
    const [reason, closedAt] = rows(after, `SELECT outcome_reason, closed_at FROM opportunities WHERE id = ${victim[0]}`)[0] ?? [];
    expect(reason).toMatch(/left open by session 1, which never ended: it crashed or was killed; closed at the start of session 2, as of its last sighting$/);
    expect(closedAt).toBe(victim[1]);
    after.close();
  }, 90_000);
});
