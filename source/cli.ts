#!/usr/bin/env node
import { tuneV8 } from './lib/v8-tuning.js';

// before the rest of the app is loaded (it is imported below, once this is done)
tuneV8();
const { runCli } = await import('./cli/main.js');

// `arb-tui markets | head`: the reader went away; stop quietly instead of crashing on EPIPE.
// EIO: the terminal itself went away (a dropped SSH session); the hangup signal that comes
// with it stops the TUI after the final flush, which a crash here would cut short.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    if (error.code === 'EIO') return;
    throw error;
  });
}

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
