/**
 * Loading sql.js (SQLite compiled to WebAssembly). The .wasm file is resolved
 * through Node's module resolution from wherever arb-tui is installed (a
 * checkout, a global prefix, an npx cache), never from the working directory.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

const require = createRequire(import.meta.url);

let loading: Promise<SqlJsStatic> | null = null;

/** Absolute path of sql-wasm.wasm as installed beside the sql.js package. */
export function sqlJsWasmPath(): string {
  return require.resolve('sql.js/dist/sql-wasm.wasm');
}

/** The sql.js module, initialised once per process. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!loading) {
    loading = (async () => {
      const path = sqlJsWasmPath();
      const wasm = await readFile(path);
      const binary = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;
      return initSqlJs({ wasmBinary: binary });
    })();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/**
 * Connection settings for every sql.js database we open, main thread and
 * flush worker alike (none is stored in the file). sql.js keeps the database
 * as a file in Emscripten's in-memory file system, which dies with the
 * process: durability comes from our atomic file replacement, never from
 * SQLite's journal. So the rollback journal is kept in memory rather than as
 * a second in-memory file created, written and deleted by every transaction
 * (ROLLBACK and savepoints work exactly the same), and the one connection
 * holds its lock for good instead of taking and releasing it (and re-reading
 * the header) per transaction. Together about 7x cheaper per transaction.
 */
export const SQLJS_CONNECTION_PRAGMAS: readonly string[] = ['PRAGMA journal_mode = MEMORY', 'PRAGMA locking_mode = EXCLUSIVE'];
