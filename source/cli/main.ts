/**
 * Command-line entry: parse argv with yargs, load config, run the command.
 * Every failure ends as one clear line on stderr and a non-zero exit code.
 */
import yargs, { type Argv } from 'yargs';
import { VERSION } from '../version.js';
import { loadAppConfig, type AppContext } from '../app/context.js';
import { createVenues } from '../app/venues.js';
import type { VenueId } from '../domain/market.js';
import { runDoctor } from './doctor-command.js';
import { listMarketsWithBooks, renderMarketsTable } from './markets-command.js';
import { reportFailure, UserError } from './user-error.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly columns: number;
}

export const defaultIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  columns: process.stdout.columns ?? 120,
});

interface GlobalArgs {
  config?: string | undefined;
  profile?: string | undefined;
  demo: boolean;
  seed?: number | undefined;
  mode?: string | undefined;
}

const MODES = ['monitor', 'paper', 'execute'] as const;

function globalOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', describe: 'Config file (TOML); default: .arbrc.toml / .arbrc upward, then $XDG_CONFIG_HOME/arb-tui/config.toml' })
    .option('profile', { type: 'string', describe: 'Config profile to apply, e.g. kalshi-demo' })
    .option('demo', { type: 'boolean', default: false, describe: 'Run offline against simulated venues' })
    .option('seed', { type: 'number', describe: 'Seed for the simulated venues (with --demo)' })
    .option('mode', { type: 'string', choices: MODES as unknown as string[], describe: 'monitor (read only), paper (simulated fills) or execute (real orders)' });
}

async function context(args: GlobalArgs, io: CliIo): Promise<AppContext> {
  if (args.seed !== undefined && (!Number.isSafeInteger(args.seed) || args.seed < 0)) {
    throw new UserError(`--seed must be a non-negative integer, got ${String(args.seed)}`);
  }
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

export async function runCli(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  let exitCode = 0;
  const parser = globalOptions(yargs([...argv]))
    .scriptName('arb-tui')
    .usage('$0 [options]\n\nWatch Kalshi and Polymarket for the same question on both venues and show spreads net of fees.')
    .command(
      '$0',
      'Run the monitor (default: read only, no keys needed)',
      (y) => y,
      async (args) => {
        const ctx = await context(args, io);
        io.stdout(
          `arb-tui ${VERSION}: the live terminal UI is coming soon (mode ${ctx.config.mode}, ${ctx.demo ? 'simulated venues' : 'live venues'}). ` +
            `Meanwhile: arb-tui markets --venue kalshi${ctx.demo ? ' --demo' : ''}\n`,
        );
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
          throw new UserError(`--limit must be an integer from 1 to 10000, got ${String(args.limit)}`);
        }
        const ctx = await context(args, io);
        const venues = createVenues(ctx);
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
      'doctor',
      'Check the installation (Node, sql.js WebAssembly, config) without network access',
      (y) => y,
      async (args) => {
        const ctx = await context(args, io);
        const lines = await runDoctor(ctx);
        for (const l of lines) io.stdout(`${l.ok ? '✓' : '✗'} ${l.text}\n`);
        if (lines.some((l) => !l.ok)) exitCode = 1;
      },
    )
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
