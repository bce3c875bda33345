/**
 * Composition root, part 1: resolve configuration once for a command, applying
 * command-line flags over the file, profile and environment.
 */
import { configDigest, loadConfig, type AppConfig, type LoadedConfig } from '../config/load.js';

export interface AppContext {
  readonly config: AppConfig;
  readonly loaded: LoadedConfig;
  /** Simulated venues instead of live ones. */
  readonly demo: boolean;
  /** Seed of the simulated venues. */
  readonly seed: number;
  /** The environment the command runs in (credentials are read from it, never from config). */
  readonly env: NodeJS.ProcessEnv;
}

export interface ContextOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly configFile?: string | undefined;
  readonly profile?: string | undefined;
  readonly mode?: string | undefined;
  readonly demo: boolean;
  readonly seed?: number | undefined;
}

export async function loadAppConfig(options: ContextOptions): Promise<AppContext> {
  const loaded = await loadConfig({
    cwd: options.cwd,
    env: options.env,
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  });
  const mode = (options.mode ?? loaded.config.mode) as AppConfig['mode'];
  const config: AppConfig = { ...loaded.config, mode };
  // The digest recorded with a session describes the config in effect, flags included.
  const effective: LoadedConfig = { ...loaded, config, digest: configDigest(config) };
  return { config, loaded: effective, demo: options.demo, seed: options.seed ?? config.demo.seed, env: options.env };
}
