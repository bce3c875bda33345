import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { acquireLock, lockPathFor } from '../../source/persistence/lock.js';

it('the lock holder removes copies left by a takeover that was killed half way', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arb-lock-'));
  try {
    const db = join(dir, 'arb.db');
    writeFileSync(`${lockPathFor(db)}.stale-4242-0`, '{"pid":4242}');
    writeFileSync(join(dir, 'unrelated.txt'), 'keep me');
    const lock = await acquireLock(db);
    expect(readdirSync(dir).sort()).toEqual(['arb.db.lock', 'unrelated.txt']);
    await lock.release();
    expect(readdirSync(dir).sort()).toEqual(['unrelated.txt']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
