/**
 * A database path that is a symbolic link opens the file it points to: a save replaces
 * that file (not the link), and the link and its target take one lock (found in review:
 * the link became a regular file holding the new session, and two processes could open
 * the same history through two spellings).
 */
import { lstatSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../source/persistence/database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('a database path through a symbolic link', () => {
  it('saves into the target, keeps the link, and shares the target lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-link-'));
    dirs.push(dir);
    const real = join(dir, 'real.sqlite');
    const link = join(dir, 'link.sqlite');
    const first = await openDatabase({ path: real });
    first.write((r) => r.sessions.start({ mode: 'monitor', demo: false, appVersion: 't', configDigest: 'd' }));
    await first.close();
    symlinkSync('real.sqlite', link);

    const viaLink = await openDatabase({ path: link });
    // the target is in use: opening it by its own name is refused
    await expect(openDatabase({ path: real })).rejects.toMatchObject({ code: 'locked' });
    viaLink.write((r) => r.sessions.start({ mode: 'monitor', demo: false, appVersion: 't', configDigest: 'd' }));
    await viaLink.close();

    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const target = await openDatabase({ path: real, readOnly: true });
    try {
      expect(target.repos.sessions.list()).toHaveLength(2);
    } finally {
      await target.close();
    }
  });

  it('a link set up before the first run (its file not there yet) makes the file it names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-link-'));
    dirs.push(dir);
    const link = join(dir, 'link.sqlite');
    symlinkSync('later.sqlite', link);
    const db = await openDatabase({ path: link });
    db.write((r) => r.sessions.start({ mode: 'monitor', demo: false, appVersion: 't', configDigest: 'd' }));
    await db.close();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'later.sqlite')).isFile()).toBe(true);
  });
});
