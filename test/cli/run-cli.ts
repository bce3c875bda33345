import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../source/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temp HOME/XDG tree so no real config of the machine leaks into a test. */
export function isolatedEnv(extra: Record<string, string> = {}): { env: NodeJS.ProcessEnv; cwd: string } {
  const root = mkdtempSync(join(tmpdir(), 'arb-cli-'));
  const env: NodeJS.ProcessEnv = {
    HOME: root,
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
    PATH: process.env['PATH'] ?? '',
    ...extra,
  };
  return { env, cwd: root };
}

export async function cli(argv: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; columns?: number; stopSignal?: () => Promise<string> } = {}): Promise<CliRun> {
  const iso = isolatedEnv();
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: options.env ?? iso.env,
    cwd: options.cwd ?? iso.cwd,
    columns: options.columns ?? 120,
    // Tests that run the headless loop pass their own; nothing else waits on it.
    stopSignal: options.stopSignal ?? (() => new Promise<string>(() => undefined)),
  });
  return { code, stdout, stderr };
}
