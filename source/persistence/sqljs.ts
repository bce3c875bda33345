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
