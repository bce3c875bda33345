/**
 * A lock is never read half written: it is written to a file of its own and linked into
 * place (found in review: an empty lock, read between another process's create and its
 * write, was judged unreadable and taken over, and both processes held the lock). A young
 * unreadable lock (one being written in place where the file system has no hard links) is
 * waited for, not taken over; an old one still is.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, lockPathFor } from '../../source/persistence/lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'arb-lock-'));
  dirs.push(dir);
  return join(dir, 'arb.sqlite');
}

describe('the lock file', () => {
  it('an empty lock another process has just created is waited for, not taken over: once written, it is that process\'s', async () => {
    const db = dbPath();
    const fd = openSync(lockPathFor(db), 'wx', 0o600);
    // the other process writes its lock a moment later (a file system without hard links)
    const writing = new Promise<void>((resolve) =>
      setTimeout(() => {
        writeSync(fd, JSON.stringify({ pid: process.pid, hostname: hostname(), createdAt: Date.now() }));
        closeSync(fd);
        resolve();
      }, 300),
    );
    const error = await acquireLock(db, { pid: process.pid + 1 }).catch((e: unknown) => e);
    await writing;
    expect(error).toMatchObject({ code: 'locked' });
  });

  it('an unreadable lock left long ago is still taken over, with a notice', async () => {
    const db = dbPath();
    writeFileSync(lockPathFor(db), 'garbage');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPathFor(db), old, old);
    const held = await acquireLock(db);
    expect(held.notices).toEqual([expect.stringContaining('replaced an unreadable lock file')]);
    await held.release();
    expect(existsSync(lockPathFor(db))).toBe(false);
  });

  it('is whole when it appears, leaves no temporary file, and many takers at once get it once', async () => {
    const db = dbPath();
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => acquireLock(db, { pid: process.pid + 100_000 + i, isAlive: () => true })));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'locked' });
    const names = readdirSync(join(db, '..'));
    expect(names.filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
