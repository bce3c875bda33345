/**
 * One database file never holds both simulated (paper) and real (execute) trades: paper
 * trading on live books has its own file by default, and a file that already holds the
 * other mode's trades is refused before anything runs (found in review: positions, the
 * daily loss and exposure mixed both, and a paper run reconciled a real order left
 * unresolved against paper venues and marked it never placed).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoHistoryHint, resolveDbPath, tradingModeConflict } from '../../source/app/db-path.js';
import type { AppContext } from '../../source/app/context.js';
import { openDatabase } from '../../source/persistence/database.js';
import { cli, isolatedEnv } from '../cli/run-cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function ctx(mode: 'monitor' | 'paper' | 'execute', demo: boolean): AppContext {
  return { config: { mode, dbPath: '/data/arb-tui.sqlite' }, demo } as unknown as AppContext;
}

describe('the database file of each mode', () => {
  it('paper trading on live books has its own file; the demo has its own; --db wins', () => {
    expect(resolveDbPath(ctx('monitor', false))).toBe('/data/arb-tui.sqlite');
    expect(resolveDbPath(ctx('execute', false))).toBe('/data/arb-tui.sqlite');
    expect(resolveDbPath(ctx('paper', false))).toBe('/data/arb-tui-paper.sqlite');
    expect(resolveDbPath(ctx('paper', true))).toBe('/data/arb-tui-demo.sqlite');
    expect(resolveDbPath(ctx('monitor', true))).toBe('/data/arb-tui-demo.sqlite');
    expect(resolveDbPath(ctx('paper', false), '/x/mine.sqlite')).toBe('/x/mine.sqlite');
  });

  it('reading the history of a file that does not exist points at the demo’s or paper trading’s file when that exists', () => {
    const only = (...paths: string[]) => (p: string) => paths.includes(p);
    expect(demoHistoryHint(ctx('monitor', false), undefined, only('/data/arb-tui-paper.sqlite'))).toContain('add --mode paper');
    expect(demoHistoryHint(ctx('monitor', false), undefined, only('/data/arb-tui-demo.sqlite'))).toContain('add --demo');
    expect(demoHistoryHint(ctx('monitor', false), undefined, only('/data/arb-tui.sqlite', '/data/arb-tui-paper.sqlite'))).toBeNull();
    expect(demoHistoryHint(ctx('paper', false), undefined, only('/data/arb-tui-paper.sqlite'))).toBeNull();
    expect(demoHistoryHint(ctx('monitor', false), '/x.sqlite', only('/data/arb-tui-paper.sqlite'))).toBeNull();
  });

  it('a file with the other trading mode’s trades is refused for trading; sessions without trades, and monitor mode, are not', () => {
    const sessions = [
      { id: 1, mode: 'paper', demo: false },
      { id: 2, mode: 'execute', demo: false },
      { id: 3, mode: 'monitor', demo: false },
    ];
    const none = (): number => 0;
    const tradedIn = (ids: number[]) => (id: number) => (ids.includes(id) ? 1 : 0);
    expect(tradingModeConflict(sessions, none, 'execute', 'f')).toBeNull();
    expect(tradingModeConflict(sessions, tradedIn([2]), 'execute', 'f')).toBeNull();
    expect(tradingModeConflict(sessions, tradedIn([1]), 'execute', 'f')).toContain('holds paper trades (session 1)');
    // a file from before paper trading had its own: how to keep it as paper trading's history
    expect(tradingModeConflict(sessions, tradedIn([1]), 'execute', '/d/arb-tui.sqlite')).toContain('move it to /d/arb-tui-paper.sqlite');
    expect(tradingModeConflict(sessions, tradedIn([1, 2]), 'execute', '/d/arb-tui.sqlite')).toContain('pass another --db for execute mode');
    expect(tradingModeConflict(sessions, tradedIn([2]), 'paper', 'f')).toContain('holds real (execute mode) trades (session 2)');
    expect(tradingModeConflict(sessions, tradedIn([1, 2]), 'monitor', 'f')).toBeNull();
  });

  it('a paper run on a file holding real trades exits 2 before recording a session', async () => {
    const iso = isolatedEnv();
    const dir = mkdtempSync(join(tmpdir(), 'arb-mode-'));
    dirs.push(dir);
    const path = join(dir, 'real.sqlite');
    const db = await openDatabase({ path });
    db.write((r) => {
      const s = r.sessions.start({ mode: 'execute', demo: false, appVersion: 't', configDigest: 'd' });
      const pair = r.pairs.ensureCandidate({ kalshiMarketId: 'KX-1', polymarketMarketId: '0xabc', relation: 'same', score: 900_000n, sessionId: s.id, at: 1 });
      r.trades.create({ sessionId: s.id, pairId: pair.id, opportunityId: null, plannedSize: 1_000_000n, expectedEdge: 10_000n, expectedPnl: 10_000n, at: 2 });
      r.sessions.end(s.id, { endedAt: 3, reason: 'quit' });
    });
    await db.close();
    const r = await cli(['--headless', '--once', '--demo', '--mode', 'paper', '--db', path], iso);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds real (execute mode) trades (session 1)');
    expect(existsSync(`${path}.lock`)).toBe(false);
    const again = await openDatabase({ path, readOnly: true });
    try {
      expect(again.repos.sessions.list()).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});
