/**
 * `arb-tui export --out FILE` through the CLI entry (in process): nothing the
 * user had is truncated or deleted unless the export succeeded, the database
 * (and its lock / temp siblings) can never be the output, and a path that is
 * not a regular file is refused rather than replaced.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fileChunkWriter } from '../../source/cli/export-command.js';
import { openDatabase } from '../../source/persistence/database.js';
import { lockPathFor } from '../../source/persistence/lock.js';
import { seed } from '../persistence/helpers.js';
import { cli, isolatedEnv, type CliRun } from './run-cli.js';

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A refusal is one line on stderr, exit 2, nothing on stdout, no stack trace. */
function expectRefused(r: CliRun, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

let iso: ReturnType<typeof isolatedEnv>;
let db: string;
let dbSha: string;
beforeEach(async () => {
  iso = isolatedEnv();
  db = join(iso.cwd, 'history.sqlite');
  const opened = await openDatabase({ path: db, flushMode: 'main-thread' });
  seed(opened);
  await opened.close();
  dbSha = sha(db);
});

/** What is in the directory besides `keep` (a leftover temp file would show here). */
const entries = (dir: string): string[] => readdirSync(dir).sort();

describe('arb-tui export --out', () => {
  it('writes the CSV (with a BOM) to --out, replacing an older file there, mode 0600, no temp file left', async () => {
    const stdout = await cli(['export', '--session', 'all', '--what', 'trades', '--db', db], iso);
    expect(stdout.code).toBe(0);
    expect(stdout.stdout.startsWith('session_id,')).toBe(true);
    const out = join(iso.cwd, 'trades.csv');
    writeFileSync(out, 'an older export that is longer than the new one will be '.repeat(200), { mode: 0o644 });
    const before = entries(iso.cwd);
    const r = await cli(['export', '--session', 'all', '--what', 'trades', '--db', db, '--out', out], iso);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe(`\uFEFF${stdout.stdout}`);
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(entries(iso.cwd)).toEqual(before);
    expect(sha(db)).toBe(dbSha);
    // a new file, too
    const fresh = join(iso.cwd, 'fresh.csv');
    expect((await cli(['export', '--session', '1', '--what', 'pairs', '--db', db, '--out', fresh], iso)).code).toBe(0);
    expect(readFileSync(fresh, 'utf8')).toMatch(/^\uFEFFpair_id,/);
  });

  it('refuses --out naming the database itself and leaves it byte-identical', async () => {
    const before = entries(iso.cwd);
    expectRefused(await cli(['export', '--db', db, '--out', db], iso), /--out .*history\.sqlite is the database/);
    expect(sha(db)).toBe(dbSha);
    expect(entries(iso.cwd)).toEqual(before);
    // the same file by another spelling, or through a symbolic link
    expectRefused(await cli(['export', '--db', db, '--out', join(iso.cwd, '.', 'sub', '..', 'history.sqlite')], iso), /is the database/);
    if (process.platform !== 'win32') {
      const link = join(iso.cwd, 'link.csv');
      symlinkSync(db, link);
      expectRefused(await cli(['export', '--db', db, '--out', link], iso), /is the database/);
      expect(sha(db)).toBe(dbSha);
    }
    // the database file through a linked directory (--db spelled through the link)
    if (process.platform !== 'win32') {
      const linkedDir = join(iso.cwd, 'linked-dir');
      symlinkSync(iso.cwd, linkedDir);
      expectRefused(await cli(['export', '--db', join(linkedDir, 'history.sqlite'), '--out', db], iso), /is the database/);
      expect(sha(db)).toBe(dbSha);
    }
  });

  it("refuses --out naming the database's lock file or one of its temp files", async () => {
    const lock = lockPathFor(db);
    expectRefused(await cli(['export', '--db', db, '--out', lock], iso), /is the database's lock file/);
    expect(existsSync(lock)).toBe(false);
    const temp = join(iso.cwd, '.history.sqlite.tmp-12345-abcdef01');
    writeFileSync(temp, 'a flush in progress');
    expectRefused(await cli(['export', '--db', db, '--out', temp], iso), /is a temporary file of the database/);
    expect(readFileSync(temp, 'utf8')).toBe('a flush in progress');
    expectRefused(await cli(['export', '--db', db, '--out', `${lock}.stale-42-0`], iso), /is the database's lock file/);
    expect(sha(db)).toBe(dbSha);
  });

  it('a failing export (unknown session) leaves an existing --out file byte-identical', async () => {
    const keep = join(iso.cwd, 'keep.csv');
    writeFileSync(keep, 'precious,data\r\n1,2\r\n');
    const keepSha = sha(keep);
    const before = entries(iso.cwd);
    expectRefused(await cli(['export', '--session', '999', '--db', db, '--out', keep], iso), /no session 999 in .*history\.sqlite/);
    expect(sha(keep)).toBe(keepSha);
    expect(entries(iso.cwd)).toEqual(before);
    // a bad --session is refused the same way, and no file is created for a new --out either
    expectRefused(await cli(['export', '--session', 'first', '--db', db, '--out', keep], iso), /--session must be/);
    expect(sha(keep)).toBe(keepSha);
    expectRefused(await cli(['export', '--session', '999', '--db', db, '--out', join(iso.cwd, 'new.csv')], iso), /no session 999/);
    expect(entries(iso.cwd)).toEqual(before);
  });

  it('a database that cannot be read leaves --out and the database untouched (as the message says)', async () => {
    const junk = join(iso.cwd, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all, just some text long enough to have a header');
    const junkSha = sha(junk);
    const keep = join(iso.cwd, 'keep.csv');
    writeFileSync(keep, 'precious\r\n');
    const keepSha = sha(keep);
    const before = entries(iso.cwd);
    expectRefused(await cli(['export', '--db', junk, '--out', keep], iso), /left untouched/);
    expect(sha(junk)).toBe(junkSha);
    expect(sha(keep)).toBe(keepSha);
    // a database that does not exist: not created, and --out not created
    expectRefused(await cli(['export', '--db', join(iso.cwd, 'missing.sqlite'), '--out', join(iso.cwd, 'new.csv')], iso), /no database at/);
    expect(entries(iso.cwd)).toEqual(before);
  });

  it('refuses --out naming a directory and leaves the directory untouched', async () => {
    const dir = join(iso.cwd, 'exports');
    mkdirSync(dir);
    writeFileSync(join(dir, 'old.csv'), 'old\r\n');
    expectRefused(await cli(['export', '--db', db, '--out', dir], iso), /--out .*exports is a directory/);
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(entries(dir)).toEqual(['old.csv']);
    expect(readFileSync(join(dir, 'old.csv'), 'utf8')).toBe('old\r\n');
  });

  it.skipIf(process.platform === 'win32')('refuses --out naming a FIFO (not a regular file) and leaves it in place', async () => {
    const fifo = join(iso.cwd, 'pipe');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo here: nothing to check
    }
    expectRefused(await cli(['export', '--db', db, '--out', fifo], iso), /--out .*pipe is not a regular file/);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses --out in a directory that does not exist, creating nothing', async () => {
    const before = entries(iso.cwd);
    expectRefused(await cli(['export', '--db', db, '--out', join(iso.cwd, 'nowhere', 'x.csv')], iso), /cannot write .*nowhere.*x\.csv/);
    expect(entries(iso.cwd)).toEqual(before);
  });

  it.skipIf(process.platform === 'win32')('--out through a symbolic link replaces the file it points at and keeps the link', async () => {
    const real = join(iso.cwd, 'real.csv');
    writeFileSync(real, 'old\r\n');
    const link = join(iso.cwd, 'latest.csv');
    symlinkSync(real, link);
    expect((await cli(['export', '--session', 'all', '--what', 'pairs', '--db', db, '--out', link], iso)).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, 'utf8')).toMatch(/^\uFEFFpair_id,/);
  });
});

describe('fileChunkWriter', () => {
  it('an aborted export removes only its temp file: the file at the path is not touched', async () => {
    const out = join(iso.cwd, 'keep.csv');
    writeFileSync(out, 'precious\r\n');
    const before = entries(iso.cwd);
    const writer = await fileChunkWriter(out);
    await writer.write('half a csv,');
    expect(entries(iso.cwd).length).toBe(before.length + 1); // the temp file, beside the target
    await writer.abort();
    expect(readFileSync(out, 'utf8')).toBe('precious\r\n');
    expect(entries(iso.cwd)).toEqual(before);
  });

  it('close puts the complete file in place', async () => {
    const out = join(iso.cwd, 'new.csv');
    const writer = await fileChunkWriter(out);
    expect(existsSync(out)).toBe(false);
    await writer.write('a,b\r\n');
    await writer.write('1,2\r\n');
    await writer.close();
    expect(readFileSync(out, 'utf8')).toBe('a,b\r\n1,2\r\n');
    expect(entries(iso.cwd)).toEqual(['history.sqlite', 'new.csv']);
  });
});
