import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BROKEN_PIPE_EVENT, interruptedExitCode, processStopSignal } from '../../source/app/stop-signal.js';

function setup() {
  const source = new EventEmitter();
  const said: string[] = [];
  const exits: number[] = [];
  const stopped = processStopSignal({ source, stderr: (t) => said.push(t), exit: (code) => exits.push(code) });
  return { source, said, exits, stopped };
}

describe('processStopSignal', () => {
  it('resolves with the first SIGINT or SIGTERM', async () => {
    const a = setup();
    a.source.emit('SIGTERM');
    await expect(a.stopped).resolves.toBe('SIGTERM');
    const b = setup();
    b.source.emit('SIGINT');
    await expect(b.stopped).resolves.toBe('SIGINT');
    expect([...a.said, ...b.said, ...a.exits, ...b.exits]).toEqual([]);
  });

  it('a second signal during the stop does not cut the final flush short: it only says so', async () => {
    const s = setup();
    s.source.emit('SIGINT');
    s.source.emit('SIGTERM');
    await expect(s.stopped).resolves.toBe('SIGINT');
    expect(s.exits).toEqual([]);
    expect(s.said).toEqual(['arb-tui: SIGTERM: still stopping (flushing the database); send it once more to quit without the final flush\n']);
  });

  it('a third quits at once with the signal\'s exit code', () => {
    const int = setup();
    for (let i = 0; i < 3; i += 1) int.source.emit('SIGINT');
    expect(int.exits).toEqual([130]);
    expect(int.said.at(-1)).toBe('arb-tui: SIGINT: quitting without the final flush\n');
    const term = setup();
    for (let i = 0; i < 3; i += 1) term.source.emit('SIGTERM');
    expect(term.exits).toEqual([143]);
  });

  it('SIGHUP (the terminal went away) stops it as SIGTERM does; a third quits with 129', async () => {
    const h = setup();
    h.source.emit('SIGHUP');
    await expect(h.stopped).resolves.toBe('SIGHUP');
    h.source.emit('SIGHUP');
    h.source.emit('SIGHUP');
    expect(h.exits).toEqual([129]);
  });

  it('the reader of stdout going away stops it as SIGPIPE, once: every later failed write says the same and is not a second signal', async () => {
    const p = setup();
    for (let i = 0; i < 5; i += 1) p.source.emit(BROKEN_PIPE_EVENT);
    await expect(p.stopped).resolves.toBe('SIGPIPE');
    expect(p.said).toEqual([]);
    expect(p.exits).toEqual([]);
    expect(interruptedExitCode('SIGPIPE')).toBe(141);
  });

  it('a run a signal cut short exits 128 + the signal\'s number (130 when the name is not one it listens to)', () => {
    expect(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGWHAT'].map(interruptedExitCode)).toEqual([130, 143, 129, 130]);
  });
});
