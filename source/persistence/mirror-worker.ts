/**
 * A mirror of the database in a worker thread, so that the synchronous
 * `export()` of a large database (about 100 ms for 50 MB) stalls the worker,
 * not the event loop that handles keys. The main thread posts every committed
 * batch (see SqlConnection.onCommit); the worker replays it on its own copy
 * (without re-checking foreign keys, runs of one INSERT as multi-row
 * statements: see apply() below) and, on request, exports the image and transfers the bytes back (zero-copy).
 *
 * The worker's code is an embedded CommonJS script (`eval: true`), so it runs
 * the same from a TypeScript checkout under vitest and from dist/; it loads
 * sql.js from the absolute paths the main thread resolved.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CommitBatch } from './connection.js';
import { SQLJS_CONNECTION_PRAGMAS, sqlJsWasmPath } from './sqljs.js';

const require = createRequire(import.meta.url);

const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const initSqlJs = require(workerData.sqlJsPath);
let db = null;
let broken = null;
const statements = new Map();
function prepared(s) {
  let stmt = statements.get(s);
  if (!stmt) { stmt = db.prepare(s); statements.set(s, stmt); }
  return stmt;
}
function control(s) { const stmt = prepared(s); try { stmt.step(); } finally { stmt.reset(); } }
// A run of the same single-row INSERT ... VALUES (?, ..., ?) (nothing after
// the VALUES list) is replayed as multi-row INSERTs of up to MAX_ROWS rows:
// the same rows in the same order with the same ids, at a fraction of the
// per-statement cost. There are no INSERT triggers to see the difference.
const MERGEABLE = /^\s*INSERT\s+INTO\s[^;]*\bVALUES\s*\(\s*\?(?:\s*,\s*\?)*\s*\)\s*$/i;
const MAX_ROWS = 64;
const MAX_PARAMS = 999;
const mergeable = new Map();
const multiRowSql = new Map();
function isMergeable(s) {
  let m = mergeable.get(s);
  if (m === undefined) { m = MERGEABLE.test(s); mergeable.set(s, m); }
  return m;
}
function multiRow(s, rows, n) {
  const key = rows + ':' + s;
  let text = multiRowSql.get(key);
  if (text === undefined) {
    text = s + (', (' + new Array(n).fill('?').join(', ') + ')').repeat(rows - 1);
    multiRowSql.set(key, text);
  }
  return text;
}
// Replays one committed batch (see CommitBatch in connection.ts: tags 0 null,
// 1 number, 2 text). Foreign keys are not enforced here: every statement
// already passed them on the main database, and the schema has no foreign key
// actions (ON DELETE / ON UPDATE) whose effects would then be missing (a test
// in test/persistence checks that).
function apply(batch) {
  control('BEGIN IMMEDIATE');
  try {
    const { sql, ops, tags, numbers, texts } = batch;
    let tag = 0, num = 0, text = 0;
    for (let o = 0; o < ops.length; ) {
      const s = sql[ops[o]];
      const n = ops[o + 1];
      if (n === 0) { db.exec(s); o += 2; continue; }
      let rows = 1;
      if (n <= MAX_PARAMS && isMergeable(s)) {
        let run = 1;
        const limit = Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / n));
        while (run < limit && o + 2 * run < ops.length && ops[o + 2 * run] === ops[o] && ops[o + 2 * run + 1] === n) run += 1;
        while (rows * 2 <= run) rows *= 2; // power-of-two runs: few distinct statements
      }
      const params = new Array(n * rows);
      for (let i = 0; i < params.length; i += 1) {
        const t = tags[tag++];
        params[i] = t === 1 ? numbers[num++] : t === 2 ? texts[text++] : null;
      }
      const stmt = prepared(rows === 1 ? s : multiRow(s, rows, n));
      try { stmt.bind(params); stmt.step(); } finally { stmt.reset(); }
      o += 2 * rows;
    }
    control('COMMIT');
  } catch (error) {
    try { control('ROLLBACK'); } catch {}
    throw error;
  }
}
let chain = (async () => {
  const wasm = fs.readFileSync(workerData.wasmPath);
  const SQL = await initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });
  db = new SQL.Database(new Uint8Array(workerData.initial));
  db.exec('PRAGMA foreign_keys = OFF');
  for (const pragma of workerData.pragmas) db.exec(pragma);
})().catch((error) => { broken = String(error && error.message || error); });
parentPort.on('message', (msg) => {
  chain = chain.then(() => {
    if (msg.type === 'batch') {
      if (broken) return;
      try { apply(msg.batch); } catch (error) { broken = 'replay failed: ' + String(error && error.message || error); }
    } else if (msg.type === 'export') {
      if (broken) { parentPort.postMessage({ type: 'error', id: msg.id, message: broken }); return; }
      try {
        const bytes = db.export();
        parentPort.postMessage({ type: 'exported', id: msg.id, buffer: bytes.buffer, offset: bytes.byteOffset, length: bytes.byteLength }, [bytes.buffer]);
      } catch (error) {
        parentPort.postMessage({ type: 'error', id: msg.id, message: String(error && error.message || error) });
      }
    } else if (msg.type === 'close') {
      for (const stmt of statements.values()) stmt.free();
      statements.clear();
      if (db) db.close();
      db = null;
      parentPort.postMessage({ type: 'closed' });
    }
  });
});
`;

type Reply =
  | { type: 'exported'; id: number; buffer: ArrayBuffer; offset: number; length: number }
  | { type: 'error'; id: number; message: string }
  | { type: 'closed' };

export class MirrorWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #failure: string | null = null;
  #closed = false;

  /** `initial` is the database image the mirror starts from (it is transferred). */
  constructor(initial: Uint8Array) {
    const copy = initial.slice();
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sqlJsPath: require.resolve('sql.js'), wasmPath: sqlJsWasmPath(), initial: copy.buffer, pragmas: SQLJS_CONNECTION_PRAGMAS },
      transferList: [copy.buffer],
    });
    this.#worker.unref();
    this.#worker.on('message', (msg: Reply) => {
      if (msg.type === 'exported') {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        p?.resolve(new Uint8Array(msg.buffer, msg.offset, msg.length));
      } else if (msg.type === 'error') {
        const p = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        this.#failure = msg.message;
        p?.reject(new Error(msg.message));
      }
    });
    this.#worker.on('error', (error) => this.#fail(error.message));
    this.#worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(`mirror worker exited (code ${code})`);
    });
  }

  /** Why the mirror cannot be trusted any more, or null. */
  get failure(): string | null {
    return this.#failure;
  }

  #fail(message: string): void {
    this.#failure ??= message;
    for (const p of this.#pending.values()) p.reject(new Error(message));
    this.#pending.clear();
  }

  post(batch: CommitBatch): void {
    if (this.#failure || this.#closed) return;
    this.#worker.postMessage({ type: 'batch', batch });
  }

  /** The image of the database after every batch posted so far. */
  export(): Promise<Uint8Array> {
    if (this.#failure) return Promise.reject(new Error(this.#failure));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      // Keep the process alive while an export is outstanding (the worker is unref'd otherwise).
      if (this.#pending.size === 0) this.#worker.ref();
      const settle = (): void => {
        if (this.#pending.size === 0 && !this.#closed) this.#worker.unref();
      };
      this.#pending.set(id, {
        resolve: (bytes) => {
          resolve(bytes);
          settle();
        },
        reject: (error) => {
          reject(error);
          settle();
        },
      });
      this.#worker.postMessage({ type: 'export', id });
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#fail('mirror closed');
    await this.#worker.terminate();
  }
}
