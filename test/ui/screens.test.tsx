/**
 * Golden frames: every screen rendered from hand-built snapshots in a real
 * Store at 80x24 (plus a wide terminal), compared with the files in golden/.
 * Review a changed frame by eye before updating it (vitest -u).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../source/ui/app.js';
import { MONO_THEME } from '../../source/ui/theme.js';
import type { SessionInfo } from '../../source/store/store.js';
import { FakeActions, filledStore, manualClock } from './helpers/fixtures.js';
import { KEYS, renderInTerminal, type Terminal } from './helpers/terminal.js';

let open: Terminal | null = null;
afterEach(() => {
  open?.unmount();
  open = null;
});

function setup(options: { session?: Partial<SessionInfo>; columns?: number; rows?: number } = {}) {
  const clock = manualClock();
  const { store } = filledStore({ clock, ...(options.session ? { session: options.session } : {}) });
  const actions = new FakeActions(store, clock.now);
  const t = renderInTerminal(<App store={store} actions={actions} theme={MONO_THEME} />, options.columns ?? 80, options.rows ?? 24);
  open = t;
  return { t, store, clock, actions };
}

async function golden(t: Terminal, name: string) {
  const frame = t.frame();
  const lines = frame.split('\n');
  // The frame fits the terminal: never wider, and one line short of its height.
  expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(t.stdout.columns);
  expect(lines.length).toBeLessThanOrEqual(t.stdout.rows - 1);
  await expect(frame + '\n').toMatchFileSnapshot(`./golden/${name}.txt`);
}

describe('golden frames at 80x24', () => {
  it('opportunities, by net profit', async () => {
    const { t } = setup();
    await golden(t, 'opportunities');
  });

  it('opportunities, by annualised return, cursor moved', async () => {
    const { t } = setup();
    await t.press('s', 'j');
    await golden(t, 'opportunities-annualised');
  });

  it('opportunities, one just closed (faded in place)', async () => {
    const { t, store, clock } = setup();
    clock.advance(150);
    store.update((dr) => {
      const id = [...dr.opportunities.keys()].find((k) => k.startsWith('KXFED'))!;
      const o = dr.opportunities.get(id)!;
      dr.opportunities.delete(id);
      dr.closed.push({ opportunity: o, closedAt: clock.now() });
    });
    await t.press(); // let React commit
    await golden(t, 'opportunities-closing');
  });

  it('opportunities, filtering', async () => {
    const { t } = setup();
    await t.press('/', 'f', 'e', 'd');
    await golden(t, 'opportunities-filter-typing');
    await t.press(KEYS.enter);
    await golden(t, 'opportunities-filtered');
  });

  it('pairs', async () => {
    const { t } = setup();
    await t.press('2');
    await golden(t, 'pairs');
  });

  it('pair detail', async () => {
    const { t } = setup();
    await t.press('2', 'j', KEYS.enter);
    await golden(t, 'pair-detail');
  });

  it('positions & P&L', async () => {
    const { t } = setup();
    await t.press('3');
    await golden(t, 'positions');
  });

  it('orders & fills', async () => {
    const { t } = setup();
    await t.press('4');
    await golden(t, 'orders');
  });

  it('log', async () => {
    const { t } = setup();
    await t.press('5');
    await golden(t, 'log');
  });

  it('help', async () => {
    const { t } = setup();
    await t.press('?');
    await golden(t, 'help');
    await t.press('j', 'j');
    await golden(t, 'help-scrolled');
    // to the end: a key list longer than its column keeps a space before its description
    await t.press('j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j');
    expect(t.frame()).toContain('Esc Enter Space q Close');
  });

  it('trade ticket (paper)', async () => {
    const { t } = setup();
    await t.press('j', KEYS.enter);
    await golden(t, 'ticket');
  });

  it('trade ticket (execute mode, kill switch on)', async () => {
    const { t } = setup({ session: { mode: 'execute', halted: true } });
    await t.press('j', KEYS.enter);
    await golden(t, 'ticket-execute-halted');
  });

  it('monitor mode explains how to trade', async () => {
    const { t } = setup({ session: { mode: 'monitor' } });
    await t.press(KEYS.enter);
    await golden(t, 'monitor-no-trading');
  });

  it('kill switch confirmation', async () => {
    const { t } = setup();
    await t.press('K');
    await golden(t, 'kill-switch');
  });

  it('export result', async () => {
    const { t } = setup();
    await t.press('e');
    await golden(t, 'export');
  });

  it('status bar: execute, banner, halted, paused, venue unreachable', async () => {
    const { t, store, clock } = setup({ session: { mode: 'execute', banner: 'read-only: reconciliation failed', halted: true, dbPath: null } });
    clock.advance(200);
    store.update((dr) => {
      dr.venues.kalshi = { ...dr.venues.kalshi, state: 'unreachable', detail: 'ECONNREFUSED 127.0.0.1:443', nextRetryAt: clock.now() + 8_000 };
    });
    store.setPaused(true);
    await t.press();
    await golden(t, 'status-alarms');
  });

  it('too small', async () => {
    const { t } = setup({ columns: 70, rows: 20 });
    await golden(t, 'too-small');
  });
});

describe('golden frames on a wide terminal', () => {
  it('opportunities at 120x30 give the pair more room and show more rows', async () => {
    const { t } = setup({ columns: 120, rows: 30 });
    await golden(t, 'opportunities-120x30');
  });
});

describe('the log line dialog (Enter on the Log)', () => {
  it('wraps a long line whole; one too long for the screen ends with how many lines are not shown', async () => {
    const clock = manualClock();
    const { store } = filledStore({ clock });
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    store.log('warn', `first ${words} last`);
    clock.advance(1_000);
    const t = renderInTerminal(<App store={store} actions={new FakeActions(store, clock.now)} theme={MONO_THEME} />, 80, 24);
    try {
      await t.press('5');
      await t.press(KEYS.enter);
      const frame = t.frame();
      expect(frame).toMatch(/Log · \d\d:\d\d:\d\d UTC · warn/);
      expect(frame).toContain('first word0 word1');
      expect(frame).toMatch(/… \d+ more lines not shown/);
      expect(frame).not.toContain('last');
    } finally {
      t.unmount();
    }
  });
});
