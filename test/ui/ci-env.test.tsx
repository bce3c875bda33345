/**
 * With CI=true in the environment Ink draws no frame until exit. The TUI only
 * runs on interactive terminals, so it must draw live frames anyway, without
 * changing the environment the rest of the process sees.
 */
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env['CI'] = 'true';
  process.env['CONTINUOUS_INTEGRATION'] = '1';
});

import { Console } from 'node:console';
import { renderApp } from '../../source/ui/render.js';
import { FakeActions, filledStore, manualClock } from './helpers/fixtures.js';
import { FakeStdin, FakeStdout, settle } from './helpers/terminal.js';

if (!('Console' in console)) Object.assign(console, { Console });

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]/g;

describe('Ink under CI=true', () => {
  it('still draws frames while the app runs and leaves CI variables as they were', async () => {
    expect(process.env['CI']).toBe('true');
    expect(process.env['CONTINUOUS_INTEGRATION']).toBe('1');
    const clock = manualClock();
    const { store } = filledStore({ clock });
    const stdout = new FakeStdout(80, 24);
    stdout.isTTY = true;
    const stdin = new FakeStdin();
    const app = renderApp({
      store,
      actions: new FakeActions(store, clock.now),
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      env: {},
    });
    try {
      await settle();
      await new Promise((r) => setTimeout(r, 60));
      await settle();
      const text = stdout.writes.join('').replace(ANSI, '');
      expect(text).toContain('Opps');
      // A resize is followed too (Ink ignores resizes in CI mode).
      const before = stdout.writes.length;
      stdout.resize(70, 20);
      await new Promise((r) => setTimeout(r, 60));
      await settle();
      expect(stdout.writes.slice(before).join('').replace(ANSI, '')).toMatch(/too small/i);
    } finally {
      app.unmount();
    }
  });
});
