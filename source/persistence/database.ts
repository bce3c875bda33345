/**
 * The arb-tui database: one sql.js database in memory, persisted to one file.
 *
 * Opening: take the lock, read and check the file (never written when it is
 * not a database, truncated, corrupt or from a newer arb-tui), migrate, and
 * write it back atomically if it is new or was migrated.
 *
 * Durability: every write runs in a transaction. `flushNow()` persists every
 * transaction committed before the call (the caller awaits it before acting on
 * a money-critical record: an order about to be sent, a fill, an approval).
 * Everything else is flushed on an interval (default 1 s) and by `close()`,
 * which the app calls on exit, SIGINT and SIGTERM. A flush exports the image
 * (in the mirror worker by default, so the event loop is not stalled) and
 * replaces the file atomically (atomic-file.ts).
 */
import { lstat, mkdir, readdir, readFile, readlink, realpath, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Database } from 'sql.js';
import { atomicWriteFile, isTempFileOf } from './atomic-file.js';
import { SqlConnection } from './connection.js';
import { errnoCode, isPersistenceError, PersistenceError } from './errors.js';
import { checkDatabaseBytes } from './file-check.js';
import { acquireLock, isProcessAlive, type HeldLock } from './lock.js';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, migrate, schemaVersionOf } from './migrations.js';
import { MirrorWorker } from './mirror-worker.js';
import { Repositories } from './repositories.js';
import { loadSqlJs, SQLJS_CONNECTION_PRAGMAS } from './sqljs.js';

export type FlushMode = 'worker' | 'main-thread';

export interface OpenDatabaseOptions {
  /** Path of the database file (the lead's config resolves `dbPath` / `--db`). */
  readonly path: string;
  /** Read only: no lock, no migration written, no flushes (export, sessions). */
  readonly readOnly?: boolean;
  /** Interval of background flushes, ms (default 1000). */
  readonly flushIntervalMs?: number;
  /** Where the image is exported: a worker thread (default) or the main thread. */
  readonly flushMode?: FlushMode;
  /** Clock, ms since epoch. */
  readonly now?: () => number;
  /** Non-fatal problems (a background flush failed, the worker fell back…). */
  readonly onWarning?: (message: string) => void;
  /** Migrate only up to this version (tests of migrations). */
  readonly targetVersion?: number;
}

const ADVICE = 'the file was left untouched; choose another file with --db';

function describeSqlError(path: string, error: unknown): PersistenceError {
  const message = error instanceof Error ? error.message : String(error);
  if (/not a database|file is encrypted/i.test(message)) {
    return new PersistenceError('not-a-database', `${path} is not an SQLite database; ${ADVICE}`, { cause: error });
  }
  return new PersistenceError('corrupt', `${path} is damaged (${message}); ${ADVICE}`, { cause: error });
}

/** Remove temp files left beside `path` by a process that died mid-flush (we hold the lock). */
async function removeStaleTempFiles(path: string): Promise<void> {
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    if (!isTempFileOf(path, name)) continue;
    const pid = Number(/\.tmp-(\d+)-/.exec(name.slice(basename(path).length + 1))?.[1]);
    if (pid === process.pid || isProcessAlive(pid)) continue;
    await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}

function tableCount(conn: SqlConnection): number {
  const rows = conn.all("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'", [], (r) => r['n']);
  return Number(rows[0] ?? 0n);
}

export class ArbDatabase {
  readonly path: string;
  readonly readOnly: boolean;
  readonly conn: SqlConnection;
  readonly repos: Repositories;
  /** Human-readable notices from opening (stale lock taken over, migrated…). */
  readonly notices: readonly string[];
  readonly schemaVersion: number;

  readonly #lock: HeldLock | null;
  readonly #now: () => number;
  readonly #onWarning: (message: string) => void;
  #mirror: MirrorWorker | null = null;
  #timer: NodeJS.Timeout | null = null;
  #generation = 0;
  #flushedGeneration = 0;
  #flushing: Promise<void> | null = null;
  #closed = false;
  #lastFlushError: unknown = null;

  /** @internal use openDatabase() */
  constructor(init: {
    path: string;
    readOnly: boolean;
    conn: SqlConnection;
    lock: HeldLock | null;
    notices: readonly string[];
    now: () => number;
    onWarning: (message: string) => void;
    schemaVersion: number;
  }) {
    this.path = init.path;
    this.readOnly = init.readOnly;
    this.conn = init.conn;
    this.#lock = init.lock;
    this.notices = init.notices;
    this.#now = init.now;
    this.#onWarning = init.onWarning;
    this.schemaVersion = init.schemaVersion;
    this.repos = new Repositories(init.conn, init.now);
    init.conn.onCommitted(() => this.#committed());
  }

  /** Transactions committed so far / persisted so far (monotonic counters). */
  get generation(): number {
    return this.#generation;
  }

  get flushedGeneration(): number {
    return this.#flushedGeneration;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Which flush path is in use now (the worker falls back to main-thread on failure). */
  get flushMode(): FlushMode {
    return this.#mirror && this.#mirror.failure === null ? 'worker' : 'main-thread';
  }

  #committed(): void {
    if (this.readOnly) {
      // In-memory only (e.g. a migration of an old file for export): nothing is written.
      return;
    }
    this.#generation += 1;
  }

  /** Run `fn` in one transaction; it is persisted by the next background flush. */
  write<T>(fn: (repos: Repositories) => T): T {
    this.#assertWritable();
    return this.conn.transaction(() => fn(this.repos));
  }

  /** Run `fn` in one transaction and resolve once it is on disk. */
  async writeCritical<T>(fn: (repos: Repositories) => T): Promise<T> {
    const result = this.write(fn);
    await this.flushNow();
    return result;
  }

  #assertWritable(): void {
    if (this.#closed) throw new PersistenceError('closed', 'the database is closed');
    if (this.readOnly) throw new PersistenceError('usage', `${this.path} was opened read-only`);
  }

  /**
   * Persist every transaction committed before this call. Rejects (with a
   * PersistenceError) if the file could not be written: the caller must not
   * continue with the action the record describes.
   */
  async flushNow(): Promise<void> {
    if (this.readOnly) return;
    const target = this.#generation;
    while (this.#flushedGeneration < target) {
      if (this.#flushing) {
        await this.#flushing.catch(() => undefined);
        continue;
      }
      const run = this.#flushOnce();
      this.#flushing = run;
      try {
        await run;
      } finally {
        this.#flushing = null;
      }
    }
  }

  async #flushOnce(): Promise<void> {
    const generation = this.#generation;
    let bytes: Uint8Array | null = null;
    if (this.#mirror && this.#mirror.failure === null) {
      try {
        bytes = await this.#mirror.export();
      } catch (error) {
        this.#onWarning(`flush worker failed (${(error as Error).message}); flushing on the main thread from now on`);
        bytes = null;
      }
    }
    // Main thread: export the image as of now (covers everything up to this.#generation).
    const exportedAt = bytes === null ? this.#generation : generation;
    bytes ??= this.conn.export();
    await atomicWriteFile(this.path, bytes);
    this.#flushedGeneration = Math.max(this.#flushedGeneration, exportedAt);
    this.#lastFlushError = null;
  }

  startBackgroundFlush(intervalMs: number): void {
    if (this.readOnly || this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#flushing || this.#flushedGeneration >= this.#generation) return;
      this.flushNow().catch((error: unknown) => {
        // Report each distinct failure once; retried on the next tick.
        const message = error instanceof Error ? error.message : String(error);
        if (this.#lastFlushError === null || String(this.#lastFlushError) !== message) {
          this.#onWarning(`background flush failed: ${message}`);
        }
        this.#lastFlushError = message;
      });
    }, intervalMs);
    this.#timer.unref();
  }

  /** @internal first write of a new or migrated file */
  async flushInitial(): Promise<void> {
    await this.#flushOnce();
  }

  /** @internal */
  attachMirror(mirror: MirrorWorker): void {
    this.#mirror = mirror;
    // Registered after ArbDatabase's own listener, so the generation is counted first.
    const stop = this.conn.onCommit((batch) => {
      if (mirror.failure !== null) {
        stop(); // the mirror is no longer used: stop recording batches
        return;
      }
      mirror.post(batch);
    });
  }

  /**
   * Final flush, stop the worker, release the lock. Call on exit, SIGINT and
   * SIGTERM. Rejects if the final flush failed (the lock is released anyway).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    try {
      await this.flushNow();
    } finally {
      this.#closed = true;
      await this.#mirror?.close();
      this.#mirror = null;
      this.conn.close();
      await this.#lock?.release();
    }
  }
}

/**
 * The file a database path names: symbolic links followed (the file itself, else its
 * directory when the file does not exist yet), so that a save replaces the file the link
 * points to, not the link, and every spelling of one file takes the same lock (found in
 * review: a link was replaced by a regular file and locked apart from its target).
 */
async function realFilePath(path: string, depth = 0): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') return absolute;
  }
  // a link whose file does not exist yet (set up before the first run): the file it names
  try {
    if (depth < 8 && (await lstat(absolute)).isSymbolicLink()) return await realFilePath(resolve(dirname(absolute), await readlink(absolute)), depth + 1);
  } catch {
    // not there at all: its directory's real path below
  }
  try {
    return join(await realpath(dirname(absolute)), basename(absolute));
  } catch {
    return absolute;
  }
}

/** Open (or create) the database file at `options.path`. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<ArbDatabase> {
  const path = await realFilePath(options.path);
  const readOnly = options.readOnly ?? false;
  const now = options.now ?? Date.now;
  const onWarning = options.onWarning ?? (() => undefined);
  const notices: string[] = [];

  let existing: Uint8Array | null = null;
  let lock: HeldLock | null = null;
  let db: Database | null = null;
  try {
    if (!readOnly) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      lock = await acquireLock(path, { now });
      notices.push(...lock.notices);
      await removeStaleTempFiles(path);
    }
    try {
      existing = await readFile(path);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT') {
        if (readOnly) throw new PersistenceError('not-found', `no database at ${path} (nothing recorded yet)`);
      } else if (code === 'EISDIR') {
        throw new PersistenceError('not-a-database', `${path} is a directory, not a database file; choose another file with --db`);
      } else {
        throw new PersistenceError('io', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
      }
    }
    if (existing !== null) checkDatabaseBytes(path, existing);

    const SQL = await loadSqlJs();
    try {
      db = existing !== null ? new SQL.Database(existing) : new SQL.Database();
    } catch (error) {
      throw describeSqlError(path, error);
    }
    const conn = new SqlConnection(db);
    if (existing !== null) {
      let check: unknown;
      try {
        check = conn.pragma('quick_check');
      } catch (error) {
        throw describeSqlError(path, error);
      }
      if (check !== 'ok') throw new PersistenceError('corrupt', `${path} is damaged (integrity check: ${String(check)}); ${ADVICE}`);
      const appId = Number(conn.pragma('application_id') ?? 0n);
      if (appId !== APPLICATION_ID && !(appId === 0 && tableCount(conn) === 0)) {
        throw new PersistenceError('not-a-database', `${path} is an SQLite database but not an arb-tui one; ${ADVICE}`);
      }
      const version = schemaVersionOf(conn);
      if (version > LATEST_SCHEMA_VERSION) {
        throw new PersistenceError(
          'newer-schema',
          `${path} was written by a newer arb-tui (schema version ${version}; this version reads up to ${LATEST_SCHEMA_VERSION}); ` +
            `upgrade arb-tui, or choose another file with --db; the file was left untouched`,
        );
      }
    }
    conn.setConnectionPragma('PRAGMA foreign_keys = ON');
    for (const pragma of SQLJS_CONNECTION_PRAGMAS) conn.setConnectionPragma(pragma);

    let result;
    try {
      result = migrate(conn, now(), options.targetVersion ?? LATEST_SCHEMA_VERSION);
    } catch (error) {
      if (isPersistenceError(error) && error.code === 'corrupt') throw new PersistenceError('corrupt', `${path}: ${error.message}; ${ADVICE}`, { cause: error });
      throw error;
    }
    if (result.to !== result.from && existing !== null) {
      notices.push(`migrated ${path} from schema version ${result.from} to ${result.to}${readOnly ? ' (in memory only)' : ''}`);
    }
    const database = new ArbDatabase({
      path,
      readOnly,
      conn,
      lock,
      notices,
      now,
      onWarning,
      schemaVersion: result.to,
    });
    if (!readOnly) {
      if (existing === null || result.to !== result.from) await database.flushInitial();
      if ((options.flushMode ?? 'worker') === 'worker') database.attachMirror(new MirrorWorker(conn.export()));
      database.startBackgroundFlush(options.flushIntervalMs ?? 1000);
    }
    db = null; // owned by `database` now
    lock = null;
    return database;
  } catch (error) {
    db?.close();
    await lock?.release();
    if (isPersistenceError(error)) throw error;
    throw new PersistenceError('io', `cannot open ${path}: ${(error as Error).message}`, { cause: error });
  }
}
