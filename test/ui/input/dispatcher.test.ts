import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { buildLookup, dispatch, type Layer } from '../../../source/ui/input/dispatcher.js';
import { keyLabel, keyName, keyNames } from '../../../source/ui/input/key-name.js';
import { KEYMAP, type Binding } from '../../../source/ui/input/keymap.js';
import { helpLines } from '../../../source/ui/screens/help.js';

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

const list: Layer[] = [
  { scope: 'opportunities', exclusive: false },
  { scope: 'list', exclusive: false },
  { scope: 'app', exclusive: false },
];

describe('key names', () => {
  it('names special keys, control chords and printable characters', () => {
    expect(keyName('', { ...NO_KEY, upArrow: true })).toBe('up');
    expect(keyName('', { ...NO_KEY, return: true })).toBe('enter');
    expect(keyName('', { ...NO_KEY, escape: true })).toBe('escape');
    expect(keyName('', { ...NO_KEY, tab: true })).toBe('tab');
    expect(keyName('', { ...NO_KEY, tab: true, shift: true })).toBe('shift-tab');
    expect(keyName('c', { ...NO_KEY, ctrl: true })).toBe('ctrl-c');
    expect(keyName('', { ...NO_KEY, delete: true })).toBe('backspace');
    expect(keyName('K', { ...NO_KEY, shift: true })).toBe('K');
    expect(keyName('?', NO_KEY)).toBe('?');
    expect(keyName(' ', NO_KEY)).toBe('space');
    expect(keyName('\u0001', NO_KEY)).toBeNull();
  });

  it('splits printable characters that arrive in one read into one key each', () => {
    expect(keyNames('jjk', NO_KEY)).toEqual(['j', 'j', 'k']);
    expect(keyNames('a b', NO_KEY)).toEqual(['a', 'space', 'b']);
    expect(keyNames('', { ...NO_KEY, upArrow: true })).toEqual(['up']);
    expect(keyNames('j', NO_KEY)).toEqual(['j']);
    expect(keyNames('j\u0001', NO_KEY)).toEqual(['j', 'ctrl-a']);
    expect(keyNames('\u001b[99~', NO_KEY)).toEqual([]);
    expect(keyNames('ab', { ...NO_KEY, meta: true })).toEqual([]);
  });

  it('a word typed fast with its Enter, in one read, is its keys and one Enter; several lines are not played back', () => {
    expect(keyNames('fed\r', NO_KEY)).toEqual(['f', 'e', 'd', 'enter']);
    expect(keyNames('fed\n', NO_KEY)).toEqual(['f', 'e', 'd', 'enter']);
    expect(keyNames('fed\r\n', NO_KEY)).toEqual(['f', 'e', 'd', 'enter']);
    expect(keyNames('a b\r', NO_KEY)).toEqual(['a', 'space', 'b', 'enter']);
    expect(keyNames('fed\r\ryes\r', NO_KEY)).toEqual([]);
    expect(keyNames('fed\nyes', NO_KEY)).toEqual([]);
    expect(keyNames('fe\u0001d\r', NO_KEY)).toEqual(['f', 'e', 'ctrl-a', 'd', 'enter']);
  });

  it('several Backspaces in one read are that many Backspaces; Esc and a key in one read (Alt+key to Ink) are Esc and the key', () => {
    expect(keyNames('\u007f\u007f\u007f', NO_KEY)).toEqual(['backspace', 'backspace', 'backspace']);
    expect(keyNames('\u0008\u0008', NO_KEY)).toEqual(['backspace', 'backspace']);
    expect(keyNames('p', { ...NO_KEY, meta: true })).toEqual(['escape', 'p']);
    expect(keyNames('/', { ...NO_KEY, meta: true })).toEqual(['escape', '/']);
    expect(keyNames('\u007fa', NO_KEY)).toEqual(['backspace', 'a']);
  });

  it('Ctrl-C twice, Backspace then Enter, Tab then a key: each key of one read (found in review: the read was dropped whole)', () => {
    expect(keyNames('\u0003\u0003', NO_KEY)).toEqual(['ctrl-c', 'ctrl-c']);
    expect(keyNames('\u007f\r', NO_KEY)).toEqual(['backspace', 'enter']);
    expect(keyNames('\tj', NO_KEY)).toEqual(['tab', 'j']);
    expect(keyNames('\r\r', NO_KEY)).toEqual(['enter', 'enter']);
    // text with an Enter before its end is a paste of lines: not played back (a "y" in it would confirm a ticket)
    expect(keyNames('\ry', NO_KEY)).toEqual([]);
    expect(keyNames('a\rb\r', NO_KEY)).toEqual([]);
    // an escape sequence Ink did not take apart is not guessed at
    expect(keyNames('j\u001b[A', NO_KEY)).toEqual([]);
    expect(keyNames('[A', { ...NO_KEY, meta: true })).toEqual([]);
  });

  it('labels keys for the help screen', () => {
    expect(keyLabel('up')).toBe('↑');
    expect(keyLabel('ctrl-c')).toBe('Ctrl-C');
    expect(keyLabel('K')).toBe('K');
  });
});

describe('keymap', () => {
  it('binds no key twice in one scope', () => {
    expect(() => buildLookup(KEYMAP)).not.toThrow();
    const broken: Binding[] = [...KEYMAP, { id: 'app.pause', scope: 'app', keys: ['q'], description: 'x' }];
    expect(() => buildLookup(broken)).toThrow(/q bound to both app.quit and app.pause in app/);
  });

  it('the help is generated from it: every binding appears with its keys and description', () => {
    const lines = helpLines();
    for (const b of KEYMAP) {
      if (b.scope === 'too-small') continue;
      const line = lines.find((l) => l.key === `${b.scope}:${b.id}`);
      expect(line, b.id).toBeDefined();
      expect(line?.description).toBe(b.description);
      for (const k of b.keys) expect(line?.keys).toContain(keyLabel(k));
    }
    // and a rebinding shows up in the help
    const rebound = KEYMAP.map((b) => (b.id === 'app.pause' ? { ...b, keys: ['P'] } : b));
    expect(helpLines(rebound).find((l) => l.key === 'app:app.pause')?.keys).toBe('P');
  });
});

describe('dispatch', () => {
  it('resolves view, list and global keys in layer order', () => {
    expect(dispatch('s', list)).toEqual({ id: 'opportunities.sort' });
    expect(dispatch('j', list)).toEqual({ id: 'list.down' });
    expect(dispatch('down', list)).toEqual({ id: 'list.down' });
    expect(dispatch('q', list)).toEqual({ id: 'app.quit' });
    expect(dispatch('x', list)).toBeNull();
  });

  it('a modal layer takes keys first and swallows the rest', () => {
    const ticket: Layer[] = [{ scope: 'ticket', exclusive: true }, ...list];
    expect(dispatch('r', ticket)).toEqual({ id: 'ticket.requote' });
    expect(dispatch('escape', ticket)).toEqual({ id: 'ticket.cancel' });
    // j and q belong to layers under the modal: not reachable
    expect(dispatch('j', ticket)).toBeNull();
    expect(dispatch('q', ticket)).toBeNull();
    expect(dispatch('K', ticket)).toBeNull();
  });

  it('Ctrl-C works whatever is open', () => {
    expect(dispatch('ctrl-c', [{ scope: 'ticket', exclusive: true }])).toEqual({ id: 'app.force-quit' });
    expect(dispatch('ctrl-c', [])).toEqual({ id: 'app.force-quit' });
  });

  it('text fields take printable keys; the size field only digits and a point', () => {
    const filter: Layer[] = [{ scope: 'filter', exclusive: true }];
    expect(dispatch('q', filter)).toEqual({ id: 'filter.type', text: 'q' });
    expect(dispatch('space', filter)).toEqual({ id: 'filter.type', text: ' ' });
    expect(dispatch('enter', filter)).toEqual({ id: 'filter.accept' });
    expect(dispatch('up', filter)).toBeNull();
    const ticket: Layer[] = [{ scope: 'ticket', exclusive: true }];
    expect(dispatch('7', ticket)).toEqual({ id: 'ticket.digit', text: '7' });
    expect(dispatch('.', ticket)).toEqual({ id: 'ticket.digit', text: '.' });
    expect(dispatch('z', ticket)).toBeNull();
  });
});
