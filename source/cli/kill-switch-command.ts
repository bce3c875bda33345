/**
 * `arb-tui kill-switch [status|on|off]`: the kill switch of a database (no new trade
 * attempts while it is on; it survives restarts). For a server that runs headless and has
 * no terminal UI to press K in: stop the process (or run this before starting it), switch,
 * start again. A database in use by a running arb-tui is refused with a clear message: the
 * running process would overwrite the change at its next save.
 */
import { existsSync } from 'node:fs';
import { KILL_SWITCH_KEY } from '../engine/execution/settings.js';
import { openDatabase } from '../persistence/database.js';
import { isPersistenceError } from '../persistence/errors.js';
import { UserError } from './user-error.js';

export interface KillSwitchArgs {
  readonly dbPath: string;
  readonly action: 'status' | 'on' | 'off';
  /** The file was named with --db: a missing one is an error for `status`. */
  readonly named?: boolean;
  readonly now?: () => number;
}

export async function runKillSwitch(args: KillSwitchArgs, io: { stdout: (text: string) => void }): Promise<number> {
  const now = args.now ?? Date.now;
  if (args.action === 'status') {
    let db;
    try {
      db = await openDatabase({ path: args.dbPath, readOnly: true });
    } catch (error) {
      if (isPersistenceError(error) && error.code === 'not-found' && args.named !== true) {
        io.stdout(`kill switch: off (no database yet at ${args.dbPath})\n`);
        return 0;
      }
      throw error;
    }
    try {
      const on = db.repos.state.get(KILL_SWITCH_KEY) === 'on';
      io.stdout(`kill switch: ${on ? 'ON: no new trade attempts' : 'off'} (${args.dbPath})\n`);
      return 0;
    } finally {
      await db.close();
    }
  }
  const on = args.action === 'on';
  // a file that does not exist is no run's database (a mistyped --db): nothing is created
  if (!existsSync(args.dbPath)) {
    throw new UserError(`no database at ${args.dbPath}: nothing to switch (start arb-tui on it once, or name the file with --db; paper trading's is chosen with --mode paper, the demo's with --demo)`);
  }
  let db;
  try {
    db = await openDatabase({ path: args.dbPath, now });
  } catch (error) {
    if (isPersistenceError(error) && error.code === 'locked') {
      throw new UserError(`${error.message}. While arb-tui runs on this database, switch the kill switch there: K in the terminal UI (a headless run: stop it first, then run this again)`);
    }
    throw error;
  }
  try {
    await db.writeCritical((r) => {
      r.state.set(KILL_SWITCH_KEY, on ? 'on' : 'off');
      r.audit.append({ actor: 'user', kind: on ? 'kill-switch-on' : 'kill-switch-off', at: now(), detail: { via: 'arb-tui kill-switch' } });
    });
  } finally {
    await db.close();
  }
  io.stdout(on ? `kill switch ON: no trade will be attempted until it is released (${args.dbPath})\n` : `kill switch off: trading may resume at the next start (${args.dbPath})\n`);
  return 0;
}
