/**
 * Config files planted by other users are not trusted: a file found by the upward search
 * (or the global file) that is writable by group or others, or owned by another user, is
 * ignored with a notice; a `--config` file failing the same test is an error. Tests run as
 * root in CI, so the owner rule is exercised by injecting the current uid (and through the
 * pure `configFileDistrust`), never with chown.
 */
import { execFileSync } from 'node:child_process';
import { chmod, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../source/config/errors.js';
import { loadConfig } from '../../source/config/load.js';
import { configFileDistrust, searchConfigFile } from '../../source/config/search.js';
import { cli } from '../cli/run-cli.js';
import { makeTempTree, type TempTree } from './temp-home.js';

const posix = typeof process.getuid === 'function';
const me = posix ? (process.getuid as () => number)() : -1;

let t: TempTree;
beforeEach(async () => {
  t = await makeTempTree();
});
afterEach(async () => {
  await t.cleanup();
});

const marker = (ms: number): string => `[kalshi]\ntimeout_ms = ${ms}\n`;
/** What a planted file would set: execute mode, auto-execution, a venue URL elsewhere. */
const PLANTED = 'mode = "execute"\n[execution]\nauto_execute = true\n[kalshi]\nrest_url = "https://attacker.example/trade-api/v2"\ntimeout_ms = 4242\n';

async function writeMode(relative: string, text: string, mode: number): Promise<string> {
  const file = await t.write(relative, text);
  await chmod(file, mode); // chmod, not the umask: the mode is exactly what the test says
  return file;
}

/** A working directory outside home, as in /tmp/something. */
async function outside(): Promise<string> {
  return t.mkdir('shared/project');
}

describe.runIf(posix)('config search: files others can write are ignored', () => {
  for (const [mode, who] of [
    [0o666, 'group and others'],
    [0o646, 'others'],
    [0o664, 'group'],
  ] as const) {
    it(`a parent folder's file with mode ${mode.toString(8)} is ignored with a notice (writable by ${who})`, async () => {
      const cwd = await outside();
      const planted = await writeMode('shared/.arbrc.toml', PLANTED, mode);
      const loaded = await loadConfig({ cwd, env: t.env() });
      expect(loaded.source.file).toBeNull();
      expect(loaded.config.mode).toBe('monitor');
      expect(loaded.config.execution.autoExecute).toBe(false);
      expect(loaded.config.kalshi.restUrl).not.toContain('attacker');
      expect(loaded.notices).toEqual([
        `config file ${planted} ignored: it is writable by ${who} (mode 0${mode.toString(8)}); run chmod go-w ${planted} to use it`,
      ]);
    });
  }

  it('the search goes on past an ignored file: the user own global file is used, and the notice stays', async () => {
    const cwd = await outside();
    const planted = await writeMode('shared/.arbrc.toml', PLANTED, 0o666);
    const global = await writeMode('home/.config/arb-tui/config.toml', marker(1201), 0o600);
    const loaded = await loadConfig({ cwd, env: t.env() });
    expect(loaded.source.file).toBe(global);
    expect(loaded.config.kalshi.timeoutMs).toBe(1201);
    expect(loaded.notices).toHaveLength(1);
    expect(loaded.notices[0]).toContain(planted);
  });

  it('in the working directory itself too, and for .arbrc as for .arbrc.toml; each file is reported once', async () => {
    const cwd = await outside();
    const a = await writeMode('shared/project/.arbrc.toml', PLANTED, 0o666);
    const b = await writeMode('shared/project/.arbrc', PLANTED, 0o646);
    const own = await writeMode('shared/.arbrc', marker(1202), 0o644);
    const loaded = await loadConfig({ cwd, env: t.env() });
    expect(loaded.source.file).toBe(own);
    expect(loaded.notices.map((n) => n.split(' ')[2])).toEqual([a, b]);
  });

  it('a writable global file is ignored like a searched one', async () => {
    const global = await writeMode('home/.config/arb-tui/config.toml', PLANTED, 0o666);
    const loaded = await loadConfig({ cwd: t.project, env: t.env() });
    expect(loaded.source.file).toBeNull();
    expect(loaded.notices).toEqual([`config file ${global} ignored: it is writable by group and others (mode 0666); run chmod go-w ${global} to use it`]);
  });

  it('a user-owned file with mode 600 or 644 in a parent folder is loaded, without notices', async () => {
    for (const mode of [0o600, 0o644, 0o400]) {
      const file = await writeMode('home/work/.arbrc.toml', marker(1300 + mode), mode);
      const loaded = await loadConfig({ cwd: t.project, env: t.env() });
      expect(loaded.source.file).toBe(file);
      expect(loaded.config.kalshi.timeoutMs).toBe(1300 + mode);
      expect(loaded.notices).toEqual([]);
      await chmod(file, 0o600);
    }
    const cwd = await outside();
    const file = await writeMode('shared/.arbrc.toml', marker(1203), 0o644);
    expect((await loadConfig({ cwd, env: t.env() })).source.file).toBe(file);
  });

  it('--config: a file others can write is refused with a clear error; a 644 file is read', async () => {
    const file = await writeMode('home/work/project/custom.toml', PLANTED, 0o666);
    const error = await loadConfig({ cwd: t.project, env: t.env(), configFile: 'custom.toml' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe(file);
    expect((error as ConfigError).message).toBe(
      `${file}: refusing to read this config file (given with --config): it is writable by group and others (mode 0666); run chmod go-w ${file} to use it`,
    );
    await chmod(file, 0o644);
    const loaded = await loadConfig({ cwd: t.project, env: t.env(), configFile: 'custom.toml' });
    expect(loaded.source.file).toBe(file);
    expect(loaded.notices).toEqual([]);
  });

  it('end to end: doctor run in a shared folder does not use the planted file', async () => {
    const cwd = await outside();
    await writeMode('shared/.arbrc.toml', PLANTED, 0o666);
    const r = await cli(['doctor'], { cwd, env: { ...t.env(), XDG_CONFIG_HOME: path.join(t.home, '.config'), PATH: process.env['PATH'] ?? '' } });
    expect(r.stdout).toContain('config: defaults (no config file found)');
    expect(r.stdout).toContain('mode: monitor');
    expect(r.stdout).not.toContain('attacker.example');
    // doctor says which file it passed over and why (and so exits 1: something to look at)
    expect(r.stdout).toMatch(/config file .*shared\/\.arbrc\.toml ignored/);
    expect(r.code).toBe(1);
  });

  it('a FIFO planted under the name is skipped without hanging', async () => {
    const cwd = await outside();
    execFileSync('mkfifo', [path.join(t.root, 'shared', '.arbrc.toml')]);
    const own = await writeMode('shared/.arbrc', marker(1204), 0o600);
    expect((await loadConfig({ cwd, env: t.env() })).source.file).toBe(own);
  });
});

describe('config search: the owner rule (uid injected, no chown)', () => {
  it('configFileDistrust: another owner, then group/other write bits; no user ids trusts everything', () => {
    expect(configFileDistrust({ uid: 1001, mode: 0o100644 }, 1000)).toEqual({ kind: 'owner', reason: 'it is owned by another user (uid 1001), not by you (uid 1000)' });
    expect(configFileDistrust({ uid: 1001, mode: 0o100666 }, 1000)?.kind).toBe('owner');
    expect(configFileDistrust({ uid: 0, mode: 0o100644 }, 1000)?.kind).toBe('owner');
    expect(configFileDistrust({ uid: 1000, mode: 0o100644 }, 1000)).toBeNull();
    expect(configFileDistrust({ uid: 1000, mode: 0o100600 }, 1000)).toBeNull();
    expect(configFileDistrust({ uid: 1000, mode: 0o100664 }, 1000)).toEqual({ kind: 'writable', reason: 'it is writable by group (mode 0664)' });
    expect(configFileDistrust({ uid: 1000, mode: 0o100602 }, 1000)).toEqual({ kind: 'writable', reason: 'it is writable by others (mode 0602)' });
    expect(configFileDistrust({ uid: 1000, mode: 0o100666 }, null)).toBeNull();
    expect(configFileDistrust({ uid: 4242, mode: 0o100644 }, null)).toBeNull();
  });

  it.runIf(posix)('searched files owned by "another user" are ignored with a notice, the global one too', async () => {
    const cwd = await outside();
    const planted = await writeMode('shared/.arbrc.toml', PLANTED, 0o644);
    const global = await writeMode('home/.config/arb-tui/config.toml', marker(1205), 0o600);
    const other = me + 1; // every file the test wrote now belongs to someone else
    const r = await searchConfigFile({ cwd, env: t.env(), homeDir: t.home, uid: other });
    expect(r.file).toBeNull();
    expect(r.text).toBeNull();
    expect(r.ignored).toEqual([
      { file: planted, reason: `it is owned by another user (uid ${me}), not by you (uid ${other}); copy it to a file of your own to use it` },
      { file: global, reason: `it is owned by another user (uid ${me}), not by you (uid ${other}); copy it to a file of your own to use it` },
    ]);
    const mine = await searchConfigFile({ cwd, env: t.env(), homeDir: t.home, uid: me });
    expect(mine.file).toBe(planted);
    expect(mine.text).toBe(PLANTED);
    expect(mine.ignored).toEqual([]);
  });

  it.runIf(posix)('--config owned by another user is refused (nothing documents reading another user file)', async () => {
    const file = await writeMode('home/work/project/custom.toml', marker(1206), 0o644);
    const error = await searchConfigFile({ cwd: t.project, env: t.env(), homeDir: t.home, configFile: 'custom.toml', uid: me + 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `${file}: refusing to read this config file (given with --config): it is owned by another user (uid ${me}), not by you (uid ${me + 1}); copy it to a file of your own to use it`,
    );
  });

  it.runIf(posix)('where the OS has no user ids (uid null, as on Windows) no file is refused', async () => {
    const cwd = await outside();
    const file = await writeMode('shared/.arbrc.toml', marker(1207), 0o666);
    const r = await searchConfigFile({ cwd, env: t.env(), homeDir: t.home, uid: null });
    expect(r.file).toBe(file);
    expect(r.ignored).toEqual([]);
  });
});

describe.runIf(posix)('config search stops at home', () => {
  it('inside home, a file above home is never read, even a trusted one', async () => {
    await writeMode('.arbrc.toml', marker(1208), 0o600);
    const loaded = await loadConfig({ cwd: t.project, env: t.env() });
    expect(loaded.source.file).toBeNull();
    expect(loaded.notices).toEqual([]);
  });

  it('also when HOME is a symlink to the real home the working directory is in', async () => {
    await writeMode('.arbrc.toml', marker(1209), 0o600);
    const alias = path.join(t.root, 'alias-home');
    await symlink(t.home, alias);
    expect((await loadConfig({ cwd: t.project, env: { HOME: alias } })).source.file).toBeNull();
    const own = await writeMode('home/work/.arbrc.toml', marker(1210), 0o600);
    expect((await loadConfig({ cwd: t.project, env: { HOME: alias } })).source.file).toBe(own);
    // and the reverse: the working directory through the symlink, HOME the real path
    // (the walk then goes through the real paths, so the file is named by its real path)
    expect((await loadConfig({ cwd: path.join(alias, 'work', 'project'), env: t.env() })).source.file).toBe(own);
    await rm(own);
    expect((await loadConfig({ cwd: path.join(alias, 'work', 'project'), env: t.env() })).source.file).toBeNull();
  });
});
