/**
 * `arb-tui export [--session ID|last|all] [--what opportunities|trades|fills|pairs] [--out FILE]`
 *
 * Reads the database read-only (no lock: a running arb-tui keeps writing; the
 * file is always a complete image thanks to atomic replacement). Writes the CSV
 * to stdout, or to FILE (with a UTF-8 BOM so spreadsheets detect the encoding).
 *
 * FILE is replaced only by a complete export: everything is checked first (the
 * database opens, the session exists, FILE is not the database, its lock or temp
 * files, nor a directory, device or pipe), then the CSV goes to a temp file
 * beside FILE that is renamed over it. A failed export leaves FILE as it was.
 */
import { once } from 'node:events';
import type { Stats } from 'node:fs';
import { open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { csvChunks } from '../export/csv.js';
import { EXPORT_KINDS, FILL_COLUMNS, OPPORTUNITY_COLUMNS, opportunityRecord, PAIR_COLUMNS, TRADE_COLUMNS, type ExportKind } from '../export/session-csv.js';
import { openDatabase, type ArbDatabase } from '../persistence/database.js';
import { fsyncDirectory, isTempFileOf, tempPathFor } from '../persistence/atomic-file.js';
import { errnoCode, PersistenceError } from '../persistence/errors.js';
import { lockPathFor } from '../persistence/lock.js';
import {
  fillExportRows,
  iterateOpportunityExportRows,
  pairExportRows,
  resolveSessions,
  tradeExportRows,
  type SessionSelector,
} from '../persistence/export-queries.js';

export interface ExportArgs {
  readonly dbPath: string;
  /** A session id, 'last' or 'all'. */
  readonly session: string;
  readonly what: ExportKind;
  readonly out?: string | undefined;
}

export function parseSessionSelector(text: string): SessionSelector {
  const t = text.trim().toLowerCase();
  if (t === 'last') return { kind: 'last' };
  if (t === 'all') return { kind: 'all' };
  if (/^\d{1,15}$/.test(t) && Number(t) > 0) return { kind: 'id', id: Number(t) };
  throw new PersistenceError('usage', `--session must be a session id, "last" or "all", got ${JSON.stringify(text)}`);
}

/** Which columns and rows an export writes: the rows are read lazily (opportunities stream from the database). */
function exportChunks(db: ArbDatabase, args: Omit<ExportArgs, 'out'>, bom: boolean): Iterable<string> {
  if (!EXPORT_KINDS.includes(args.what)) {
    throw new PersistenceError('usage', `--what must be one of ${EXPORT_KINDS.join(', ')}, got ${JSON.stringify(args.what)}`);
  }
  const selector = parseSessionSelector(args.session);
  const ids = resolveSessions(db.conn, selector, db.path);
  const options = { bom };
  switch (args.what) {
    case 'opportunities':
      return csvChunks(OPPORTUNITY_COLUMNS, iterateOpportunityExportRows(db.conn, ids), { ...options, record: opportunityRecord });
    case 'trades':
      return csvChunks(TRADE_COLUMNS, tradeExportRows(db.conn, ids), options);
    case 'fills':
      return csvChunks(FILL_COLUMNS, fillExportRows(db.conn, ids), options);
    case 'pairs':
      return csvChunks(PAIR_COLUMNS, pairExportRows(db.conn, selector.kind === 'all' ? 'all' : ids), options);
  }
}

/** Usage errors, before the database or any output file is touched. */
function checkUsage(args: Omit<ExportArgs, 'out'>): void {
  if (!EXPORT_KINDS.includes(args.what)) {
    throw new PersistenceError('usage', `--what must be one of ${EXPORT_KINDS.join(', ')}, got ${JSON.stringify(args.what)}`);
  }
  parseSessionSelector(args.session);
}

async function withReadOnly<T>(args: Omit<ExportArgs, 'out'>, fn: (db: ArbDatabase) => Promise<T>): Promise<T> {
  checkUsage(args);
  const db = await openDatabase({ path: args.dbPath, readOnly: true });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Build the CSV text for an export (no I/O besides reading the database). */
export async function buildExport(args: Omit<ExportArgs, 'out'>, options: { bom?: boolean } = {}): Promise<string> {
  return withReadOnly(args, async (db) => {
    let out = '';
    for (const chunk of exportChunks(db, args, options.bom ?? false)) out += chunk;
    return out;
  });
}

/**
 * Write the export chunk by chunk to `write` (awaited: backpressure), never
 * holding the whole document. Returns the number of characters written.
 */
export async function streamExport(
  args: Omit<ExportArgs, 'out'>,
  write: (chunk: string) => void | Promise<void>,
  options: { bom?: boolean } = {},
): Promise<number> {
  return withReadOnly(args, async (db) => {
    let n = 0;
    for (const chunk of exportChunks(db, args, options.bom ?? false)) {
      n += chunk.length;
      await write(chunk);
    }
    return n;
  });
}

/**
 * A writer for an export into `path` that respects backpressure. The chunks go
 * to a new temp file beside `path` (exclusive create, mode 0600); `close()`
 * fsyncs it and renames it over `path`, so whatever was at `path` stays as it
 * was until the export is complete. `abort()` removes only the temp file.
 */
export async function fileChunkWriter(path: string): Promise<{ write: (chunk: string) => Promise<void>; close: () => Promise<void>; abort: () => Promise<void> }> {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.chmod(0o600); // umask may have narrowed it; make it exact
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  // A large buffer: the next chunks are rendered while the earlier ones are being written.
  // flush: the data is fsynced before the stream finishes, so the rename never exposes a half file.
  const stream = handle.createWriteStream({ encoding: 'utf8', highWaterMark: 1 << 20, flush: true });
  let failure: Error | null = null;
  stream.on('error', (error) => {
    failure = error;
  });
  return {
    write: async (chunk) => {
      if (failure) throw failure;
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    close: async () => {
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (!stream.closed) await once(stream, 'close');
      if (failure) throw failure;
      // Checked again right before the rename: something put there meanwhile is not replaced either.
      refuseNonRegular(path, await statOrNull(path));
      await rename(temp, path);
      // best effort: the export is already in place
      await fsyncDirectory(dirname(path)).catch(() => undefined);
    },
    /** Stop and remove the temp file (a half CSV must not look like an export); `path` is not touched. */
    abort: async () => {
      if (!stream.destroyed) {
        stream.destroy();
        await once(stream, 'close').catch(() => undefined);
      }
      await unlink(temp).catch(() => undefined);
    },
  };
}

function isMissing(error: unknown): boolean {
  return errnoCode(error) === 'ENOENT';
}

/** `stat` (following links), or null when nothing is there. */
async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** `path` absolute with every symbolic link resolved, also when the file itself does not exist yet. */
async function realPathOf(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  return join(await realpath(dirname(absolute)), basename(absolute));
}

function sameFile(a: Stats | null, b: Stats | null): boolean {
  return a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;
}

/** A directory, a device, a FIFO or a socket at `path` is refused, never replaced by the CSV. */
function refuseNonRegular(out: string, existing: Stats | null): void {
  if (existing === null || existing.isFile()) return;
  if (existing.isDirectory()) throw new PersistenceError('usage', `--out ${out} is a directory; name a file to write the CSV to`);
  throw new PersistenceError('usage', `--out ${out} is not a regular file (a device, pipe or socket); leave out --out to write to standard output`);
}

/**
 * Which of the database's files `target` is, or null: the database itself (also through
 * another spelling, a link, or a case-insensitive file system), its lock file
 * (or a lock moved aside in a takeover), or one of its flush temp files.
 * Replacing any of them would lose the history or confuse a running arb-tui.
 */
async function databaseClash(target: string, existing: Stats | null, dbPath: string): Promise<string | null> {
  // A database path that cannot be resolved does not exist: opening it fails later with its own message.
  const db = await realPathOf(dbPath).catch(() => resolve(dbPath));
  const lock = lockPathFor(db);
  const [dbStats, lockStats] = existing === null ? [null, null] : await Promise.all([statOrNull(db).catch(() => null), statOrNull(lock).catch(() => null)]);
  if (target === db || sameFile(existing, dbStats)) return `the database itself (--db ${dbPath})`;
  if (target === lock || target.startsWith(`${lock}.stale-`) || sameFile(existing, lockStats)) return "the database's lock file";
  if (dirname(target) === dirname(db) && isTempFileOf(db, basename(target))) return 'a temporary file of the database';
  return null;
}

/**
 * Where `--out` writes: the path with symbolic links resolved (a link keeps
 * pointing at the new export), after refusing what must never be replaced.
 * Creates nothing.
 */
async function outTarget(out: string, dbPath: string): Promise<string> {
  let target: string;
  let existing: Stats | null;
  try {
    target = await realPathOf(out);
    existing = await statOrNull(target);
  } catch (error) {
    const why = isMissing(error) ? `the directory ${dirname(resolve(out))} does not exist` : (error as Error).message;
    throw new PersistenceError('io', `cannot write ${out}: ${why}`, { cause: error });
  }
  refuseNonRegular(out, existing);
  const clash = await databaseClash(target, existing, dbPath);
  if (clash !== null) throw new PersistenceError('usage', `--out ${out} is ${clash}; choose another file for the CSV`);
  return target;
}

export async function runExport(args: ExportArgs, io: { stdout(text: string): void }): Promise<void> {
  const toFile = args.out !== undefined && args.out !== '' && args.out !== '-';
  if (!toFile) {
    await streamExport(args, (chunk) => io.stdout(chunk));
    return;
  }
  const out = args.out as string;
  // Everything that can be refused is refused before any file is created.
  checkUsage(args);
  const target = await outTarget(out, args.dbPath);
  await withReadOnly(args, async (db) => {
    const chunks = exportChunks(db, args, true); // resolves the sessions: an unknown one throws here
    let writer;
    try {
      writer = await fileChunkWriter(target);
    } catch (error) {
      throw new PersistenceError('io', `cannot write ${out}: ${(error as Error).message}`, { cause: error });
    }
    try {
      for (const chunk of chunks) await writer.write(chunk);
      await writer.close();
    } catch (error) {
      await writer.abort();
      if (error instanceof PersistenceError && error.code !== 'io') throw error;
      throw new PersistenceError('io', `cannot write ${out}: ${(error as Error).message}; ${out} was left untouched`, { cause: error });
    }
  });
}
