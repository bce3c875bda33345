/**
 * `arb-tui export [--session ID|last|all] [--what opportunities|trades|fills|pairs] [--out FILE]`
 *
 * Reads the database read-only (no lock: a running arb-tui keeps writing; the
 * file is always a complete image thanks to atomic replacement). Writes the CSV
 * to stdout, or to FILE (with a UTF-8 BOM so spreadsheets detect the encoding).
 */
import { once } from 'node:events';
import { open, unlink } from 'node:fs/promises';
import { csvChunks } from '../export/csv.js';
import { EXPORT_KINDS, FILL_COLUMNS, OPPORTUNITY_COLUMNS, opportunityRecord, PAIR_COLUMNS, TRADE_COLUMNS, type ExportKind } from '../export/session-csv.js';
import { openDatabase, type ArbDatabase } from '../persistence/database.js';
import { PersistenceError } from '../persistence/errors.js';
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

async function withReadOnly<T>(args: Omit<ExportArgs, 'out'>, fn: (db: ArbDatabase) => Promise<T>): Promise<T> {
  if (!EXPORT_KINDS.includes(args.what)) {
    throw new PersistenceError('usage', `--what must be one of ${EXPORT_KINDS.join(', ')}, got ${JSON.stringify(args.what)}`);
  }
  parseSessionSelector(args.session); // usage errors before touching the file
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

/** A writer for `streamExport` into a new file (mode 0600) that respects backpressure. */
export async function fileChunkWriter(path: string): Promise<{ write: (chunk: string) => Promise<void>; close: () => Promise<void>; abort: () => Promise<void> }> {
  const handle = await open(path, 'w', 0o600);
  // A large buffer: the next chunks are rendered while the earlier ones are being written.
  const stream = handle.createWriteStream({ encoding: 'utf8', highWaterMark: 1 << 20 });
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
      if (failure) throw failure;
    },
    /** Stop and remove the partial file (a half CSV must not look like an export). */
    abort: async () => {
      if (!stream.destroyed) {
        stream.destroy();
        await once(stream, 'close').catch(() => undefined);
      }
      await unlink(path).catch(() => undefined);
    },
  };
}

export async function runExport(args: ExportArgs, io: { stdout(text: string): void }): Promise<void> {
  const toFile = args.out !== undefined && args.out !== '' && args.out !== '-';
  if (!toFile) {
    await streamExport(args, (chunk) => io.stdout(chunk));
    return;
  }
  const out = args.out as string;
  let writer;
  try {
    writer = await fileChunkWriter(out);
  } catch (error) {
    throw new PersistenceError('io', `cannot write ${out}: ${(error as Error).message}`, { cause: error });
  }
  try {
    await streamExport(args, writer.write, { bom: true });
    await writer.close();
  } catch (error) {
    await writer.abort();
    if (error instanceof PersistenceError && error.code !== 'io') throw error;
    throw new PersistenceError('io', `cannot write ${out}: ${(error as Error).message}`, { cause: error });
  }
}
