/**
 * Every key in the keymap, in the scope it is bound in, does what the keymap
 * says. The effect table is typed by command id, so a new command without a
 * test does not compile, and every key of every binding is pressed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ONE } from '../../source/domain/money.js';
import { KEYMAP, type CommandId, type Scope } from '../../source/ui/input/keymap.js';
import { harness, type Harness } from './helpers/harness.js';
import { KEYS } from './helpers/terminal.js';

const RAW: Record<string, string> = {
  up: KEYS.up,
  down: KEYS.down,
  left: KEYS.left,
  right: KEYS.right,
  enter: KEYS.enter,
  escape: KEYS.escape,
  tab: KEYS.tab,
  'shift-tab': KEYS.shiftTab,
  backspace: KEYS.backspace,
  'ctrl-c': KEYS.ctrlC,
  pageup: KEYS.pageUp,
  pagedown: KEYS.pageDown,
  home: KEYS.home,
  end: KEYS.end,
  space: ' ',
};
const raw = (name: string): string => RAW[name] ?? name;

/** Put the app where the scope's bindings apply. */
const ENTER: Record<Scope, (h: Harness) => Promise<void>> = {
  always: async () => {},
  app: async () => {},
  list: async () => {},
  opportunities: async () => {},
  pairs: (h) => h.press('2'),
  log: (h) => h.press('5'),
  filter: (h) => h.press('/', 'f', 'e', 'd'),
  ticket: (h) => h.press('j', KEYS.enter),
  detail: (h) => h.press('2', KEYS.enter),
  confirm: (h) => h.press('K'),
  message: (h) => h.press('e'),
  help: (h) => h.press('?'),
  'too-small': async (h) => h.t.resize(60, 20),
};

/** Rows of the opportunities list, best net first (see the golden frame). */
const BTC = 'Bitcoin above';
const FED = 'Fed cuts rates';
const KANSAS = 'Republicans win';

const headerOf = (h: Harness): string => h.frame().split('\n')[4] ?? '';

/** What the command must have done (the key was pressed after ENTER[scope]). */
const EFFECT: Record<CommandId, { before?: (h: Harness) => Promise<void>; check: (h: Harness) => void | Promise<void> }> = {
  'app.force-quit': {
    check: async (h) => {
      expect(h.actions.names()).toContain('quit');
      await h.t.waitUntilExit();
    },
  },
  'app.quit': {
    check: async (h) => {
      expect(h.actions.names()).toEqual(['quit']);
      await h.t.waitUntilExit();
    },
  },
  'app.help': { check: (h) => expect(h.frame()).toContain('? or Esc closes') },
  'app.pause': {
    check: (h) => {
      expect(h.actions.calls).toEqual([{ name: 'setPaused', args: [true] }]);
      expect(h.frame()).toMatch(/PAUSED at \d\d:\d\d:\d\d \(p\)/);
    },
  },
  'app.export': {
    check: (h) => {
      expect(h.actions.names()).toEqual(['exportSession']);
      expect(h.frame()).toContain('/tmp/arb/session-orders.csv');
    },
  },
  'app.kill-switch': { check: (h) => expect(h.frame()).toContain('Kill switch: halt trading?') },
  'view.next': { check: (h) => expect(headerOf(h)).toContain('Conf') },
  'view.prev': { check: (h) => expect(headerOf(h)).toContain('Message') },
  'view.opportunities': { before: (h) => h.press('3'), check: (h) => expect(headerOf(h)).toContain('K/P') },
  'view.pairs': { check: (h) => expect(headerOf(h)).toContain('Conf') },
  'view.positions': { check: (h) => expect(headerOf(h)).toContain('Unreal.') },
  'view.orders': { check: (h) => expect(h.frame()).toContain('Fill time') },
  'view.log': { check: (h) => expect(headerOf(h)).toContain('Message') },
  'list.up': { before: (h) => h.press('j', 'j'), check: (h) => expect(h.selected()).toContain(FED) },
  'list.down': { check: (h) => expect(h.selected()).toContain(FED) },
  'list.page-up': { before: (h) => h.press('G'), check: (h) => expect(h.selected()).toContain(BTC) },
  'list.page-down': { check: (h) => expect(h.selected()).toContain(KANSAS) },
  'list.top': { before: (h) => h.press('j', 'j'), check: (h) => expect(h.selected()).toContain(BTC) },
  'list.bottom': { check: (h) => expect(h.selected()).toContain(KANSAS) },
  'list.filter': { check: (h) => expect(h.frame()).toContain('Enter keep · Esc clear') },
  'pairs.open': { check: (h) => expect(h.frame()).toContain('(j/k ') },
  'log.open': {
    check: (h) => {
      // the newest line, whole (the list cuts it at the column's width)
      expect(h.frame()).toMatch(/Log · \d\d:\d\d:\d\d UTC · error/);
      expect(h.frame().replace(/[│\s]+/g, ' ')).toContain('kalshi: order book for KXBTCMAX-26DEC31-150K malformed: yes_dollars[3] not a decimal');
    },
  },
  'opportunities.open': {
    check: (h) => {
      expect(h.frame()).toContain('Trade ticket · PAPER');
      expect(h.actions.calls[0]).toMatchObject({ name: 'quote', args: [expect.stringContaining('KXBTCMAX')] });
    },
  },
  'opportunities.sort': {
    check: (h) => {
      expect(h.frame()).toContain('sort ann.');
      expect(h.selected()).toContain(BTC); // the cursor stays on its row
      expect(h.frame().split('\n')[5]).toContain(FED);
    },
  },
  'pairs.approve': { check: (h) => expect(h.actions.calls).toEqual([{ name: 'approvePair', args: ['KXBTCMAX-26DEC31-150K|0xbtc3'] }]) },
  'pairs.reject': { check: (h) => expect(h.actions.calls).toEqual([{ name: 'rejectPair', args: ['KXBTCMAX-26DEC31-150K|0xbtc3'] }]) },
  'filter.type': { check: (h) => expect(h.frame()).toContain('/fedx') },
  'filter.backspace': { check: (h) => expect(h.frame().split('\n').at(-1)).toMatch(/^\/fe\s/) },
  'filter.accept': {
    check: (h) => {
      expect(h.frame()).toContain('sort net · /fed');
      expect(h.frame()).not.toContain(BTC);
    },
  },
  'filter.clear': {
    check: (h) => {
      expect(h.frame()).not.toContain('/fed');
      expect(h.frame()).toContain(BTC);
    },
  },
  'ticket.confirm': {
    check: (h) => {
      expect(h.actions.names()).toEqual(['quote', 'confirm']);
      expect(h.frame()).toContain('Submitted att-1');
    },
  },
  'ticket.cancel': {
    check: (h) => {
      expect(h.frame()).not.toContain('Trade ticket');
      expect(h.actions.names()).toEqual(['quote']);
    },
  },
  'ticket.more': {
    check: (h) => {
      expect(h.actions.calls.at(-1)).toEqual({ name: 'quote', args: [expect.stringContaining('KXFED'), 301n * ONE] });
      expect(h.frame()).toContain('Size 301 contracts');
    },
  },
  'ticket.less': {
    check: (h) => {
      expect(h.actions.calls.at(-1)).toEqual({ name: 'quote', args: [expect.stringContaining('KXFED'), 299n * ONE] });
      expect(h.frame()).toContain('Size 299 contracts');
    },
  },
  'ticket.digit': { check: (h) => expect(h.actions.calls.at(-1)).toEqual({ name: 'quote', args: [expect.any(String), 7n * ONE] }) },
  'ticket.backspace': {
    before: (h) => h.press('2', '5'),
    check: (h) => expect(h.actions.calls.at(-1)).toEqual({ name: 'quote', args: [expect.any(String), 2n * ONE] }),
  },
  'ticket.requote': {
    check: (h) => {
      expect(h.actions.names()).toEqual(['quote', 'quote']);
      expect(h.frame()).toContain('Quote q-2');
    },
  },
  'detail.close': { check: (h) => expect(headerOf(h)).toContain('Conf') },
  'detail.up': { before: (h) => h.press('j', 'j'), check: (h) => expect(h.frame()).toContain('(j/k 2-16/') },
  'detail.down': { check: (h) => expect(h.frame()).toContain('(j/k 2-16/') },
  'detail.approve': { check: (h) => expect(h.actions.calls).toEqual([{ name: 'approvePair', args: ['KXBTCMAX-26DEC31-150K|0xbtc3'] }]) },
  'detail.reject': { check: (h) => expect(h.actions.calls).toEqual([{ name: 'rejectPair', args: ['KXBTCMAX-26DEC31-150K|0xbtc3'] }]) },
  'confirm.yes': {
    check: async (h) => {
      expect(h.actions.calls).toEqual([{ name: 'setHalted', args: [true] }]);
      h.clock.advance(100); // the store publishes the change on its next tick
      await h.press();
      expect(h.frame()).toContain('HALTED: no new trades (K)');
    },
  },
  'confirm.no': {
    check: (h) => {
      expect(h.actions.calls).toEqual([]);
      expect(h.frame()).not.toContain('Kill switch:');
    },
  },
  'message.close': { check: (h) => expect(h.frame()).not.toContain('Wrote 2 files') },
  'help.close': { check: (h) => expect(h.frame()).not.toContain('? or Esc closes') },
  'help.up': { before: (h) => h.press('j', 'j'), check: (h) => expect(h.frame()).toContain('scroll 2-16 of') },
  'help.down': { check: (h) => expect(h.frame()).toContain('scroll 2-16 of') },
};

const TEXT_SAMPLES: Partial<Record<CommandId, string[]>> = {
  'filter.type': ['x'],
  'ticket.digit': ['7'],
};

let open: Harness | null = null;
afterEach(() => {
  open?.t.unmount();
  open = null;
});

const cases: Array<{ id: CommandId; scope: Scope; key: string }> = [];
for (const b of KEYMAP) {
  const keys = b.keys.length > 0 ? b.keys : (TEXT_SAMPLES[b.id] ?? []);
  for (const key of keys) cases.push({ id: b.id, scope: b.scope, key });
}

describe('every key in the keymap', () => {
  it('covers every binding and every key', () => {
    for (const b of KEYMAP) expect(cases.some((c) => c.id === b.id && c.scope === b.scope), b.id).toBe(true);
    expect(cases.length).toBe(KEYMAP.reduce((n, b) => n + Math.max(1, b.keys.length), 0));
  });

  it.each(cases)('$scope: $key -> $id', async ({ id, scope, key }) => {
    const h = harness();
    open = h;
    await ENTER[scope](h);
    // Entering the scope may itself call actions (the ticket quotes, export exports): start the record after.
    const effect = EFFECT[id];
    await effect.before?.(h);
    if (id !== 'ticket.backspace' && id !== 'ticket.more' && id !== 'ticket.less' && id !== 'ticket.digit' && id !== 'ticket.requote' && id !== 'ticket.confirm' && id !== 'ticket.cancel' && id !== 'opportunities.open') {
      h.actions.calls.length = 0;
    }
    await h.press(raw(key));
    await effect.check(h);
  });
});
