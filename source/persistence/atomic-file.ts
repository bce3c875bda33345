/**
 * Atomic replacement of a file: write a temp file in the same directory (mode
 * 0600), fsync it, rename it over the target, fsync the directory. A crash at
 * any moment leaves either the old file or the new one, never a mix.
 *
 * The bytes are written with fs/promises, so the copy to the kernel and the
 * fsync run on libuv's thread pool, not on the event loop.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode, PersistenceError } from './errors.js';

/** Bytes per write call: keeps each thread-pool task short. */
const CHUNK = 4 * 1024 * 1024;

export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Is `name` (a directory entry beside `path`) one of our temp files? */
export function isTempFileOf(path: string, name: string): boolean {
  return name.startsWith(`.${basename(path)}.tmp-`);
}

/** fsync a directory (a rename in it durable); where the platform cannot, nothing (the rename is still atomic). */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms / file systems cannot fsync a directory; the rename is still atomic.
    const code = errnoCode(error);
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle?.close();
  }
}

export async function atomicWriteFile(path: string, bytes: Uint8Array, mode = 0o600): Promise<void> {
  const temp = tempPathFor(path);
  let handle;
  try {
    handle = await open(temp, 'wx', mode);
    await handle.chmod(mode); // umask may have narrowed it; make it exact
    let offset = 0;
    while (offset < bytes.byteLength) {
      const length = Math.min(CHUNK, bytes.byteLength - offset);
      const { bytesWritten } = await handle.write(bytes, offset, length, offset);
      offset += bytesWritten;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
    await fsyncDirectory(dirname(path));
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw new PersistenceError('io', `cannot write ${path}: ${String((error as Error).message)}`, { cause: error });
  }
}
