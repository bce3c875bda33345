/**
 * A mirror of the database in a worker thread, so that the synchronous
 * `export()` of a large database (about 100 ms for 50 MB) stalls the worker,
 * not the event loop that handles keys. The main thread posts every committed
 * batch (see SqlConnection.onCommit); the worker replays it on its own copy
 * and, on request, exports the image and transfers the bytes back (zero-copy).
 *
 * The worker's code is an embedded CommonJS script (`eval: true`), so it runs
 * the same from a TypeScript checkout under vitest and from dist/; it loads
 * sql.js from the absolute paths the main thread resolved.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CommitBatch } from './connection.js';
import { sqlJsWasmPath } from './sqljs.js';

const require = createRequire(import.meta.url);

const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const initSqlJs = require(workerData.sqlJsPath);
let db = null;
let broken = null;
const statements = new Map();
// Same algorithm as applyBatch() in connection.ts: tags 0 null, 1 number, 2 text.
function apply(batch) {
  db.exec('BEGIN IMMEDIATE');
  try {
    const { sql, ops, tags, numbers, texts } = batch;
    let tag = 0, num = 0, text = 0;
    for (let o = 0; o < ops.length; o += 2) {
      const s = sql[ops[o]];
      const n = ops[o + 1];
      if (n === 0) { db.exec(s); continue; }
      const params = new Array(n);
      for (let i = 0; i < n; i += 1) {
        const t = tags[tag++];
        params[i] = t === 1 ? numbers[num++] : t === 2 ? texts[text++] : null;
      }
      let stmt = statements.get(s);
      if (!stmt) { stmt = db.prepare(s); statements.set(s, stmt); }
      try { stmt.bind(params); stmt.step(); } finally { stmt.reset(); }
    }
    db.exec('COMMIT');
  } catch (error) {
    try { db.exec('ROLLBACK'); } catch {}
    throw error;
  }
}
let chain = (async () => {
  const wasm = fs.readFileSync(workerData.wasmPath);
  const SQL = await initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });
  db = new SQL.Database(new Uint8Array(workerData.initial));
  db.exec('PRAGMA foreign_keys = ON');
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
      workerData: { sqlJsPath: require.resolve('sql.js'), wasmPath: sqlJsWasmPath(), initial: copy.buffer },
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
