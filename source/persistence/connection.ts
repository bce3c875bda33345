/**
 * A typed, parameterised-only wrapper over one sql.js Database.
 *
 * Values: integers go in and come out as `bigint` (rows are read with
 * `useBigInt`). sql.js has no 64-bit bind, so an integer is bound as a JS
 * number when it is a safe integer (|v| <= 2^53 - 1: sql.js binds it with
 * sqlite3_bind_int or, beyond 32 bits, sqlite3_bind_double, which is exact in
 * that range; an INTEGER column of a STRICT table stores such a REAL as the
 * INTEGER it equals) and as its decimal text beyond (an INTEGER column of a
 * STRICT table converts that text to a 64-bit integer exactly). So money
 * columns hold the full signed 64-bit range at scale 1e6 (±9.2 trillion
 * dollars); anything outside is rejected with PersistenceError
 * ('value-out-of-range') before it reaches SQLite, and JS numbers must be safe
 * integers (a float is never bound). Because a parameter may arrive as a REAL
 * or as text, SQL must not use a parameter inside an expression without
 * `CAST(? AS INTEGER)` (plain `col = ?` comparisons and column values are fine:
 * the column's affinity applies).
 *
 * Statements are prepared once per SQL text and reused. A statement inside a
 * transaction needs no savepoint of its own: SQLite undoes a failed statement
 * by itself, and the transaction's owner decides to roll back.
 *
 * Every committed write transaction is reported to commit listeners as one
 * batch of the statements that succeeded in it, in order, encoded compactly
 * (see CommitBatch); replaying the batches reproduces the database exactly (the
 * SQL we issue is deterministic: no random(), no 'now', ids are SQLite's own
 * max(rowid) + 1). The flush worker uses this to keep a mirror.
 */
import type { Database, Statement } from 'sql.js';
import { PersistenceError } from './errors.js';

/** What callers may bind. */
export type SqlParam = string | bigint | number | boolean | null;
/** What is actually bound: no floats, no booleans; a bigint only beyond the safe-integer range. */
export type BoundParam = string | bigint | number | null;
/** A column value as read (INTEGER → bigint). */
export type SqlCell = bigint | string | number | Uint8Array | null;
export type SqlRow = Readonly<Record<string, SqlCell>>;

/** Tag of one bound parameter in a CommitBatch. */
export const TAG_NULL = 0;
export const TAG_NUMBER = 1;
export const TAG_TEXT = 2;

/**
 * One committed transaction, in a form that is cheap to build and to post to
 * a worker (a few typed arrays instead of one array per statement):
 * - `sql`: the distinct SQL texts;
 * - `ops`: two entries per statement run: index into `sql`, number of params;
 * - `tags`: one per param, in order: TAG_NULL, TAG_NUMBER (next value of
 *   `numbers`) or TAG_TEXT (next value of `texts`; a bigint beyond the safe
 *   range travels as its decimal text, which is how sql.js binds a bigint).
 * A statement with no params is run with `exec` (it may be a script).
 */
export interface CommitBatch {
  readonly sql: readonly string[];
  readonly ops: Uint32Array;
  readonly tags: Uint8Array;
  readonly numbers: Float64Array;
  readonly texts: readonly string[];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function bindValue(value: SqlParam, index: number, sql: string): BoundParam {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new PersistenceError('value-out-of-range', `parameter ${index + 1} is not a safe integer (${String(value)}); floats are never stored (${sql.slice(0, 60)})`);
    }
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  // Number(v) is exact for |v| <= 2^53 - 1 and rounds anything larger to at
  // least 2^53 (never back into the safe range), so this equals a range check
  // with two bigint comparisons, at a fraction of the cost.
  const asNumber = Number(value);
  if (Number.isSafeInteger(asNumber)) return asNumber;
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new PersistenceError('value-out-of-range', `parameter ${index + 1} (${value}) does not fit a 64-bit INTEGER column`);
  }
  return value;
}

export function bindAll(params: readonly SqlParam[], sql: string): BoundParam[] {
  const out = new Array<BoundParam>(params.length);
  for (let i = 0; i < params.length; i += 1) out[i] = bindValue(params[i] as SqlParam, i, sql);
  return out;
}

/** `[first, ...bindAll(params)]` in one allocation (parameter numbers in errors count `first`). */
function bindAfter(first: number, params: readonly SqlParam[], sql: string): BoundParam[] {
  const out = new Array<BoundParam>(params.length + 1);
  out[0] = first;
  for (let i = 0; i < params.length; i += 1) out[i + 1] = bindValue(params[i] as SqlParam, i + 1, sql);
  return out;
}

/** SQL that can remove rows (and so lower a table's max(id)). */
const REMOVING_RE = /^\s*(delete|replace)\b|\bor\s+replace\b/i;
const TABLE_NAME_RE = /^[a-z_]+$/;

/** Grows typed arrays as a transaction's statements are logged. */
class BatchLog {
  #sqlIndex = new Map<string, number>();
  #sql: string[] = [];
  #ops = new Uint32Array(64);
  #opsLength = 0;
  #tags = new Uint8Array(256);
  #tagsLength = 0;
  #numbers = new Float64Array(256);
  #numbersLength = 0;
  #texts: string[] = [];

  get empty(): boolean {
    return this.#opsLength === 0;
  }

  /** A position to truncate back to (savepoint rollback). */
  mark(): readonly [number, number, number, number] {
    return [this.#opsLength, this.#tagsLength, this.#numbersLength, this.#texts.length];
  }

  truncate(mark: readonly [number, number, number, number]): void {
    [this.#opsLength, this.#tagsLength, this.#numbersLength] = mark;
    this.#texts.length = mark[3];
  }

  add(sql: string, params: readonly BoundParam[]): void {
    let index = this.#sqlIndex.get(sql);
    if (index === undefined) {
      index = this.#sql.length;
      this.#sql.push(sql);
      this.#sqlIndex.set(sql, index);
    }
    if (this.#opsLength + 2 > this.#ops.length) this.#ops = grow(this.#ops, this.#opsLength + 2);
    this.#ops[this.#opsLength++] = index;
    this.#ops[this.#opsLength++] = params.length;
    const n = params.length;
    if (this.#tagsLength + n > this.#tags.length) this.#tags = grow(this.#tags, this.#tagsLength + n);
    if (this.#numbersLength + n > this.#numbers.length) this.#numbers = grow(this.#numbers, this.#numbersLength + n);
    for (let i = 0; i < n; i += 1) {
      const p = params[i];
      if (p === null || p === undefined) {
        this.#tags[this.#tagsLength++] = TAG_NULL;
      } else if (typeof p === 'number') {
        this.#tags[this.#tagsLength++] = TAG_NUMBER;
        this.#numbers[this.#numbersLength++] = p;
      } else {
        this.#tags[this.#tagsLength++] = TAG_TEXT;
        this.#texts.push(typeof p === 'string' ? p : p.toString());
      }
    }
  }

  /** The batch (exact-length copies), and reset. */
  take(): CommitBatch {
    const batch: CommitBatch = {
      sql: this.#sql,
      ops: this.#ops.slice(0, this.#opsLength),
      tags: this.#tags.slice(0, this.#tagsLength),
      numbers: this.#numbers.slice(0, this.#numbersLength),
      texts: this.#texts,
    };
    this.clear();
    return batch;
  }

  clear(): void {
    this.#sqlIndex = new Map();
    this.#sql = [];
    this.#opsLength = 0;
    this.#tagsLength = 0;
    this.#numbersLength = 0;
    this.#texts = [];
    // Do not keep a huge buffer alive after one bulk transaction.
    if (this.#ops.length > 1 << 16) this.#ops = new Uint32Array(64);
    if (this.#tags.length > 1 << 20) this.#tags = new Uint8Array(256);
    if (this.#numbers.length > 1 << 20) this.#numbers = new Float64Array(256);
  }
}

function grow<T extends Uint32Array | Uint8Array | Float64Array>(array: T, needed: number): T {
  let size = array.length * 2;
  while (size < needed) size *= 2;
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

/** Decode the params of a batch, statement by statement. */
export function* batchStatements(batch: CommitBatch): Generator<readonly [string, BoundParam[]]> {
  let tag = 0;
  let num = 0;
  let text = 0;
  for (let o = 0; o < batch.ops.length; o += 2) {
    const sql = batch.sql[batch.ops[o] as number] as string;
    const n = batch.ops[o + 1] as number;
    const params = new Array<BoundParam>(n);
    for (let i = 0; i < n; i += 1) {
      const t = batch.tags[tag++];
      params[i] = t === TAG_NUMBER ? (batch.numbers[num++] as number) : t === TAG_TEXT ? (batch.texts[text++] as string) : null;
    }
    yield [sql, params];
  }
}

const READ_RE = /^\s*(select|with)\b/i;

export class SqlConnection {
  readonly #db: Database;
  readonly #statements = new Map<string, Statement>();
  readonly #listeners = new Set<(batch: CommitBatch) => void>();
  readonly #committedListeners = new Set<() => void>();
  #depth = 0;
  /** Did the current top-level transaction run a write? */
  #wrote = false;
  readonly #log = new BatchLog();
  #closed = false;
  /** insertWithNextId(): the next id per table (max(id) + 1 as last read or advanced). */
  readonly #nextIds = new Map<string, number>();
  /** Prepared SQL texts that can remove rows (see REMOVING_RE): running one forgets #nextIds. */
  readonly #removing = new Set<string>();

  constructor(db: Database) {
    this.#db = db;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get inTransaction(): boolean {
    return this.#depth > 0;
  }

  /**
   * Called with the batch of every committed write transaction. Batches are
   * only recorded while at least one such listener is registered.
   */
  onCommit(listener: (batch: CommitBatch) => void): () => void {
    if (this.#depth > 0) throw new PersistenceError('usage', 'register commit listeners outside transactions');
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called after every committed write transaction (no batch is recorded for it). */
  onCommitted(listener: () => void): () => void {
    this.#committedListeners.add(listener);
    return () => this.#committedListeners.delete(listener);
  }

  #check(): void {
    if (this.#closed) throw new PersistenceError('closed', 'the database is closed');
  }

  #prepare(sql: string): Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
      if (REMOVING_RE.test(sql)) this.#removing.add(sql);
    }
    return stmt;
  }

  /** Run a cached parameterless statement (transaction control). */
  #control(sql: string): void {
    const stmt = this.#prepare(sql);
    try {
      stmt.step();
    } finally {
      stmt.reset();
    }
  }

  #runBound(sql: string, bound: BoundParam[]): void {
    const stmt = this.#prepare(sql);
    if (this.#nextIds.size > 0 && this.#removing.has(sql)) this.#nextIds.clear();
    try {
      if (bound.length > 0) stmt.bind(bound as never);
      stmt.step();
    } finally {
      stmt.reset();
    }
    this.#wrote = true;
    if (this.#listeners.size > 0) this.#log.add(sql, bound);
  }

  /** A write (INSERT/UPDATE/DELETE). Returns the number of rows changed. */
  run(sql: string, params: readonly SqlParam[] = []): number {
    this.#check();
    const bound = bindAll(params, sql);
    if (this.#depth > 0) {
      this.#runBound(sql, bound);
      return this.#db.getRowsModified();
    }
    return this.#inTransaction(() => {
      this.#runBound(sql, bound);
      return this.#db.getRowsModified();
    });
  }

  /**
   * An INSERT into a rowid table; returns the new row's id (SQLite's
   * last_insert_rowid(), read with a cached statement: cheaper than RETURNING).
   * Throws if no row was inserted (e.g. ON CONFLICT DO NOTHING skipped it).
   */
  insert(sql: string, params: readonly SqlParam[]): number {
    this.#check();
    const bound = bindAll(params, sql);
    const go = (): number => {
      this.#runBound(sql, bound);
      if (this.#db.getRowsModified() !== 1) throw new PersistenceError('usage', `insert() inserted no row: ${sql.slice(0, 60)}`);
      const stmt = this.#prepare('SELECT last_insert_rowid()');
      try {
        stmt.step();
        const id = stmt.get()[0];
        if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new PersistenceError('bad-row', `last_insert_rowid() is not a safe integer: ${String(id)}`);
        return id;
      } finally {
        stmt.reset();
      }
    };
    return this.#depth > 0 ? go() : this.#inTransaction(go);
  }

  /**
   * An INSERT of one row into an `INTEGER PRIMARY KEY` table (not
   * AUTOINCREMENT) whose first parameter is the row's `id`, which this method
   * mints; returns it. The id is max(id) + 1, the very id SQLite assigns
   * itself, taken from a per-table counter that is read once with max(id)
   * and then advanced by each insert: a bulk insert runs no
   * last_insert_rowid() query per row. The counter is forgotten on every
   * rollback (transaction or savepoint), script and statement that can remove
   * rows (DELETE, REPLACE), so ids stay exactly SQLite's own (an id rolled
   * back is used again, as SQLite would). A row inserted into the table by
   * other SQL makes the next insert fail on the id's uniqueness; it is then
   * retried once with a fresh max(id). `table` must be a trusted identifier,
   * never input. `params` are the other parameters, in order.
   */
  insertWithNextId(table: string, sql: string, params: readonly SqlParam[]): number {
    this.#check();
    if (!this.#nextIds.has(table) && !TABLE_NAME_RE.test(table)) throw new PersistenceError('usage', `bad table name ${table}`);
    const go = (): number => {
      for (let attempt = 0; ; attempt += 1) {
        const id = this.#nextIds.get(table) ?? this.#maxId(table) + 1;
        const bound = bindAfter(id, params, sql);
        try {
          this.#runBound(sql, bound);
        } catch (error) {
          this.#nextIds.delete(table);
          if (attempt === 0 && error instanceof Error && error.message.includes(`UNIQUE constraint failed: ${table}.id`)) continue;
          throw error;
        }
        this.#nextIds.set(table, id + 1);
        return id;
      }
    };
    return this.#depth > 0 ? go() : this.#inTransaction(go);
  }

  #maxId(table: string): number {
    const stmt = this.#prepare(`SELECT coalesce(max(id), 0) FROM ${table}`);
    try {
      stmt.step();
      const max = stmt.get()[0];
      // A double: exact while safe, and a larger id never reads as a safe integer.
      if (typeof max !== 'number' || !Number.isSafeInteger(max + 1)) throw new PersistenceError('bad-row', `max(id) of ${table} is not a safe integer: ${String(max)}`);
      return max;
    } finally {
      stmt.reset();
    }
  }

  /** A write with a RETURNING clause; the rows are parsed by `parse`. */
  runReturning<T>(sql: string, params: readonly SqlParam[], parse: (row: SqlRow) => T): T[] {
    this.#check();
    const bound = bindAll(params, sql);
    return this.#inTransaction(() => {
      const rows = this.#select(sql, bound, parse);
      if (this.#removing.has(sql)) this.#nextIds.clear();
      this.#wrote = true;
      if (this.#listeners.size > 0) this.#log.add(sql, bound);
      return rows;
    });
  }

  /** A multi-statement script without parameters (migrations). */
  execScript(sql: string): void {
    this.#check();
    this.#nextIds.clear();
    this.#inTransaction(() => {
      this.#db.exec(sql);
      this.#wrote = true;
      if (this.#listeners.size > 0) this.#log.add(sql, []);
    });
  }

  /** Read rows (SELECT / WITH only). */
  all<T>(sql: string, params: readonly SqlParam[], parse: (row: SqlRow) => T): T[] {
    this.#check();
    if (!READ_RE.test(sql)) throw new PersistenceError('usage', `all() is for SELECT queries: ${sql.slice(0, 60)}`);
    return this.#select(sql, bindAll(params, sql), parse);
  }

  get<T>(sql: string, params: readonly SqlParam[], parse: (row: SqlRow) => T): T | undefined {
    return this.all(sql, params, parse)[0];
  }

  /** Visit rows one by one without materialising them all. */
  each(sql: string, params: readonly SqlParam[], visit: (row: SqlRow) => void): number {
    this.#check();
    if (!READ_RE.test(sql)) throw new PersistenceError('usage', `each() is for SELECT queries: ${sql.slice(0, 60)}`);
    // A private statement: the visitor may run other queries.
    const stmt = this.#db.prepare(sql);
    let n = 0;
    try {
      stmt.bind(bindAll(params, sql) as never);
      const getRow = stmt.getAsObject.bind(stmt) as unknown as (p: null, o: { useBigInt: boolean }) => SqlRow;
      while (stmt.step()) {
        visit(getRow(null, { useBigInt: true }));
        n += 1;
      }
    } finally {
      stmt.free();
    }
    return n;
  }

  /**
   * Rows as arrays in SELECT-list order, one at a time
   * from a private stepped statement: for bulk reads such as CSV export (no
   * object per row, nothing materialised). INTEGER cells arrive as bigint, or
   * with `integers: 'number'` as a JS number (read through a double: exact
   * only while |v| <= 2^53 - 1, and a value outside that range never reads as
   * a safe integer, so `Number.isSafeInteger` tells which ones can be trusted;
   * select wider columns with exactInteger() below). The statement is freed when the
   * iteration ends, early or not. Do not write to the connection while
   * iterating.
   */
  *iterate(sql: string, params: readonly SqlParam[], options: { integers?: 'bigint' | 'number' } = {}): Generator<readonly SqlCell[], void, undefined> {
    this.#check();
    if (!READ_RE.test(sql)) throw new PersistenceError('usage', `iterate() is for SELECT queries: ${sql.slice(0, 60)}`);
    const stmt = this.#db.prepare(sql);
    try {
      stmt.bind(bindAll(params, sql) as never);
      const getRow = stmt.get.bind(stmt) as unknown as (p: null, o: { useBigInt: boolean }) => SqlCell[];
      const getOptions = { useBigInt: (options.integers ?? 'bigint') === 'bigint' };
      while (stmt.step()) yield getRow(null, getOptions);
    } finally {
      stmt.free();
    }
  }

  /** Read a PRAGMA value (not logged). `name` must be a bare identifier. */
  pragma(name: string): SqlCell {
    this.#check();
    if (!/^[a-z_]+$/.test(name)) throw new PersistenceError('usage', `bad pragma name ${name}`);
    const stmt = this.#db.prepare(`PRAGMA ${name}`);
    try {
      if (!stmt.step()) return null;
      const getRow = stmt.get.bind(stmt) as unknown as (p: null, o: { useBigInt: boolean }) => SqlCell[];
      return getRow(null, { useBigInt: true })[0] ?? null;
    } finally {
      stmt.free();
    }
  }

  /** A connection-level PRAGMA (not stored in the file, not logged), e.g. foreign_keys=ON. */
  setConnectionPragma(statement: string): void {
    this.#check();
    if (!/^PRAGMA [a-z_]+ ?= ?-?[A-Za-z0-9_]+$/.test(statement)) throw new PersistenceError('usage', `bad pragma ${statement}`);
    this.#db.exec(statement);
  }

  #select<T>(sql: string, bound: BoundParam[], parse: (row: SqlRow) => T): T[] {
    const stmt = this.#prepare(sql);
    const out: T[] = [];
    try {
      stmt.bind(bound as never);
      const getRow = stmt.getAsObject.bind(stmt) as unknown as (p: null, o: { useBigInt: boolean }) => SqlRow;
      while (stmt.step()) out.push(parse(getRow(null, { useBigInt: true })));
    } finally {
      stmt.reset();
    }
    return out;
  }

  /**
   * Run `fn` in a transaction (nested calls use savepoints). On a throw the
   * transaction (or savepoint) is rolled back and the error rethrown.
   */
  transaction<T>(fn: () => T): T {
    this.#check();
    return this.#inTransaction(fn);
  }

  #inTransaction<T>(fn: () => T): T {
    const depth = this.#depth;
    const mark = this.#log.mark();
    if (depth === 0) {
      this.#control('BEGIN IMMEDIATE');
      this.#wrote = false;
      this.#log.clear();
    } else this.#control(`SAVEPOINT sp${depth}`);
    this.#depth += 1;
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.#depth -= 1;
      this.#nextIds.clear();
      if (depth === 0) {
        this.#log.clear();
        this.#rollback();
      } else {
        this.#log.truncate(mark);
        this.#control(`ROLLBACK TO sp${depth}`);
        this.#control(`RELEASE sp${depth}`);
      }
      throw error;
    }
    this.#depth -= 1;
    if (depth > 0) {
      this.#control(`RELEASE sp${depth}`);
      return result;
    }
    try {
      this.#control('COMMIT');
    } catch (error) {
      this.#nextIds.clear();
      this.#log.clear();
      this.#rollback();
      throw error;
    }
    if (!this.#wrote) return result;
    this.#wrote = false;
    for (const listener of this.#committedListeners) listener();
    if (this.#listeners.size === 0 || this.#log.empty) {
      this.#log.clear();
      return result;
    }
    const batch = this.#log.take();
    for (const listener of this.#listeners) listener(batch);
    return result;
  }

  /**
   * Roll back the whole transaction. Some errors (out of memory, a full disk)
   * make SQLite roll back by itself; then ROLLBACK fails with "no transaction
   * is active", which must not hide the original error.
   */
  #rollback(): void {
    try {
      this.#control('ROLLBACK');
    } catch {
      // already rolled back
    }
  }

  /** The database image (synchronous; not inside a transaction). */
  export(): Uint8Array {
    this.#check();
    if (this.#depth > 0) throw new PersistenceError('usage', 'cannot export inside a transaction');
    return this.#db.export();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stmt of this.#statements.values()) stmt.free();
    this.#statements.clear();
    this.#db.close();
  }
}

/**
 * SQL for a column read exactly when rows are read with `integers: 'number'`:
 * the INTEGER itself inside the safe range (exact as a double), its decimal
 * text outside it. `column` must be a trusted identifier, never input.
 */
export function exactInteger(column: string): string {
  return `CASE WHEN ${column} BETWEEN ${Number.MIN_SAFE_INTEGER} AND ${Number.MAX_SAFE_INTEGER} THEN ${column} ELSE CAST(${column} AS TEXT) END`;
}
