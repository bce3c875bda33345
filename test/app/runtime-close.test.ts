/**
 * The runtime's end of a session: the proposed pairs the recorder still holds are written
 * before the database closes (a quit in the very turn a rematch proposes them).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../source/app/context.js';
import { startRuntime, type Runtime } from '../../source/app/runtime.js';
import { rawOpen } from '../persistence/helpers.js';
import { isolatedEnv } from '../cli/run-cli.js';

describe('runtime: the end of a session', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });

  it('a quit in the turn the pairs are proposed writes every one of them before the database closes', async () => {
    const iso = isolatedEnv();
    roots.push(iso.cwd);
    const ctx = await loadAppConfig({ cwd: iso.cwd, env: iso.env, demo: true });
    const dbPath = join(iso.cwd, 'close.sqlite');
    const proposed = new Set<string>();
    let runtime: Runtime | null = null;
    let closing: Promise<void> | null = null;
    // one pair to a transaction: most are still held when the quit comes
    runtime = await startRuntime(ctx, {
      dbPath,
      pairsPerWrite: 1,
      onEvent: (event) => {
        if (event.type !== 'pair-proposed') return;
        proposed.add(event.pair.key);
        closing ??= runtime?.close('quit') ?? null;
      },
    });
    runtime.engine.start();
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const wait = (): void => {
        if (closing !== null) closing.then(resolve, reject);
        else if (Date.now() - started > 20_000) reject(new Error('no pair proposed'));
        else setTimeout(wait, 20);
      };
      wait();
    });
    expect(proposed.size).toBeGreaterThan(10);
    const raw = await rawOpen(readFileSync(dbPath));
    const stored = raw.exec("SELECT kalshi_market_id || '|' || polymarket_market_id FROM pairs")[0]?.values.map((v) => v[0]) ?? [];
    const ended = raw.exec('SELECT end_reason FROM sessions')[0]?.values.map((v) => v[0]) ?? [];
    raw.close();
    expect(new Set(stored)).toEqual(proposed);
    expect(ended).toEqual(['quit']);
  });
});
