/**
 * A lock file beside the database (`<db>.lock`) naming the holder's pid, so two
 * arb-tui processes never write the same file. Created with O_EXCL and mode
 * 0600. A lock whose pid is no longer running on this host is stale: it is
 * taken over, and the caller gets a notice saying so.
 *
 * Limits (documented, accepted for a single-user tool): a pid reused by an
 * unrelated process after a crash makes a stale lock look live (the message
 * names the pid and the lock path so the user can delete it); a lock written
 * on another host (shared home directory) is never taken over automatically.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { link, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode, PersistenceError } from './errors.js';

export interface LockInfo {
  readonly pid: number;
  readonly hostname: string;
  /** ms since epoch */
  readonly createdAt: number;
}

export interface HeldLock {
  readonly path: string;
  readonly info: LockInfo;
  /** Human-readable notices, e.g. a stale lock that was taken over. */
  readonly notices: readonly string[];
  release(): Promise<void>;
}

export function lockPathFor(dbPath: string): string {
  return `${dbPath}.lock`;
}

/** Is `pid` a running process on this host? (EPERM: running, owned by someone else.) */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

function parseLock(text: string): LockInfo | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const v = value as Record<string, unknown>;
    const pid = v['pid'];
    const host = v['hostname'];
    const createdAt = v['createdAt'];
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return null;
    return {
      pid,
      hostname: typeof host === 'string' ? host : '',
      createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
    };
  } catch {
    return null;
  }
}

async function readLock(path: string): Promise<{ text: string; info: LockInfo | null } | null> {
  try {
    const text = await readFile(path, 'utf8');
    return { text, info: parseLock(text) };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw new PersistenceError('io', `cannot read the lock file ${path}: ${String((error as Error).message)}`, { cause: error });
  }
}

/** Link errors of a file system without hard links: the lock is then created in place. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

async function writeNew(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Create the lock whole: written to a file of our own, then hard-linked into place (the
 * link fails if a lock exists), so no other process can read a lock half written
 * (found in review: an empty lock read in that gap was judged unreadable and taken over,
 * and both processes held the lock). Where the file system has no hard links, the lock
 * is created in place, and a young unreadable lock is waited for (`acquireLock`).
 */
async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  const text = `${JSON.stringify(info)}\n`;
  // the temporary file can be swept by a lock holder that judged its pid dead (another pid
  // namespace): written again, a few times, before giving up
  for (let tries = 0; ; tries += 1) {
    // the host in the name: a process on another host sharing the folder never sweeps it
    const temp = `${path}${TEMP_INFIX}${info.hostname}-${info.pid}-${randomUUID()}`;
    try {
      await writeNew(temp, text);
    } catch (error) {
      throw new PersistenceError('io', `cannot create the lock file ${path}: ${String((error as Error).message)}`, { cause: error });
    }
    try {
      await link(temp, path);
      return true;
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EEXIST') return false;
      if (code === 'ENOENT' && tries < 3) continue;
      if (code === undefined || !NO_HARD_LINKS.has(code)) {
        throw new PersistenceError('io', `cannot create the lock file ${path}: ${String((error as Error).message)}`, { cause: error });
      }
    } finally {
      await unlink(temp).catch(() => undefined);
    }
    break;
  }
  try {
    await writeNew(path, text);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw new PersistenceError('io', `cannot create the lock file ${path}: ${String((error as Error).message)}`, { cause: error });
  }
}

/** The temporary files a lock is written to before it is linked into place: `<lock>.tmp-<pid>-<uuid>`. */
const TEMP_INFIX = '.tmp-';
/** An unreadable lock younger than this may be one being written (no hard links): waited for, not taken over. */
const YOUNG_LOCK_MS = 2_000;
const YOUNG_LOCK_WAIT_MS = 100;

export interface AcquireOptions {
  readonly pid?: number;
  readonly now?: () => number;
  /** Liveness probe, injectable for tests. */
  readonly isAlive?: (pid: number) => boolean;
}

/**
 * Take the lock for `dbPath`, or throw a PersistenceError('locked') naming the
 * holder's pid.
 */
export async function acquireLock(dbPath: string, options: AcquireOptions = {}): Promise<HeldLock> {
  const path = lockPathFor(dbPath);
  const isAlive = options.isAlive ?? isProcessAlive;
  const info: LockInfo = {
    pid: options.pid ?? process.pid,
    hostname: hostname(),
    createdAt: (options.now ?? Date.now)(),
  };
  const notices: string[] = [];
  // waiting for a young unreadable lock to be written uses no attempt (it is bounded by its age)
  const youngUntil = Date.now() + YOUNG_LOCK_MS + YOUNG_LOCK_WAIT_MS;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (await tryCreate(path, info)) {
      await sweepAsides(path);
      return makeHeld(path, info, notices);
    }
    const existing = await readLock(path);
    if (existing === null) continue; // vanished between our attempts: retry
    const holder = existing.info;
    if (holder === null && Date.now() < youngUntil && (await isYoung(path))) {
      // maybe a lock being written in place (a file system without hard links): wait, read again
      await new Promise((resolve) => setTimeout(resolve, YOUNG_LOCK_WAIT_MS));
      attempt -= 1;
      continue;
    }
    if (holder !== null) {
      const sameHost = holder.hostname === '' || holder.hostname === info.hostname;
      if (!sameHost) {
        throw new PersistenceError(
          'locked',
          `the database ${dbPath} is locked by pid ${holder.pid} on host ${holder.hostname}; ` +
            `if no arb-tui runs there, delete ${path}, or choose another file with --db`,
        );
      }
      if (holder.pid === info.pid || isAlive(holder.pid)) {
        throw new PersistenceError(
          'locked',
          `the database ${dbPath} is in use by another arb-tui process (pid ${holder.pid}); ` +
            `close it first, or choose another file with --db (lock file: ${path})`,
        );
      }
    }
    // Stale (dead pid) or unreadable lock: move it aside, check that what we
    // moved is what we judged stale, then retry the exclusive create.
    const aside = `${path}.stale-${info.pid}-${attempt}`;
    try {
      await rename(path, aside);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') continue;
      throw new PersistenceError('io', `cannot take over the stale lock ${path}: ${String((error as Error).message)}`, { cause: error });
    }
    const moved = await readLock(aside);
    if (moved !== null && moved.text !== existing.text) {
      // Someone else took the lock over between our read and our rename: put it back.
      try {
        await link(aside, path);
      } catch {
        // a third process created a lock meanwhile; theirs stands
      }
      await unlink(aside).catch(() => undefined);
      continue;
    }
    await unlink(aside).catch(() => undefined);
    notices.push(
      holder === null
        ? `replaced an unreadable lock file ${path}`
        : `took over a stale lock from pid ${holder.pid}, which is no longer running (${path})`,
    );
  }
  throw new PersistenceError('locked', `could not take the lock ${path}: it keeps changing; is another arb-tui starting?`);
}

/** Was the file changed less than `YOUNG_LOCK_MS` ago? (False when it cannot be read.) */
async function isYoung(path: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs < YOUNG_LOCK_MS;
  } catch {
    return false;
  }
}

/**
 * A process killed in the middle of a takeover leaves its `<lock>.stale-*` copy
 * behind. Whoever holds the lock removes them: a takeover still in flight
 * elsewhere then finds its copy gone and simply fails to take the lock.
 */
async function sweepAsides(path: string): Promise<void> {
  const prefix = `${basename(path)}.stale-`;
  // and the temporary lock files of processes killed before they removed theirs
  const temp = `${basename(path)}${TEMP_INFIX}${hostname()}-`;
  const deadTemp = (n: string): boolean => n.startsWith(temp) && !isProcessAlive(Number(n.slice(temp.length).split('-')[0]));
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix) || deadTemp(n)).map((n) => unlink(join(dirname(path), n)).catch(() => undefined)));
}

function makeHeld(path: string, info: LockInfo, notices: readonly string[]): HeldLock {
  let released = false;
  return {
    path,
    info,
    notices,
    async release() {
      if (released) return;
      released = true;
      // Only remove the lock if it is still ours.
      const current = await readLock(path).catch(() => null);
      if (current?.info?.pid === info.pid && current.info.createdAt === info.createdAt) {
        await unlink(path).catch(() => undefined);
      }
    },
  };
}
