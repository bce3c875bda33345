/**
 * zod schemas for reading rows back: the file is an external input (it may
 * have been edited by hand), so every row crossing into TypeScript is checked.
 * INTEGER columns arrive as bigint (see connection.ts).
 */
import { z } from 'zod';
import type { SqlCell, SqlRow } from './connection.js';
import { PersistenceError } from './errors.js';

/** A fixed-point amount at scale 1e6. */
export const zE6 = z.bigint();
export const zOptE6 = z.bigint().nullable();

/** An integer that must be a safe JS number (ids, counts, ms timestamps). */
export const zSafeInt = z
  .bigint()
  .refine((v) => v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER), 'not a safe integer')
  .transform((v) => Number(v));
export const zOptSafeInt = zSafeInt.nullable();
export const zText = z.string();
export const zOptText = z.string().nullable();
export const zBool = z.union([z.literal(0n), z.literal(1n)]).transform((v) => v === 1n);
export const zOptBool = zBool.nullable();
export const zVenue = z.enum(['kalshi', 'polymarket']);
export const zSide = z.enum(['yes', 'no']);
export const zAction = z.enum(['buy', 'sell']);

export function rowParser<S extends z.ZodType>(schema: S, what: string): (row: SqlRow) => z.output<S> {
  return (row) => {
    const result = schema.safeParse(row);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.join('.') ?? '?';
      throw new PersistenceError('bad-row', `a ${what} row in the database is invalid: field ${field}: ${issue?.message ?? 'invalid'}`);
    }
    return result.data;
  };
}

/*
 * Compiled checks for bulk reads (CSV export of 100,000+ rows), where a zod
 * parse per row costs more than the read itself. Each function checks one
 * cell exactly as the zod schema above of the same name does (type,
 * nullability, safe-integer range, enum membership) and fails the same way:
 * PersistenceError('bad-row') naming the table and field. test/persistence
 * checks both agree on valid and invalid cells.
 */

function badCell(what: string, field: string, message: string): PersistenceError {
  return new PersistenceError('bad-row', `a ${what} row in the database is invalid: field ${field}: ${message}`);
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function cellSafeInt(cell: SqlCell | undefined, what: string, field: string): number {
  if (typeof cell === 'number') {
    // Read with integers: 'number' (connection.iterate): a value outside the safe range never reads as safe.
    if (!Number.isSafeInteger(cell)) throw badCell(what, field, 'not a safe integer');
    return cell;
  }
  if (typeof cell !== 'bigint') throw badCell(what, field, `expected an integer, got ${cell === null ? 'null' : typeof cell}`);
  if (cell < MIN_SAFE || cell > MAX_SAFE) throw badCell(what, field, 'not a safe integer');
  return Number(cell);
}

export function cellOptSafeInt(cell: SqlCell | undefined, what: string, field: string): number | null {
  return cell === null ? null : cellSafeInt(cell, what, field);
}

const INTEGER_TEXT = /^-?[0-9]{1,19}$/;

export function cellE6(cell: SqlCell | undefined, what: string, field: string): bigint {
  // Read with integers: 'number' through exactInteger(): a safe number, or the decimal text beyond.
  if (typeof cell === 'number') {
    if (!Number.isSafeInteger(cell)) throw badCell(what, field, 'expected an exact integer');
    return BigInt(cell);
  }
  if (typeof cell === 'string') {
    if (!INTEGER_TEXT.test(cell)) throw badCell(what, field, `expected an integer, got ${JSON.stringify(cell.slice(0, 30))}`);
    const value = BigInt(cell);
    if (value < -(2n ** 63n) || value > 2n ** 63n - 1n) throw badCell(what, field, 'not a 64-bit integer');
    return value;
  }
  if (typeof cell !== 'bigint') throw badCell(what, field, `expected an integer, got ${cell === null ? 'null' : typeof cell}`);
  return cell;
}

export function cellText(cell: SqlCell | undefined, what: string, field: string): string {
  if (typeof cell !== 'string') throw badCell(what, field, `expected text, got ${cell === null ? 'null' : typeof cell}`);
  return cell;
}

export function cellOptText(cell: SqlCell | undefined, what: string, field: string): string | null {
  return cell === null ? null : cellText(cell, what, field);
}

export function cellEnum<const T extends string>(cell: SqlCell | undefined, values: readonly T[], what: string, field: string): T {
  if (typeof cell !== 'string' || !(values as readonly string[]).includes(cell)) {
    throw badCell(what, field, `expected one of ${values.join(', ')}, got ${typeof cell === 'string' ? JSON.stringify(cell) : String(cell)}`);
  }
  return cell as T;
}

export function cellOptEnum<const T extends string>(cell: SqlCell | undefined, values: readonly T[], what: string, field: string): T | null {
  return cell === null ? null : cellEnum(cell, values, what, field);
}
