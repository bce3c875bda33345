import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../source/persistence/database.js';
import { isPersistenceError, type PersistenceErrorCode } from '../../source/persistence/errors.js';
import { LATEST_SCHEMA_VERSION } from '../../source/persistence/migrations.js';
import { loadSqlJs } from '../../source/persistence/sqljs.js';
import { seed, tempDir } from './helpers.js';

const dirs: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

async function validDatabaseBytes(): Promise<Buffer> {
  const d = tempDir();
  dirs.push(d);
  const db = await openDatabase({ path: d.path(), flushMode: 'main-thread' });
  seed(db);
  // make it a few pages long
  db.write((r) => {
    for (let i = 0; i < 300; i += 1) r.audit.append({ actor: 'engine', kind: 'fill-pages', detail: 'x'.repeat(200) });
  });
  await db.close();
  return readFileSync(d.path());
}

async function expectRefused(bytes: Uint8Array | string, code: PersistenceErrorCode, message: RegExp): Promise<void> {
  const d = tempDir();
  dirs.push(d);
  writeFileSync(d.path(), bytes);
  const before = readFileSync(d.path());
  const error = await openDatabase({ path: d.path() }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isPersistenceError(error)).toBe(true);
  if (!isPersistenceError(error)) return;
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(error.message).toContain(d.path());
  expect(error.message).toMatch(/--db/);
  // untouched, no lock or temp file left behind
  expect(readFileSync(d.path()).equals(before)).toBe(true);
  expect(readdirSync(d.dir)).toEqual(['arb.db']);
}

describe('bad database files are refused and left untouched', () => {
  it('a text file', async () => {
    await expectRefused('time,price\n2026-05-01,0.45\n', 'not-a-database', /not an SQLite database/);
  });

  it('random bytes', async () => {
    await expectRefused(new Uint8Array(8192).map((_, i) => (i * 7919) % 251), 'not-a-database', /not an SQLite database/);
  });

  it('an empty file', async () => {
    await expectRefused(new Uint8Array(0), 'truncated', /empty/);
  });

  it('a file cut inside the header', async () => {
    const good = await validDatabaseBytes();
    await expectRefused(good.subarray(0, 60), 'truncated', /truncated/);
  });

  it('a file cut mid-page and at a page boundary', async () => {
    const good = await validDatabaseBytes();
    expect(good.length).toBeGreaterThan(4 * 4096);
    await expectRefused(good.subarray(0, good.length - 1000), 'truncated', /truncated/);
    await expectRefused(good.subarray(0, good.length - 4096), 'truncated', /truncated \(\d+ of \d+ pages/);
  });

  it('a file with damaged pages', async () => {
    const good = Buffer.from(await validDatabaseBytes());
    const bad = Buffer.from(good);
    for (let i = 4096; i < bad.length; i += 1) bad[i] = 0xa5;
    await expectRefused(bad, 'corrupt', /damaged/);
  });

  it('a database written by a newer arb-tui', async () => {
    const good = await validDatabaseBytes();
    const SQL = await loadSqlJs();
    const db = new SQL.Database(good);
    db.exec(`PRAGMA user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    const newer = db.export();
    db.close();
    await expectRefused(newer, 'newer-schema', new RegExp(`newer arb-tui \\(schema version ${LATEST_SCHEMA_VERSION + 1}`));
  });

  it("another program's SQLite database", async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT); INSERT INTO photos (path) VALUES (\'a.jpg\')');
    const other = db.export();
    db.close();
    await expectRefused(other, 'not-a-database', /not an arb-tui one/);
  });

  it('a directory where the file should be', async () => {
    const d = tempDir();
    dirs.push(d);
    mkdirSync(d.path());
    await expect(openDatabase({ path: d.path() })).rejects.toThrow(/is a directory/);
    expect(existsSync(`${d.path()}.lock`)).toBe(false);
  });
});
