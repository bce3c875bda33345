/**
 * Command-line entry: parse argv with yargs, load config, run the command.
 * Every failure ends as one clear line on stderr and a non-zero exit code.
 */
import yargs, { type Argv } from 'yargs';
import { VERSION } from '../version.js';
import { loadAppConfig, type AppContext } from '../app/context.js';
import type { VenueId } from '../domain/market.js';
import { reportFailure, UserError } from './user-error.js';
import type { KeysDeps } from './keys-command.js';
import type { ExportKind } from '../export/session-csv.js';
import { processStopSignal } from '../app/stop-signal.js';

// Commands load what they need when they run: `--help`, `--version` and the first
// frame of the UI do not wait for the matcher, the database or the signing libraries.
const EXPORT_KINDS: readonly ExportKind[] = ['opportunities', 'trades', 'fills', 'pairs'];

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly columns: number;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM, SIGHUP). */
  readonly stopSignal: () => Promise<string>;
}

export const defaultIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  columns: process.stdout.columns ?? 120,
  stopSignal: () => processStopSignal(),
});

interface GlobalArgs {
  config?: string | undefined;
  profile?: string | undefined;
  demo: boolean;
  seed?: number | undefined;
  mode?: string | undefined;
  db?: string | undefined;
}

const MODES = ['monitor', 'paper', 'execute'] as const;

function globalOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'Config file (TOML); default: .arbrc.toml / .arbrc upward, then $XDG_CONFIG_HOME/arb-tui/config.toml' })
    .option('profile', { type: 'string', describe: 'Config profile to apply, e.g. kalshi-demo' })
    .option('demo', { type: 'boolean', default: false, describe: 'Run offline against simulated venues' })
    .option('seed', { type: 'number', describe: 'Seed for the simulated venues (with --demo)' })
    .option('mode', { type: 'string', choices: MODES as unknown as string[], describe: 'monitor (read only), paper (simulated fills) or execute (real orders)' })
    .option('db', { type: 'string', describe: 'Database file (default: db_path from config; --demo uses a separate -demo file)' });
}

async function context(args: GlobalArgs, io: CliIo): Promise<AppContext> {
  if (args.seed !== undefined && (!Number.isSafeInteger(args.seed) || args.seed < 0)) {
    throw new UserError(`--seed must be a non-negative integer, got ${given(rawArgv, 'seed', args.seed)}`);
  }
  // an empty --db (an unset shell variable) must not quietly mean the default database
  if (typeof args.db === 'string' && args.db.trim() === '') throw new UserError('--db needs a file name (it was empty)');
  return loadAppConfig({
    cwd: io.cwd,
    env: io.env,
    configFile: args.config,
    profile: args.profile,
    mode: args.mode,
    demo: args.demo,
    seed: args.seed,
  });
}

/**
 * Every option takes one value: one given twice (`--mode paper --mode monitor`) is a usage
 * error, not an array passed on (found in review: an internal error, exit 70, after a
 * database file was made) nor the last one silently chosen.
 */
/** The text given for `--name` on the command line (`--name X` or `--name=X`), to quote it back when it is not a number. */
function given(argv: readonly string[], name: string, parsed: unknown): string {
  if (typeof parsed === 'number' && !Number.isNaN(parsed)) return String(parsed);
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] as string;
    if (a === `--${name}`) return JSON.stringify(argv[i + 1] ?? '');
    if (a.startsWith(`--${name}=`)) return JSON.stringify(a.slice(name.length + 3));
  }
  return String(parsed);
}

function refuseRepeatedOptions(args: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(args)) {
    if (key === '_' || key === '$0' || !Array.isArray(value)) continue;
    throw new UserError(`--${key} was given ${value.length} times (${value.map((v) => JSON.stringify(v)).join(', ')}): give it once`);
  }
}

/** The arguments of the run being parsed (to quote a value back as it was typed). */
let rawArgv: readonly string[] = [];

export async function runCli(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  let exitCode = 0;
  rawArgv = argv;
  const parser = globalOptions(yargs([...argv]))
    .scriptName('arb-tui')
    .usage('$0 [options]\n\nWatch Kalshi and Polymarket for the same question on both venues and show spreads net of fees.')
    .command(
      '$0',
      'Run the monitor (default: read only, no keys needed)',
      (y) =>
        y
          .option('headless', { type: 'boolean', default: false, describe: 'No UI: one JSON object per line on stdout for every event, logs on stderr' })
          .option('once', { type: 'boolean', default: false, describe: 'With --headless: one full cycle, print the opportunities found, exit' }),
      async (args) => {
        if (args.once && !args.headless) throw new UserError('--once works with --headless (e.g. arb-tui --headless --once --demo)');
        const ctx = await context(args, io);
        if (args.headless) {
          const { runHeadless } = await import('../app/headless.js');
          exitCode = await runHeadless(ctx, { once: args.once, dbPath: args.db }, { stdout: io.stdout, stderr: io.stderr, stopSignal: io.stopSignal() });
          return;
        }
        const { runTui } = await import('../app/tui.js');
        exitCode = await runTui(ctx, { dbPath: args.db }, {
          stderr: io.stderr,
          stopSignal: io.stopSignal(),
          stdin: process.stdin,
          stdout: process.stdout,
          env: io.env,
        });
      },
    )
    .command(
      'export',
      'Write session history as CSV (opportunities, trades, fills or pairs)',
      (y) =>
        y
          .option('session', { type: 'string', default: 'last', describe: 'Session id, "last" or "all"' })
          .option('what', { type: 'string', choices: [...EXPORT_KINDS], default: 'opportunities', describe: 'What to export' })
          .option('out', { type: 'string', describe: 'File to write (default: standard output)' }),
      async (args) => {
        const ctx = await context(args, io);
        const [{ runExport }, { demoHistoryHint, resolveDbPath }] = await Promise.all([import('./export-command.js'), import('../app/db-path.js')]);
        try {
          await runExport({ dbPath: resolveDbPath(ctx, args.db), session: args.session, what: args.what as ExportKind, out: args.out }, io);
        } catch (error) {
          const { isPersistenceError } = await import('../persistence/errors.js');
          const hint = isPersistenceError(error) && error.code === 'not-found' ? demoHistoryHint(ctx, args.db) : null;
          if (hint === null) throw error;
          throw new UserError(`${error instanceof Error ? error.message : String(error)}; ${hint}`);
        }
      },
    )
    .command(
      'sessions',
      'List past sessions with their counts and the P&L their trades locked in',
      (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
      async (args) => {
        const ctx = await context(args, io);
        const [{ runSessions }, { demoHistoryHint, resolveDbPath }] = await Promise.all([import('./sessions-command.js'), import('../app/db-path.js')]);
        await runSessions({ dbPath: resolveDbPath(ctx, args.db), json: args.json, emptyHint: demoHistoryHint(ctx, args.db), named: args.db !== undefined }, io);
      },
    )
    .command(
      'markets',
      'List open markets with best YES/NO asks, sizes and fee parameters',
      (y) =>
        y
          .option('venue', { type: 'string', choices: ['kalshi', 'polymarket'], demandOption: true, describe: 'Venue to list' })
          .option('json', { type: 'boolean', default: false, describe: 'Print JSON (decimal strings) instead of a table' })
          .option('limit', { type: 'number', default: 25, describe: 'Number of markets to list' }),
      async (args) => {
        if (!Number.isSafeInteger(args.limit) || args.limit < 1 || args.limit > 10_000) {
          throw new UserError(`--limit must be an integer from 1 to 10000, got ${given(rawArgv, 'limit', args.limit)}`);
        }
        const ctx = await context(args, io);
        const [{ createVenues }, { listMarketsWithBooks, renderMarketsTable }] = await Promise.all([
          import('../app/venues.js'),
          import('./markets-command.js'),
        ]);
        const venues = await createVenues(ctx);
        const controller = new AbortController();
        const onSignal = (): void => controller.abort();
        process.once('SIGINT', onSignal);
        try {
          const venue = venues[args.venue as VenueId];
          const rows = await listMarketsWithBooks(venue, args.limit, controller.signal);
          if (args.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
          else if (rows.length === 0) io.stdout('No open markets.\n');
          else io.stdout(`${renderMarketsTable(rows, io.columns)}\n`);
        } finally {
          process.off('SIGINT', onSignal);
          await venues.close();
        }
      },
    )
    .command(
      'match',
      'Propose pairs from saved venue responses (offline): Kalshi events/markets and Polymarket Gamma events/markets',
      (y) =>
        y
          .option('kalshi', { type: 'string', demandOption: true, describe: 'Saved Kalshi GET /events?with_nested_markets=true or GET /markets body' })
          .option('polymarket', { type: 'string', demandOption: true, describe: 'Saved Polymarket Gamma GET /events or GET /markets body' })
          .option('json', { type: 'boolean', default: false, describe: 'One JSON object per proposed pair' })
          .option('min-confidence', { type: 'number', default: 0.6, describe: 'Propose pairs at or above this confidence (0 to 1)' }),
      async (args) => {
        if (Number.isNaN(args['min-confidence'])) throw new UserError(`--min-confidence must be between 0 and 1, got ${given(rawArgv, 'min-confidence', NaN)}`);
        const { runMatch } = await import('./match-command.js');
        await runMatch({ kalshiFile: args.kalshi, polymarketFile: args.polymarket, json: args.json, minConfidence: args['min-confidence'] }, io);
      },
    )
    .command(
      'kill-switch [action]',
      'The kill switch (no new trade attempts) of a database: status, on or off; while arb-tui runs on it, press K there instead',
      (y) => y.positional('action', { type: 'string', choices: ['status', 'on', 'off'], default: 'status', describe: 'status (default), on or off' }),
      async (args) => {
        const ctx = await context(args, io);
        const [{ runKillSwitch }, { resolveDbPath }] = await Promise.all([import('./kill-switch-command.js'), import('../app/db-path.js')]);
        // the file real trading uses unless this command names another (--db, --demo, --mode paper):
        // a config whose mode is paper must not send the switch to the paper file while execute runs
        const trading = args.mode === 'paper' || ctx.demo ? ctx : { ...ctx, config: { ...ctx.config, mode: 'execute' as const } };
        exitCode = await runKillSwitch({ dbPath: resolveDbPath(trading, args.db), action: args.action as 'status' | 'on' | 'off', named: args.db !== undefined }, io);
      },
    )
    .command(
      'keys <action> [venue]',
      'Manage API credentials (OS keychain, or environment variables where none exists): set, show, delete',
      (y) =>
        y
          .positional('action', { type: 'string', choices: ['set', 'show', 'delete'], describe: 'set: store keys (prompted, or piped on stdin); show: which are set and where (never the secret); delete' })
          .positional('venue', { type: 'string', choices: ['kalshi', 'polymarket', 'all'], describe: 'kalshi or polymarket (delete also takes all)' }),
      async (args) => {
        const { defaultKeysDeps, keysDelete, keysSet, keysShow } = await import('./keys-command.js');
        const deps: KeysDeps = { ...defaultKeysDeps(), env: io.env, stdout: { write: io.stdout }, stderr: { write: io.stderr } };
        if (args.action === 'show') {
          exitCode = await keysShow(deps, args.venue === undefined || args.venue === 'all' ? undefined : (args.venue as 'kalshi' | 'polymarket'));
          return;
        }
        if (args.venue === undefined) throw new UserError(`arb-tui keys ${args.action} needs a venue: kalshi or polymarket${args.action === 'delete' ? ' (or all)' : ''}`);
        if (args.action === 'set') {
          if (args.venue === 'all') throw new UserError('arb-tui keys set takes one venue: kalshi or polymarket');
          exitCode = await keysSet(args.venue as 'kalshi' | 'polymarket', deps);
          return;
        }
        exitCode = await keysDelete(args.venue as 'kalshi' | 'polymarket' | 'all', deps);
      },
    )
    .command(
      'doctor',
      'Check the installation (Node, sql.js WebAssembly, config) without network access',
      (y) => y,
      async (args) => {
        const ctx = await context(args, io);
        const { runDoctor } = await import('./doctor-command.js');
        const lines = await runDoctor(ctx);
        for (const l of lines) io.stdout(`${l.ok ? '✓' : '✗'} ${l.text}\n`);
        if (lines.some((l) => !l.ok)) exitCode = 1;
      },
    )
    .middleware(refuseRepeatedOptions, true)
    .strict()
    .version(VERSION)
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .wrap(Math.min(100, io.columns))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw new UserError(`${message}\nRun "arb-tui --help" for usage.`);
    });
  try {
    let helpOrVersion = '';
    await parser.parseAsync([...argv], {}, (err, _argv, output) => {
      if (!err && output) helpOrVersion = output;
    });
    if (helpOrVersion) io.stdout(`${helpOrVersion}\n`);
  } catch (error) {
    exitCode = reportFailure(error, (line) => io.stderr(`${line}\n`));
  }
  return exitCode;
}
