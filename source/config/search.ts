/**
 * Where the config file is:
 *   1. `--config FILE` (relative to the working directory; missing → ConfigError);
 *   2. `.arbrc.toml`, then `.arbrc` (both TOML), in the working directory and each parent,
 *      up to and including the home directory (or the filesystem root when the working
 *      directory is outside home);
 *   3. `$XDG_CONFIG_HOME/arb-tui/config.toml` (`~/.config` when unset or not absolute);
 *   4. none: defaults.
 *
 * Why not cosmiconfig: cosmiconfig 9 reads a "meta config" from `process.cwd()` as soon as
 * an explorer is created, and that includes *executing* `./.config/config.{js,ts,cjs,mjs}`
 * when the directory has no package.json. Running arb-tui inside a cloned repository would
 * then run that repository's code. Its global lookup also reads the real `process.env` and
 * `os.homedir()` (not injectable) and never looks for `config.toml`. The search here is
 * the same walk in a few lines, never executes anything, and takes cwd/env/home as inputs.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './errors.js';

export const PROJECT_FILE_NAMES = ['.arbrc.toml', '.arbrc'] as const;
export const APP_DIR_NAME = 'arb-tui';
export const GLOBAL_FILE_NAME = 'config.toml';

export interface SearchOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly homeDir: string;
  readonly configFile?: string | undefined;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
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

/** The config file to load, or null for defaults. */
export async function findConfigFile(options: SearchOptions): Promise<string | null> {
  if (options.configFile !== undefined) {
    const file = path.resolve(options.cwd, expandHome(options.configFile, options.homeDir));
    if (!(await isFile(file))) {
      throw new ConfigError(`${file}: config file not found (given with --config)`, { file });
    }
    return file;
  }
  for (const dir of searchDirectories(options.cwd, options.homeDir)) {
    for (const name of PROJECT_FILE_NAMES) {
      const file = path.join(dir, name);
      if (await isFile(file)) return file;
    }
  }
  const global = globalConfigPath(options.env, options.homeDir);
  return (await isFile(global)) ? global : null;
}
