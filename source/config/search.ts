/**
 * Where the config file is:
 *   1. `--config FILE` (relative to the working directory; missing → ConfigError);
 *   2. `.arbrc.toml`, then `.arbrc` (both TOML), in the working directory and each parent,
 *      up to and including the home directory (or the filesystem root when the working
 *      directory is outside home; "inside home" is also decided on real paths, so a
 *      symlinked HOME or working directory does not let the walk climb past home);
 *   3. `$XDG_CONFIG_HOME/arb-tui/config.toml` (`~/.config` when unset or not absolute);
 *   4. none: defaults.
 *
 * Trust (like git's safe.directory, or OpenSSH's StrictModes): a file found by the search
 * (steps 2 and 3) is ignored, with a notice, when it is owned by another user or writable
 * by group or others, and the search goes on as if it were not there. Otherwise anyone who
 * can write to /tmp (or to any folder above the working directory outside home) could set
 * the mode, auto-execution, pairs and the venue URLs, which receive the API keys' signed
 * requests. A `--config` file that fails the same test is an error (nothing documents
 * reading another user's file). The check is skipped where the OS has no user ids
 * (Windows: no `process.getuid`, and its mode bits say nothing about other users). The
 * file is read through the descriptor that was checked, so it cannot be swapped between
 * the check and the read.
 *
 * Why not cosmiconfig: cosmiconfig 9 reads a "meta config" from `process.cwd()` as soon as
 * an explorer is created, and that includes *executing* `./.config/config.{js,ts,cjs,mjs}`
 * when the directory has no package.json. Running arb-tui inside a cloned repository would
 * then run that repository's code. Its global lookup also reads the real `process.env` and
 * `os.homedir()` (not injectable) and never looks for `config.toml`. The search here is
 * the same walk in a few lines, never executes anything, and takes cwd/env/home as inputs.
 */
import { constants, type Stats } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './errors.js';

export const PROJECT_FILE_NAMES = ['.arbrc.toml', '.arbrc'] as const;
export const APP_DIR_NAME = 'arb-tui';
export const GLOBAL_FILE_NAME = 'config.toml';

/** What the trust check needs from a file's stat. */
export interface FileOwnership {
  readonly uid: number;
  readonly mode: number;
}

export interface SearchOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly homeDir: string;
  readonly configFile?: string | undefined;
  /**
   * The current user's id; `null` where the OS has none (no owner or mode check). Default
   * `process.getuid()`, or null where it does not exist (Windows). Tests inject another
   * id to exercise the owner rule without chown.
   */
  readonly uid?: number | null | undefined;
}

/** A config file the search found but did not use, and why. */
export interface IgnoredConfigFile {
  readonly file: string;
  readonly reason: string;
}

export interface ConfigSearchResult {
  /** The config file to load, or null for defaults. */
  readonly file: string | null;
  /** Its text, read through the descriptor that passed the trust check (null with no file). */
  readonly text: string | null;
  /** Files found but ignored (another owner, writable by others), nearest first. */
  readonly ignored: readonly IgnoredConfigFile[];
}

function currentUid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}

function octalMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** Why a config file is not trusted: `owner` (another user's), `writable` (by group or others), `changed` (swapped mid-read). */
export interface ConfigFileDistrust {
  readonly kind: 'owner' | 'writable' | 'changed';
  readonly reason: string;
}

/**
 * Why a config file must not be trusted, or null when it may be read: it belongs to
 * another user, or group or others may write to it. `uid` null (no user ids on this OS)
 * trusts every file. Pure, so the owner rule is testable without chown.
 */
export function configFileDistrust(st: FileOwnership, uid: number | null): ConfigFileDistrust | null {
  if (uid === null) return null;
  if (st.uid !== uid) return { kind: 'owner', reason: `it is owned by another user (uid ${st.uid}), not by you (uid ${uid})` };
  const writable = st.mode & 0o022;
  if (writable !== 0) {
    const who = writable === 0o022 ? 'group and others' : writable === 0o020 ? 'group' : 'others';
    return { kind: 'writable', reason: `it is writable by ${who} (mode ${octalMode(st.mode)})` };
  }
  return null;
}

/** What the user can do about a distrusted file of theirs. */
function fixFor(distrust: ConfigFileDistrust, file: string): string {
  if (distrust.kind === 'writable') return `run chmod go-w ${file} to use it`;
  if (distrust.kind === 'changed') return 'run arb-tui again';
  return 'copy it to a file of your own to use it';
}

/** The one-line notice for an ignored file. */
export function ignoredConfigNotice(ignored: IgnoredConfigFile): string {
  return `config file ${ignored.file} ignored: ${ignored.reason}`;
}

/** `~` and `~/x` expanded against home. */
export function expandHome(p: string, homeDir: string): string {
  if (p === '~') return homeDir;
  if (p.startsWith('~/') || p.startsWith(`~${path.sep}`)) return path.join(homeDir, p.slice(2));
  return p;
}

/** An XDG base directory: the variable when set to an absolute path, else the fallback under home. */
export function xdgDir(env: NodeJS.ProcessEnv, variable: string, homeDir: string, fallback: string): string {
  const value = env[variable];
  return value !== undefined && path.isAbsolute(value) ? value : path.join(homeDir, fallback);
}

export function globalConfigPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  return path.join(xdgDir(env, 'XDG_CONFIG_HOME', homeDir, '.config'), APP_DIR_NAME, GLOBAL_FILE_NAME);
}

/** The directories searched for a project file, nearest first. */
export function searchDirectories(cwd: string, homeDir: string): string[] {
  const dirs: string[] = [];
  const home = path.resolve(homeDir);
  let dir = path.resolve(cwd);
  for (;;) {
    dirs.push(dir);
    if (dir === home) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dirs;
}

function isWithin(dir: string, home: string): boolean {
  const rel = path.relative(home, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Where the upward walk starts and stops: at home when the working directory is inside
 * it, also when only their real paths say so (HOME through a symlink, or the reverse), so
 * the walk never climbs past home into folders other users may write to.
 */
async function walkBounds(cwd: string, homeDir: string): Promise<{ start: string; home: string }> {
  const start = path.resolve(cwd);
  const home = path.resolve(homeDir);
  if (isWithin(start, home)) return { start, home };
  const real = async (p: string): Promise<string> => realpath(p).catch(() => p);
  const [realStart, realHome] = await Promise.all([real(start), real(home)]);
  if (isWithin(realStart, realHome)) return { start: realStart, home: realHome };
  return { start, home };
}

type Opened = { kind: 'missing' } | { kind: 'ignored'; distrust: ConfigFileDistrust } | { kind: 'ok'; text: string };

function unreadable(file: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message;
  return new ConfigError(`${file}: cannot read config file: ${why}`, { file });
}

/**
 * Open a candidate file, check it through its descriptor (a regular file, trusted) and
 * read it from that same descriptor. Non-blocking open, so a FIFO planted under the name
 * cannot hang the start; a file that exists but cannot be read is a ConfigError, as before.
 */
async function openChecked(file: string, uid: number | null): Promise<Opened> {
  let before: Stats;
  try {
    before = await stat(file);
  } catch {
    return { kind: 'missing' };
  }
  if (!before.isFile()) return { kind: 'missing' };
  const early = configFileDistrust(before, uid);
  if (early !== null) return { kind: 'ignored', distrust: early };
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw unreadable(file, error);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.ino !== before.ino || st.dev !== before.dev) {
      return { kind: 'ignored', distrust: { kind: 'changed', reason: 'it was replaced while being read' } };
    }
    const distrust = configFileDistrust(st, uid);
    if (distrust !== null) return { kind: 'ignored', distrust };
    try {
      return { kind: 'ok', text: await handle.readFile('utf8') };
    } catch (error) {
      throw unreadable(file, error);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Find the config file and read it. Searched files that fail the trust check are listed
 * in `ignored` and skipped; a `--config` file that fails it is a ConfigError.
 */
export async function searchConfigFile(options: SearchOptions): Promise<ConfigSearchResult> {
  const uid = options.uid === undefined ? currentUid() : options.uid;
  if (options.configFile !== undefined) {
    const file = path.resolve(options.cwd, expandHome(options.configFile, options.homeDir));
    const opened = await openChecked(file, uid);
    if (opened.kind === 'missing') {
      const what = await stat(file).then((st) => (st.isDirectory() ? 'is a directory, not a config file' : 'is not a regular file'), () => 'config file not found');
      throw new ConfigError(`${file}: ${what} (given with --config)`, { file });
    }
    if (opened.kind === 'ignored') {
      throw new ConfigError(`${file}: refusing to read this config file (given with --config): ${opened.distrust.reason}; ${fixFor(opened.distrust, file)}`, { file });
    }
    return { file, text: opened.text, ignored: [] };
  }
  const ignored: IgnoredConfigFile[] = [];
  const { start, home } = await walkBounds(options.cwd, options.homeDir);
  const candidates = [
    ...searchDirectories(start, home).flatMap((dir) => PROJECT_FILE_NAMES.map((name) => path.join(dir, name))),
    globalConfigPath(options.env, options.homeDir),
  ];
  for (const file of candidates) {
    const opened = await openChecked(file, uid);
    if (opened.kind === 'ok') return { file, text: opened.text, ignored };
    if (opened.kind === 'ignored') ignored.push({ file, reason: `${opened.distrust.reason}; ${fixFor(opened.distrust, file)}` });
  }
  return { file: null, text: null, ignored };
}
