/**
 * Terminal manners through renderApp: alternate screen in and out (also on a
 * crash), quit through actions.quit before Ink exits, resize, too small, and
 * colour only when the terminal and NO_COLOR allow it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

// Colour support is decided by chalk when Ink loads: force it on, so that only
// the app's own NO_COLOR / TERM handling can turn colours off in these tests.
vi.hoisted(() => {
  process.env['FORCE_COLOR'] = '3';
});

import { Console } from 'node:console';
import { ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, renderApp, type RenderedApp } from '../../source/ui/render.js';
import { colorSupported } from '../../source/ui/theme.js';
import type { Snapshot } from '../../source/store/store.js';
import { FakeActions, filledStore, manualClock } from './helpers/fixtures.js';
import { FakeStdin, FakeStdout, KEYS, settle } from './helpers/terminal.js';

// Ink patches the console (so nothing writes behind its back); vitest's console lacks the constructor it uses.
if (!('Console' in console)) Object.assign(console, { Console });

// eslint-disable-next-line no-control-regex
const COLOUR = /\u001B\[(?:3[0-79]|9[0-7]|4[0-79]|10[0-7]|38;|48;)[0-9;]*m/;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]/g;

/** Ink renders at most 30 frames a second outside debug mode: wait out its throttle. */
async function frame(): Promise<void> {
  await settle();
  await new Promise((r) => setTimeout(r, 40));
  await settle();
}

let app: RenderedApp | null = null;
afterEach(() => {
  app?.unmount();
  app = null;
});

function mount(options: { env?: NodeJS.ProcessEnv; columns?: number; rows?: number; tty?: boolean } = {}) {
  const clock = manualClock();
  const { store } = filledStore({ clock });
  const actions = new FakeActions(store, clock.now);
  const stdout = new FakeStdout(options.columns ?? 80, options.rows ?? 24);
  stdout.isTTY = options.tty ?? true;
  const stdin = new FakeStdin();
  app = renderApp({
    store,
    actions,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    env: options.env ?? {},
  });
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      stdin.write(k);
      await frame();
    }
  };
  const text = () => stdout.writes.join('').replace(ANSI, '');
  return { store, clock, actions, stdout, stdin, press, text, app };
}

describe('keys that arrive together', () => {
  it('several characters in one read act as that many keypresses, each on the state the last one left', async () => {
    const m = mount({ columns: 100, rows: 30 });
    await m.press('?');
    expect(m.text()).toMatch(/scroll 1-\d+ of/);
    await m.press('jjj');
    expect(m.text()).toMatch(/scroll 4-\d+ of/);
    await m.press(KEYS.escape, '45');
    expect(m.text()).toContain('Message (newest first)');
  });

  it('a paste never trades, decides or halts: the kill switch, a ticket confirmation, approve/reject are single keys only (found in review)', async () => {
    const m = mount({ columns: 100, rows: 30 });
    // "Kyrgios" pasted on a list: K would open the kill switch dialog and y answer it
    await m.press('Kyrgios');
    expect(m.actions.names()).not.toContain('setHalted');
    expect(m.text()).not.toContain('Kill switch: halt trading?');
    // on a ticket, "500y": the size is typed, the quote is not confirmed
    await m.press(KEYS.escape, '1', 'j', KEYS.enter);
    await m.press('500y');
    expect(m.actions.names()).not.toContain('confirm');
    // the rest of an escape sequence Ink split off ("[200~" of a bracketed paste) is not keys
    await m.press(KEYS.escape, '[200~');
    expect(m.text()).toContain('sort net');
    // pressed on its own, each still works
    await m.press('K');
    expect(m.text()).toContain('Kill switch: halt trading?');
  });

  it('a filter typed fast with its Enter in one read is kept (the read was dropped whole)', async () => {
    const m = mount({ columns: 100, rows: 30 });
    await m.press('/');
    await m.press('fed\r');
    expect(m.text()).toContain('sort net · /fed');
  });
});

describe('renderApp', () => {
  it('takes the alternate screen, quits through actions.quit on q, then gives the screen back', async () => {
    const m = mount();
    expect(m.stdout.writes[0]).toBe(ENTER_ALT_SCREEN);
    await m.press('q');
    await m.app.waitUntilExit();
    expect(m.actions.names()).toEqual(['quit']);
    expect(m.stdout.lastWrite()).toContain(LEAVE_ALT_SCREEN);
    expect(m.stdout.writes.filter((w) => w.includes(LEAVE_ALT_SCREEN))).toHaveLength(1);
  });

  it('Ctrl-C quits the same way; a failing quit still exits, with the error', async () => {
    const m = mount();
    m.actions.quitError = new Error('flush failed: disk full');
    await m.press(KEYS.ctrlC);
    await expect(m.app.waitUntilExit()).rejects.toThrow('flush failed: disk full');
    expect(m.actions.names()).toEqual(['quit']);
    expect(m.stdout.lastWrite()).toContain(LEAVE_ALT_SCREEN);
  });

  it('while quitting, a second Ctrl-C forces the exit', async () => {
    const m = mount();
    let release = () => {};
    m.actions.quit = () => {
      m.actions.calls.push({ name: 'quit', args: [] });
      return new Promise<void>((r) => (release = r));
    };
    await m.press('q');
    expect(m.text()).toContain('Saving and quitting…');
    await m.press(KEYS.ctrlC);
    await m.app.waitUntilExit();
    expect(m.actions.names()).toEqual(['quit']);
    release();
  });

  it('Ctrl-C pressed twice, arriving in one read, quits and then forces the exit (found in review: the read was dropped)', async () => {
    const m = mount();
    let release = () => {};
    m.actions.quit = () => {
      m.actions.calls.push({ name: 'quit', args: [] });
      return new Promise<void>((r) => (release = r));
    };
    await m.press('\u0003\u0003');
    await m.app.waitUntilExit();
    expect(m.actions.names()).toEqual(['quit']);
    release();
  });

  it('a render crash restores the screen and rejects waitUntilExit', async () => {
    const clock = manualClock();
    const { store } = filledStore({ clock });
    const actions = new FakeActions(store, clock.now);
    const broken = { subscribe: store.subscribe, getSnapshot: () => ({ ...store.getSnapshot(), venues: {} }) as unknown as Snapshot };
    const stdout = new FakeStdout(80, 24);
    const r = renderApp({ store: broken, actions, stdout: stdout as unknown as NodeJS.WriteStream, stdin: new FakeStdin() as unknown as NodeJS.ReadStream, env: {} });
    await expect(r.waitUntilExit()).rejects.toThrow();
    expect(stdout.writes[0]).toBe(ENTER_ALT_SCREEN);
    expect(stdout.writes.join('')).toContain(LEAVE_ALT_SCREEN);
  });

  it('no alternate screen when stdout is not a terminal', async () => {
    const m = mount({ tty: false });
    await m.press('q');
    await m.app.waitUntilExit();
    expect(m.stdout.writes.join('')).not.toContain(ENTER_ALT_SCREEN);
    expect(m.stdout.writes.join('')).not.toContain(LEAVE_ALT_SCREEN);
  });
});

describe('size', () => {
  it('a stray console.log goes through Ink, which redraws the frame after it', async () => {
    const m = mount();
    const before = m.stdout.writes.length;
    console.log('stray line');
    await frame();
    const after = m.stdout.writes.slice(before).join('');
    expect(after).toContain('stray line');
    expect(after.slice(after.indexOf('stray line')).replace(ANSI, '')).toContain('K/P');
  });

  it('resizes live', async () => {
    const m = mount();
    await m.press('j');
    m.stdout.resize(120, 30);
    await frame();
    expect(m.text()).toContain('Fed cuts rates by 25bps in June 2026?');
    expect(m.text()).toContain('Positions & P&L');
    m.stdout.resize(70, 20);
    await frame();
    expect(m.text()).toContain('terminal too small (need 80x24, have 70x20)');
    const before = m.stdout.writes.length;
    m.stdout.resize(80, 24);
    await frame();
    const after = m.stdout.writes.slice(before).join('').replace(ANSI, '');
    expect(after).toContain('K/P');
    // the cursor is still on the row it was on
    expect(after).toMatch(/› Fed cuts rates/);
  });

  it('too small: only quitting works', async () => {
    const m = mount({ columns: 79, rows: 30 });
    expect(m.text()).toContain('terminal too small (need 80x24, have 79x30)');
    await m.press('p', 'e', 'K', KEYS.enter);
    expect(m.actions.calls).toEqual([]);
    await m.press('q');
    await m.app.waitUntilExit();
    expect(m.actions.names()).toEqual(['quit']);
  });
});

describe('colour', () => {
  it('colours on a colour terminal', async () => {
    const m = mount({ env: { TERM: 'xterm-256color' } });
    await m.press('q');
    await m.app.waitUntilExit();
    expect(m.stdout.writes.join('')).toMatch(COLOUR);
  });

  it('NO_COLOR and TERM=dumb: no colour codes at all (attributes only)', async () => {
    for (const env of [{ NO_COLOR: '1' }, { TERM: 'dumb' }]) {
      const m = mount({ env });
      await m.press('2', '?', KEYS.escape, 'K');
      await m.press('n', 'q');
      await m.app.waitUntilExit();
      const out = m.stdout.writes.join('');
      expect(out).not.toMatch(COLOUR);
      expect(out.replace(ANSI, '')).toContain('Kill switch: halt trading?');
      app = null;
    }
  });

  it('colour support rules', () => {
    const tty = { isTTY: true, hasColors: () => true };
    expect(colorSupported({}, tty)).toBe(true);
    expect(colorSupported({ NO_COLOR: '1' }, tty)).toBe(false);
    expect(colorSupported({ NO_COLOR: '' }, tty)).toBe(true);
    expect(colorSupported({ TERM: 'dumb' }, tty)).toBe(false);
    expect(colorSupported({}, { isTTY: false })).toBe(false);
    expect(colorSupported({}, { isTTY: true, hasColors: () => false })).toBe(false);
    expect(colorSupported({ FORCE_COLOR: '1' }, { isTTY: false })).toBe(true);
    expect(colorSupported({ FORCE_COLOR: '1', NO_COLOR: 'x' }, { isTTY: false })).toBe(false);
  });
});
