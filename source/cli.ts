#!/usr/bin/env node
import type { EventEmitter } from 'node:events';
import { BROKEN_PIPE_EVENT } from './app/stop-signal.js';
import { tuneV8 } from './lib/v8-tuning.js';

// before the rest of the app is loaded (it is imported below, once this is done)
tuneV8();
const { runCli } = await import('./cli/main.js');

// `arb-tui markets | head`: the reader went away. A running engine (`--headless | head`)
// stops as for a signal, after the final flush (it listens for BROKEN_PIPE_EVENT); a
// command with nothing to save stops quietly at once instead of crashing on EPIPE. Writes
// after that fail the same way (or as writes to a destroyed stream): ignored.
// EIO: the terminal itself went away (a dropped SSH session); the hangup signal that comes
// with it stops the TUI after the final flush, which a crash here would cut short.
let pipeBroken = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || (pipeBroken && error.code === 'ERR_STREAM_DESTROYED')) {
      if (pipeBroken) return;
      pipeBroken = true;
      if (process.listenerCount(BROKEN_PIPE_EVENT) === 0) process.exit(0);
      (process as EventEmitter).emit(BROKEN_PIPE_EVENT);
      return;
    }
    if (error.code === 'EIO') return;
    throw error;
  });
}

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
