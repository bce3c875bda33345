/** Temporary directory trees for config tests: a fake home with a project below it. */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempTree {
  /** Parent of home: files here must never be found by the upward search. */
  readonly root: string;
  readonly home: string;
  /** home/work/project */
  readonly project: string;
  /** Write a file (creating folders) relative to root; returns its absolute path. */
  write(relative: string, text: string): Promise<string>;
  mkdir(relative: string): Promise<string>;
  /** An environment with only HOME set (no XDG_*), plus extras. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export async function makeTempTree(): Promise<TempTree> {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'arb-config-')));
  const home = path.join(root, 'home');
  const project = path.join(home, 'work', 'project');
  await mkdir(project, { recursive: true });
  return {
    root,
    home,
    project,
    async write(relative, text) {
      const file = path.join(root, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    },
    async mkdir(relative) {
      const dir = path.join(root, relative);
      await mkdir(dir, { recursive: true });
      return dir;
    },
    env(extra = {}) {
      return { HOME: home, ...extra };
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
