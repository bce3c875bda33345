/**
 * Checks of a database file's bytes before sql.js sees them: SQLite magic,
 * page size, and the length the header promises. sql.js would happily treat a
 * garbage file as an empty database and we would then overwrite it; we refuse.
 */
import { PersistenceError } from './errors.js';

const MAGIC = 'SQLite format 3\u0000';
export const HEADER_BYTES = 100;

export interface HeaderInfo {
  readonly pageSize: number;
  /** Pages, from the header when it is valid (else derived from the length). */
  readonly pageCount: number;
}

function u16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function u32(bytes: Uint8Array, at: number): number {
  return (((bytes[at] ?? 0) << 24) >>> 0) + ((bytes[at + 1] ?? 0) << 16) + ((bytes[at + 2] ?? 0) << 8) + (bytes[at + 3] ?? 0);
}

/** Throws PersistenceError('not-a-database' | 'truncated') naming `path`. */
export function checkDatabaseBytes(path: string, bytes: Uint8Array): HeaderInfo {
  const advice = 'the file was left untouched; choose another file with --db';
  if (bytes.byteLength === 0) {
    throw new PersistenceError('truncated', `${path} is empty (0 bytes), not an arb-tui database; ${advice}`);
  }
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, MAGIC.length)).toString('latin1');
  if (bytes.byteLength < MAGIC.length ? !MAGIC.startsWith(head) : head !== MAGIC) {
    throw new PersistenceError('not-a-database', `${path} is not an SQLite database; ${advice}`);
  }
  if (bytes.byteLength < HEADER_BYTES) {
    throw new PersistenceError('truncated', `${path} is truncated (${bytes.byteLength} bytes, shorter than an SQLite header); ${advice}`);
  }
  const raw = u16(bytes, 16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new PersistenceError('not-a-database', `${path} has an invalid SQLite header (page size ${raw}); ${advice}`);
  }
  const changeCounter = u32(bytes, 24);
  const headerPages = u32(bytes, 28);
  const validFor = u32(bytes, 92);
  const headerValid = headerPages > 0 && validFor === changeCounter;
  if (bytes.byteLength % pageSize !== 0) {
    throw new PersistenceError(
      'truncated',
      `${path} is truncated or damaged (${bytes.byteLength} bytes is not a whole number of ${pageSize}-byte pages); ${advice}`,
    );
  }
  const actualPages = bytes.byteLength / pageSize;
  if (headerValid && actualPages < headerPages) {
    throw new PersistenceError(
      'truncated',
      `${path} is truncated (${actualPages} of ${headerPages} pages present); ${advice}`,
    );
  }
  return { pageSize, pageCount: headerValid ? headerPages : actualPages };
}
